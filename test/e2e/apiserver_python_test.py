"""Python-client flows against `porter sim apiserver` (issue #5 §5).

list + watch from the list's resourceVersion; a forced 410 (the admin
endpoint expires the watch cache) and the relist that recovers from it; a
watch connection dropped by the server; 409 on a stale update; custom
objects with a status subresource; injected 429 with Retry-After.
"""
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

failed = False


def check(what, ok):
    global failed
    print(("ok   " if ok else "FAIL ") + what)
    failed = failed or not ok


def admin(api, path, body):
    """POST to the emulator's /_porter admin endpoints with the client's
    own TLS settings and token."""
    return api.api_client.call_api(
        path, "POST", body=body, auth_settings=["BearerToken"],
        response_type="object", _return_http_data_only=True)


def events(v1, rv, seconds=1, **kw):
    w = watch.Watch()
    return [(e["type"], e["object"].metadata.name) for e in w.stream(
        v1.list_namespaced_config_map, "default", resource_version=rv,
        timeout_seconds=seconds, **kw)]


def list_and_watch(v1):
    listed = v1.list_namespaced_config_map("default")
    rv = listed.metadata.resource_version
    check("list has a resourceVersion", rv.isdigit())
    cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(
        name="py-1", labels={"app": "py"}), data={"a": "1"})
    v1.create_namespaced_config_map("default", cm)
    v1.patch_namespaced_config_map("py-1", "default", {"data": {"a": "2"}})
    v1.delete_namespaced_config_map("py-1", "default")
    got = events(v1, rv)
    check("watch from the list RV sees ADDED, MODIFIED, DELETED",
          got == [("ADDED", "py-1"), ("MODIFIED", "py-1"), ("DELETED", "py-1")])
    sel = v1.list_namespaced_config_map("default", label_selector="app=py")
    check("label selector list", sel.items == [])


def forced_410_and_recovery(v1):
    old = v1.list_namespaced_config_map("default").metadata.resource_version
    v1.create_namespaced_config_map("default", client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="py-2")))
    admin(v1, "/_porter/faults", {"expireWatchCache": True})
    try:
        events(v1, old)
        check("watch from an expired RV raises 410", False)
    except ApiException as e:
        check("watch from an expired RV raises 410", e.status == 410)
        check("410 says Expired", "Expired" in str(e.reason) + str(e.body))
    # Recover as client-go does: relist, then watch from the list's RV.
    fresh = v1.list_namespaced_config_map("default")
    check("relist after 410 sees the object",
          "py-2" in [i.metadata.name for i in fresh.items])
    v1.patch_namespaced_config_map("py-2", "default", {"data": {"k": "v"}})
    got = events(v1, fresh.metadata.resource_version)
    check("watch after relist works", got == [("MODIFIED", "py-2")])


def dropped_watch(v1):
    rv = v1.list_namespaced_config_map("default").metadata.resource_version
    ended = threading.Event()
    result = {}

    def run():
        try:
            result["events"] = events(v1, rv, seconds=30)
        except Exception as e:  # the connection is cut under the client
            result["error"] = e
        ended.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    ended.wait(0.5)
    admin(v1, "/_porter/faults", {"dropWatches": True})
    check("a dropped watch ends the client's stream", ended.wait(10))


def stale_update_conflicts():
    coord = client.CoordinationV1Api()
    lease = client.V1Lease(metadata=client.V1ObjectMeta(name="py-lease"),
                           spec=client.V1LeaseSpec(holder_identity="a"))
    created = coord.create_namespaced_lease("default", lease)
    created.spec.holder_identity = "b"
    coord.replace_namespaced_lease("py-lease", "default", created)
    created.spec.holder_identity = "c"  # still the old resourceVersion
    try:
        coord.replace_namespaced_lease("py-lease", "default", created)
        check("stale update is 409", False)
    except ApiException as e:
        check("stale update is 409 Conflict",
              e.status == 409 and "Conflict" in e.body)


def custom_objects():
    co = client.CustomObjectsApi()
    g, v, p = "network.kubesphere.io", "v1alpha2", "eips"
    co.create_cluster_custom_object(g, v, p, {
        "apiVersion": g + "/" + v, "kind": "Eip",
        "metadata": {"name": "py-pool"}, "spec": {"address": "10.0.0.0/24"}})
    co.patch_cluster_custom_object_status(
        g, v, p, "py-pool", {"status": {"usage": 1, "poolSize": 256}})
    got = co.get_cluster_custom_object(g, v, p, "py-pool")
    check("custom object status via /status", got["status"]["poolSize"] == 256)
    try:
        co.create_cluster_custom_object(g, v, p, {
            "apiVersion": g + "/" + v, "kind": "Eip",
            "metadata": {"name": "py-bad"}, "spec": {"protocol": "bgp"}})
        check("missing required field is 422", False)
    except ApiException as e:
        check("missing required field is 422 with the field path",
              e.status == 422 and "spec.address" in e.body)


def injected_failures(v1):
    # urllib3 retries a 429 once Retry-After has passed: the call succeeds,
    # late by that much.
    admin(v1, "/_porter/faults", {
        "fail": {"code": 429, "count": 1, "retryAfterSeconds": 1,
                 "pathPrefix": "/api/v1/namespaces"}})
    start = time.monotonic()
    ok = v1.list_namespaced_service("default").kind == "ServiceList"
    check("429 with Retry-After: the client waits and retries",
          ok and time.monotonic() - start >= 1.0)
    admin(v1, "/_porter/faults", {
        "fail": {"code": 503, "count": 1, "retryAfterSeconds": 0,
                 "pathPrefix": "/api/v1/namespaces", "methods": ["GET"]}})
    try:
        v1.list_namespaced_service("default")
        check("injected 503", False)
    except ApiException as e:
        check("injected 503 is a ServiceUnavailable Status",
              e.status == 503 and "ServiceUnavailable" in e.body)
    check("the fault was one-shot",
          v1.list_namespaced_service("default").kind == "ServiceList")


def main():
    config.load_kube_config(config_file=sys.argv[1])
    v1 = client.CoreV1Api()
    for step in (lambda: list_and_watch(v1), lambda: forced_410_and_recovery(v1),
                 lambda: dropped_watch(v1), stale_update_conflicts,
                 custom_objects, lambda: injected_failures(v1)):
        try:
            step()
        except Exception as e:  # report and go on with the next flow
            check("unexpected %s: %s" % (type(e).__name__, e), False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
