# Shared by the `porter sim apiserver` fidelity tests: start/stop the
# emulator over TLS with a token on a free port, find the real kubectl,
# check/eventually helpers. Sourced; expects $porter.
# Missing tools are failures, not skips: these tests judge fidelity.

fail=0
check() { # check <description> <command...>
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
# eventually <seconds> <command...>: poll until it succeeds or time runs out.
eventually() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}
contains() { grep -q -- "$2" <<<"$1"; }

# kubectl 1.32 itself, not the gcloud dispatcher, when it is there (§5).
kubectl_bin=/usr/lib/google-cloud-sdk/bin/kubectl.1.32
[ -x "$kubectl_bin" ] || kubectl_bin=$(command -v kubectl || true)
if [ -z "$kubectl_bin" ]; then
  echo "FAIL kubectl not found (needed to judge the emulator)"; exit 1
fi
k() { "$kubectl_bin" --request-timeout=20s "$@"; }

work=$(mktemp -d /tmp/porter-apiserver-e2e.XXXXXX)
token=e2e-$RANDOM$RANDOM
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  [ -n "${watch_pid:-}" ] && kill "$watch_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# start_apiserver [extra flags]: TLS, token, port 0 (the kernel picks a free
# one), kubeconfig in $work; waits until it answers.
start_apiserver() {
  rm -f "$work/kubeconfig"
  "$porter" --log-level debug sim apiserver --listen 127.0.0.1:0 --tls \
    --token "$token" --kubeconfig-out "$work/kubeconfig" "$@" \
    >>"$work/apiserver.out" 2>>"$work/apiserver.log" &
  server_pid=$!
  export KUBECONFIG=$work/kubeconfig KUBECACHEDIR=$work/cache-$server_pid
  if ! eventually 10 test -s "$work/kubeconfig"; then
    echo "FAIL apiserver did not start"; tail -5 "$work/apiserver.log"; exit 1
  fi
  server=$(awk '/server:/ {print $2}' "$work/kubeconfig")
}

stop_apiserver() { # stop_apiserver: SIGTERM, return its exit code
  kill -TERM "$server_pid"
  wait "$server_pid"
  local rc=$?
  server_pid=
  return $rc
}
