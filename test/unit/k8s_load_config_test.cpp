// Loading the client configuration from files and the environment, in
// controller-runtime's GetConfig order (--kubeconfig, KUBECONFIG,
// in-cluster, ~/.kube/config), with rest.InClusterConfig's service-account
// files (k8s-api.md §4). Every test works in its own temporary directory.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "k8s/io/load_config.hpp"

namespace porter::k8s::io {
namespace {

namespace fs = std::filesystem;

const std::string ca_pem
  = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";

std::string kubeconfig(const std::string& server,
                       const std::string& cluster_extra = "",
                       const std::string& user = "{}") {
  return "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, "
         "user: u}\nclusters:\n- name: c\n  cluster:\n    server: "
         + server + "\n" + cluster_extra + "users:\n- name: u\n  user: " + user
         + "\n";
}

class LoadConfig : public ::testing::Test {
protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "porter-cfg-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    options_.env = [this](const std::string& name) {
      auto it = env_.find(name);
      return it == env_.end() ? std::nullopt
                              : std::optional<std::string>(it->second);
    };
    options_.service_account_dir = dir_ + "/sa";
    options_.warn = [this](const std::string& w) { warnings_.push_back(w); };
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Writes `text` to `name` under the test directory; returns the path.
  std::string write(const std::string& name, const std::string& text) {
    auto path = fs::path(dir_) / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  std::string load_error() {
    auto r = load_client_config(options_);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error();
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
  load_options options_;
  std::vector<std::string> warnings_;
};

TEST_F(LoadConfig, KubeconfigFlagWinsOverKubeconfigEnv) {
  auto a = write("a.yaml", kubeconfig("https://flag:6443"));
  env_["KUBECONFIG"] = write("b.yaml", kubeconfig("https://env:6443"));
  env_["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
  env_["KUBERNETES_SERVICE_PORT"] = "443";
  options_.kubeconfig = a;
  auto r = load_client_config(options_);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->host, "flag");
  EXPECT_EQ(r->source, "kubeconfig " + a + " (context x)");
  options_.kubeconfig.clear(); // then KUBECONFIG, still before in-cluster
  EXPECT_EQ(load_client_config(options_)->host, "env");
}

TEST_F(LoadConfig, KubeconfigFlagMustExist) {
  options_.kubeconfig = dir_ + "/nope";
  EXPECT_EQ(load_error(),
            "kubeconfig " + dir_ + "/nope: No such file or directory");
}

TEST_F(LoadConfig, KubeconfigEnvListMergesAndSkipsMissingFiles) {
  // clientcmd: KUBECONFIG is ':'-separated; missing files are skipped.
  auto first = write("one/config", "current-context: x\n");
  auto second = write("two/config", kubeconfig("https://second"));
  env_["KUBECONFIG"] = dir_ + "/missing::" + first + ":" + second;
  auto r = load_client_config(options_);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->host, "second");
  EXPECT_EQ(r->source, "kubeconfig " + first + ":" + second + " (context x)");
}

TEST_F(LoadConfig, KubeconfigEnvWithNoExistingFileIsAnError) {
  env_["KUBECONFIG"] = dir_ + "/a:" + dir_ + "/b";
  EXPECT_EQ(load_error(), "KUBECONFIG=" + dir_ + "/a:" + dir_
                            + "/b: none of its files exist");
}

TEST_F(LoadConfig, ReadsReferencedFilesRelativeToTheKubeconfig) {
  write("k/pki/ca.crt", ca_pem);
  write("k/cert.pem", "-----BEGIN CERTIFICATE-----\ncert\n");
  write("k/key.pem", "-----BEGIN PRIVATE KEY-----\nkey\n");
  write("k/token", "  secret-token\n");
  options_.kubeconfig
    = write("k/config",
            kubeconfig("https://h", "    certificate-authority: pki/ca.crt\n",
                       "{client-certificate: cert.pem, client-key: "
                       "key.pem, tokenFile: token}"));
  auto r = load_client_config(options_);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->ca_pem, ca_pem);
  EXPECT_EQ(r->client_cert_pem, "-----BEGIN CERTIFICATE-----\ncert\n");
  EXPECT_EQ(r->client_key_pem, "-----BEGIN PRIVATE KEY-----\nkey\n");
  EXPECT_EQ(r->token, "secret-token"); // first read at load, trimmed
  EXPECT_EQ(r->token_file, dir_ + "/k/token");
}

TEST_F(LoadConfig, MissingCaFileNamesTheFileAndTheField) {
  auto config = write(
    "k/config", kubeconfig("https://h", "    certificate-authority: ca.crt\n"));
  options_.kubeconfig = config;
  EXPECT_EQ(load_error(), "kubeconfig " + config
                            + ": cluster \"c\" certificate-authority " + dir_
                            + "/k/ca.crt: No such file or directory");
  write("k/ca.crt", "not a certificate");
  EXPECT_EQ(load_error(), "kubeconfig " + config
                            + ": cluster \"c\" certificate-authority " + dir_
                            + "/k/ca.crt: not PEM (no \"-----BEGIN\" line)");
}

TEST_F(LoadConfig, MissingTokenFileNamesTheField) {
  auto config = write(
    "k/config", kubeconfig("https://h", "", "{tokenFile: /nonexistent/t}"));
  options_.kubeconfig = config;
  EXPECT_EQ(load_error(), "kubeconfig " + config
                            + ": user \"u\" tokenFile /nonexistent/t: No such "
                              "file or directory");
}

TEST_F(LoadConfig, WarningsReachTheCaller) {
  options_.kubeconfig = write(
    "config", kubeconfig("https://h", "", "{token: t, auth-provider: {}}"));
  ASSERT_TRUE(load_client_config(options_));
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0],
            "user \"u\": unsupported authentication (auth-provider) ignored");
}

TEST_F(LoadConfig, InClusterWithAFakeServiceAccountDirectory) {
  // rest.InClusterConfig: host and port from the environment, CA and token
  // from the service-account directory.
  write("sa/ca.crt", ca_pem);
  write("sa/token", "eyJhbGci.token\n");
  write("sa/namespace", "porter-system\n");
  env_["KUBERNETES_SERVICE_HOST"] = "fd00:10:96::1";
  env_["KUBERNETES_SERVICE_PORT"] = "443";
  auto r = load_client_config(options_);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->host, "fd00:10:96::1");
  EXPECT_EQ(r->port, "443");
  EXPECT_TRUE(r->tls);
  EXPECT_EQ(r->ca_pem, ca_pem);
  EXPECT_EQ(r->token, "eyJhbGci.token");
  EXPECT_EQ(r->token_file, dir_ + "/sa/token");
  EXPECT_EQ(r->namespace_, "porter-system");
  EXPECT_EQ(r->source, "in-cluster");
  env_["POD_NAMESPACE"] = "from-env"; // clientcmd: POD_NAMESPACE first
  EXPECT_EQ(load_client_config(options_)->namespace_, "from-env");
  fs::remove(dir_ + "/sa/ca.crt");
  EXPECT_EQ(load_error(), "in-cluster config: CA file " + dir_
                            + "/sa/ca.crt: No such file or directory");
}

TEST_F(LoadConfig, InClusterWithoutTokenIsAnError) {
  write("sa/ca.crt", ca_pem);
  env_["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
  env_["KUBERNETES_SERVICE_PORT"] = "443";
  EXPECT_EQ(load_error(), "in-cluster config: token file " + dir_
                            + "/sa/token: No such file or directory");
}

TEST_F(LoadConfig, HomeKubeconfigIsTheLastResort) {
  env_["HOME"] = dir_;
  EXPECT_EQ(load_error(), "no Kubernetes configuration: pass --kubeconfig, "
                          "set KUBECONFIG, or run in a pod");
  write(".kube/config", kubeconfig("https://home"));
  auto r = load_client_config(options_);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->host, "home");
  // controller-runtime: in-cluster comes before ~/.kube/config, but a
  // --context only makes sense for a kubeconfig.
  write("sa/ca.crt", ca_pem);
  write("sa/token", "t");
  env_["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
  env_["KUBERNETES_SERVICE_PORT"] = "443";
  EXPECT_EQ(load_client_config(options_)->source, "in-cluster");
  options_.context = "x";
  EXPECT_EQ(load_client_config(options_)->host, "home");
}

TEST_F(LoadConfig, ReadTokenFileTrimsAndNamesTheFile) {
  // client-go fileTokenSource: strings.TrimSpace; empty is an error.
  EXPECT_EQ(read_token_file(write("t1", "abc\n")), "abc");
  EXPECT_EQ(read_token_file(write("t2", " \tabc \r\n\n")), "abc");
  auto empty = read_token_file(write("t3", "\n"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error(), "token file " + dir_ + "/t3: empty token");
  auto missing = read_token_file(dir_ + "/t4");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(),
            "token file " + dir_ + "/t4: No such file or directory");
  auto directory = read_token_file(dir_);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error(), "token file " + dir_ + ": Is a directory");
}

} // namespace
} // namespace porter::k8s::io
