// The built-in resources served by the emulator, with the discovery fields
// (short names, categories, scope) of kube-apiserver 1.32 and the registry
// strategy switches of their real stores (k8s-api.md §2.2, §2.4, §5.3).
// The workload, RBAC and policy kinds are stored only (no controller makes
// pods or judges requests), so that porter's manifests apply (issue #12).
#include <array>
#include <tuple>

#include "sim/apiserver/registry.hpp"

namespace porter::sim {

namespace {

const std::vector<std::string> all_verbs
  = {"create", "delete", "deletecollection", "get",
     "list",   "patch",  "update",           "watch"};

resource_info make(std::string group, std::string version, std::string resource,
                   std::string kind, std::string singular, bool namespaced,
                   printer_kind p) {
  resource_info r;
  r.group = std::move(group);
  r.version = std::move(version);
  r.resource = std::move(resource);
  r.kind = std::move(kind);
  r.singular = std::move(singular);
  r.namespaced = namespaced;
  r.verbs = all_verbs;
  r.printer = p;
  return r;
}

void add_core(std::vector<resource_info>& out) {
  auto ns = make("", "v1", "namespaces", "Namespace", "namespace", false,
                 printer_kind::namespace_);
  ns.short_names = {"ns"};
  ns.has_status = true;
  ns.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
  out.push_back(ns);
  auto node
    = make("", "v1", "nodes", "Node", "node", false, printer_kind::node);
  node.short_names = {"no"};
  node.has_status = true;
  out.push_back(node);
  auto svc = make("", "v1", "services", "Service", "service", true,
                  printer_kind::service);
  svc.short_names = {"svc"};
  svc.categories = {"all"};
  svc.has_status = true;
  out.push_back(svc);
  auto ep = make("", "v1", "endpoints", "Endpoints", "endpoints", true,
                 printer_kind::endpoints);
  ep.short_names = {"ep"};
  out.push_back(ep);
  auto pod = make("", "v1", "pods", "Pod", "pod", true, printer_kind::pod);
  pod.short_names = {"po"};
  pod.categories = {"all"};
  pod.has_status = true;
  out.push_back(pod);
  auto cm = make("", "v1", "configmaps", "ConfigMap", "configmap", true,
                 printer_kind::config_map);
  cm.short_names = {"cm"};
  out.push_back(cm);
  out.push_back(
    make("", "v1", "secrets", "Secret", "secret", true, printer_kind::secret));
  auto ev
    = make("", "v1", "events", "Event", "event", true, printer_kind::event);
  ev.short_names = {"ev"};
  out.push_back(ev);
  auto sa = make("", "v1", "serviceaccounts", "ServiceAccount",
                 "serviceaccount", true, printer_kind::generic);
  sa.short_names = {"sa"};
  out.push_back(sa);
}

// apps/v1, policy/v1, rbac.authorization.k8s.io/v1: what the manifests use.
void add_stored_only(std::vector<resource_info>& out) {
  for (auto [resource, kind, singular, short_name] :
       {std::array<const char*, 4>{"deployments", "Deployment", "deployment",
                                   "deploy"},
        std::array<const char*, 4>{"daemonsets", "DaemonSet", "daemonset",
                                   "ds"}}) {
    auto r = make("apps", "v1", resource, kind, singular, true,
                  printer_kind::generic);
    r.short_names = {short_name};
    r.categories = {"all"};
    r.has_status = true;
    r.tracks_generation = true;
    out.push_back(r);
  }
  auto pdb = make("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget",
                  "poddisruptionbudget", true, printer_kind::generic);
  pdb.short_names = {"pdb"};
  pdb.has_status = true;
  pdb.tracks_generation = true;
  out.push_back(pdb);
  for (auto [resource, kind, singular, namespaced] :
       {std::tuple<const char*, const char*, const char*, bool>{
          "clusterroles", "ClusterRole", "clusterrole", false},
        {"clusterrolebindings", "ClusterRoleBinding", "clusterrolebinding",
         false},
        {"roles", "Role", "role", true},
        {"rolebindings", "RoleBinding", "rolebinding", true}})
    out.push_back(make("rbac.authorization.k8s.io", "v1", resource, kind,
                       singular, namespaced, printer_kind::generic));
}

void add_groups(std::vector<resource_info>& out) {
  auto crd = make("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                  "CustomResourceDefinition", "customresourcedefinition", false,
                  printer_kind::crd);
  crd.short_names = {"crd", "crds"};
  crd.categories = {"api-extensions"};
  crd.has_status = true;
  crd.tracks_generation = true;
  out.push_back(crd);
  // LeaseStrategy.AllowUnconditionalUpdate() is false (k8s-api.md §2.2).
  auto lease = make("coordination.k8s.io", "v1", "leases", "Lease", "lease",
                    true, printer_kind::lease);
  lease.allow_unconditional_update = false;
  out.push_back(lease);
  out.push_back(make("discovery.k8s.io", "v1", "endpointslices",
                     "EndpointSlice", "endpointslice", true,
                     printer_kind::endpoint_slice));
  auto ev = make("events.k8s.io", "v1", "events", "Event", "event", true,
                 printer_kind::events_v1);
  ev.short_names = {"ev"};
  out.push_back(ev);
}

} // namespace

std::vector<resource_info> builtin_resources() {
  std::vector<resource_info> out;
  add_core(out);
  add_groups(out);
  add_stored_only(out);
  return out;
}

} // namespace porter::sim
