"""A minimal client of porter's API server emulator for the benchmarks:
server, CA and token read from the kubeconfig it writes; JSON in and out.
"""
import base64
import http.client
import json
import ssl


def kubeconfig_parts(path):
    text = open(path).read()
    server = ca = token = None
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("server:"):
            server = s.split(None, 1)[1].strip('"')
        elif s.startswith("certificate-authority-data:"):
            ca = base64.b64decode(s.split(None, 1)[1]).decode()
        elif s.startswith("token:"):
            token = s.split(None, 1)[1].strip('"')
    return server, ca, token


class Api:
    def __init__(self, server, ca, token):
        host, port = server.replace("https://", "").rsplit(":", 1)
        ctx = ssl.create_default_context(cadata=ca)
        self.conn = http.client.HTTPSConnection(host, int(port), context=ctx)
        self.headers = {"Authorization": "Bearer " + token,
                        "Content-Type": "application/json"}

    def call(self, method, path, body=None, content_type=None):
        data = json.dumps(body) if body is not None else None
        headers = self.headers
        if content_type:
            headers = dict(headers, **{"Content-Type": content_type})
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        payload = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {payload[:200]}")
        return json.loads(payload) if payload else None
