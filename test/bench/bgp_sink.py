#!/usr/bin/python3
"""bgp_sink.py: the receiving BGP peer of porter's send benchmark (stdlib only).

  bgp_sink.py recv  --listen ADDR --routes N [options]
      Listens on ADDR:port, accepts ONE session, negotiates (4-octet AS;
      ADD-PATH receive for IPv4 unicast with --add-path; RFC 8654 extended
      messages only with --ext-msg, so by default every sender is held to
      4096-byte UPDATEs) and counts what arrives until it holds N distinct
      routes (prefix, path id). Withdrawals remove routes. Prefix lengths and
      path ids are parsed, not guessed from the byte count.
  bgp_sink.py blast --connect ADDR --source ADDR --routes N [options]
      A sender with a pre-encoded stream (N consecutive /32 from 100.64.0.0,
      packed as tightly as 4096 bytes allow, or --per-update K), written in
      one go: measures the sink's own ingest ceiling.

Output of recv (stdout, one line each, key=value, times are epoch seconds):
  listening addr=A port=P
  established t=T peer_as=A add_path=0|1 max_msg=4096 hold=H
  result status=ok|timeout|closed|notification established=T first_update=T
         last_update=T done=T t99=T elapsed=S updates=U update_bytes=B nlri=K
         nlri_updates=M withdrawn=W routes=R attr_len_min=X attr_len_max=Y
         max_nlri_per_update=Z record_bytes=5|9 add_path=0|1 max_msg=4096
  elapsed = done - established; t99 = when 99 % of the N routes were held; updates/update_bytes count every UPDATE
  (header included) up to the one that completed the set; nlri counts
  announced NLRI (duplicates included), routes the distinct ones held.
With --gate the sink sends its own OPEN only after SIGUSR1: the sender is
connected (and has sent its OPEN) but cannot reach Established until the
harness says so, e.g. after the sender has loaded its routes.
With --linger the session stays up after the result (keepalives answered)
until SIGTERM or the peer closes. Exit: 0 ok, 1 not all routes, 2 usage or
protocol error.
"""
import argparse
import array
import select
import signal
import socket
import struct
import sys
import time

MARKER = b'\xff' * 16
KEEPALIVE = MARKER + b'\x00\x13\x04'
AS_TRANS = 23456
OPEN, UPDATE, NOTIFICATION, KEEPALIVE_T, ROUTE_REFRESH = 1, 2, 3, 4, 5
ATTR_MP_REACH, ATTR_MP_UNREACH = 14, 15
LITTLE = sys.byteorder == 'little'


def out(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def die(msg, code=2):
    sys.stderr.write('bgp_sink: ' + msg + '\n')
    sys.stderr.flush()
    sys.exit(code)


def message(mtype, body):
    return MARKER + struct.pack('!HB', 19 + len(body), mtype) + body


def open_message(asn, router_id, hold, add_path_mode, ext_msg):
    caps = bytes([1, 4]) + struct.pack('!HBB', 1, 0, 1)      # MP IPv4 unicast
    caps += bytes([65, 4]) + struct.pack('!I', asn)           # 4-octet AS
    if add_path_mode:                                         # RFC 7911
        caps += bytes([69, 4]) + struct.pack('!HBB', 1, 1, add_path_mode)
    if ext_msg:                                               # RFC 8654
        caps += bytes([6, 0])
    params = bytes([2, len(caps)]) + caps
    two = asn if asn < 65536 else AS_TRANS
    return message(OPEN, struct.pack('!BHH4sB', 4, two, hold,
                                     socket.inet_aton(router_id), len(params)) + params)


def parse_open(body):
    """body: the OPEN after the 19-byte header -> dict of what we need."""
    if len(body) < 10:
        die('short OPEN')
    version, two_as, hold, rid, optlen = struct.unpack('!BHH4sB', body[:10])
    params = body[10:10 + optlen]
    ext_params = False
    if optlen == 255 and params[:1] == b'\xff':               # RFC 9072
        optlen = struct.unpack('!H', body[11:13])[0]
        params = body[13:13 + optlen]
        ext_params = True
    caps = {}
    i = 0
    while i < len(params):
        if ext_params:
            ptype, plen = params[i], struct.unpack('!H', params[i + 1:i + 3])[0]
            i += 3
        else:
            ptype, plen = params[i], params[i + 1]
            i += 2
        pval = params[i:i + plen]
        i += plen
        if ptype != 2:
            continue
        j = 0
        while j + 2 <= len(pval):
            code, clen = pval[j], pval[j + 1]
            caps.setdefault(code, []).append(bytes(pval[j + 2:j + 2 + clen]))
            j += 2 + clen
    asn = two_as
    if 65 in caps and len(caps[65][0]) == 4:
        asn = struct.unpack('!I', caps[65][0])[0]
    add_path_send = False                                     # peer may send
    for v in caps.get(69, []):
        for k in range(0, len(v) - 3, 4):
            afi, safi, mode = struct.unpack('!HBB', v[k:k + 4])
            if afi == 1 and safi == 1 and mode & 2:
                add_path_send = True
    return {'version': version, 'asn': asn, 'hold': hold, 'id': socket.inet_ntoa(rid),
            'four_octet': 65 in caps, 'add_path_send': add_path_send, 'ext_msg': 6 in caps}


class Stream:
    """Reads BGP messages from a socket into one large buffer, in big chunks."""

    def __init__(self, sock, size=8 << 20):
        self.sock = sock
        self.buf = bytearray(size)
        self.mv = memoryview(self.buf)
        self.start = 0
        self.end = 0
        self.bytes_in = 0

    def fill(self):
        """One recv (may block up to the socket timeout); False on EOF."""
        if self.start == self.end:
            self.start = self.end = 0
        elif len(self.buf) - self.end < 65536:               # compact
            n = self.end - self.start
            self.buf[:n] = self.buf[self.start:self.end]
            self.start, self.end = 0, n
        n = self.sock.recv_into(self.mv[self.end:], len(self.buf) - self.end)
        if n == 0:
            return False
        self.end += n
        self.bytes_in += n
        return True

    def next(self):
        """(offset, length, type) of the next complete message, or None."""
        s = self.start
        if self.end - s < 19:
            return None
        buf = self.buf
        length = (buf[s + 16] << 8) | buf[s + 17]
        if length < 19:
            die('bad message length %d' % length)
        if self.end - s < length:
            return None
        self.start = s + length
        return s, length, buf[s + 18]


class Routes:
    """Distinct routes as ints: a /32 is (path id << 32 | address); any other
    IPv4 prefix (1 << 72 | path id << 40 | length << 32 | address); IPv6
    (1 << 200 | path id << 136 | length << 128 | address)."""

    def __init__(self):
        self.set = set()
        self.nlri = 0
        self.withdrawn = 0

    @staticmethod
    def _keys32(nl, add_path):
        """Keys of an NLRI block that is only /32s (fixed records), or None."""
        rec = 9 if add_path else 5
        n = len(nl)
        if n % rec:
            return None
        k = n // rec
        if nl[(4 if add_path else 0)::rec] != b'\x20' * k:
            return None
        b = bytearray(8 * k)                                   # big-endian u64
        if add_path:
            for i in range(4):
                b[i::8] = nl[i::9]                             # path id
                b[4 + i::8] = nl[5 + i::9]                     # address
        else:
            for i in range(4):
                b[4 + i::8] = nl[1 + i::5]
        a = array.array('Q')
        a.frombytes(bytes(b))
        if LITTLE:
            a.byteswap()
        return a

    @staticmethod
    def _keys_generic(nl, add_path, v6):
        keys = []
        i, n = 0, len(nl)
        width = 16 if v6 else 4
        while i < n:
            pid = 0
            if add_path:
                if i + 4 > n:
                    die('truncated path id in NLRI')
                pid = int.from_bytes(nl[i:i + 4], 'big')
                i += 4
            if i >= n:
                die('truncated NLRI')
            plen = nl[i]
            if plen > width * 8:
                die('bad prefix length %d' % plen)
            nb = (plen + 7) >> 3
            if i + 1 + nb > n:
                die('truncated prefix in NLRI')
            addr = int.from_bytes(nl[i + 1:i + 1 + nb], 'big') << (8 * (width - nb))
            i += 1 + nb
            if v6:
                keys.append((1 << 200) | (pid << 136) | (plen << 128) | addr)
            elif plen == 32:
                keys.append((pid << 32) | addr)
            else:
                keys.append((1 << 72) | (pid << 40) | (plen << 32) | addr)
        return keys

    def announce(self, nl, add_path, v6=False):
        keys = None if v6 or len(nl) < 45 else self._keys32(nl, add_path)
        if keys is None:
            keys = self._keys_generic(nl, add_path, v6)
        self.nlri += len(keys)
        self.set.update(keys)

    def withdraw(self, nl, add_path, v6=False):
        keys = None if v6 or len(nl) < 45 else self._keys32(nl, add_path)
        if keys is None:
            keys = self._keys_generic(nl, add_path, v6)
        self.withdrawn += len(keys)
        self.set.difference_update(keys)


def recv_main(args):
    add_path_mode = 1 if args.add_path else 0
    ls = socket.socket(socket.AF_INET6 if ':' in args.listen else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.listen, args.port))
    ls.listen(4)
    if args.gate:    # blocked now, so a SIGUSR1 sent early stays pending
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    out('listening addr=%s port=%d' % (args.listen, args.port))
    deadline = time.time() + args.timeout
    ls.settimeout(max(0.1, deadline - time.time()))
    try:
        sock, peer = ls.accept()
    except socket.timeout:
        out('result status=timeout phase=accept')
        return 1
    ls.close()                         # one session only; later connects are refused
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    st = Stream(sock)
    my_open = open_message(args.local_as, args.router_id, args.hold, add_path_mode,
                           args.ext_msg)
    if not args.gate:
        sock.sendall(my_open)

    # ---- OpenSent / OpenConfirm ----
    peer_open = None
    sock.settimeout(1.0)
    t_est = None
    while t_est is None:
        m = st.next()
        if m is None:
            if time.time() > deadline:
                out('result status=timeout phase=open')
                return 1
            try:
                if not st.fill():
                    out('result status=closed phase=open')
                    return 1
            except socket.timeout:
                pass
            continue
        off, length, mtype = m
        body = bytes(st.buf[off + 19:off + length])
        if mtype == OPEN:
            peer_open = parse_open(body)
            out('peer_open t=%.6f peer_as=%d' % (time.time(), peer_open['asn']))
            if args.gate:
                if signal.sigtimedwait([signal.SIGUSR1],
                                       max(0.1, deadline - time.time())) is None:
                    out('result status=timeout phase=gate')
                    return 1
                sock.sendall(my_open)
            sock.sendall(KEEPALIVE)
        elif mtype == KEEPALIVE_T and peer_open is not None:
            t_est = time.time()
        elif mtype == NOTIFICATION:
            out('result status=notification phase=open code=%d subcode=%d' %
                (body[0], body[1] if len(body) > 1 else 0))
            return 2
        else:
            die('unexpected message type %d before Established' % mtype)

    add_path = bool(add_path_mode and peer_open['add_path_send'])
    ext = bool(args.ext_msg and peer_open['ext_msg'])
    max_msg = 65535 if ext else 4096
    hold = min(args.hold, peer_open['hold'])
    ka_every = hold / 3.0 if hold else None
    next_ka = time.time() + ka_every if ka_every else None
    out('established t=%.6f peer_as=%d add_path=%d max_msg=%d hold=%d' %
        (t_est, peer_open['asn'], int(add_path), max_msg, hold))

    # ---- Established ----
    routes = Routes()
    target = args.routes
    updates = update_bytes = nlri_updates = 0
    attr_min, attr_max, max_per_update = 1 << 30, 0, 0
    t_first = t_last = None
    t_done = t_est if target == 0 else None
    t_99 = t_done
    n_99 = (99 * target + 99) // 100          # 99 % of the routes, rounded up
    buf = st.buf
    unpack_h = struct.Struct('!H').unpack_from
    status = 'ok'
    try:
        while t_done is None:
            m = st.next()
            if m is None:
                now = time.time()
                if next_ka and now >= next_ka:
                    sock.sendall(KEEPALIVE)
                    next_ka = now + ka_every
                if now > deadline:
                    status = 'timeout'
                    break
                try:
                    if not st.fill():
                        status = 'closed'
                        break
                except socket.timeout:
                    pass
                continue
            off, length, mtype = m
            if mtype == UPDATE:
                if t_first is None:
                    t_first = time.time()
                if length > max_msg:
                    die('UPDATE of %d bytes exceeds the negotiated %d' % (length, max_msg))
                updates += 1
                update_bytes += length
                end = off + length
                wl = unpack_h(buf, off + 19)[0]
                w0 = off + 21
                a0 = w0 + wl + 2
                if a0 > end:
                    die('bad withdrawn length')
                al = unpack_h(buf, a0 - 2)[0]
                n0 = a0 + al
                if n0 > end:
                    die('bad attribute length')
                if wl:
                    routes.withdraw(bytes(buf[w0:w0 + wl]), add_path)
                # Attributes: only MP_REACH / MP_UNREACH matter for counting.
                i = a0
                while i < n0:
                    flags, atype = buf[i], buf[i + 1]
                    if flags & 0x10:
                        alen = unpack_h(buf, i + 2)[0]
                        v = i + 4
                    else:
                        alen = buf[i + 2]
                        v = i + 3
                    if v + alen > n0:
                        die('attribute overruns the attribute block')
                    if atype == ATTR_MP_REACH or atype == ATTR_MP_UNREACH:
                        val = bytes(buf[v:v + alen])
                        afi, safi = struct.unpack_from('!HB', val, 0)
                        if safi == 1 and afi in (1, 2):
                            v6 = afi == 2
                            if atype == ATTR_MP_REACH:
                                nhl = val[3]
                                nl = val[5 + nhl:]
                                if nl:
                                    before = routes.nlri
                                    routes.announce(nl, add_path and not v6, v6)
                                    nlri_updates += 1
                                    max_per_update = max(max_per_update, routes.nlri - before)
                                    attr_min = min(attr_min, al)
                                    attr_max = max(attr_max, al)
                            else:
                                routes.withdraw(val[3:], add_path and not v6, v6)
                    i = v + alen
                if n0 < end:
                    before = routes.nlri
                    routes.announce(bytes(buf[n0:end]), add_path)
                    nlri_updates += 1
                    k = routes.nlri - before
                    if k > max_per_update:
                        max_per_update = k
                    if al < attr_min:
                        attr_min = al
                    if al > attr_max:
                        attr_max = al
                held = len(routes.set)
                if t_99 is None and held >= n_99:
                    t_99 = time.time()
                if held >= target:
                    t_done = t_last = time.time()
            elif mtype == KEEPALIVE_T:
                pass
            elif mtype == NOTIFICATION:
                b = st.buf[off + 19:off + 21]
                sys.stderr.write('bgp_sink: NOTIFICATION %d/%d received\n' % (b[0], b[1]))
                status = 'notification'
                break
            elif mtype == ROUTE_REFRESH:
                pass
            else:
                die('unexpected message type %d' % mtype)
    except KeyboardInterrupt:
        status = 'terminated'
    if t_done is None:
        t_last = time.time()
    fmt = lambda t: '%.6f' % t if t is not None else '-'
    out('result status=%s established=%s first_update=%s last_update=%s done=%s '
        't99=%s elapsed=%s updates=%d update_bytes=%d nlri=%d nlri_updates=%d withdrawn=%d '
        'routes=%d attr_len_min=%d attr_len_max=%d max_nlri_per_update=%d '
        'record_bytes=%d add_path=%d max_msg=%d bytes_in=%d peer_as=%d' % (
            status, fmt(t_est), fmt(t_first), fmt(t_last), fmt(t_done), fmt(t_99),
            '%.6f' % (t_done - t_est) if t_done else '-', updates, update_bytes,
            routes.nlri, nlri_updates, routes.withdrawn, len(routes.set),
            attr_min if nlri_updates else 0, attr_max, max_per_update,
            9 if add_path else 5, int(add_path), max_msg, st.bytes_in, peer_open['asn']))
    if status != 'ok':
        return 1
    if args.linger:
        # Keep the session: drain, answer keepalives, until SIGTERM or EOF.
        try:
            sock.setblocking(False)
            while True:
                timeout = max(0.0, next_ka - time.time()) if next_ka else None
                r, _, _ = select.select([sock], [], [], timeout)
                if r:
                    try:
                        if not sock.recv(1 << 20):
                            break
                    except BlockingIOError:
                        pass
                if next_ka and time.time() >= next_ka:
                    try:
                        sock.sendall(KEEPALIVE)
                    except (BlockingIOError, OSError):
                        pass
                    next_ka = time.time() + ka_every
        except KeyboardInterrupt:
            pass
    sock.close()
    return 0


# --------------------------------------------------------------- blast -----

def encode_stream(n, asn, next_hops, add_path, per_update, max_msg=4096):
    """Pre-encoded UPDATEs: n /32 from 100.64.0.0 per next hop (each next hop
    its own attribute group; with ADD-PATH path id = index + 1)."""
    base = struct.unpack('!I', socket.inet_aton('100.64.0.0'))[0]
    msgs = []
    rec = 9 if add_path else 5
    for idx, nh in enumerate(next_hops):
        aspath = bytes([2, 1]) + struct.pack('!I', asn)
        attrs = (bytes([0x40, 1, 1, 0]) + bytes([0x40, 2, len(aspath)]) + aspath +
                 bytes([0x40, 3, 4]) + socket.inet_aton(nh))
        per = (max_msg - 23 - len(attrs)) // rec
        if per_update:
            per = min(per, per_update)
        if add_path:
            recs = struct.Struct('!IBI')
            pid = idx + 1
            nlri = b''.join(recs.pack(pid, 32, base + i) for i in range(n))
        else:
            recs = struct.Struct('!BI')
            nlri = b''.join(recs.pack(32, base + i) for i in range(n))
        head = struct.pack('!H', 0) + struct.pack('!H', len(attrs)) + attrs
        step = per * rec
        for s in range(0, len(nlri), step):
            msgs.append(message(UPDATE, head + nlri[s:s + step]))
    return b''.join(msgs), len(msgs)


def blast_main(args):
    nhs = args.next_hops.split(',')
    t0 = time.time()
    blob, count = encode_stream(args.routes, args.local_as, nhs, args.add_path,
                                args.per_update)
    t1 = time.time()
    out('encoded updates=%d bytes=%d seconds=%.3f' % (count, len(blob), t1 - t0))
    sock = None
    for _ in range(int(args.timeout / 0.05)):
        try:
            sock = socket.create_connection((args.connect, args.port),
                                            source_address=(args.source, 0))
            break
        except (ConnectionRefusedError, OSError):
            time.sleep(0.05)
    if sock is None:
        die('cannot connect to %s:%d' % (args.connect, args.port), 1)
    sock.sendall(open_message(args.local_as, args.source, 240, 2 if args.add_path else 0,
                              False))
    st = Stream(sock, 1 << 20)
    got_open = False
    while True:
        m = st.next()
        if m is None:
            if not st.fill():
                die('peer closed during OPEN', 1)
            continue
        off, length, mtype = m
        if mtype == OPEN:
            got_open = True
            sock.sendall(KEEPALIVE)
        elif mtype == KEEPALIVE_T and got_open:
            break
        elif mtype == NOTIFICATION:
            die('NOTIFICATION during OPEN', 1)
    t2 = time.time()
    sock.sendall(blob)
    t3 = time.time()
    out('sent established=%.6f write_seconds=%.3f' % (t2, t3 - t2))
    try:
        while sock.recv(1 << 16):    # until the sink closes (or SIGTERM)
            pass
    except (ConnectionResetError, KeyboardInterrupt):
        pass
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='mode', required=True)
    r = sub.add_parser('recv')
    r.add_argument('--listen', required=True)
    r.add_argument('--port', type=int, default=179)
    r.add_argument('--local-as', type=int, default=65002)
    r.add_argument('--router-id', default=None)
    r.add_argument('--routes', type=int, required=True, help='stop at N distinct routes')
    r.add_argument('--add-path', action='store_true', help='ADD-PATH receive (IPv4)')
    r.add_argument('--ext-msg', action='store_true', help='offer RFC 8654')
    r.add_argument('--hold', type=int, default=240)
    r.add_argument('--timeout', type=float, default=300, help='seconds from start')
    r.add_argument('--linger', action='store_true')
    r.add_argument('--gate', action='store_true', help='send our OPEN on SIGUSR1')
    b = sub.add_parser('blast')
    b.add_argument('--connect', required=True)
    b.add_argument('--port', type=int, default=179)
    b.add_argument('--source', required=True)
    b.add_argument('--local-as', type=int, default=65001)
    b.add_argument('--routes', type=int, required=True, help='/32 per next hop')
    b.add_argument('--next-hops', default=None, help='comma separated (default: source)')
    b.add_argument('--add-path', action='store_true')
    b.add_argument('--per-update', type=int, default=0, help='NLRI per UPDATE (0: max)')
    b.add_argument('--timeout', type=float, default=30)
    args = p.parse_args()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.mode == 'recv':
            if args.router_id is None:
                args.router_id = args.listen if '.' in args.listen else '10.255.255.254'
            sys.exit(recv_main(args))
        if args.next_hops is None:
            args.next_hops = args.source
        sys.exit(blast_main(args))
    except KeyboardInterrupt:       # SIGTERM/SIGINT before a result
        sys.stderr.write('bgp_sink: terminated\n')
        sys.exit(1)


def _terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == '__main__':
    main()
