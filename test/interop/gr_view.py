#!/usr/bin/python3
"""Graceful restart (RFC 4724) as the SWITCH sees it, for
bgp_graceful_restart_test.sh. Reads CLI output on stdin, prints one
comparable line on stdout. Python 3 standard library only.

  rib bird      the paths of one prefix, one token per path, sorted:
                "<next hop>" or "<next hop>,stale"; "" when none.
                stdin: `birdc show route all <prefix>` followed by
                `birdc show protocols all <proto>`.
                BIRD 2.0.x keeps no per-route stale flag it would print: its
                GR helper marks the whole import channel stale (refresh cycle)
                and shows it only in `show protocols all` ("Neighbor graceful
                restart active", channel "Neighbor GR: Regular"). The switch
                has no other BGP neighbour, so every path of the prefix is
                porter's, and it is stale exactly while that channel is.
  rib frr       the same from `show bgp ipv4 unicast <prefix> json`: FRR
                flags each path ("stale": true; text view "<as-path>,
                (stale)").
  selected frr  how many of the prefix's paths FRR selected (best or
                multipath), from the same JSON.
  gr bird|frr <neighbour>
                the neighbour's GR capability and the helper state, as
                "cap=<0|1> time=<s> r=<0|1> f=<families> helper=<0|1> eor=<0|1|->"
                cap/time/r/f are from the neighbour's last OPEN (R = Restart
                State bit, f = families with the Forwarding State bit),
                helper=1 while the switch keeps the neighbour's routes as
                stale waiting for it to come back (BIRD: GR active; FRR:
                restart timer running), eor = End-of-RIB received for IPv4 unicast on this
                session (FRR; "-" for BIRD, whose log says "Got END-OF-RIB").
                stdin: BIRD `birdc show protocols all <proto>`,
                FRR `show bgp neighbors <addr> json`.
  events <addr> the kernel's changes to the route for <addr> in
                `ip -ts monitor route` output: one line per event, "deleted"
                or its sorted gateways ("" if it has none).
"""

import ipaddress
import json
import re
import sys


def ip_key(token):
    addr = token.split(",")[0]
    try:
        return (0, ipaddress.ip_address(addr), token)
    except ValueError:
        return (1, addr, token)


def joined(tokens):
    return " ".join(sorted(tokens, key=ip_key))


def bird_channel_stale(text):
    # "    Neighbor GR:    Regular" (or Long-lived) under the channel while
    # the neighbour's graceful restart is active; absent otherwise.
    return any(re.match(r"\s*Neighbor GR:\s+(Regular|Long-lived)\s*$", line)
               for line in text.splitlines())


def rib_bird(text):
    stale = bird_channel_stale(text)
    paths = []
    for line in text.splitlines():
        if re.search(r"\s(unicast|blackhole|unreachable|prohibited)\s+\[",
                     line):
            paths.append("?")
        m = re.match(r"\s*BGP\.next_hop:\s+(\S+)", line)
        if m and paths:
            paths[-1] = m.group(1)
    return joined(p + (",stale" if stale else "") for p in paths)


def frr_paths(text):
    doc = json.loads(text) if text.strip() else {}
    return doc.get("paths", [])


def rib_frr(text):
    tokens = []
    for path in frr_paths(text):
        nhs = [nh.get("ip") for nh in path.get("nexthops", []) if nh.get("ip")]
        tokens.append((nhs[0] if nhs else "?")
                      + (",stale" if path.get("stale") else ""))
    return joined(tokens)


def selected_frr(text):
    n = 0
    for path in frr_paths(text):
        best = path.get("bestpath", {})
        if path.get("multipath") or (isinstance(best, dict)
                                     and best.get("overall")):
            n += 1
    return str(n)


def gr_bird(text, _name):
    cap, time, rbit, fams = 0, 0, 0, []
    section = None
    in_gr = False
    for line in text.splitlines():
        s = line.strip()
        if s == "Local capabilities":
            section = "local"
            continue
        if s == "Neighbor capabilities":
            section = "neighbor"
            continue
        if section != "neighbor":
            continue
        indent = len(line) - len(line.lstrip())
        if s == "Graceful restart":
            cap, in_gr = 1, True
            gr_indent = indent
            continue
        if in_gr and indent <= gr_indent:
            in_gr = False
        if not in_gr:
            if indent <= 4:  # end of the capability list
                section = None
            continue
        m = re.match(r"Restart time:\s+(\d+)", s)
        if m:
            time = int(m.group(1))
        if s == "Restart recovery":
            rbit = 1
        m = re.match(r"AF preserved:\s*(.*)$", s)
        if m:
            fams = m.group(1).split()
    helper = int("Neighbor graceful restart active" in text
                 or bird_channel_stale(text))
    return "cap=%d time=%d r=%d f=%s helper=%d eor=-" % (
        cap, time, rbit, ",".join(fams) or "none", helper)


def gr_frr(text, addr):
    doc = json.loads(text) if text.strip() else {}
    n = doc.get(addr, {})
    caps = n.get("neighborCapabilities", {})
    cap = int(caps.get("gracefulRestart") == "advertisedAndReceived"
              or caps.get("gracefulRestartCapability") == "received")
    time = caps.get("gracefulRestartRemoteTimerMsecs", 0) // 1000
    fams = []
    by_peer = caps.get("addressFamiliesByPeer", {})
    if isinstance(by_peer, dict):
        fams = sorted(af for af, v in by_peer.items()
                      if isinstance(v, dict) and v.get("preserved"))
    info = n.get("gracefulRestartInfo", {})
    rbit = int(bool(info.get("rBit")))
    # The restart timer runs while the peer is away. (FRR 8.4 leaves the
    # stale-path timer running after End-of-RIB, so it says nothing; the
    # per-path "stale" flag does, see rib frr.)
    helper = int("gracefulRestartTimerMsecs" in info)
    eor = int(bool(info.get("endOfRibRecv", {}).get("ipv4Unicast")))
    return "cap=%d time=%d r=%d f=%s helper=%d eor=%d" % (
        cap, time, rbit, ",".join(fams) or "none", helper, eor)


def events(text, addr):
    # "[<time>] [Deleted ]<dst> [via <gw> ]...", multipath gateways on the
    # following indented "nexthop via <gw> ..." lines.
    out = []
    cur = None
    for line in text.splitlines():
        m = re.match(r"(?:\[[^]]*\]\s*)?(Deleted\s+)?(\S+)(.*)$", line)
        if line[:1] in ("\t", " "):
            g = re.search(r"\bvia\s+(\S+)", line)
            if cur is not None and g:
                cur[1].append(g.group(1))
            continue
        if cur is not None:
            out.append(cur)
            cur = None
        if m and m.group(2) in (addr, addr + "/32", addr + "/128"):
            g = re.search(r"\bvia\s+(\S+)", m.group(3))
            cur = [bool(m.group(1)), [g.group(1)] if g else []]
    if cur is not None:
        out.append(cur)
    return "\n".join("deleted" if d else joined(gws) for d, gws in out)


def main(argv):
    text = sys.stdin.read()
    mode = argv[1:3]
    if mode == ["rib", "bird"]:
        out = rib_bird(text)
    elif mode == ["rib", "frr"]:
        out = rib_frr(text)
    elif mode == ["selected", "frr"]:
        out = selected_frr(text)
    elif mode == ["gr", "bird"] and len(argv) == 4:
        out = gr_bird(text, argv[3])
    elif mode == ["gr", "frr"] and len(argv) == 4:
        out = gr_frr(text, argv[3])
    elif mode[:1] == ["events"] and len(argv) == 3:
        out = events(text, argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
