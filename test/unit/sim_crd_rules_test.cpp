// porter's CRDs (config/crd/) in the emulator: every schema bound and CEL
// rule (x-kubernetes-validations) with values it accepts and refuses, the
// 422 text kube-apiserver gives; OpenELB's objects accepted as they are;
// then the rule engine's Kubernetes semantics on a test CRD: transition
// rules, ratcheting, blocking schema errors, rules that do not compile.
#include <fstream>
#include <sstream>

#include "sim_test_client.hpp"

#include "sim/scenario/yaml_json.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

std::string read_file(const std::string& rel) {
  std::string here = __FILE__; // <root>/test/unit/sim_crd_rules_test.cpp
  std::ifstream f(here.substr(0, here.rfind("test/unit/")) + rel);
  EXPECT_TRUE(f) << rel;
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void apply_yaml(test_client& t, const std::string& rel, const char* path) {
  auto docs = yaml_documents_to_json(read_file(rel));
  ASSERT_TRUE(docs) << docs.error();
  for (const auto& d : *docs) {
    auto r = t.post(path, d);
    ASSERT_EQ(r.code, 201) << rel << ": " << r.body;
  }
}

test_client& with_porter_crds(test_client& t) {
  for (const char* f : {"eips", "bgpconfs", "bgppeers"})
    apply_yaml(t,
               std::string("config/crd/network.kubesphere.io_") + f + ".yaml",
               "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
  return t;
}

struct row {
  const char* kind; // Eip, BgpConf, BgpPeer
  const char* spec; // JSON
  const char* want; // "" accepted, else a part of the 422 message
};

api_response create(test_client& t, const char* kind, const std::string& spec) {
  static int n = 0;
  std::string plural = std::string(kind) == "Eip"       ? "eips"
                       : std::string(kind) == "BgpConf" ? "bgpconfs"
                                                        : "bgppeers";
  return t.post(
    "/apis/network.kubesphere.io/v1alpha2/" + plural,
    std::string(R"({"apiVersion":"network.kubesphere.io/v1alpha2",)")
      + R"("kind":")" + kind + R"(","metadata":{"name":"o)"
      + std::to_string(++n) + R"("},"spec":)" + spec + "}");
}

void check_rows(const std::vector<row>& rows) {
  test_client t;
  with_porter_crds(t);
  for (const auto& r : rows) {
    auto got = create(t, r.kind, r.spec);
    if (std::string(r.want).empty()) {
      EXPECT_EQ(got.code, 201) << r.spec << "\n" << got.body;
      continue;
    }
    EXPECT_EQ(got.code, 422) << r.spec;
    EXPECT_NE(at(got.body, {"message"}).find(r.want), std::string::npos)
      << r.spec << "\nwant: " << r.want
      << "\ngot:  " << at(got.body, {"message"});
  }
}

// Eip spec.address: one IP, a CIDR or a range (openelb.md §2.2, the
// OpenELB webhook's "invalid eip address format" cases §2.8).
TEST(PorterCrdRules, EipAddress) {
  const char* shape = R"(spec.address: Invalid value: "string": must be one )"
                      R"(IP address, a CIDR "address/length" or a range)";
  const char* ip = R"(spec.address: Invalid value: "string": every address )"
                   R"(must be IPv4 (dotted decimal, no leading zeros) or IPv6)";
  check_rows({
    {"Eip", R"({"address":"192.168.0.100-192.168.0.200"})", ""},
    {"Eip", R"({"address":"10.0.0.1"})", ""},
    {"Eip", R"({"address":"10.0.0.0/24"})", ""},
    {"Eip", R"({"address":"10.0.0.5/24"})", ""}, // host bits: Go ParseCIDR
    {"Eip", R"({"address":"0.0.0.0/0"})", ""},
    {"Eip", R"({"address":"10.0.0.1-10.0.0.1"})", ""},
    {"Eip", R"({"address":"fd00:200::/125"})", ""},
    {"Eip", R"({"address":"fd98::10-fd98::19"})", ""},
    {"Eip", R"({"address":"2001:db8::1/128"})", ""},
    {"Eip", R"({"address":"::ffff:192.0.2.1"})", ""},
    {"Eip", R"({"address":"nope"})", ip},
    {"Eip", R"({"address":"10.0.0.300"})", ip},
    {"Eip", R"({"address":"10.0.0.01"})", ip},
    {"Eip", R"({"address":"fd00::1::2"})", ip},
    {"Eip", R"({"address":"10.0.0.1-10.0.0.2-10.0.0.3"})", shape},
    {"Eip", R"({"address":"10.0.0.0/255.255.255.0"})", shape},
    {"Eip", R"({"address":""})", shape},
    {"Eip", R"({"address":"10.0.0.0/33"})",
     "spec.address: Invalid value: \"string\": the prefix length of a CIDR "
     "must be at most 32 (IPv4) or 128 (IPv6)"},
    {"Eip", R"({"address":"fd00::/129"})", "the prefix length of a CIDR"},
    {"Eip", R"({"address":"10.0.0.1-fd00::1"})",
     "spec.address: Invalid value: \"string\": both ends of a range must be "
     "of the same IP family"},
    {"Eip", R"({"address":"10.0.0.9-10.0.0.1"})",
     "spec.address: Invalid value: \"string\": the first address of a range "
     "must not be after the last"},
    {"Eip", R"({"address":"10.0.1.0-10.0.0.255"})", "must not be after"},
    {"Eip", (R"({"address":")" + std::string(101, '1') + "\"}").c_str(),
     "spec.address: Too long: may not be more than 100 bytes"},
  });
}

// Eip spec: layer2 and vip pools name an interface (OpenELB webhook §2.8).
TEST(PorterCrdRules, EipInterfaceAndNamespaces) {
  const char* iface = R"(spec: Invalid value: "object": interface is )"
                      R"(required when protocol is layer2 or vip)";
  check_rows({
    {"Eip", R"({"address":"10.0.0.1","protocol":"bgp"})", ""},
    {"Eip", R"({"address":"10.0.0.1","protocol":"layer2","interface":"eth0"})",
     ""},
    {"Eip",
     R"({"address":"10.0.0.1","protocol":"vip","interface":"can_reach:10.0.0.254"})",
     ""},
    {"Eip", R"({"address":"10.0.0.1","protocol":"layer2"})", iface},
    {"Eip", R"({"address":"10.0.0.1","protocol":"vip","interface":""})", iface},
    {"Eip", R"({"address":"10.0.0.1","namespaces":["default","team-a"]})", ""},
    {"Eip", R"({"address":"10.0.0.1","namespaces":["Team_A"]})",
     "spec.namespaces[0]: Invalid value: \"Team_A\""},
  });
}

// BgpConf: AS 1-4294967295 (RFC 6793; 0 is reserved, RFC 7607), router ID
// a non-zero dotted IPv4 (RFC 6286 §2.1), listenPort -1..65535.
TEST(PorterCrdRules, BgpConf) {
  check_rows({
    {"BgpConf", R"({"as":50000,"listenPort":17900,"routerId":"172.22.0.10"})",
     ""},
    {"BgpConf", R"({"as":4294967295,"listenPort":-1})", ""},
    {"BgpConf", R"({"as":65000,"routerId":""})", ""},
    {"BgpConf", R"({"listenPort":179})", "spec.as: Required value"},
    {"BgpConf", R"({"as":0})",
     "spec.as: Invalid value: 0: spec.as in body should be greater than or "
     "equal to 1"},
    {"BgpConf", R"({"as":4294967296})",
     "spec.as: Invalid value: 4294967296: spec.as in body should be less "
     "than or equal to 4294967295"},
    {"BgpConf", R"({"as":1,"asPerRack":{"r1":0}})", "spec.asPerRack.r1"},
    {"BgpConf", R"({"as":1,"routerId":"0.0.0.0"})",
     "spec.routerId: Invalid value: \"string\": must be a non-zero dotted "
     "IPv4 address (the BGP Identifier), or empty for the node's IPv4 "
     "address"},
    {"BgpConf", R"({"as":1,"routerId":"fd00::1"})",
     "must be a non-zero dotted"},
    {"BgpConf", R"({"as":1,"routerId":"1.2.3"})", "must be a non-zero dotted"},
    {"BgpConf", R"({"as":1,"listenPort":-2})", "spec.listenPort"},
    {"BgpConf", R"({"as":1,"listenPort":65536})", "spec.listenPort"},
    {"BgpConf", R"({"as":1,"listenAddresses":["0.0.0.0","::"]})", ""},
    {"BgpConf", R"({"as":1,"listenAddresses":["eth0"]})",
     "spec.listenAddresses[0]: Invalid value: \"string\": must be an IPv4 or "
     "IPv6 address"},
    {"BgpConf", R"({"as":1,"gracefulRestart":{"restartTime":4096}})",
     "spec.gracefulRestart.restartTime"},
  });
}

// BgpPeer: conf.peerAs 1-4294967295 and conf.neighborAddress an IP are
// what a session needs; ports 1-65535, TTL 0-255, MD5 keys <= 80 bytes.
TEST(PorterCrdRules, BgpPeer) {
  check_rows({
    {"BgpPeer",
     R"({"conf":{"peerAs":50001,"neighborAddress":"172.22.0.2"},"afiSafis":[)"
     R"({"config":{"family":{"afi":"AFI_IP","safi":"SAFI_UNICAST"},)"
     R"("enabled":true},"addPaths":{"config":{"sendMax":10}}}]})",
     ""},
    {"BgpPeer", R"({"conf":{"peerAs":4294967295,"neighborAddress":"fd00::1"}})",
     ""},
    {"BgpPeer", R"({"conf":{"peerAs":0,"neighborAddress":"10.0.0.1"}})",
     "spec.conf.peerAs: Invalid value: 0: spec.conf.peerAs in body should "
     "be greater than or equal to 1"},
    {"BgpPeer",
     R"({"conf":{"peerAs":4294967296,"neighborAddress":"10.0.0.1"}})",
     "spec.conf.peerAs: Invalid value: 4294967296: spec.conf.peerAs in body "
     "should be less than or equal to 4294967295"},
    {"BgpPeer", R"({"conf":{"peerAs":-1,"neighborAddress":"10.0.0.1"}})",
     "spec.conf.peerAs"},
    {"BgpPeer", R"({"nodeSelector":{}})", "spec.conf: Required value"},
    {"BgpPeer", R"({"conf":{"peerAs":1}})",
     "spec.conf.neighborAddress: Required value"},
    {"BgpPeer", R"({"conf":{"peerAs":1,"neighborAddress":"tor-1"}})",
     "spec.conf.neighborAddress: Invalid value: \"string\": must be an IPv4 "
     "or IPv6 address"},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"transport":{"remotePort":0}})",
     "spec.transport.remotePort"},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"transport":{"remotePort":65536}})",
     "spec.transport.remotePort"},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"transport":{"remoteAddress":"me"}})",
     "spec.transport.remoteAddress: Invalid value: \"string\""},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"transport":{"remoteAddress":"","remotePort":17900}})",
     ""},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"ebgpMultihop":{"enabled":true,"multihopTtl":256}})",
     "spec.ebgpMultihop.multihopTtl"},
    {"BgpPeer",
     (R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1","authPassword":")"
      + std::string(81, 'k') + "\"}}")
       .c_str(),
     "spec.conf.authPassword: Too long: may not be more than 80 bytes"},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"nodeSelector":{"matchExpressions":[{"key":"a","operator":"Has"}]}})",
     "spec.nodeSelector.matchExpressions[0].operator: Unsupported value"},
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"afiSafis":[{"config":{"family":{"afi":"ipv4"}}}]})",
     "spec.afiSafis[0].config.family.afi"},
    // Free-form timers: porter reports a bad one on the peer's status.
    {"BgpPeer",
     R"({"conf":{"peerAs":1,"neighborAddress":"10.0.0.1"},"timers":{"config":{"holdTime":"soon"}}})",
     ""},
  });
}

TEST(PorterCrdRules, MessageReadsLikeKubeApiserver) {
  test_client t;
  with_porter_crds(t);
  auto r
    = t.post("/apis/network.kubesphere.io/v1alpha2/eips",
             R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip",)"
             R"("metadata":{"name":"bad"},"spec":{"address":"10.0.0.300"}})");
  ASSERT_EQ(r.code, 422);
  EXPECT_EQ(at(r.body, {"message"}),
            "Eip.network.kubesphere.io \"bad\" is invalid: spec.address: "
            "Invalid value: \"string\": every address must be IPv4 (dotted "
            "decimal, no leading zeros) or IPv6");
  EXPECT_EQ(at(r.body, {"details", "causes"}),
            R"([{"reason":"FieldValueInvalid","message":"Invalid value: )"
            R"(\"string\": every address must be IPv4 (dotted decimal, no )"
            R"(leading zeros) or IPv6","field":"spec.address"}])");
}

std::string plural_of(const std::string& kind) {
  return kind == "Eip" ? "eips" : kind == "BgpConf" ? "bgpconfs" : "bgppeers";
}

// Issue #12: "the objects OpenELB users have are accepted unchanged"; a pool
// can be edited (porter grows and shrinks pools, so no immutability rule).
TEST(PorterCrdRules, OpenElbObjectsAndPoolEditsAreAccepted) {
  test_client t;
  with_porter_crds(t);
  auto docs = yaml_documents_to_json(
    read_file("test/e2e/testdata/openelb-objects.yaml"));
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 3u);
  for (const auto& d : *docs) {
    auto r = t.post(
      "/apis/network.kubesphere.io/v1alpha2/" + plural_of(at(d, {"kind"})), d);
    EXPECT_EQ(r.code, 201) << r.body;
  }
  const std::string pool = "/apis/network.kubesphere.io/v1alpha2/eips/eip-pool";
  auto grow
    = t.patch(pool, R"({"spec":{"address":"192.168.0.100-192.168.0.250"}})",
              "application/merge-patch+json");
  EXPECT_EQ(grow.code, 200) << grow.body;
  auto status
    = t.patch(pool + "/status", R"({"status":{"usage":1,"poolSize":151}})",
              "application/merge-patch+json");
  EXPECT_EQ(status.code, 200) << status.body;
  auto bad
    = t.patch(pool, R"({"spec":{"address":"192.168.0.250-192.168.0.100"}})",
              "application/merge-patch+json");
  EXPECT_EQ(bad.code, 422);
  // v1alpha1 keeps OpenELB's own pattern and no interface rule.
  auto old = t.post(
    "/apis/network.kubesphere.io/v1alpha1/eips",
    R"({"apiVersion":"network.kubesphere.io/v1alpha1","kind":"Eip",)"
    R"("metadata":{"name":"old"},"spec":{"address":"10.0.0.0/24","protocol":"layer2"}})");
  EXPECT_EQ(old.code, 201) << old.body;
}

} // namespace
} // namespace porter::sim
