// Golden BGP wire fixtures (STYLE.md §5.2): OPEN and UPDATE bytes that BIRD
// 2.0.12, FRR 8.4.4 and gobgpd 3.10.0 sent to test/golden/capture_peer.py
// (how: fixtures/README.md). Every file is decoded with the options the
// capture session negotiated, checked field by field, and re-encoded byte for
// byte. A missing fixture is a failure, never a skip.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "test/golden/golden_fixture.hpp"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bgp/codec.hpp"
#include "bgp/message.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp {
namespace {

using namespace golden;

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// --- what the capture sessions negotiated ----------------------------------

// capture_peer.py advertised 4-octet AS and ADD-PATH send/receive for IPv4
// and IPv6 unicast, so (RFC 7911 §3) path ids arrive for exactly the
// families where the daemon's own OPEN carries ADD-PATH with the Send bit.
wire_options rx_options(std::vector<afi_safi> add_path) {
  wire_options o;
  o.four_octet_as = true; // RFC 6793: both OPENs carry capability 65
  o.add_path = std::move(add_path);
  return o;
}
wire_options bird_rx() {
  return rx_options({ipv4_unicast}); // `add paths tx` on IPv4 only
}
wire_options frr_rx() {
  return rx_options({ipv4_unicast, ipv6_unicast});
}
wire_options gobgp_rx() {
  return rx_options({ipv4_unicast, ipv6_unicast});
}

// 65000:100 and 65000:200 (RFC 1997: AS in the high 16 bits).
constexpr std::uint32_t community_65000_100 = 0xFDE80064;
constexpr std::uint32_t community_65000_200 = 0xFDE800C8;

/// ORIGIN igp, AS_PATH of the sender's ASN, MED, COMMUNITIES 65000:100
/// 65000:200 and LARGE_COMMUNITY <asn>:1:2: what every sender was told to
/// attach (fixtures/README.md).
void expect_common_attributes(const update_message& u, std::uint32_t asn,
                              std::uint32_t med) {
  const auto* orig = attr_value<origin>(u, attr_type::origin);
  ASSERT_NE(orig, nullptr);
  EXPECT_EQ(*orig, origin::igp);
  const auto* path = attr_value<as_path>(u, attr_type::as_path);
  ASSERT_NE(path, nullptr);
  // RFC 6793 §4.1: 4-octet ASNs in AS_PATH between NEW speakers.
  EXPECT_THAT(path->segments,
              ElementsAre(as_segment{as_segment_type::as_sequence, {asn}}));
  const auto* m = attr_value<std::uint32_t>(u, attr_type::multi_exit_disc);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(*m, med);
  const auto* comms
    = attr_value<std::vector<std::uint32_t>>(u, attr_type::communities);
  ASSERT_NE(comms, nullptr);
  EXPECT_THAT(*comms, ElementsAre(community_65000_100, community_65000_200));
  const auto* large
    = attr_value<std::vector<large_community>>(u, attr_type::large_communities);
  ASSERT_NE(large, nullptr);
  EXPECT_THAT(*large, ElementsAre(large_community{asn, 1, 2}));
}

// --- every fixture ----------------------------------------------------------

struct fixture_row {
  const char* file;
  wire_options (*options)();
};

const fixture_row all_fixtures[] = {
  {"bird_01_open.bin", bird_rx},        {"bird_02_keepalive.bin", bird_rx},
  {"bird_03_update.bin", bird_rx},      {"bird_04_update.bin", bird_rx},
  {"bird_05_update.bin", bird_rx},      {"bird_06_update.bin", bird_rx},
  {"bird_07_update.bin", bird_rx},      {"bird_08_update.bin", bird_rx},
  {"frr_01_open.bin", frr_rx},          {"frr_02_keepalive.bin", frr_rx},
  {"frr_03_update.bin", frr_rx},        {"frr_04_update.bin", frr_rx},
  {"frr_05_update.bin", frr_rx},        {"frr_06_update.bin", frr_rx},
  {"frr_07_update.bin", frr_rx},        {"gobgp_01_open.bin", gobgp_rx},
  {"gobgp_02_keepalive.bin", gobgp_rx}, {"gobgp_03_update.bin", gobgp_rx},
  {"gobgp_04_update.bin", gobgp_rx},    {"gobgp_05_update.bin", gobgp_rx},
  {"gobgp_06_update.bin", gobgp_rx},    {"gobgp_07_update.bin", gobgp_rx},
  {"gobgp_08_update.bin", gobgp_rx},
};

void PrintTo(const fixture_row& r, std::ostream* os) {
  *os << r.file;
}

class GoldenFixture : public ::testing::TestWithParam<fixture_row> {};

TEST_P(GoldenFixture, DecodesWithoutErrorAndReencodesByteExact) {
  auto m = decode_fixture(GetParam().file, GetParam().options());
  EXPECT_TRUE(m.has_value());
}

INSTANTIATE_TEST_SUITE_P(Captured, GoldenFixture,
                         ::testing::ValuesIn(all_fixtures),
                         [](const ::testing::TestParamInfo<fixture_row>& info) {
                           std::string name = info.param.file;
                           return name.substr(0, name.find('.'));
                         });

TEST(GoldenFixtures, EveryCapturedFileIsCoveredByThisTest) {
  std::set<std::string> listed;
  for (const auto& row : all_fixtures)
    listed.insert(row.file);
  std::error_code ec;
  std::filesystem::directory_iterator dir(PORTER_GOLDEN_DIR, ec);
  ASSERT_FALSE(ec) << PORTER_GOLDEN_DIR << ": " << ec.message();
  std::size_t seen = 0;
  for (const auto& entry : dir) {
    if (entry.path().extension() != ".bin")
      continue;
    ++seen;
    EXPECT_EQ(listed.count(entry.path().filename().string()), 1U)
      << entry.path() << " is not checked by bgp_golden_test.cpp";
  }
  EXPECT_EQ(seen, listed.size());
}

TEST(GoldenFixtures, KeepalivesAreHeaderOnly) {
  const fixture_row keepalives[] = {{"bird_02_keepalive.bin", bird_rx},
                                    {"frr_02_keepalive.bin", frr_rx},
                                    {"gobgp_02_keepalive.bin", gobgp_rx}};
  for (const auto& row : keepalives) {
    auto m = decode_fixture(row.file, row.options());
    EXPECT_NE(get<keepalive_message>(m), nullptr) << row.file;
  }
}

// --- OPEN -------------------------------------------------------------------

/// RFC 7911 §3: the families the daemon sends path ids for, given that the
/// capture peer advertised receive for all of them.
std::vector<afi_safi> send_families(const capabilities& c) {
  std::vector<afi_safi> out;
  for (const auto& e : c.add_path)
    if (e.direction == add_path_direction::send
        || e.direction == add_path_direction::both)
      out.push_back(e.family);
  return out;
}

const capability* find_unknown(const capabilities& c, std::uint8_t code) {
  auto it
    = std::find_if(c.unknown.begin(), c.unknown.end(),
                   [code](const capability& x) { return x.code == code; });
  return it == c.unknown.end() ? nullptr : &*it;
}

TEST(GoldenBird, OpenCarriesAllCapabilitiesInOneParameter) {
  auto m = decode_fixture("bird_01_open.bin", bird_rx());
  const auto* o = get<open_message>(m);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->version, 4);
  EXPECT_EQ(o->my_as, as_trans); // RFC 6793 §4.1: 4200000001 needs 4 octets
  EXPECT_EQ(o->hold_time, 240);
  EXPECT_EQ(o->bgp_identifier, 0x0A610002U); // 10.97.0.2
  ASSERT_EQ(o->parameters.size(), 1U);
  EXPECT_THAT(codes(*o), ElementsAre(1, 1, 2, 64, 65, 69, 70, 71));
  auto caps = decode_capabilities(*o);
  ASSERT_TRUE(caps) << describe(caps.error());
  EXPECT_THAT(caps->multiprotocol, ElementsAre(ipv4_unicast, ipv6_unicast));
  EXPECT_EQ(caps->four_octet_as, std::optional<std::uint32_t>(4200000001U));
  EXPECT_THAT(caps->add_path, ElementsAre(add_path_entry{
                                ipv4_unicast, add_path_direction::send}));
  EXPECT_THAT(send_families(*caps), ElementsAreArray(bird_rx().add_path));
  EXPECT_TRUE(caps->route_refresh);
  EXPECT_TRUE(caps->enhanced_route_refresh);
  EXPECT_FALSE(caps->extended_message);
  // RFC 4724 §3: restart time 120 s, no R/N bit, no families (GR helper).
  ASSERT_TRUE(caps->graceful_restart.has_value());
  EXPECT_EQ(*caps->graceful_restart,
            (graceful_restart_capability{false, false, 120, {}}));
  // Long-lived graceful restart (71), empty.
  EXPECT_THAT(caps->unknown, ElementsAre(capability{71, {}}));
}

TEST(GoldenFrr, OpenCarriesOneCapabilityPerParameter) {
  auto m = decode_fixture("frr_01_open.bin", frr_rx());
  const auto* o = get<open_message>(m);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->version, 4);
  EXPECT_EQ(o->my_as, 65002);
  EXPECT_EQ(o->hold_time, 180);
  EXPECT_EQ(o->bgp_identifier, 0x0A610002U);
  EXPECT_EQ(o->parameters.size(), 11U);
  for (const auto& p : o->parameters)
    EXPECT_EQ(p.capabilities.size(), 1U);
  EXPECT_THAT(codes(*o), ElementsAre(1, 1, 128, 2, 70, 65, 6, 69, 73, 64, 71));
  auto caps = decode_capabilities(*o);
  ASSERT_TRUE(caps) << describe(caps.error());
  EXPECT_THAT(caps->multiprotocol, ElementsAre(ipv4_unicast, ipv6_unicast));
  EXPECT_EQ(caps->four_octet_as, std::optional<std::uint32_t>(65002U));
  EXPECT_THAT(
    caps->add_path,
    ElementsAre(add_path_entry{ipv4_unicast, add_path_direction::both},
                add_path_entry{ipv6_unicast, add_path_direction::both}));
  EXPECT_THAT(send_families(*caps), ElementsAreArray(frr_rx().add_path));
  EXPECT_TRUE(caps->route_refresh);
  EXPECT_TRUE(caps->enhanced_route_refresh);
  EXPECT_TRUE(caps->extended_message);
  // RFC 4724 §3 / RFC 8538: a freshly started FRR sets R and N, 120 s.
  ASSERT_TRUE(caps->graceful_restart.has_value());
  EXPECT_EQ(*caps->graceful_restart,
            (graceful_restart_capability{true, true, 120, {}}));
  // FQDN (73): hostname "porter-gold-frr", empty domain name.
  const auto* fqdn = find_unknown(*caps, 73);
  ASSERT_NE(fqdn, nullptr);
  const std::string host = "porter-gold-frr";
  bytes want{static_cast<std::uint8_t>(host.size())};
  want.insert(want.end(), host.begin(), host.end());
  want.push_back(0);
  EXPECT_EQ(fqdn->value, want);
  // Old Cisco route refresh (128), FQDN, long-lived GR (71) stay raw.
  EXPECT_THAT(codes(caps->unknown), ElementsAre(128, 73, 71));
}

TEST(GoldenGobgp, OpenCarriesGracefulRestartFamiliesAndAddPathSend) {
  auto m = decode_fixture("gobgp_01_open.bin", gobgp_rx());
  const auto* o = get<open_message>(m);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->version, 4);
  EXPECT_EQ(o->my_as, as_trans); // RFC 6793 §4.1: 4200000003
  EXPECT_EQ(o->hold_time, 90);
  EXPECT_EQ(o->bgp_identifier, 0x0A610002U);
  ASSERT_EQ(o->parameters.size(), 1U);
  EXPECT_THAT(codes(*o), ElementsAre(2, 73, 1, 1, 65, 64, 5, 69));
  auto caps = decode_capabilities(*o);
  ASSERT_TRUE(caps) << describe(caps.error());
  EXPECT_THAT(caps->multiprotocol, ElementsAre(ipv4_unicast, ipv6_unicast));
  EXPECT_EQ(caps->four_octet_as, std::optional<std::uint32_t>(4200000003U));
  EXPECT_THAT(
    caps->add_path,
    ElementsAre(add_path_entry{ipv4_unicast, add_path_direction::send},
                add_path_entry{ipv6_unicast, add_path_direction::send}));
  EXPECT_THAT(send_families(*caps), ElementsAreArray(gobgp_rx().add_path));
  EXPECT_TRUE(caps->route_refresh);
  EXPECT_FALSE(caps->enhanced_route_refresh);
  EXPECT_FALSE(caps->extended_message);
  ASSERT_TRUE(caps->graceful_restart.has_value());
  EXPECT_EQ(
    *caps->graceful_restart,
    (graceful_restart_capability{
      false, false, 120, {{ipv4_unicast, false}, {ipv6_unicast, false}}}));
  EXPECT_THAT(codes(caps->unknown), ElementsAre(73, 5)); // FQDN, RFC 8950
  // RFC 8950 extended next hop: IPv4 unicast over an IPv6 next hop.
  const auto* enh = find_unknown(*caps, 5);
  ASSERT_NE(enh, nullptr);
  EXPECT_EQ(enh->value, (bytes{0, 1, 0, 1, 0, 2}));
}

// --- UPDATE: IPv4 unicast paths with ADD-PATH ------------------------------

struct ipv4_path_row {
  const char* file;
  wire_options (*options)();
  std::uint32_t path_id;
  const char* next_hop;
  std::uint8_t as_path_flags; // FRR sets Extended Length on AS_PATH
  std::uint32_t asn;
  std::uint32_t med;
};

const ipv4_path_row ipv4_paths[] = {
  {"bird_03_update.bin", bird_rx, 2, "10.97.0.11", 0x40, 4200000001, 100},
  {"bird_04_update.bin", bird_rx, 3, "10.97.0.12", 0x40, 4200000001, 100},
  {"bird_05_update.bin", bird_rx, 4, "10.97.0.13", 0x40, 4200000001, 100},
  // Redistributed kernel route (third-party next hop kept, RFC 4271 §5.1.3)
  // and the `network` statement (next hop self).
  {"frr_03_update.bin", frr_rx, 3, "10.97.0.12", 0x50, 65002, 200},
  {"frr_05_update.bin", frr_rx, 2, "10.97.0.2", 0x50, 65002, 200},
  {"gobgp_05_update.bin", gobgp_rx, 3, "10.97.0.13", 0x40, 4200000003, 300},
  {"gobgp_06_update.bin", gobgp_rx, 1, "10.97.0.11", 0x40, 4200000003, 300},
  {"gobgp_07_update.bin", gobgp_rx, 2, "10.97.0.12", 0x40, 4200000003, 300},
};

void PrintTo(const ipv4_path_row& r, std::ostream* os) {
  *os << r.file;
}

class GoldenIpv4Path : public ::testing::TestWithParam<ipv4_path_row> {};

TEST_P(GoldenIpv4Path, CarriesOnePathWithItsIdNextHopAndAttributes) {
  const auto& row = GetParam();
  auto m = decode_fixture(row.file, row.options());
  const auto* u = get<update_message>(m);
  ASSERT_NE(u, nullptr);
  EXPECT_THAT(u->withdrawn, IsEmpty());
  using layout = std::pair<int, int>;
  EXPECT_THAT(attr_layout(*u),
              ElementsAre(layout{0x40, 1}, layout{row.as_path_flags, 2},
                          layout{0x40, 3}, layout{0x80, 4}, layout{0xc0, 8},
                          layout{0xc0, 32}));
  expect_common_attributes(*u, row.asn, row.med);
  const auto* nh = attr_value<net::ip_address>(*u, attr_type::next_hop);
  ASSERT_NE(nh, nullptr);
  EXPECT_EQ(*nh, ip(row.next_hop));
  EXPECT_THAT(u->announced,
              ElementsAre(nlri{row.path_id, pfx("203.0.113.10/32")}));
  EXPECT_EQ(end_of_rib_family(*u), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(
  Captured, GoldenIpv4Path, ::testing::ValuesIn(ipv4_paths),
  [](const ::testing::TestParamInfo<ipv4_path_row>& info) {
    std::string name = info.param.file;
    return name.substr(0, name.find('.'));
  });

// --- UPDATE: IPv6 unicast in MP_REACH_NLRI ---------------------------------

struct ipv6_path_row {
  const char* file;
  wire_options (*options)();
  std::vector<std::pair<int, int>> layout; // (flags, type) in wire order
  std::uint32_t path_id;                   // 0 without ADD-PATH
  const char* next_hop;
  const char* link_local; // RFC 2545 §3: 32-octet next hop; nullptr: 16
  std::uint32_t asn;
  std::uint32_t med;
};

const ipv6_path_row ipv6_paths[] = {
  // BIRD: MP_REACH first, Extended Length set; no ADD-PATH for IPv6.
  {"bird_07_update.bin",
   bird_rx,
   {{0x90, 14}, {0x40, 1}, {0x40, 2}, {0x80, 4}, {0xc0, 8}, {0xc0, 32}},
   0,
   "fd00:97::11",
   nullptr,
   4200000001,
   100},
  // FRR: ADD-PATH for IPv6 too (path id 0); global + link-local next hop.
  {"frr_04_update.bin",
   frr_rx,
   {{0x90, 14}, {0x40, 1}, {0x50, 2}, {0x80, 4}, {0xc0, 8}, {0xc0, 32}},
   0,
   "fd00:97::2",
   "fe80::97:2",
   65002,
   200},
  // gobgpd: attributes sorted by type code, MP_REACH without Extended Length.
  {"gobgp_03_update.bin",
   gobgp_rx,
   {{0x40, 1}, {0x40, 2}, {0x80, 4}, {0xc0, 8}, {0x80, 14}, {0xc0, 32}},
   1,
   "fd00:97::2",
   nullptr,
   4200000003,
   300},
};

void PrintTo(const ipv6_path_row& r, std::ostream* os) {
  *os << r.file;
}

class GoldenIpv6Path : public ::testing::TestWithParam<ipv6_path_row> {};

TEST_P(GoldenIpv6Path, CarriesTheHostRouteInMpReachNlri) {
  const auto& row = GetParam();
  auto m = decode_fixture(row.file, row.options());
  const auto* u = get<update_message>(m);
  ASSERT_NE(u, nullptr);
  EXPECT_THAT(u->withdrawn, IsEmpty());
  EXPECT_THAT(u->announced, IsEmpty());
  EXPECT_EQ(attr_layout(*u), row.layout);
  // RFC 4760 §3: no NEXT_HOP attribute when only MP_REACH_NLRI carries NLRI.
  EXPECT_EQ(find_attr(*u, attr_type::next_hop), nullptr);
  const auto* mp = attr_value<mp_reach>(*u, attr_type::mp_reach_nlri);
  ASSERT_NE(mp, nullptr);
  EXPECT_EQ(mp->family, ipv6_unicast);
  EXPECT_EQ(mp->next_hop, ip(row.next_hop));
  if (row.link_local == nullptr)
    EXPECT_EQ(mp->link_local_next_hop, std::nullopt);
  else
    EXPECT_EQ(mp->link_local_next_hop,
              std::optional<net::ip_address>(ip(row.link_local)));
  EXPECT_THAT(mp->announced,
              ElementsAre(nlri{row.path_id, pfx("2001:db8:97::10/128")}));
  expect_common_attributes(*u, row.asn, row.med);
  EXPECT_EQ(end_of_rib_family(*u), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(
  Captured, GoldenIpv6Path, ::testing::ValuesIn(ipv6_paths),
  [](const ::testing::TestParamInfo<ipv6_path_row>& info) {
    std::string name = info.param.file;
    return name.substr(0, name.find('.'));
  });

// --- UPDATE: End-of-RIB -----------------------------------------------------

struct end_of_rib_row {
  const char* file;
  wire_options (*options)();
  afi_safi family;
};

const end_of_rib_row end_of_ribs[] = {
  {"bird_06_update.bin", bird_rx, ipv4_unicast},
  {"bird_08_update.bin", bird_rx, ipv6_unicast},
  {"frr_06_update.bin", frr_rx, ipv6_unicast},
  {"frr_07_update.bin", frr_rx, ipv4_unicast},
  {"gobgp_04_update.bin", gobgp_rx, ipv6_unicast},
  {"gobgp_08_update.bin", gobgp_rx, ipv4_unicast},
};

void PrintTo(const end_of_rib_row& r, std::ostream* os) {
  *os << r.file;
}

class GoldenEndOfRib : public ::testing::TestWithParam<end_of_rib_row> {};

TEST_P(GoldenEndOfRib, IsRecognizedAndEqualsOurOwnMarker) {
  const auto& row = GetParam();
  auto m = decode_fixture(row.file, row.options());
  const auto* u = get<update_message>(m);
  ASSERT_NE(u, nullptr);
  // RFC 4724 §2: empty UPDATE (IPv4) / empty MP_UNREACH_NLRI (others).
  EXPECT_EQ(end_of_rib_family(*u), std::optional<afi_safi>(row.family));
  bytes wire;
  ASSERT_TRUE(read_fixture(row.file, wire));
  EXPECT_TRUE(same_bytes(
    encode_message(make_end_of_rib(row.family), row.options()), wire));
}

INSTANTIATE_TEST_SUITE_P(
  Captured, GoldenEndOfRib, ::testing::ValuesIn(end_of_ribs),
  [](const ::testing::TestParamInfo<end_of_rib_row>& info) {
    std::string name = info.param.file;
    return name.substr(0, name.find('.'));
  });

} // namespace
} // namespace porter::bgp
