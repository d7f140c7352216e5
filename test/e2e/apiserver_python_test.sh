#!/usr/bin/env bash
# Fidelity of `porter sim apiserver` as judged by the real Python client
# (python3-kubernetes 22.6, Debian's /usr/bin/python3; the pyenv python3 on
# PATH cannot import it): see apiserver_python_test.py.
set -u
porter=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=apiserver_lib.sh
source "$here/apiserver_lib.sh"

python=/usr/bin/python3
if ! "$python" -c 'import kubernetes' 2>/dev/null; then
  echo "FAIL $python cannot import kubernetes (apt install python3-kubernetes)"
  exit 1
fi
start_apiserver --watch-window 200 --bookmark-interval 1
k apply -f "$here/testdata/openelb-crds.yaml" >/dev/null
k wait --for condition=established --timeout=20s crd/eips.network.kubesphere.io >/dev/null
"$python" "$here/apiserver_python_test.py" "$KUBECONFIG"
rc=$?
if [ $rc -ne 0 ]; then
  echo "--- apiserver log (tail)"; tail -20 "$work/apiserver.log"
fi
exit $rc
