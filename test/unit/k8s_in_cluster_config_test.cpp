// The in-cluster configuration (rest.InClusterConfig, clientcmd
// inClusterClientConfig.Namespace) and the pieces it shares with kubeconfig
// parsing: server URLs and base64 (k8s/in_cluster_config.cpp); k8s-api.md
// §4.1, §4.3.
#include <gtest/gtest.h>

#include "k8s/kube_config.hpp"
#include "sim/apiserver/encoding.hpp"

namespace porter::k8s {
namespace {

std::string b64(std::string_view s) {
  return sim::base64_encode(s);
}

struct server_case {
  const char* url;
  const char* host; // nullptr: an error
  const char* port;
  bool tls;
};
// NOLINTNEXTLINE(readability-identifier-naming): the gtest printer hook.
void PrintTo(const server_case& c, std::ostream* os) {
  *os << c.url;
}

class ParseServer : public ::testing::TestWithParam<server_case> {};

TEST_P(ParseServer, HostPortAndScheme) {
  const auto& c = GetParam();
  auto a = parse_server(c.url);
  if (c.host == nullptr) {
    EXPECT_FALSE(a) << c.url;
    return;
  }
  ASSERT_TRUE(a) << c.url << ": " << a.error();
  EXPECT_EQ(a->host, c.host);
  EXPECT_EQ(a->port, c.port);
  EXPECT_EQ(a->tls, c.tls);
}

INSTANTIATE_TEST_SUITE_P(
  Rows, ParseServer,
  ::testing::Values(
    server_case{"https://10.0.0.1:6443", "10.0.0.1", "6443", true},
    server_case{"https://api.example", "api.example", "443", true},
    server_case{"http://127.0.0.1", "127.0.0.1", "80", false},
    server_case{"HTTPS://api.example/", "api.example", "443", true},
    server_case{"https://[::1]:6443", "::1", "6443", true},
    server_case{"https://[fd00:10::1]", "fd00:10::1", "443", true},
    server_case{"http://[2001:db8::1]:8080/", "2001:db8::1", "8080", false},
    server_case{"https://h:", "h", "443", true}, // Go: empty port allowed
    server_case{"https://::1:6443", nullptr, "", true},
    server_case{"ftp://h", nullptr, "", true},
    server_case{"https://h/k8s/clusters/c-1", nullptr, "", true},
    server_case{"https://h?x=1", nullptr, "", true},
    server_case{"https://user:pw@h", nullptr, "", true},
    server_case{"https://h:0", nullptr, "", true},
    server_case{"https://h:65536", nullptr, "", true},
    server_case{"https://h:https", nullptr, "", true},
    server_case{"https://:6443", nullptr, "", true},
    server_case{"https://[::1", nullptr, "", true},
    server_case{"https://[h]:1", nullptr, "", true},
    server_case{"https://a b", nullptr, "", true}));

TEST(KubeConfig, DecodeBase64AsGoStdEncoding) {
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("YQ=="), "a");
  EXPECT_EQ(decode_base64("YWI="), "ab");
  EXPECT_EQ(decode_base64("YWJj"), "abc");
  EXPECT_EQ(decode_base64("YWJj\r\nZA=="), "abcd"); // CR/LF skipped
  EXPECT_EQ(decode_base64("+/+/"), "\xfb\xff\xbf");
  for (const char* bad :
       {"YQ", "YQ=", "Y===", "YQ==YQ==", "YW=j", "YW J", "YWJj-_==", "===="})
    EXPECT_FALSE(decode_base64(bad)) << bad;
  // Round trip against the emulator's encoder, every byte value.
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  for (std::size_t n = 0; n < 5; ++n)
    EXPECT_EQ(decode_base64(b64(all.substr(n))), all.substr(n));
}

struct namespace_case {
  const char* rule;
  std::optional<std::string> env;
  std::optional<std::string> file;
  const char* want;
};
// NOLINTNEXTLINE(readability-identifier-naming): the gtest printer hook.
void PrintTo(const namespace_case& c, std::ostream* os) {
  *os << c.rule;
}

class InClusterNamespace : public ::testing::TestWithParam<namespace_case> {};

TEST_P(InClusterNamespace, Precedence) {
  const auto& c = GetParam();
  auto r = in_cluster_config("10.96.0.1", "443", c.env, c.file);
  ASSERT_TRUE(r) << to_string(r.error());
  EXPECT_EQ(r->namespace_, c.want) << c.rule;
}

// clientcmd inClusterClientConfig.Namespace (k8s-api.md §4.1).
INSTANTIATE_TEST_SUITE_P(
  Rows, InClusterNamespace,
  ::testing::Values(
    namespace_case{"POD_NAMESPACE first", "from-env", "from-file", "from-env"},
    namespace_case{"empty POD_NAMESPACE is unset", "", "ns\n", "ns"},
    namespace_case{"the file, trimmed", std::nullopt, " \tns-1 \n", "ns-1"},
    namespace_case{"a blank file counts as none", std::nullopt, " \n",
                   "default"},
    namespace_case{"else default", std::nullopt, std::nullopt, "default"}));

TEST(InCluster, HostPortTokenFileAndSource) {
  // rest.InClusterConfig: "https://" + net.JoinHostPort(host, port).
  auto r = in_cluster_config("10.96.0.1", "443", std::nullopt, std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->host, "10.96.0.1");
  EXPECT_EQ(r->port, "443");
  EXPECT_TRUE(r->tls);
  EXPECT_EQ(r->token_file,
            "/var/run/secrets/kubernetes.io/serviceaccount/token");
  EXPECT_EQ(r->source, "in-cluster");
  auto v6 = in_cluster_config("fd00:10:96::1", "6443", {}, {}, "/tmp/sa");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "fd00:10:96::1"); // brackets are the URL's business
  EXPECT_EQ(v6->token_file, "/tmp/sa/token");
  EXPECT_EQ(in_cluster_config("[fd00::1]", "443", {}, {})->host, "fd00::1");
}

TEST(InCluster, MissingOrBadEnvironmentIsAnError) {
  // rest.InClusterConfig: ErrNotInCluster unless both are set.
  auto no_host = in_cluster_config("", "443", {}, {});
  ASSERT_FALSE(no_host);
  EXPECT_EQ(to_string(no_host.error()),
            "in-cluster config: KUBERNETES_SERVICE_HOST and "
            "KUBERNETES_SERVICE_PORT must both be set");
  EXPECT_FALSE(in_cluster_config("10.96.0.1", "", {}, {}));
  auto bad_port = in_cluster_config("10.96.0.1", "https", {}, {});
  ASSERT_FALSE(bad_port);
  EXPECT_EQ(to_string(bad_port.error()),
            "in-cluster config: KUBERNETES_SERVICE_PORT \"https\" is not a "
            "port number");
}

} // namespace
} // namespace porter::k8s
