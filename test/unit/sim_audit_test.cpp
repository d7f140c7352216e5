// The RBAC attributes of a request (k8s.io/apiserver requestinfo.go), one
// row per rule of NewRequestInfo, and the token file and audit line of
// `porter sim apiserver --token-auth-file/--audit-log`.
#include <gtest/gtest.h>

#include "sim/apiserver/audit.hpp"
#include "sim/apiserver/authn.hpp"

namespace porter::sim {
namespace {

struct verb_case {
  const char* rule;
  const char* method;
  const char* target;
  // verb group resource subresource namespace name, "-" for empty
  const char* want;
};

std::string fields(const request_attributes& r) {
  auto f = [](const std::string& s) { return s.empty() ? "-" : s; };
  return f(r.verb) + " " + f(r.group) + " " + f(r.resource) + " "
         + f(r.subresource) + " " + f(r.namespace_) + " " + f(r.name);
}

class SimRequestInfoRows : public ::testing::TestWithParam<verb_case> {};

TEST_P(SimRequestInfoRows, DerivesTheRbacAttributes) {
  const auto& c = GetParam();
  auto r = request_attributes_of(c.method, c.target);
  EXPECT_TRUE(r.resource_request) << c.rule;
  EXPECT_EQ(fields(r), c.want) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  SimAudit, SimRequestInfoRows,
  ::testing::Values(
    verb_case{"GET of a named object is get", "GET",
              "/api/v1/namespaces/default/services/web",
              "get - services - default web"},
    verb_case{"GET of a collection is list", "GET",
              "/api/v1/services?limit=500", "list - services - - -"},
    verb_case{"?watch=true on a collection is watch", "GET",
              "/apis/network.kubesphere.io/v1alpha2/eips?watch=true"
              "&resourceVersion=5",
              "watch network.kubesphere.io eips - - -"},
    verb_case{"watch=1 is watch (ParseBool spellings)", "GET",
              "/api/v1/nodes?watch=1", "watch - nodes - - -"},
    verb_case{"a bare ?watch is watch", "GET", "/api/v1/nodes?watch",
              "watch - nodes - - -"},
    verb_case{"watch=false is list", "GET", "/api/v1/nodes?watch=false",
              "list - nodes - - -"},
    verb_case{"the deprecated /watch/ path is watch", "GET",
              "/api/v1/watch/namespaces/default/services",
              "watch - services - default -"},
    verb_case{"fieldSelector metadata.name names the object of a list", "GET",
              "/apis/coordination.k8s.io/v1/namespaces/porter-system/leases"
              "?fieldSelector=metadata.name%3Dporter-manager",
              "list coordination.k8s.io leases - porter-system "
              "porter-manager"},
    verb_case{"... and of a watch", "GET",
              "/apis/coordination.k8s.io/v1/namespaces/porter-system/leases"
              "?watch=true&fieldSelector=metadata.name%3D%3Dporter-manager",
              "watch coordination.k8s.io leases - porter-system "
              "porter-manager"},
    verb_case{"another field selector names nothing", "GET",
              "/api/v1/services?fieldSelector=spec.type%3DLoadBalancer",
              "list - services - - -"},
    verb_case{"POST is create", "POST",
              "/apis/events.k8s.io/v1/namespaces/default/events",
              "create events.k8s.io events - default -"},
    verb_case{"PUT is update", "PUT",
              "/apis/coordination.k8s.io/v1/namespaces/porter-system/leases/"
              "porter-manager",
              "update coordination.k8s.io leases - porter-system "
              "porter-manager"},
    verb_case{"PATCH of /status is patch on the subresource", "PATCH",
              "/api/v1/namespaces/default/services/web/status",
              "patch - services status default web"},
    verb_case{"cluster-scoped status", "PATCH",
              "/apis/network.kubesphere.io/v1alpha2/eips/pool/status",
              "patch network.kubesphere.io eips status - pool"},
    verb_case{"DELETE of an object is delete", "DELETE",
              "/api/v1/namespaces/default/services/web",
              "delete - services - default web"},
    verb_case{"DELETE of a collection is deletecollection", "DELETE",
              "/api/v1/namespaces/default/services",
              "deletecollection - services - default -"},
    verb_case{"HEAD is get", "HEAD", "/api/v1/namespaces/default/pods/p",
              "get - pods - default p"},
    verb_case{"a namespace is its own namespace", "GET",
              "/api/v1/namespaces/porter-system",
              "get - namespaces - porter-system porter-system"},
    verb_case{"namespace status stays the namespace's subresource", "PUT",
              "/api/v1/namespaces/ns1/status",
              "update - namespaces status ns1 ns1"},
    verb_case{"listing namespaces", "GET", "/api/v1/namespaces",
              "list - namespaces - - -"}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(SimAudit, DiscoveryAndOtherPathsAreNonResourceRequests) {
  for (const char* path : {"/version", "/api", "/api/v1", "/apis", "/apis/apps",
                           "/apis/apps/v1", "/openapi/v3", "/healthz"}) {
    auto r = request_attributes_of("GET", path);
    EXPECT_FALSE(r.resource_request) << path;
    EXPECT_EQ(r.verb, "get") << path;
  }
  EXPECT_EQ(request_attributes_of("POST", "/api/v1/watch").verb, "post");
}

TEST(SimAudit, LineHasOneFieldPerAttribute) {
  auto r = request_attributes_of(
    "PATCH", "/apis/network.kubesphere.io/v1alpha2/bgppeers/tor/status");
  EXPECT_EQ(
    audit_line("system:serviceaccount:porter-system:porter-manager", r, 200),
    "system:serviceaccount:porter-system:porter-manager patch "
    "network.kubesphere.io bgppeers status - tor 200");
  EXPECT_EQ(audit_line("admin", request_attributes_of("GET", "/api/v1"), 200),
            "admin get - /api/v1 - - - 200");
  EXPECT_EQ(
    audit_line("admin", request_attributes_of("GET", "/api/v1/nodes"), 403),
    "admin list - nodes - - - 403");
}

TEST(SimAuthn, ParsesKubeApiserverTokenFiles) {
  auto users = parse_token_auth_file(
    "t1,system:serviceaccount:porter-system:porter-manager,u1\n"
    "\n"
    "t2, agent , u2,\"system:serviceaccounts,system:authenticated\"\r\n");
  ASSERT_TRUE(users) << users.error();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[1].name, "agent");
  EXPECT_EQ((*users)[1].groups,
            (std::vector<std::string>{"system:serviceaccounts",
                                      "system:authenticated"}));
  EXPECT_EQ(user_of(*users, "Bearer t2").value_or(""), "agent");
  EXPECT_FALSE(user_of(*users, "Bearer t3"));
  EXPECT_FALSE(user_of(*users, "Basic t1"));
}

TEST(SimAuthn, RejectsBrokenLinesNamingTheLine) {
  EXPECT_EQ(parse_token_auth_file("t1,user\n").error(),
            "line 1: want token,user,uid[,\"groups\"]");
  EXPECT_EQ(parse_token_auth_file("a,u,1\na,v,2\n").error(),
            "line 2: duplicate token");
  EXPECT_EQ(parse_token_auth_file(",u,1\n").error(),
            "line 1: empty token or user");
}

TEST(SimAuthn, TokenFlagFileAndAnonymous) {
  std::vector<token_user> users{{"t1", "manager", "1", {}}};
  EXPECT_EQ(authenticate("main", users, "Bearer main", "/api/v1/nodes"),
            std::string(token_flag_user));
  EXPECT_EQ(authenticate("main", users, "Bearer t1", "/api/v1/nodes"),
            "manager");
  EXPECT_FALSE(authenticate("main", users, "Bearer nope", "/api/v1/nodes"));
  EXPECT_FALSE(authenticate("", users, "", "/api/v1/nodes"));
  EXPECT_EQ(authenticate("main", users, "", "/version"), "system:anonymous");
  EXPECT_EQ(authenticate("", {}, "", "/api/v1/nodes"), "system:anonymous");
}

} // namespace
} // namespace porter::sim
