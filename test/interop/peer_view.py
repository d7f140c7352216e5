#!/usr/bin/python3
"""Normalizes a BGP daemon's or the kernel's view into one comparable line.

Reads the CLI output on stdin, prints the normalized view on stdout:

  fib                 `ip -j route show <prefix>`: one line per kernel route,
                      its gateways sorted and space-separated.
  rib bird|frr|gobgp  the daemon's paths for one prefix: their NEXT_HOPs,
                      sorted, space-separated, one entry per path (so three
                      paths via the same next hop print it three times); an
                      empty line when the prefix has no path.
  state bird|frr|gobgp <name>
                      the session state of one neighbor (BIRD: protocol name,
                      FRR/GoBGP: neighbor address) as "Established",
                      "Active", ...

  rib input: bird  `birdc show route all <prefix>`
             frr   `vtysh -c 'show bgp ipv4 unicast <prefix> json'`
             gobgp `gobgp global rib -a ipv4 <prefix> -j`
  state input: bird `birdc show protocols <name>`
               frr  `vtysh -c 'show bgp neighbors <addr> json'`
               gobgp `gobgp neighbor <addr> -j`
  field frr <addr> <key>
                      one top-level field of an FRR neighbor's JSON (input
                      as for state frr), e.g. connectionsEstablished; an
                      empty line when absent.
Python 3 standard library only.
"""

import ipaddress
import json
import re
import sys

# GoBGP's API SessionState enum (api/gobgp.proto, PeerState.SessionState).
GOBGP_STATES = {
    0: "Unknown", 1: "Idle", 2: "Connect", 3: "Active", 4: "OpenSent",
    5: "OpenConfirm", 6: "Established",
}


def ip_key(addr):
    try:
        return (0, ipaddress.ip_address(addr))
    except ValueError:
        return (1, addr)


def joined(addrs):
    return " ".join(sorted(addrs, key=ip_key))


def fib(text):
    routes = json.loads(text) if text.strip() else []
    lines = []
    for route in routes:
        if "nexthops" in route:
            gws = [nh.get("gateway", "dev:" + nh.get("dev", "?"))
                   for nh in route["nexthops"]]
        else:
            gws = [route.get("gateway", "dev:" + route.get("dev", "?"))]
        lines.append(joined(gws))
    return "\n".join(lines)


def rib_bird(text):
    # Each path starts with a line holding "unicast [<proto> ..." and lists
    # its attributes below, among them "BGP.next_hop: <addr>".
    paths = []
    for line in text.splitlines():
        if re.search(r"\s(unicast|blackhole|unreachable|prohibited)\s+\[",
                     line):
            paths.append("?")
        m = re.match(r"\s*BGP\.next_hop:\s+(\S+)", line)
        if m and paths:
            paths[-1] = m.group(1)
    return joined(paths)


def rib_frr(text):
    doc = json.loads(text) if text.strip() else {}
    paths = []
    for path in doc.get("paths", []):
        nhs = [nh.get("ip") for nh in path.get("nexthops", []) if nh.get("ip")]
        paths.append(nhs[0] if nhs else "?")
    return joined(paths)


def gobgp_nexthop(path):
    for attr in path.get("attrs", []):
        if attr.get("type") in (3, 14) and attr.get("nexthop"):
            return attr["nexthop"]
    return "?"


def rib_gobgp(text):
    doc = json.loads(text) if text.strip() else {}
    dests = doc.values() if isinstance(doc, dict) else [doc]
    paths = []
    for dest in dests:
        for path in dest or []:
            if not path.get("withdrawal"):
                paths.append(gobgp_nexthop(path))
    return joined(paths)


def state_bird(text, name):
    # "porter     BGP        ---        up     12:00:00.000  Established"
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == name and len(fields) >= 6:
            return fields[5]
    return "Unknown"


def state_frr(text, addr):
    doc = json.loads(text) if text.strip() else {}
    return doc.get(addr, {}).get("bgpState", "Unknown")


def state_gobgp(text, _addr):
    doc = json.loads(text) if text.strip() else {}
    st = doc.get("state", {}).get("session_state", 0)
    if isinstance(st, str):
        return st.capitalize() if st.upper() != "OPENSENT" else "OpenSent"
    return GOBGP_STATES.get(st, "Unknown")


def field_frr(text, addr, key):
    doc = json.loads(text) if text.strip() else {}
    value = doc.get(addr, {}).get(key, "")
    return value if isinstance(value, str) else json.dumps(value)


def main(argv):
    text = sys.stdin.read()
    if argv[1:2] == ["fib"]:
        out = fib(text)
    elif argv[1:2] == ["rib"] and len(argv) == 3:
        out = {"bird": rib_bird, "frr": rib_frr, "gobgp": rib_gobgp}[argv[2]](
            text)
    elif argv[1:2] == ["state"] and len(argv) == 4:
        out = {"bird": state_bird, "frr": state_frr,
               "gobgp": state_gobgp}[argv[2]](text, argv[3])
    elif argv[1:3] == ["field", "frr"] and len(argv) == 5:
        out = field_frr(text, argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
