#!/usr/bin/env python3
"""A TCP forwarder on loopback that a test can cut and restore, to make the
API server unreachable for a client without stopping it.

    tcp_proxy.py PORT_FILE TARGET_PORT

Listens on 127.0.0.1 (a free port, written to PORT_FILE), forwards every
connection to 127.0.0.1:TARGET_PORT. SIGUSR1 cuts: closes the listener and
every open connection (clients see resets and refused connections). SIGUSR2
restores: listens again on the same port. SIGTERM exits.
"""
import asyncio
import signal
import socket
import sys


class Proxy:
    def __init__(self, target_port):
        self.target_port = target_port
        self.server = None
        self.port = 0
        self.writers = set()

    async def pipe(self, reader, writer):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError, OSError):
            pass
        finally:
            writer.close()

    async def handle(self, client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        self.writers.update({client_writer, up_writer})
        await asyncio.gather(self.pipe(client_reader, up_writer),
                             self.pipe(up_reader, client_writer))
        self.writers.difference_update({client_writer, up_writer})

    async def listen(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self.server = await asyncio.start_server(self.handle, sock=sock)

    def cut(self):
        if self.server:
            self.server.close()
            self.server = None
        for w in list(self.writers):
            try:
                # RST rather than FIN: like a network partition, not a
                # graceful server close.
                s = w.get_extra_info("socket")
                if s is not None:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 b"\x01\x00\x00\x00\x00\x00\x00\x00")
                w.close()
            except OSError:
                pass
        self.writers.clear()
        print("cut", flush=True)

    def restore(self):
        if self.server is None:
            asyncio.ensure_future(self.listen())
        print("restored", flush=True)


async def main():
    port_file, target = sys.argv[1], int(sys.argv[2])
    proxy = Proxy(target)
    await proxy.listen()
    with open(port_file + ".tmp", "w") as f:
        f.write(str(proxy.port))
    import os
    os.rename(port_file + ".tmp", port_file)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGUSR1, proxy.cut)
    loop.add_signal_handler(signal.SIGUSR2, proxy.restore)
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(0))
    await stop


if __name__ == "__main__":
    asyncio.run(main())
