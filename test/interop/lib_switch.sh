# shellcheck shell=bash
# Switch side of porter's interop tests: launching BIRD 2 / FRR / GoBGP as the
# switch and reading its view of the session (state, RIB, FIB). Sourced by
# lib.sh (not by the tests themselves); uses its WORK, start_bg, poll_until,
# fail and the `daemon` set by interop_parse_args.

# ----------------------------------------------------------- peer views ----
# Daemon CLIs get a deadline too: a frozen (SIGSTOP) daemon never answers.
CLI_TIMEOUT=3

# peer_view <args...>: normalizes a daemon's or the kernel's JSON/text (on
# stdin) into one comparable line; see peer_view.py.
peer_view() { "$PYTHON" "$INTEROP_LIB_DIR/peer_view.py" "$@"; }

# fib_nexthops <netns> <prefix>: one line per kernel route for the prefix,
# each its sorted gateways ("" if there is none).
fib_nexthops() { ip -n "$1" -j route show "$2" | peer_view fib; }

# Both launchers set SW_PID (the switch's BGP process, to stop or restart).
SW_PID=""
sw_stop() { stop_pid "$SW_PID"; }

# switch_state <bird protocol> <peer address>: the session's state on the
# $daemon switch ("Established", "Active", ...). BIRD names a session by its
# protocol, FRR and GoBGP by the peer's address.
# shellcheck disable=SC2154 # daemon: set by interop_parse_args
switch_state() {
  case $daemon in
    bird) bird_proto_state "$1" ;;
    frr) frr_nbr_state "$2" ;;
    gobgp) gobgp_nbr_state "$2" ;;
  esac
}

# switch_rib <prefix>: the $daemon switch's paths for the prefix, one
# comparable line (peer_view rib); IPv6 if the prefix has a ':'.
# shellcheck disable=SC2154 # daemon: set by interop_parse_args
switch_rib() {
  local af=ipv4
  [[ $1 != *:* ]] || af=ipv6
  case $daemon in
    bird) birdc_sw show route all "$1" | peer_view rib bird ;;
    frr) vtysh_sw -c "show bgp $af unicast $1 json" | peer_view rib frr ;;
    gobgp) gobgp_sw global rib -a "$af" "$1" -j | peer_view rib gobgp ;;
  esac
}

# Checks on hooks the test defines: sw_state [session] (usually through
# switch_state), sw_rib and sw_fib (the switch's paths and kernel next hops
# for the test's prefix). sw_established / sw_down [session] pass the
# session (if the test has several) on to sw_state.
# shellcheck disable=SC2120 # the session argument is optional
sw_established() { [ "$(sw_state "$@")" = Established ]; }
# shellcheck disable=SC2120 # the session argument is optional
sw_down() { [ "$(sw_state "$@")" != Established ]; }
rib_is() { [ "$(sw_rib)" = "$1" ]; }
fib_is() { [ "$(sw_fib)" = "$1" ]; }
sw_has_fib() { :; } # hook: the test redefines it if its switch has no FIB

# expect_routes <step> <what> <t0> <next hops...>: the switch's RIB holds
# exactly these paths for $PREFIX and (if sw_has_fib) its kernel one route
# for $FIB_DST (default $PREFIX) via exactly these next hops; none at all for
# an empty list. Each within 10 s.
# shellcheck disable=SC2153,SC2154 # PREFIX: the test's
expect_routes() {
  local step=$1 what=$2 t0=$3
  shift 3
  local want="$*"
  poll_until 10 rib_is "$want" ||
    fail "step $step: switch RIB paths for $PREFIX: '$(sw_rib)', want '$want'"
  step_ok "$step" "$what in RIB" "$t0"
  if sw_has_fib; then
    poll_until 10 fib_is "$want" ||
      fail "step $step: kernel routes for ${FIB_DST:-$PREFIX}: '$(sw_fib)', want '$want' (one line per route)"
    step_ok "$step" "$what in FIB" "$t0"
  fi
}

# Config fragments ----------------------------------------------------------
# The tests write their switch's config themselves; the parts every one of
# them needs come from here, spliced into the here-document:
#   cat >"$WORK/bird.conf" <<EOF
#   # BIRD 2 as the switch: what this test needs.
#   $(bird_conf_head "$SW_IP")
#   protocol bgp porter {
#     ...
#   $(bird_fast_retry)
#   }
#   EOF

# bird_conf_head <router id>: log to stderr (bird_launch keeps it in
# $WORK/<name>.err), the router id, the device protocol.
bird_conf_head() {
  printf 'log stderr all;\nrouter id %s;\nprotocol device { scan time 10; }\n' "$1"
}

# bird_kernel_multipath <ipv4|ipv6>: a kernel protocol that installs BGP's
# equal paths as one multipath route (nothing imported from the kernel).
bird_kernel_multipath() {
  printf 'protocol kernel {\n  %s { import none; export where source = RTS_BGP; };\n  merge paths yes limit 16;\n}\n' "$1"
}

# bird_fast_retry: options of a BGP protocol (or template) that bring a
# session back within about a second of a drop (BIRD's defaults: 5 s,
# 120 s, 60-300 s).
bird_fast_retry() {
  printf '  connect delay time 1;\n  connect retry time 1;\n  error wait time 1, 2;\n'
}

# frr_conf_head: the start of a bgpd.conf: defaults, hostname, log to stdout
# (frr_launch keeps it in $WORK/<name>.out).
frr_conf_head() {
  printf 'frr defaults traditional\nhostname pi-frr-switch\nlog stdout informational\n!\n'
}

# BIRD --------------------------------------------------------------------
BIRD_CTL=""
birdc_sw() { timeout "$CLI_TIMEOUT" birdc -s "$BIRD_CTL" "$@"; }

# bird_launch <netns> <name>: checks and starts BIRD on $WORK/bird.conf in the
# namespace (stderr in $WORK/<name>.err); returns once birdc answers. Stop it
# with sw_stop; rewrite the file and launch again to reconfigure.
bird_launch() {
  local ns=$1 name=$2
  BIRD_CTL=$WORK/bird.ctl
  bird -p -c "$WORK/bird.conf" >"$WORK/bird-check.log" 2>&1 ||
    fail "BIRD rejected $WORK/bird.conf: $(cat "$WORK/bird-check.log")"
  start_bg "$name" ip netns exec "$ns" bird -f -c "$WORK/bird.conf" \
    -s "$BIRD_CTL" -P "$WORK/bird.pid"
  SW_PID=$LAST_PID
  poll_until 10 birdc_sw show status || fail "BIRD control socket not answering"
}

# bird_proto_state <protocol>: "Established", "Active", "Connect", ...
bird_proto_state() { birdc_sw show protocols "$1" | peer_view state bird "$1"; }

dump_bird() {
  local proto=$1
  echo "\$ birdc show protocols all $proto"
  birdc_sw show protocols all "$proto"
  echo "\$ birdc show route all   (the switch has only porter's routes)"
  birdc_sw show route all
}

# FRR ---------------------------------------------------------------------
FRR_PATHSPACE=""
vtysh_sw() { timeout "$CLI_TIMEOUT" vtysh --vty_socket "/var/run/frr/$FRR_PATHSPACE" --config_dir "$WORK/frr" "$@"; }

# frr_launch <netns> <name> [bgpd options...]: zebra (once per test, its own
# pathspace pi-frr-<suffix>), then bgpd on $WORK/frr/bgpd.conf (written by
# the test; stdout in $WORK/<name>.out); returns once bgpd's vty answers.
# Stop bgpd with sw_stop; launch again to reconfigure.
frr_launch() {
  local ns=$1 name=$2 run=$WORK/frr-run
  shift 2
  if [ -z "$FRR_PATHSPACE" ]; then
    FRR_PATHSPACE=pi-frr-$(short_suffix)
    INTEROP_DIRS+=("/var/run/frr/$FRR_PATHSPACE")
    mkdir -p "$WORK/frr" "$run"
    chown frr:frr "$run" # zebra/bgpd drop to user frr before writing pid files
    : >"$WORK/frr/vtysh.conf"
    printf 'hostname pi-frr-switch\nlog stdout informational\n' \
      >"$WORK/frr/zebra.conf"
    chmod 644 "$WORK/frr/zebra.conf"
    start_bg zebra ip netns exec "$ns" /usr/lib/frr/zebra -N "$FRR_PATHSPACE" \
      -f "$WORK/frr/zebra.conf" -i "$run/zebra.pid" -A 127.0.0.1
    poll_until 10 test -S "/var/run/frr/$FRR_PATHSPACE/zserv.api" ||
      fail "zebra did not create its zserv.api socket"
  fi
  chmod 644 "$WORK/frr/bgpd.conf"
  start_bg "$name" ip netns exec "$ns" /usr/lib/frr/bgpd -N "$FRR_PATHSPACE" \
    -f "$WORK/frr/bgpd.conf" -i "$run/bgpd.pid" -A 127.0.0.1 "$@"
  SW_PID=$LAST_PID
  poll_until 10 frr_vty_answers || fail "bgpd vty not answering"
}

frr_vty_answers() { [[ $(vtysh_sw -c 'show bgp neighbors json') == *bgpState* ]]; }

# frr_nbr_state <address>: "Established", "Active", "Connect", ...
frr_nbr_state() { vtysh_sw -c "show bgp neighbors $1 json" | peer_view state frr "$1"; }

# frr_nbr_field <address> <key>: one top-level field of the neighbor's JSON,
# e.g. connectionsEstablished, lastResetDueTo ("" if absent).
frr_nbr_field() { vtysh_sw -c "show bgp neighbors $1 json" | peer_view field frr "$1" "$2"; }

dump_frr() {
  local prefix=$1 c
  for c in 'show bgp summary' 'show bgp neighbors' 'show bgp ipv4 unicast' \
    "show bgp ipv4 unicast $prefix" 'show ip route'; do
    echo "\$ vtysh -c '$c'"
    vtysh_sw -c "$c"
  done
}

# GoBGP -------------------------------------------------------------------
GOBGP_NS=""
gobgp_sw() { timeout "$CLI_TIMEOUT" ip netns exec "$GOBGP_NS" gobgp "$@"; }

# gobgp_nbr_state <address>: "Established", "Active", ...
gobgp_nbr_state() { gobgp_sw neighbor "$1" -j | peer_view state gobgp "$1"; }

dump_gobgp() {
  local nbr=$1
  echo "\$ gobgp neighbor; gobgp neighbor $nbr; gobgp neighbor $nbr adj-in"
  gobgp_sw neighbor
  gobgp_sw neighbor "$nbr"
  gobgp_sw neighbor "$nbr" adj-in
  echo "\$ gobgp global rib -a ipv4"
  gobgp_sw global rib -a ipv4
}
