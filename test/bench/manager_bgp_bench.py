#!/usr/bin/env python3
"""bench.manager_bgp (issue #8 item 5), run by manager_bgp_bench.sh INSIDE the
switch namespace of the manager lab (test/interop/lib_manager.sh), so the API
server, BIRD's control socket and BIRD's kernel FIB are all local here.

    manager_bgp_bench.py PORTER WORK NS_M1 NS_M2 NET [SERVICES]

Prints:
    bench manager.svc_to_route.p50 <ms> ms   (Service created -> route in FIB,
    bench manager.svc_to_route.p99 <ms> ms    200 Services one at a time)
    bench manager.cold10k <s> s              (restart with 10k allocated
                                              Services: caches synced -> all
                                              10k routes in BIRD)
    bench manager.crash_reannounce <s> s     (leader kill -9 -> the new
                                              leader's paths for all of them)
    bench manager.handover_lost <n> probes   (SIGTERM handover: 10 ms FIB
                                              probes that found no route)
"""
import os
import re
import signal
import subprocess
import sys
import time

from k8s_bench_api import Api, kubeconfig_parts

PORTER, WORK, NS_M1, NS_M2, NET = sys.argv[1:6]
COUNT = int(sys.argv[6]) if len(sys.argv) > 6 else 10000
BIRD_CTL = os.path.join(WORK, "bird.ctl")
procs = {}


def birdc(*args):
    return subprocess.run(["birdc", "-s", BIRD_CTL, *args], capture_output=True,
                          text=True, timeout=20).stdout


# Every Service is ETP Cluster with 5 Ready nodes: 5 paths per EIP.
PATHS = 5


def routes_in_bird(protocol=None):
    """EIPs with all their paths in BIRD (from `protocol` if given)."""
    out = birdc("show", "route", *(["protocol", protocol] if protocol else []),
                "count")
    # "<matched> of <total> routes for <networks> networks in table master4"
    m = re.search(r"(\d+) of \d+ routes for \d+ networks", out)
    return int(m.group(1)) // PATHS if m else 0


def in_fib(ip):
    return bool(subprocess.run(["ip", "route", "show", ip + "/32"],
                               capture_output=True, text=True).stdout.strip())


def start_manager(n, log_suffix="", level="warn"):
    ns = NS_M1 if n == 1 else NS_M2
    log = open(os.path.join(WORK, f"bench-m{n}{log_suffix}.log"), "w")
    procs[n] = subprocess.Popen(
        ["ip", "netns", "exec", ns, PORTER, "--log-level", level, "manager",
         "--kubeconfig", os.path.join(WORK, "kubeconfig"), "--namespace",
         "porter-system", "--identity", f"m{n}", "--node-name", f"node-{n}",
         "--admin-listen", "127.0.0.1:0", "--lease-duration", "4",
         "--renew-deadline", "3", "--retry-period", "1", "--shutdown-grace", "2"],
        stdout=subprocess.DEVNULL, stderr=log)
    return time.time()


def stop_manager(n, sig=signal.SIGTERM):
    p = procs.pop(n, None)
    if p is None:
        return
    p.send_signal(sig)
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def wait_until(what, pred, timeout, step=0.01):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return time.time()
        time.sleep(step)
    sys.exit(f"manager_bgp_bench: timed out: {what}")


def holder(api):
    try:
        lease = api.call("GET", "/apis/coordination.k8s.io/v1/namespaces/"
                         "porter-system/leases/porter-manager")
    except RuntimeError:  # not created yet
        return ""
    return lease.get("spec", {}).get("holderIdentity", "")


def service(name, ip):
    return {"metadata": {"name": name, "annotations": {
        "lb.kubesphere.io/v1alpha1": "porter",
        "eip.openelb.kubesphere.io/v1alpha1": ip}},
        "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Cluster",
                 "allocateLoadBalancerNodePorts": False,
                 "ports": [{"port": 80, "protocol": "TCP"}]}}


def ip_of(i):
    return f"10.{100 + i // 62500}.{i // 250 % 250}.{i % 250 + 1}"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    api = Api(*kubeconfig_parts(os.path.join(WORK, "kubeconfig")))
    api.call("POST", "/apis/network.kubesphere.io/v1alpha2/eips", {
        "apiVersion": "network.kubesphere.io/v1alpha2", "kind": "Eip",
        "metadata": {"name": "bench", "annotations": {
            "eip.openelb.kubesphere.io/is-default-eip": "true"}},
        "spec": {"address": "10.100.0.0/15"}})
    api.call("POST", "/apis/network.kubesphere.io/v1alpha2/bgpconfs", {
        "apiVersion": "network.kubesphere.io/v1alpha2", "kind": "BgpConf",
        "metadata": {"name": "default"}, "spec": {"as": 65100, "listenPort": 17900}})
    api.call("POST", "/apis/network.kubesphere.io/v1alpha2/bgppeers", {
        "apiVersion": "network.kubesphere.io/v1alpha2", "kind": "BgpPeer",
        "metadata": {"name": "tor"},
        "spec": {"conf": {"neighborAddress": f"10.96.{NET}.1", "peerAs": 65000},
                 "gracefulRestart": {"enabled": True, "restartTime": 60}}})
    try:
        start_manager(1)
        wait_until("m1 leads", lambda: holder(api) == "m1", 20, 0.1)
        wait_until("m1's session", lambda: "Established" in birdc("show", "protocols", "m1"), 20, 0.1)

        # --- one Service at a time: created -> route in the FIB -------------
        lat = []
        for i in range(200):
            ip = ip_of(i)
            t0 = time.time()
            api.call("POST", "/api/v1/namespaces/default/services", service(f"one-{i}", ip))
            t1 = wait_until(f"route for {ip}", lambda: in_fib(ip), 10, 0.001)
            lat.append((t1 - t0) * 1000)
        print(f"bench manager.svc_to_route.p50 {percentile(lat, 50):.1f} ms")
        print(f"bench manager.svc_to_route.p99 {percentile(lat, 99):.1f} ms")

        # --- cold start: COUNT allocated Services, restart ------------------
        for i in range(200, COUNT):
            api.call("POST", "/api/v1/namespaces/default/services", service(f"svc-{i}", ip_of(i)))
        wait_until(f"{COUNT} routes", lambda: routes_in_bird() >= COUNT, 600, 0.5)
        stop_manager(1)
        wait_until("routes withdrawn", lambda: routes_in_bird() == 0, 60, 0.2)
        start_manager(1, "-cold", "info")
        log = os.path.join(WORK, "bench-m1-cold.log")
        # The target counts from the caches being synced: the log says when.
        def all_synced():
            text = open(log).read()
            return all(f"k8s_watch_synced resource={r}" in text for r in (
                "services", "endpointslices", "nodes", "bgpconfs", "bgppeers",
                "secrets"))
        synced = wait_until("caches synced", all_synced, 60, 0.005)
        done = wait_until(f"{COUNT} routes after restart",
                          lambda: routes_in_bird("m1") >= COUNT, 120, 0.02)
        print(f"bench manager.cold10k {done - synced:.2f} s")

        # --- crash: kill -9 of the leader -----------------------------------
        start_manager(2)
        wait_until("m2's session", lambda: "Established" in birdc("show", "protocols", "m2"), 20, 0.1)
        t0 = time.time()
        stop_manager(1, signal.SIGKILL)
        done = wait_until("m2 re-announces", lambda: routes_in_bird("m2") >= COUNT, 60, 0.02)
        print(f"bench manager.crash_reannounce {done - t0:.2f} s")

        # --- graceful handover: SIGTERM of the leader -----------------------
        start_manager(1, "-back")
        wait_until("m1's session", lambda: "Established" in birdc("show", "protocols", "m1"), 20, 0.1)
        wait_until("m1's stale routes gone", lambda: routes_in_bird("m1") == 0, 30, 0.1)
        probe_ip = ip_of(0)
        lost = probes = 0
        procs[2].send_signal(signal.SIGTERM)
        deadline = time.time() + 8
        while time.time() < deadline:
            probes += 1
            if not in_fib(probe_ip):
                lost += 1
            time.sleep(0.01)
        print(f"bench manager.handover_lost {lost} probes")
        print(f"note: {probes} probes of {probe_ip} every 10 ms over 8 s", file=sys.stderr)
    finally:
        for n in list(procs):
            stop_manager(n, signal.SIGKILL)


if __name__ == "__main__":
    main()
