#!/usr/bin/env python3
"""bench.manager (issue #7 §9): `porter manager` allocating 10k Services.

    manager_bench.py PORTER [SERVICES]

Starts `porter sim apiserver` (TLS, token), loads porter's CRDs, creates a
namespace-bound pool (10.0.0.0/16), 10k LoadBalancer Services in its
namespace, 10k EndpointSlices and 1k Nodes, then starts one manager and
measures the time from its start until every Service has an IP in its
status, and the manager's RSS afterwards. Prints:
    bench manager.alloc10k <s> s
    bench manager.rss10k <MB> MB
Everything on loopback; every process is stopped at the end.
"""
import shutil
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import yaml  # python3-yaml, a dependency of python3-kubernetes

from k8s_bench_api import Api, kubeconfig_parts

PORTER = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def main():
    work = tempfile.mkdtemp(prefix="porter-manager-bench.")
    kc = os.path.join(work, "kubeconfig")
    procs = []
    try:
        api_proc = subprocess.Popen(
            [PORTER, "--log-level", "warn", "sim", "apiserver", "--listen",
             "127.0.0.1:0", "--tls", "--token", "bench", "--kubeconfig-out",
             kc, "--watch-window", "100000"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "api.log"), "w"))
        procs.append(api_proc)
        deadline = time.time() + 10
        while not (os.path.exists(kc) and os.path.getsize(kc) > 0):
            if time.time() > deadline:
                sys.exit("manager_bench: the API server did not start")
            time.sleep(0.05)
        api = Api(*kubeconfig_parts(kc))
        for name in ("eips", "bgpconfs", "bgppeers"):
            path = os.path.join(ROOT, "config", "crd",
                                f"network.kubesphere.io_{name}.yaml")
            api.call("POST",
                     "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                     yaml.safe_load(open(path)))
        for ns in ("bench", "porter-system"):
            api.call("POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
        time.sleep(0.2)  # CRDs become served
        api.call("POST", "/apis/network.kubesphere.io/v1alpha2/eips", {
            "apiVersion": "network.kubesphere.io/v1alpha2", "kind": "Eip",
            "metadata": {"name": "bench-pool"},
            "spec": {"address": "10.0.0.0/16", "namespaces": ["bench"]}})
        for i in range(COUNT // 10):
            api.call("POST", "/api/v1/nodes", {"metadata": {
                "name": f"node-{i}"}, "status": {"addresses": [
                    {"type": "InternalIP", "address": f"192.168.{i // 250}.{i % 250 + 1}"}]}})
        for i in range(COUNT):
            api.call("POST", "/api/v1/namespaces/bench/services", {
                "metadata": {"name": f"svc-{i}", "annotations": {
                    "lb.kubesphere.io/v1alpha1": "porter"}},
                "spec": {"type": "LoadBalancer",
                         "allocateLoadBalancerNodePorts": False,
                         "ports": [
                    {"port": 80, "protocol": "TCP"}]}})
            api.call("POST", "/apis/discovery.k8s.io/v1/namespaces/bench/endpointslices", {
                "metadata": {"name": f"svc-{i}-x", "labels": {
                    "kubernetes.io/service-name": f"svc-{i}"}},
                "addressType": "IPv4",
                "endpoints": [{"addresses": [f"10.244.{i // 250 % 250}.{i % 250 + 1}"],
                               "conditions": {"ready": True},
                               "nodeName": f"node-{i % (COUNT // 10)}"}],
                "ports": [{"port": 8080, "protocol": "TCP"}]})
        start = time.time()
        # PORTER_BENCH_WRAP="heaptrack -o F" profiles the manager (the RSS
        # figure is then the wrapper's).
        wrap = os.environ.get("PORTER_BENCH_WRAP", "").split()
        mgr = subprocess.Popen(
            wrap + [PORTER, "--log-level", "warn", "manager", "--kubeconfig", kc,
             "--namespace", "porter-system", "--identity", "bench",
             "--lease-duration", "4", "--renew-deadline", "3",
             "--retry-period", "1", "--admin-listen", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "manager.log"), "w"),
            start_new_session=True)  # a wrapper's child gets the signal too
        procs.append(mgr)
        done = 0
        # "Allocated and written": every Service has its IP in its status,
        # the pool label and porter's finalizer, and the pool's status counts
        # them all.
        def written(s):
            meta = s["metadata"]
            return (s.get("status", {}).get("loadBalancer", {}).get("ingress")
                    and "finalizer.lb.kubesphere.io/v1alpha1" in meta.get("finalizers", [])
                    and "eip.openelb.kubesphere.io/v1alpha2" in meta.get("labels", {}))
        while time.time() - start < 600:
            items = api.call("GET", "/api/v1/namespaces/bench/services")["items"]
            done = sum(1 for s in items if written(s))
            if done == COUNT:
                pool = api.call("GET", "/apis/network.kubesphere.io/v1alpha2/eips/bench-pool")
                if pool.get("status", {}).get("usage") == COUNT:
                    break
            time.sleep(0.5)
        elapsed = time.time() - start
        if done != COUNT:
            sys.exit(f"manager_bench: only {done} of {COUNT} allocated")
        time.sleep(1)  # the last answers arrive; the manager settles
        if os.environ.get("PORTER_BENCH_HOLD"):  # to look at it: smaps, gdb
            print(f"manager pid {mgr.pid}; hold for "
                  f"{os.environ['PORTER_BENCH_HOLD']} s", file=sys.stderr)
            time.sleep(float(os.environ["PORTER_BENCH_HOLD"]))
        rss_kb = hwm_kb = 0
        for line in open(f"/proc/{mgr.pid}/status"):
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
            if line.startswith("VmHWM:"):
                hwm_kb = int(line.split()[1])
        print(f"bench manager.alloc{COUNT // 1000}k {elapsed:.2f} s")
        print(f"bench manager.rss{COUNT // 1000}k {rss_kb / 1024:.1f} MB")
        print(f"bench manager.peak_rss{COUNT // 1000}k {hwm_kb / 1024:.1f} MB")
        print("note: no peer controller runs here (MetalLB/OpenELB need Go "
              "images); the anchor is performance.md §3.1, row 9 (<= 64 MB)",
              file=sys.stderr)
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
