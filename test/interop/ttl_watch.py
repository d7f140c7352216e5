#!/usr/bin/python3
"""Prints the IP TTL of every IPv4 TCP segment a given host sends, as seen
on one interface (run it inside the receiving namespace). For GTSM tests:
RFC 5082 wants every packet of a protected session sent with TTL 255.

Usage: ttl_watch.py <interface> <source address>
Prints "ready" once capturing, then per segment
  "<flags> ttl=<ttl> <src>:<port> > <dst>:<port>"
(flags from S A F R P, e.g. "SA" for a SYN-ACK) until killed.
Python 3 standard library only; needs CAP_NET_RAW (root).
"""

import socket
import struct
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
FLAGS = [(0x02, "S"), (0x10, "A"), (0x01, "F"), (0x04, "R"), (0x08, "P")]


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    ifname, source = argv[1], socket.inet_aton(argv[2])
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.bind((ifname, 0))
    print("ready", flush=True)
    while True:
        frame, addr = sock.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        if len(ip) < 20 or ip[9] != 6 or ip[12:16] != source:
            continue
        ihl = (ip[0] & 0x0F) * 4
        sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
        bits = ip[ihl + 13]
        flags = "".join(name for bit, name in FLAGS if bits & bit)
        print("%s ttl=%d %s:%d > %s:%d" % (
            flags, ip[8], socket.inet_ntoa(ip[12:16]), sport,
            socket.inet_ntoa(ip[16:20]), dport), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
