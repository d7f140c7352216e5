// bench.k8s_decode (issue #6 §7-8): parse + decode of a LIST of 10k
// Services and of 10k EndpointSlices into std::vector of typed objects
// (k8s/objects.hpp), best of a few runs, next to a plain RapidJSON DOM parse
// of the same text; and the heap bytes a cached Service costs, counted by a
// replaced global operator new/delete. The lists look like a real
// cluster's: Services with annotations, kubectl's last-applied copy,
// managedFields, two ports and a status ingress; slices with 3-10
// endpoints. Targets: >= 200 MB/s per core, <= 2 KB per cached Service.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <malloc.h>
#include <rapidjson/document.h>

#include "k8s/objects.hpp"

namespace {

// Live heap bytes through operator new (RapidJSON's own allocator uses
// malloc directly and is not counted). Single-threaded program.
std::size_t live_bytes = 0;

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr)
    throw std::bad_alloc{};
  live_bytes += malloc_usable_size(p);
  return p;
}

void counted_free(void* p) noexcept {
  if (p == nullptr)
    return;
  live_bytes -= malloc_usable_size(p);
  std::free(p);
}

} // namespace

void* operator new(std::size_t n) {
  return counted_alloc(n);
}
void* operator new[](std::size_t n) {
  return counted_alloc(n);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace {

using namespace porter::k8s;

constexpr int item_count = 10000;
constexpr int runs = 5;

std::string num(int i, int width) {
  std::string s = std::to_string(i);
  return std::string(s.size() < static_cast<std::size_t>(width)
                       ? static_cast<std::size_t>(width) - s.size()
                       : 0,
                     '0')
         + s;
}

std::string uid(int i, int salt) {
  return num(salt, 8) + "-1c2d-4e5f-8a9b-" + num(i, 12);
}

std::string ip(int a, int i) {
  return std::to_string(a) + "." + std::to_string((i >> 16) & 255) + "."
         + std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255);
}

/// kubectl's last-applied annotation value (a JSON document escaped into
/// a string) of Service i.
std::string last_applied(const std::string& name, const std::string& ns) {
  return R"({\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{)"
         R"(\"annotations\":{\"eip.openelb.kubesphere.io/v1alpha2\":)"
         R"(\"eip-pool\",\"lb.kubesphere.io/v1alpha1\":\"openelb\"},)"
         R"(\"labels\":{\"app\":\")"
         + name + R"(\",\"tier\":\"web\"},\"name\":\")" + name
         + R"(\",\"namespace\":\")" + ns
         + R"(\"},\"spec\":{\"externalTrafficPolicy\":\"Local\",)"
           R"(\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":)"
           R"(8080},{\"name\":\"https\",\"port\":443,\"targetPort\":8443}],)"
           R"(\"selector\":{\"app\":\")"
         + name + R"(\"},\"type\":\"LoadBalancer\"}}\n)";
}

std::string service_item(int i) {
  const std::string name = "svc-" + num(i, 5);
  const std::string ns = "team-" + num(i % 50, 2);
  return R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns
         + R"(","uid":")" + uid(i, 1) + R"(","resourceVersion":")"
         + std::to_string(100000 + i)
         + R"(","creationTimestamp":"2026-11-26T22:22:20Z",)"
           R"("labels":{"app":")"
         + name
         + R"(","tier":"web"},"annotations":{)"
           R"("eip.openelb.kubesphere.io/v1alpha2":"eip-pool",)"
           R"("kubectl.kubernetes.io/last-applied-configuration":")"
         + last_applied(name, ns)
         + R"(","lb.kubesphere.io/v1alpha1":"openelb"},)"
           R"("finalizers":["finalizer.lb.kubesphere.io/v1alpha1"],)"
           R"("managedFields":[{"manager":"kubectl-client-side-apply",)"
           R"("operation":"Update","apiVersion":"v1","time":)"
           R"("2026-11-26T22:22:20Z","fieldsType":"FieldsV1","fieldsV1":{)"
           R"("f:metadata":{"f:annotations":{".":{},)"
           R"("f:eip.openelb.kubesphere.io/v1alpha2":{},)"
           R"("f:kubectl.kubernetes.io/last-applied-configuration":{},)"
           R"("f:lb.kubesphere.io/v1alpha1":{}},"f:labels":{".":{},)"
           R"("f:app":{},"f:tier":{}}},"f:spec":{)"
           R"("f:allocateLoadBalancerNodePorts":{},)"
           R"("f:externalTrafficPolicy":{},"f:internalTrafficPolicy":{},)"
           R"("f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{)"
           R"(".":{},"f:name":{},"f:port":{},"f:protocol":{},)"
           R"("f:targetPort":{}},"k:{\"port\":443,\"protocol\":\"TCP\"}":{)"
           R"(".":{},"f:name":{},"f:port":{},"f:protocol":{},)"
           R"("f:targetPort":{}}},"f:selector":{},"f:sessionAffinity":{},)"
           R"("f:type":{}}}},{"manager":"porter-manager","operation":)"
           R"("Update","apiVersion":"v1","time":"2026-11-26T22:22:21Z",)"
           R"("fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{)"
           R"("f:finalizers":{".":{},)"
           R"("v:\"finalizer.lb.kubesphere.io/v1alpha1\"":{}}},)"
           R"("f:status":{"f:loadBalancer":{"f:ingress":{}}}},)"
           R"("subresource":"status"}]},)"
           R"("spec":{"ports":[{"name":"http","protocol":"TCP","port":80,)"
           R"("targetPort":8080,"nodePort":)"
         + std::to_string(30000 + i % 2000)
         + R"(},{"name":"https","protocol":"TCP","port":443,)"
           R"("targetPort":8443,"nodePort":)"
         + std::to_string(32000 + i % 700) + R"(}],"selector":{"app":")" + name
         + R"("},"clusterIP":")" + ip(10, i) + R"(","clusterIPs":[")"
         + ip(10, i)
         + R"("],"type":"LoadBalancer","sessionAffinity":"None",)"
           R"("externalTrafficPolicy":"Local","healthCheckNodePort":)"
         + std::to_string(31000 + i % 900)
         + R"(,"ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",)"
           R"("allocateLoadBalancerNodePorts":true,)"
           R"("internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{)"
           R"("ingress":[{"ip":")"
         + ip(192, i) + R"(","ipMode":"VIP"}]}}})";
}

std::string endpoint(int i, int e) {
  const int pod = i * 16 + e;
  return R"({"addresses":[")" + ip(10, 0x10000 + pod)
         + R"("],"conditions":{"ready":)" + (e % 7 == 6 ? "false" : "true")
         + R"(,"serving":true,"terminating":false},"nodeName":"node-)"
         + num(pod % 200, 3) + R"(","zone":"zone-)"
         + std::string(1, static_cast<char>('a' + pod % 3))
         + R"(","targetRef":{"kind":"Pod","namespace":"team-)" + num(i % 50, 2)
         + R"(","name":"svc-)" + num(i, 5) + "-7d9c-" + num(e, 5)
         + R"(","uid":")" + uid(pod, 3) + R"("}})";
}

std::string slice_item(int i) {
  const std::string svc = "svc-" + num(i, 5);
  std::string s = R"({"metadata":{"name":")" + svc
                  + R"(-x7k2p","namespace":"team-)" + num(i % 50, 2)
                  + R"(","uid":")" + uid(i, 2) + R"(","resourceVersion":")"
                  + std::to_string(200000 + i)
                  + R"(","generation":3,"creationTimestamp":)"
                    R"("2026-11-26T22:22:20Z","generateName":")"
                  + svc
                  + R"(-","labels":{"endpointslice.kubernetes.io/managed-by":)"
                    R"("endpointslice-controller.k8s.io",)"
                    R"("kubernetes.io/service-name":")"
                  + svc
                  + R"("},"annotations":{"endpoints.kubernetes.io/)"
                    R"(last-change-trigger-time":"2026-11-26T22:22:20Z"},)"
                    R"("ownerReferences":[{"apiVersion":"v1","kind":)"
                    R"("Service","name":")"
                  + svc + R"(","uid":")" + uid(i, 1)
                  + R"(","controller":true,"blockOwnerDeletion":true}],)"
                    R"("managedFields":[{"manager":)"
                    R"("kube-controller-manager","operation":"Update",)"
                    R"("apiVersion":"discovery.k8s.io/v1","time":)"
                    R"("2026-11-26T22:22:20Z","fieldsType":"FieldsV1",)"
                    R"("fieldsV1":{"f:addressType":{},"f:endpoints":{},)"
                    R"("f:metadata":{"f:labels":{".":{},)"
                    R"("f:kubernetes.io/service-name":{}}},"f:ports":{}}}]},)"
                    R"("addressType":"IPv4","endpoints":[)";
  const int n = 3 + i % 8;
  for (int e = 0; e < n; ++e) {
    if (e > 0)
      s += ',';
    s += endpoint(i, e);
  }
  s += R"(],"ports":[{"name":"http","protocol":"TCP","port":8080},)"
       R"({"name":"https","protocol":"TCP","port":8443}]})";
  return s;
}

std::string make_list(const char* kind, const char* api_version,
                      std::string (*item)(int)) {
  std::string s = std::string{R"({"kind":")"} + kind + R"(","apiVersion":")"
                  + api_version
                  + R"(","metadata":{"resourceVersion":"300000"},"items":[)";
  for (int i = 0; i < item_count; ++i) {
    if (i > 0)
      s += ',';
    s += item(i);
  }
  s += "]}";
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
    .count();
}

/// Parse + decode every item into `out`; false on any error. The body is
/// parsed in place, as the watcher does with the LIST body it owns.
template <class T>
bool decode_list(std::string& text, std::vector<T>& out) {
  auto doc = parse_json_insitu(text);
  if (!doc)
    return false;
  auto r = json_at{*doc}.for_each("items", [&](const json_at& item) {
    auto obj = decode<T>(item);
    if (!obj)
      return decoded<void>{tl::make_unexpected(obj.error())};
    out.push_back(std::move(*obj));
    return decoded<void>{};
  });
  if (!r)
    std::fprintf(stderr, "k8s_decode_bench: %s\n",
                 to_string(r.error()).c_str());
  return r.has_value() && out.size() == item_count;
}

/// Best MB/s of `runs` parse+decode runs.
template <class T>
double decode_rate(const std::string& text, bool& ok) {
  double best = 1e30;
  for (int run = 0; run < runs; ++run) {
    std::vector<T> out;
    out.reserve(item_count);
    std::string body = text; // the response body the watcher owns
    const auto t0 = std::chrono::steady_clock::now();
    ok = decode_list(body, out) && ok;
    best = std::min(best, seconds_since(t0));
  }
  return static_cast<double>(text.size()) / best / 1e6;
}

double dom_rate(const std::string& text) {
  double best = 1e30;
  for (int run = 0; run < runs; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    rapidjson::Document d;
    d.Parse(text.data(), text.size());
    if (d.HasParseError())
      return 0;
    best = std::min(best, seconds_since(t0));
  }
  return static_cast<double>(text.size()) / best / 1e6;
}

/// Heap bytes per cached Service plus the struct itself.
double service_bytes(const std::string& text, bool& ok) {
  std::vector<service> cache;
  cache.reserve(item_count);
  auto doc = parse_json(text);
  if (!doc) {
    ok = false;
    return 0;
  }
  const std::size_t before = live_bytes;
  auto r = json_at{*doc}.for_each("items", [&](const json_at& item) {
    auto s = decode<service>(item);
    if (!s)
      return decoded<void>{tl::make_unexpected(s.error())};
    cache.push_back(std::move(*s));
    return decoded<void>{};
  });
  const std::size_t after = live_bytes;
  ok = ok && r && cache.size() == item_count;
  return static_cast<double>(after - before) / item_count + sizeof(service);
}

void print(const char* name, double value, const char* unit) {
  std::printf("bench %s %.0f %s\n", name, value, unit);
}

} // namespace

int main() {
  const std::string services = make_list("ServiceList", "v1", service_item);
  const std::string slices
    = make_list("EndpointSliceList", "discovery.k8s.io/v1", slice_item);
  std::fprintf(stderr,
               "k8s_decode_bench: %d Services %.1f MB, %d EndpointSlices "
               "%.1f MB\n",
               item_count, static_cast<double>(services.size()) / 1e6,
               item_count, static_cast<double>(slices.size()) / 1e6);
  bool ok = true;
  print("k8s.decode.services", decode_rate<service>(services, ok), "MBps");
  print("k8s.decode.slices", decode_rate<endpoint_slice>(slices, ok), "MBps");
  print("k8s.cache.service_bytes", service_bytes(services, ok), "B");
  print("k8s.decode.services_rapidjson_dom", dom_rate(services), "MBps");
  print("k8s.decode.slices_rapidjson_dom", dom_rate(slices), "MBps");
  if (!ok) {
    std::fprintf(stderr, "k8s_decode_bench: a list did not decode\n");
    return 1;
  }
  return 0;
}
