// kubeconfig parsing, merging and resolution (client-go
// tools/clientcmd/api/v1 types.go, clientcmd loader.go and validation.go)
// and the in-cluster config (rest.InClusterConfig); k8s-api.md §4.
#include <gtest/gtest.h>

#include "k8s/kube_config.hpp"
#include "sim/apiserver/encoding.hpp"
#include "sim/apiserver/kubeconfig.hpp"

namespace porter::k8s {
namespace {

const std::string ca_pem
  = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
const std::string cert_pem
  = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
const std::string key_pem
  = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n";

std::string b64(std::string_view s) {
  return sim::base64_encode(s);
}

/// Two clusters, two users, two contexts; `prod` is current.
const std::string two_contexts = R"(apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: c-prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: )"
                                 + b64(ca_pem) + R"(
- name: c-dev
  cluster:
    server: https://dev.example
    insecure-skip-tls-verify: true
    tls-server-name: kubernetes.default.svc
users:
- name: admin
  user:
    client-certificate-data: )" + b64(cert_pem)
                                 + R"(
    client-key-data: )" + b64(key_pem)
                                 + R"(
- name: dev
  user:
    token: abc123
contexts:
- name: prod
  context: {cluster: c-prod, user: admin, namespace: openelb-system}
- name: dev
  context: {cluster: c-dev, user: dev}
)";

resolved_kubeconfig parse_ok(const std::vector<kubeconfig_file>& files,
                             std::string_view context = {}) {
  auto r = parse_kubeconfig(files, context);
  EXPECT_TRUE(r) << to_string(r.error());
  return r ? *r : resolved_kubeconfig{};
}

TEST(KubeConfig, CurrentContextSelectsClusterUserAndNamespace) {
  auto r = parse_ok({{"/home/u/.kube/config", two_contexts}});
  EXPECT_EQ(r.context, "prod");
  const auto& c = r.config;
  EXPECT_EQ(c.host, "10.0.0.1");
  EXPECT_EQ(c.port, "6443");
  EXPECT_TRUE(c.tls);
  EXPECT_EQ(c.ca_pem, ca_pem); // certificate-authority-data, base64-decoded
  EXPECT_EQ(c.client_cert_pem, cert_pem);
  EXPECT_EQ(c.client_key_pem, key_pem);
  EXPECT_EQ(c.namespace_, "openelb-system");
  EXPECT_FALSE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.source, "kubeconfig /home/u/.kube/config (context prod)");
  EXPECT_FALSE(r.ca_file || r.client_cert_file || r.client_key_file);
}

TEST(KubeConfig, ContextOverrideWinsOverCurrentContext) {
  // clientcmd ConfirmUsable: a passed context name replaces current-context.
  auto r = parse_ok({{"/k", two_contexts}}, "dev");
  const auto& c = r.config;
  EXPECT_EQ(c.host, "dev.example");
  EXPECT_EQ(c.port, "443"); // https without a port
  EXPECT_TRUE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.tls_server_name, "kubernetes.default.svc");
  EXPECT_EQ(c.token, "abc123");
  EXPECT_TRUE(c.ca_pem.empty());
  EXPECT_EQ(c.namespace_, "default"); // context without namespace
}

TEST(KubeConfig, MergesFilesFirstDefinitionWins) {
  // clientcmd loader.go Load: "the first file to set CurrentContext wins",
  // and map entries by name keep the first file's definition, whole.
  std::string first = R"(current-context: a
clusters:
- name: shared
  cluster: {server: "https://first:1111"}
contexts:
- name: a
  context: {cluster: shared, user: u}
)";
  std::string second = R"(current-context: b
clusters:
- name: shared
  cluster: {server: "https://second:2222", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: from-second}
contexts:
- name: b
  context: {cluster: shared, user: u, namespace: other}
)";
  auto r = parse_ok({{"/1/config", first}, {"/2/config", second}});
  EXPECT_EQ(r.context, "a");
  EXPECT_EQ(r.config.host, "first");
  EXPECT_FALSE(r.config.insecure_skip_tls_verify); // no field-level merge
  EXPECT_EQ(r.config.token, "from-second");
  EXPECT_EQ(r.config.source, "kubeconfig /1/config:/2/config (context a)");
  // A context only the second file defines still sees the first cluster.
  auto b = parse_ok({{"/1/config", first}, {"/2/config", second}}, "b");
  EXPECT_EQ(b.config.port, "1111");
  EXPECT_EQ(b.config.namespace_, "other");
  // An empty first file leaves current-context to the next one.
  EXPECT_EQ(parse_ok({{"/0", ""}, {"/2/config", second}}).context, "b");
}

TEST(KubeConfig, RelativePathsResolveAgainstTheDefiningFile) {
  // clientcmd ResolveLocalPaths: relative to the kubeconfig's directory.
  std::string first = R"(current-context: x
contexts:
- name: x
  context: {cluster: c, user: u}
clusters:
- name: c
  cluster: {server: "https://h", certificate-authority: pki/ca.crt}
)";
  std::string second = R"(users:
- name: u
  user:
    client-certificate: /abs/cert.pem
    client-key: key.pem
    tokenFile: ../token
)";
  auto r = parse_ok({{"/etc/kube/config", first}, {"/srv/k/more", second}});
  ASSERT_TRUE(r.ca_file && r.client_cert_file && r.client_key_file);
  EXPECT_EQ(r.ca_file->path, "/etc/kube/pki/ca.crt");
  EXPECT_EQ(r.ca_file->field, "certificate-authority");
  EXPECT_EQ(r.ca_file->owner, "cluster \"c\"");
  EXPECT_EQ(r.ca_file->kubeconfig, "/etc/kube/config");
  EXPECT_EQ(r.client_cert_file->path, "/abs/cert.pem");
  EXPECT_EQ(r.client_key_file->path, "/srv/k/key.pem");
  EXPECT_EQ(r.client_key_file->kubeconfig, "/srv/k/more");
  ASSERT_TRUE(r.token_file);
  EXPECT_EQ(r.token_file->path, "/srv/k/../token");
  EXPECT_EQ(r.config.token_file, "/srv/k/../token");
  // A kubeconfig named without a directory: paths stay relative to cwd.
  EXPECT_EQ(parse_ok({{"config", first}, {"more", second}}).ca_file->path,
            "pki/ca.crt");
}

TEST(KubeConfig, TokenAndTokenFileBothKept) {
  // transport.Config: the token file, once read, takes precedence.
  auto r = parse_ok({{"/k", R"(current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://h:1"}}]
users: [{name: u, user: {token: "t0", tokenFile: /run/tok}}]
)"}});
  EXPECT_EQ(r.config.token, "t0");
  EXPECT_EQ(r.config.token_file, "/run/tok");
}

TEST(KubeConfig, HttpServerGetsNoCredentials) {
  // k8s-api.md §4.3, clientcmd: "only try to read the auth information if
  // we are secure".
  auto r = parse_ok({{"/k", R"(current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "http://127.0.0.1:18080"}}]
users: [{name: u, user: {token: abc123, client-certificate: c, client-key: k}}]
)"}});
  EXPECT_FALSE(r.config.tls);
  EXPECT_EQ(r.config.port, "18080");
  EXPECT_TRUE(r.config.token.empty());
  EXPECT_FALSE(r.client_cert_file || r.client_key_file);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "user \"u\": credentials not sent to http://");
  // Nothing is sent, so an unsupported method is no error either.
  auto exec = parse_ok({{"/k", R"(current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "http://h"}}]
users: [{name: u, user: {exec: {command: aws}}}]
)"}});
  EXPECT_EQ(exec.warnings.size(), 1u);
}

TEST(KubeConfig, UnsupportedAuthNextToATokenIsAWarning) {
  auto r = parse_ok({{"/k", R"(current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://h"}}]
users: [{name: u, user: {token: t, exec: {command: aws}}}]
)"}});
  EXPECT_EQ(r.config.token, "t");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "user \"u\": unsupported authentication (exec) ignored");
}

/// A minimal kubeconfig with `cluster` and `user` bodies spliced in.
std::string with(const std::string& cluster, const std::string& user,
                 const std::string& context = "{cluster: c, user: u}") {
  return "current-context: x\ncontexts:\n- name: x\n  context: " + context
         + "\nclusters:\n- name: c\n  cluster: " + cluster
         + "\nusers:\n- name: u\n  user: " + user + "\n";
}

struct error_case {
  const char* rule;
  std::string text;
  std::string error; // to_string of the config_error
};
// NOLINTNEXTLINE(readability-identifier-naming): the gtest printer hook.
void PrintTo(const error_case& c, std::ostream* os) {
  *os << c.rule;
}

class KubeConfigError : public ::testing::TestWithParam<error_case> {};

TEST_P(KubeConfigError, NamesFileEntryAndField) {
  auto r = parse_kubeconfig({{"/k/config", GetParam().text}});
  ASSERT_FALSE(r) << GetParam().rule;
  EXPECT_EQ(to_string(r.error()), GetParam().error) << GetParam().rule;
}

const std::string ok_cluster = "{server: \"https://h\"}";
const std::string ca_data = b64(ca_pem);

INSTANTIATE_TEST_SUITE_P(
  Rows, KubeConfigError,
  ::testing::Values(
    error_case{"validateClusterInfo: no server found for cluster",
               with("{certificate-authority-data: " + ca_data + "}", "{}"),
               "kubeconfig /k/config: cluster \"c\": server is required"},
    error_case{"ConfirmUsable: errContextNotFound",
               "current-context: y\n" + with(ok_cluster, "{}").substr(19),
               "kubeconfig /k/config: context \"y\" not found"},
    error_case{"ConfirmUsable: ErrNoContext", "clusters: []\n",
               "kubeconfig /k/config: current-context is not set and no "
               "context was given"},
    error_case{"validateContext: cluster was not found for context",
               with(ok_cluster, "{}", "{cluster: nope, user: u}"),
               "kubeconfig /k/config: context \"x\": cluster \"nope\" not "
               "found"},
    error_case{"validateContext: user was not found for context",
               with(ok_cluster, "{}", "{cluster: c, user: nope}"),
               "kubeconfig /k/config: context \"x\": user \"nope\" not found"},
    error_case{"validateContext: cluster was not specified",
               with(ok_cluster, "{}", "{user: u}"),
               "kubeconfig /k/config: context \"x\": cluster is required"},
    error_case{"validateContext: namespace must be a DNS-1123 label",
               with(ok_cluster, "{}", "{cluster: c, user: u, namespace: A_b}"),
               "kubeconfig /k/config: context \"x\": namespace \"A_b\" is "
               "not a DNS-1123 label"},
    error_case{"[]byte fields are base64 (encoding/json)",
               with("{server: \"https://h\", certificate-authority-data: "
                    "\"not base64!\"}",
                    "{}"),
               "kubeconfig /k/config: cluster \"c\": "
               "certificate-authority-data is not valid base64"},
    error_case{"x509 AppendCertsFromPEM needs PEM",
               with(ok_cluster, "{client-certificate-data: " + b64("DER")
                                  + ", client-key-data: " + b64(key_pem) + "}"),
               "kubeconfig /k/config: user \"u\": client-certificate-data "
               "is not PEM (no \"-----BEGIN\" line)"},
    error_case{"validateAuthInfo: client-key must be specified",
               with(ok_cluster, "{client-certificate: c.pem}"),
               "kubeconfig /k/config: user \"u\": client-certificate is set "
               "but client-key is not"},
    error_case{"a key alone authenticates nothing",
               with(ok_cluster, "{client-key-data: " + b64(key_pem) + "}"),
               "kubeconfig /k/config: user \"u\": client-key is set but "
               "client-certificate is not"},
    error_case{"validateClusterInfo: CA data and CA file both specified",
               with("{server: \"https://h\", certificate-authority: ca, "
                    "certificate-authority-data: "
                      + ca_data + "}",
                    "{}"),
               "kubeconfig /k/config: cluster \"c\": certificate-authority "
               "and certificate-authority-data are both set"},
    error_case{"transport.TLSConfigFor: CA with the insecure flag",
               with("{server: \"https://h\", insecure-skip-tls-verify: true, "
                    "certificate-authority: ca}",
                    "{}"),
               "kubeconfig /k/config: cluster \"c\": insecure-skip-tls-verify "
               "and a certificate authority are both set"},
    error_case{"exec plugins are not implemented",
               with(ok_cluster, "{exec: {command: gke-gcloud-auth-plugin}}"),
               "kubeconfig /k/config: user \"u\": unsupported authentication "
               "(exec); use client-certificate and client-key, token or "
               "tokenFile"},
    error_case{"impersonation changes who we are: never ignored",
               with(ok_cluster, "{token: t, as: admin}"),
               "kubeconfig /k/config: user \"u\": impersonation (as, "
               "as-groups) is not supported"},
    error_case{
      "proxies are not implemented",
      with("{server: \"https://h\", proxy-url: \"http://p:3128\"}", "{}"),
      "kubeconfig /k/config: cluster \"c\": proxy-url is not "
      "supported"},
    error_case{"server must be https:// or http://",
               with("{server: \"10.0.0.1:6443\"}", "{}"),
               "kubeconfig /k/config: cluster \"c\": server \"10.0.0.1:6443\": "
               "want https://host[:port] or http://host[:port]"},
    error_case{"v1 conversion: duplicate name in list",
               with(ok_cluster, "{}") + "- name: u\n  user: {}\n",
               "kubeconfig /k/config: users: duplicate name \"u\""},
    error_case{"insecure-skip-tls-verify is a bool",
               with("{server: \"https://h\", insecure-skip-tls-verify: "
                    "maybe}",
                    "{}"),
               "kubeconfig /k/config: cluster \"c\": insecure-skip-tls-verify "
               "must be true or false"},
    error_case{"server is a string", with("{server: [a]}", "{}"),
               "kubeconfig /k/config: cluster \"c\": server must be a string"},
    error_case{"top level is a map", "- a\n- b\n",
               "kubeconfig /k/config: not a kubeconfig (the top level must "
               "be a map)"},
    error_case{"YAML syntax", "clusters: [\n",
               "kubeconfig /k/config: not valid YAML: line 2: end of sequence "
               "flow not found"}));

TEST(KubeConfig, ErrorsNameTheFileThatDefinedTheEntry) {
  std::string ctx = "current-context: x\ncontexts:\n- name: x\n  context: "
                    "{cluster: c, user: u}\nusers: [{name: u, user: {}}]\n";
  std::string cluster = "clusters: [{name: c, cluster: {server: \"\"}}]\n";
  auto r = parse_kubeconfig({{"/a", ctx}, {"/b", cluster}});
  ASSERT_FALSE(r);
  EXPECT_EQ(to_string(r.error()),
            "kubeconfig /b: cluster \"c\": server is required");
  auto missing = parse_kubeconfig({{"/a", ctx}, {"/b", cluster}}, "zz");
  ASSERT_FALSE(missing);
  EXPECT_EQ(to_string(missing.error()),
            "kubeconfig /a:/b: context \"zz\" not found");
}

TEST(KubeConfig, ParsesTheEmulatorsKubeconfig) {
  // sim/apiserver/kubeconfig.cpp make_kubeconfig: CA inlined, a quoted
  // token, one current context.
  sim::kubeconfig_params p;
  p.server = "https://127.0.0.1:6443";
  p.ca_pem = ca_pem;
  p.token = "tok\"en\\x:#y";
  p.namespace_ = "porter-system";
  auto r = parse_ok({{"/tmp/sim.kubeconfig", sim::make_kubeconfig(p)}});
  EXPECT_EQ(r.context, "porter-sim");
  EXPECT_EQ(r.config.host, "127.0.0.1");
  EXPECT_EQ(r.config.port, "6443");
  EXPECT_EQ(r.config.ca_pem, ca_pem);
  EXPECT_EQ(r.config.token, p.token);
  EXPECT_EQ(r.config.namespace_, "porter-system");
  // Plain http without credentials: the user is `{}`.
  sim::kubeconfig_params plain;
  plain.server = "http://[::1]:18080";
  auto h = parse_ok({{"/tmp/plain", sim::make_kubeconfig(plain)}});
  EXPECT_FALSE(h.config.tls);
  EXPECT_EQ(h.config.host, "::1");
  EXPECT_TRUE(h.warnings.empty());
}

} // namespace
} // namespace porter::k8s
