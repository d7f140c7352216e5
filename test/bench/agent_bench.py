#!/usr/bin/env python3
"""bench.agent (issue #9 item 6), as root, in a network namespace of its own:

  1. agent_rules_bench: 10k EIP rules programmed and removed by porter's
     netlink adapter (read, plan, batched apply) and by libnl one request
     at a time;
  2. the same 10k rules through `ip -batch` (iproute2), the peer;
  3. `porter agent` against `porter sim apiserver`: RSS when idle with 100
     EIPs in use, then with 10k (and how long its pass for 10k took).

Prints `bench <name> <value> <unit>` lines:
    bench agent.program10k <ms> ms            (target <= 100 ms)
    bench agent.remove10k <ms> ms
    bench agent.program10k_ip_batch <ms> ms
    bench agent.program10k_ratio_vs_ip_batch <x> x
    bench agent.idle_rss <MB> MB              (target <= 8 MB; 5 s idle)
    bench agent.idle_rss_14s <MB> MB          (after a periodic check)
usage: agent_bench.py <porter> <agent_rules_bench>
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from k8s_bench_api import Api, kubeconfig_parts  # noqa: E402

INSIDE = "PORTER_AGENT_BENCH_NETNS"


def main():
    porter, rules_bench = (os.path.abspath(p) for p in sys.argv[1:3])
    if os.geteuid() != 0:
        sys.exit("agent_bench: must run as root (network namespace)")
    if os.environ.get(INSIDE):
        return inside(porter, rules_bench)
    ns = f"pab-{os.getpid() % 1000000}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        env = dict(os.environ, **{INSIDE: ns})
        return subprocess.run(["ip", "netns", "exec", ns, sys.executable,
                               os.path.abspath(__file__), porter, rules_bench],
                              env=env).returncode
    finally:
        for pid in subprocess.run(["ip", "netns", "pids", ns],
                                  capture_output=True, text=True).stdout.split():
            subprocess.run(["kill", "-9", pid])
        subprocess.run(["ip", "netns", "del", ns])


def bench_line(name, value, unit):
    print(f"bench {name} {value} {unit}", flush=True)


def porter_rule_count():
    out = subprocess.run(["ip", "rule", "show"], capture_output=True,
                         text=True, check=True).stdout
    return sum(1 for line in out.splitlines() if line.endswith("proto 200"))


def ip_batch(lines, work, name):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    t0 = time.monotonic()
    subprocess.run(["ip", "-batch", path], check=True)
    return (time.monotonic() - t0) * 1000


def rss_kb(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            fields[key] = int(value.split()[0])
    return fields


def inside(porter, rules_bench):
    # 1. porter's adapter and libnl one by one.
    out = subprocess.run([rules_bench], capture_output=True, text=True)
    sys.stdout.write(out.stdout)
    if out.returncode != 0:
        sys.exit(f"agent_rules_bench failed: {out.stderr.strip()}")
    program = float(re.search(r"bench agent.program10k ([\d.]+) ms",
                              out.stdout).group(1))

    work = tempfile.mkdtemp(prefix="porter-agent-bench.")
    # 2. iproute2's batch mode: the same rules, priorities and order as
    # porter's plan (EIP i at 10000 + i, highest first; removed lowest
    # first).
    eips = [f"10.200.{i // 256}.{i % 256}" for i in range(10000)]
    rules = [f"to {eips[i]} lookup 101 pref {10000 + i} proto 200"
             for i in range(10000)]
    add_ms = ip_batch([f"rule add {r}" for r in reversed(rules)], work,
                      "add.batch")
    if porter_rule_count() != 10000:
        sys.exit("ip -batch did not install 10k rules")
    del_ms = ip_batch([f"rule del {r}" for r in rules], work, "del.batch")
    bench_line("agent.program10k_ip_batch", f"{add_ms:.1f}", "ms")
    bench_line("agent.remove10k_ip_batch", f"{del_ms:.1f}", "ms")
    bench_line("agent.program10k_ratio_vs_ip_batch", f"{add_ms / program:.2f}",
               "x")

    # 3. the agent's memory, idle and with 10k EIPs.
    kubeconfig = os.path.join(work, "kubeconfig")
    procs = []
    try:
        procs.append(subprocess.Popen(
            [porter, "--log-level", "warn", "sim", "apiserver", "--listen",
             "127.0.0.1:0", "--tls", "--token", "bench", "--kubeconfig-out",
             kubeconfig]))
        deadline = time.monotonic() + 10
        while not (os.path.exists(kubeconfig) and os.path.getsize(kubeconfig)):
            if time.monotonic() > deadline:
                sys.exit("API server did not start")
            time.sleep(0.05)
        api = Api(*kubeconfig_parts(kubeconfig))

        def create_services(start, stop):
            for i in range(start, stop):
                name = f"svc-{i}"
                api.call("POST", "/api/v1/namespaces/default/services", {
                    "apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": name, "annotations": {
                        "lb.kubesphere.io/v1alpha1": "porter"}},
                    "spec": {"type": "LoadBalancer",
                             "allocateLoadBalancerNodePorts": False,
                             "ports": [{"port": 80, "protocol": "TCP"}]}})
                api.call("PATCH",
                         f"/api/v1/namespaces/default/services/{name}/status",
                         {"status": {"loadBalancer": {"ingress": [
                             {"ip": eips[i]}]}}},
                         content_type="application/merge-patch+json")

        create_services(0, 100)
        log_path = os.path.join(work, "agent.log")
        agent = subprocess.Popen(
            [porter, "agent", "--kubeconfig", kubeconfig, "--node", "node-1",
             "--admin-listen", ""], stderr=open(log_path, "w"))
        procs.append(agent)
        if not wait_for(lambda: porter_rule_count() == 100, 20):
            sys.exit("the agent did not install 100 rules")
        time.sleep(5)  # idle: watches open, periodic checks running
        idle = rss_kb(agent.pid)
        bench_line("agent.idle_rss", f"{idle['VmRSS'] / 1024:.1f}", "MB")
        bench_line("agent.idle_rss_anon", f"{idle['RssAnon'] / 1024:.1f}", "MB")
        bench_line("agent.idle_rss_file", f"{idle['RssFile'] / 1024:.1f}", "MB")
        # Past a periodic full check (--resync-period 10 s): what stays
        # resident while the agent keeps working, not only right after the
        # start-up pages were dropped.
        time.sleep(9)
        later = rss_kb(agent.pid)
        bench_line("agent.idle_rss_14s", f"{later['VmRSS'] / 1024:.1f}", "MB")

        create_services(100, 10000)
        if not wait_for(lambda: porter_rule_count() == 10000, 120):
            sys.exit("the agent did not install 10k rules")
        time.sleep(3)
        big = rss_kb(agent.pid)
        bench_line("agent.rss10k", f"{big['VmRSS'] / 1024:.1f}", "MB")
        passes = [float(m) for m in re.findall(
            r"msg=rules_applied .* ms=([\d.]+)", open(log_path).read())]
        bench_line("agent.longest_pass_10k", f"{max(passes):.1f}", "ms")
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run([porter, "agent", "--cleanup"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def wait_for(cond, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return False


if __name__ == "__main__":
    sys.exit(main())
