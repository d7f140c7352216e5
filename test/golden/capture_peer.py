#!/usr/bin/python3
"""Passive BGP endpoint that records a peer's messages as golden fixtures.

Listens on one address (normally inside a network namespace), accepts one
connection, reads the peer's OPEN, answers with its own OPEN and a KEEPALIVE,
then writes every message the peer sends to <out>/<peer>_<NN>_<type>.bin
(exact bytes, 19-byte header included) until it has seen End-of-RIB
(RFC 4724 §2) for every family both sides advertised, or until a deadline.
Python 3 standard library only.

Exit status: 0 all End-of-RIB markers seen; 2 deadline reached first;
3 the peer sent a NOTIFICATION or closed the connection; 1 usage/socket error.
"""

import argparse
import ipaddress
import os
import select
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16
TYPE_NAMES = {
    1: "open",
    2: "update",
    3: "notification",
    4: "keepalive",
    5: "route_refresh",
}
AS_TRANS = 23456
IPV4_UNICAST = (1, 1)
IPV6_UNICAST = (2, 1)

# Capability codes (IANA "Capability Codes").
CAP_MP = 1
CAP_ROUTE_REFRESH = 2
CAP_EXTENDED_MESSAGE = 6
CAP_GRACEFUL_RESTART = 64
CAP_FOUR_OCTET_AS = 65
CAP_ADD_PATH = 69

# RFC 4724 §2: an empty UPDATE / one with an empty MP_UNREACH_NLRI.
END_OF_RIB_IPV4 = MARKER + struct.pack("!HBHH", 23, 2, 0, 0)
END_OF_RIB_IPV6 = MARKER + struct.pack("!HBHHBBBHB", 29, 2, 0, 6, 0x80, 15, 3,
                                       2, 1)


def log(msg):
    print(f"capture_peer: {msg}", file=sys.stderr, flush=True)


def message(msg_type, body):
    return MARKER + struct.pack("!HB", 19 + len(body), msg_type) + body


def capability(code, value):
    return struct.pack("!BB", code, len(value)) + value


def build_open(args):
    caps = [
        capability(CAP_MP, struct.pack("!HBB", 1, 0, 1)),
        capability(CAP_MP, struct.pack("!HBB", 2, 0, 1)),
        capability(CAP_ROUTE_REFRESH, b""),
        capability(CAP_FOUR_OCTET_AS, struct.pack("!I", args.asn)),
        # RFC 7911 §4: Send/Receive 3 = both, for IPv4 and IPv6 unicast.
        capability(CAP_ADD_PATH, struct.pack("!HBBHBB", 1, 1, 3, 2, 1, 3)),
    ]
    if args.graceful_restart:
        # RFC 4724 §3: restart time only, no families -> "GR aware": peers
        # send End-of-RIB markers, which is how we know the dump is complete.
        caps.append(capability(CAP_GRACEFUL_RESTART, struct.pack("!H", 120)))
    if args.extended_message:
        caps.append(capability(CAP_EXTENDED_MESSAGE, b""))
    # One capability per optional parameter (RFC 5492 §4 allows either).
    params = b"".join(struct.pack("!BB", 2, len(c)) + c for c in caps)
    my_as = args.asn if args.asn <= 0xFFFF else AS_TRANS
    bgp_id = int(ipaddress.IPv4Address(args.bgp_id))
    body = struct.pack("!BHHIB", 4, my_as, args.hold_time, bgp_id, len(params))
    return message(1, body + params)


def parse_open_families(body):
    """Families advertised in an OPEN body (RFC 4760 §8: IPv4 unicast when
    there is no multiprotocol capability)."""
    families = set()
    opt_len = body[9]
    params = body[10 : 10 + opt_len]
    i = 0
    while i + 2 <= len(params):
        ptype, plen = params[i], params[i + 1]
        pval = params[i + 2 : i + 2 + plen]
        i += 2 + plen
        if ptype != 2:
            continue
        j = 0
        while j + 2 <= len(pval):
            code, clen = pval[j], pval[j + 1]
            cval = pval[j + 2 : j + 2 + clen]
            j += 2 + clen
            if code == CAP_MP and clen == 4:
                afi, _, safi = struct.unpack("!HBB", cval)
                families.add((afi, safi))
    return families or {IPV4_UNICAST}


def end_of_rib_family(body):
    """RFC 4724 §2: the family of an End-of-RIB UPDATE, else None."""
    if len(body) == 4 and body == b"\x00\x00\x00\x00":
        return IPV4_UNICAST
    withdrawn_len = struct.unpack("!H", body[0:2])[0]
    if withdrawn_len != 0 or len(body) < 4:
        return None
    attr_len = struct.unpack("!H", body[2:4])[0]
    attrs = body[4 : 4 + attr_len]
    if len(body) != 4 + attr_len or len(attrs) < 3:
        return None
    flags, code = attrs[0], attrs[1]
    if code != 15:  # MP_UNREACH_NLRI
        return None
    if flags & 0x10:
        vlen = struct.unpack("!H", attrs[2:4])[0]
        value = attrs[4:]
    else:
        vlen = attrs[2]
        value = attrs[3:]
    if vlen != 3 or len(value) != 3:
        return None
    afi, safi = struct.unpack("!HB", value)
    return (afi, safi)


class reader:
    """Splits the TCP stream into messages, with a deadline."""

    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.buf = b""

    def next(self):
        while True:
            if len(self.buf) >= 19:
                if self.buf[:16] != MARKER:
                    raise ValueError("bad marker")
                length = struct.unpack("!H", self.buf[16:18])[0]
                if length < 19:
                    raise ValueError(f"bad length {length}")
                if len(self.buf) >= length:
                    msg, self.buf = self.buf[:length], self.buf[length:]
                    return msg
            left = self.deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return None
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("peer closed the connection")
            self.buf += chunk


def accept_one(args, deadline):
    family = socket.AF_INET6 if ":" in args.listen else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.listen, args.port))
    srv.listen(1)
    log(f"listening on {args.listen}:{args.port}")
    left = deadline - time.monotonic()
    ready, _, _ = select.select([srv], [], [], max(left, 0))
    if not ready:
        srv.close()
        return None
    conn, addr = srv.accept()
    srv.close()
    log(f"connection from {addr[0]}")
    return conn


def save(args, seq, msg):
    name = f"{args.peer}_{seq:02d}_{TYPE_NAMES.get(msg[18], 'type%d' % msg[18])}"
    path = os.path.join(args.out, name + ".bin")
    with open(path, "wb") as f:
        f.write(msg)
    log(f"wrote {path} ({len(msg)} bytes)")


def session(args, conn, deadline):
    rd = reader(conn, deadline)
    seq = 0
    first = rd.next()
    if first is None:
        log("no OPEN before the deadline")
        return 2
    seq += 1
    save(args, seq, first)
    if first[18] != 1:
        log(f"expected OPEN, got type {first[18]}")
        return 3
    pending = parse_open_families(first[19:]) & {IPV4_UNICAST, IPV6_UNICAST}
    # Our OPEN, a KEEPALIVE, and End-of-RIB for each common family: we have
    # no routes, and GR-aware peers may hold their own dump until they see it.
    eor = {IPV4_UNICAST: END_OF_RIB_IPV4, IPV6_UNICAST: END_OF_RIB_IPV6}
    conn.sendall(build_open(args) + message(4, b"")
                 + b"".join(eor[f] for f in sorted(pending)))
    log(f"waiting for End-of-RIB of {sorted(pending)}")
    last_keepalive = time.monotonic()
    while pending:
        # Keep the session up even if the capture takes longer than usual.
        if time.monotonic() - last_keepalive > args.hold_time / 3:
            conn.sendall(message(4, b""))
            last_keepalive = time.monotonic()
        rd.deadline = min(deadline, time.monotonic() + 1.0)
        msg = rd.next()
        if msg is None:
            if time.monotonic() >= deadline:
                log(f"deadline reached, End-of-RIB missing for {sorted(pending)}")
                return 2
            continue
        seq += 1
        save(args, seq, msg)
        if msg[18] == 3:
            log(f"NOTIFICATION {msg[19]}/{msg[20]} from peer")
            return 3
        if msg[18] == 2:
            fam = end_of_rib_family(msg[19:])
            if fam is not None:
                pending.discard(fam)
    # RFC 4486 Cease / Administrative Shutdown: we are done.
    conn.sendall(message(3, bytes([6, 2, 0])))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", required=True, help="local address to bind")
    p.add_argument("--port", type=int, default=179)
    p.add_argument("--as", dest="asn", type=int, default=65097)
    p.add_argument("--bgp-id", default="10.97.0.1")
    p.add_argument("--hold-time", type=int, default=90)
    p.add_argument("--peer", required=True, help="file name prefix, e.g. frr")
    p.add_argument("--out", required=True, help="fixture directory")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds until we give up, connection wait included")
    p.add_argument("--extended-message", action="store_true",
                   help="also advertise RFC 8654 extended messages")
    p.add_argument("--no-graceful-restart", dest="graceful_restart",
                   action="store_false",
                   help="do not advertise RFC 4724 (peers may then omit EoR)")
    args = p.parse_args()
    if not 0 < args.asn <= 0xFFFFFFFF:
        p.error("--as must be 1..4294967295")
    os.makedirs(args.out, exist_ok=True)
    deadline = time.monotonic() + args.timeout
    try:
        conn = accept_one(args, deadline)
        if conn is None:
            log("no connection before the deadline")
            return 2
        with conn:
            return session(args, conn, deadline)
    except (EOFError, ConnectionError) as e:
        log(str(e))
        return 3
    except (OSError, ValueError) as e:
        log(f"error: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
