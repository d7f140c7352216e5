// Pool choice and label selectors (k8s/pool_choice.hpp). One row per rule of
// openelb.md §2.4 (ipam.go getEIP / getEIPBasedOnIP / getDefaultEIP) and of
// apimachinery's LabelSelector; each row names its rule.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/pool_choice.hpp"

namespace porter::k8s {
namespace {

net::ip_address ip(std::string_view text) {
  return net::parse_ip(text).value();
}

// ---- label selectors -------------------------------------------------------

struct selector_row {
  const char* rule;
  label_selector sel;
  bool want;
};

TEST(LabelSelector, MatchesLikeApimachinery) {
  const string_pairs labels = {{"env", "prod"}, {"team", "a"}};
  using req = label_selector_requirement;
  const std::vector<selector_row> rows = {
    {"empty selector matches everything", {}, true},
    {"matchLabels: every pair present", {{{"env", "prod"}}, {}}, true},
    {"matchLabels: wrong value", {{{"env", "dev"}}, {}}, false},
    {"matchLabels: missing key", {{{"zone", "x"}}, {}}, false},
    {"In: value listed", {{}, {req{"env", "In", {"dev", "prod"}}}}, true},
    {"In: value not listed", {{}, {req{"env", "In", {"dev"}}}}, false},
    {"In: key absent", {{}, {req{"zone", "In", {"a"}}}}, false},
    {"NotIn: value listed", {{}, {req{"env", "NotIn", {"prod"}}}}, false},
    {"NotIn: value not listed", {{}, {req{"env", "NotIn", {"dev"}}}}, true},
    {"NotIn: key absent matches", {{}, {req{"zone", "NotIn", {"a"}}}}, true},
    {"Exists: present", {{}, {req{"team", "Exists", {}}}}, true},
    {"Exists: absent", {{}, {req{"zone", "Exists", {}}}}, false},
    {"DoesNotExist: absent", {{}, {req{"zone", "DoesNotExist", {}}}}, true},
    {"DoesNotExist: present", {{}, {req{"env", "DoesNotExist", {}}}}, false},
    {"unknown operator matches nothing",
     {{}, {req{"env", "Gt", {"1"}}}},
     false},
    {"matchLabels and matchExpressions are ANDed",
     {{{"env", "prod"}}, {req{"team", "In", {"b"}}}},
     false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(matches(r.sel, labels), r.want) << r.rule;
}

// ---- pools -----------------------------------------------------------------

pool_view pool(std::string name, std::string first, std::string last) {
  pool_view p;
  p.name = std::move(name);
  p.first = ip(first);
  p.last = ip(last);
  p.family = p.first.fam;
  return p;
}

template <class F>
pool_view with(pool_view p, F f) {
  f(p);
  return p;
}

ip_request want_pool(std::string name) {
  ip_request r;
  r.pool = std::move(name);
  return r;
}

ip_request want_ip(std::string_view a, std::string name = {}) {
  ip_request r;
  r.pool = std::move(name);
  r.ips = {ip(a)};
  return r;
}

const string_pairs prod_labels = {{"env", "prod"}};

// A cluster's pools: a default, two bound to namespace "team" by name, one
// bound by labels, one disabled, one invalid, one IPv6.
std::vector<pool_view> cluster_pools() {
  return {
    with(pool("default", "192.168.0.1", "192.168.0.99"),
         [](auto& p) { p.is_default = true; }),
    with(pool("team-hi", "10.1.0.0", "10.1.0.255"),
         [](auto& p) {
           p.namespaces = {"team"};
           p.priority = 10;
         }),
    with(pool("team-lo", "10.2.0.0", "10.2.0.255"),
         [](auto& p) {
           p.namespaces = {"team"};
           p.priority = 1;
         }),
    with(pool("prod", "10.3.0.0", "10.3.0.255"),
         [](auto& p) {
           p.namespace_selector = label_selector{{{"env", "prod"}}, {}};
         }),
    with(pool("off", "10.4.0.0", "10.4.0.255"),
         [](auto& p) { p.disabled = true; }),
    with(pool("broken", "10.5.0.0", "10.5.0.255"),
         [](auto& p) { p.valid = false; }),
    with(pool("v6", "2001:db8::", "2001:db8::ffff"),
         [](auto& p) { p.is_default = true; }),
  };
}

struct pool_row {
  const char* rule;
  ip_request req;
  net::family fam;
  std::string ns;
  string_pairs ns_labels;
  std::vector<pool_view> pools;
  std::string want;                    ///< the pool, or the error text
  std::optional<pool_error::code> err; ///< set: must fail with this
};

TEST(PoolChoice, OpenElbOrder) {
  using c = pool_error::code;
  const auto v4 = net::family::v4, v6 = net::family::v6;
  const auto all = cluster_pools();
  auto occupied_lo = all;
  for (auto& p : occupied_lo)
    if (p.name == "team-lo")
      p.occupied = true;
  auto tie = all;
  for (auto& p : tie)
    if (p.name == "team-hi")
      p.priority = 1;
  auto no_default = all;
  for (auto& p : no_default)
    p.is_default = false;
  auto default_disabled = no_default;
  default_disabled[0] = with(all[0], [](auto& p) { p.disabled = true; });
  const std::vector<pool_row> rows = {
    {"§2.4 getEIP: the annotation's pool, no namespace check",
     want_pool("team-hi"),
     v4,
     "other",
     {},
     all,
     "team-hi",
     {}},
    {"§2.4 getEIP: named pool must exist",
     want_pool("nope"),
     v4,
     "team",
     {},
     all,
     "pool nope not found",
     c::pool_not_found},
    {"§2.4 getEIP: named pool disabled",
     want_pool("off"),
     v4,
     "team",
     {},
     all,
     "pool off is disabled",
     c::pool_unusable},
    {"§2.4 getEIP: named pool deleting",
     want_pool("default"),
     v4,
     "team",
     {},
     {with(all[0], [](auto& p) { p.deleting = true; })},
     "pool default is being deleted",
     c::pool_unusable},
    {"#7 item 3: named pool invalid (bad/overlapping address)",
     want_pool("broken"),
     v4,
     "team",
     {},
     all,
     "pool broken is invalid",
     c::pool_unusable},
    {"b67401cc: named pool of the other family",
     want_pool("default"),
     v6,
     "team",
     {},
     all,
     "pool default has no IPv6 addresses",
     c::wrong_family},
    {"§2.4 getEIP: named pool + IP inside it",
     want_ip("10.1.0.7", "team-hi"),
     v4,
     "team",
     {},
     all,
     "team-hi",
     {}},
    {"§2.4 getEIP: named pool + IP outside it",
     want_ip("10.2.0.7", "team-hi"),
     v4,
     "team",
     {},
     all,
     "IP 10.2.0.7 is outside pool team-hi",
     c::ip_outside_pool},
    {"§2.4 getEIPBasedOnIP: the pool containing the IP",
     want_ip("10.3.0.9"),
     v4,
     "default",
     {},
     all,
     "prod",
     {}},
    {"§2.4 getEIPBasedOnIP: IP outside every pool",
     want_ip("172.16.0.1"),
     v4,
     "team",
     {},
     all,
     "IP 172.16.0.1 is outside every pool",
     c::ip_outside_pool},
    {"§2.4 getEIPBasedOnIP: containing pool disabled",
     want_ip("10.4.0.1"),
     v4,
     "team",
     {},
     all,
     "pool off is disabled",
     c::pool_unusable},
    {"overlap: a valid pool wins over an invalid one holding the IP",
     want_ip("10.5.0.1"),
     v4,
     "team",
     {},
     [&] {
       auto v = all;
       v.push_back(pool("shadow", "10.5.0.0", "10.5.0.127"));
       return v;
     }(),
     "shadow",
     {}},
    {"§2.4: an IP request of the other family is not used",
     want_ip("10.3.0.9"),
     v6,
     "team",
     {},
     all,
     "v6",
     {}},
    {"§2.4 getDefaultEIP: ascending priority among namespace pools",
     {},
     v4,
     "team",
     {},
     all,
     "team-lo",
     {}},
    {"§2.4 getDefaultEIP: not-occupied before priority",
     {},
     v4,
     "team",
     {},
     occupied_lo,
     "team-hi",
     {}},
    {"porter: equal priority broken by name",
     {},
     v4,
     "team",
     {},
     tie,
     "team-hi",
     {}},
    {"§2.4 getDefaultEIP: namespaceSelector matches namespace labels",
     {},
     v4,
     "web",
     prod_labels,
     all,
     "prod",
     {}},
    {"§2.4 getDefaultEIP: disabled bound pool skipped, default used",
     {},
     v4,
     "x",
     {},
     [&] {
       auto v = all;
       v[4].namespaces = {"x"};
       return v;
     }(),
     "default",
     {}},
    {"§2.4 getDefaultEIP: unbound namespace takes the default pool",
     {},
     v4,
     "other",
     {},
     all,
     "default",
     {}},
    {"family: IPv6 default for the IPv6 half",
     {},
     v6,
     "team",
     {},
     all,
     "v6",
     {}},
    {"§2.4: no bound pool and no default",
     {},
     v4,
     "other",
     {},
     no_default,
     "no pool for namespace other",
     c::no_pool},
    {"§2.4: a disabled default is no default",
     {},
     v4,
     "other",
     {},
     default_disabled,
     "no pool for namespace other",
     c::no_pool},
    {"empty namespaceSelector binds nothing (make_pool_view)",
     {},
     v4,
     "other",
     {},
     {[] {
       eip e;
       e.metadata.name = "empty-sel";
       auto p = make_pool_view(e);
       p.first = ip("10.9.0.0");
       p.last = ip("10.9.0.9");
       return p;
     }()},
     "no pool for namespace other",
     c::no_pool},
  };
  for (const auto& r : rows) {
    auto got = choose_pool(r.req, r.fam, r.ns, r.ns_labels, r.pools);
    if (r.err) {
      ASSERT_FALSE(got) << r.rule << " chose " << *got;
      EXPECT_EQ(got.error().kind, *r.err) << r.rule;
      EXPECT_EQ(got.error().what, r.want) << r.rule;
    } else {
      ASSERT_TRUE(got) << r.rule << ": " << got.error().what;
      EXPECT_EQ(*got, r.want) << r.rule;
    }
    // Deterministic: the order of the pool list never matters.
    auto reversed = r.pools;
    std::reverse(reversed.begin(), reversed.end());
    auto again = choose_pool(r.req, r.fam, r.ns, r.ns_labels, reversed);
    EXPECT_EQ(bool(again), bool(got)) << r.rule << " (reversed)";
    if (again && got) {
      EXPECT_EQ(*again, *got) << r.rule << " (reversed)";
    }
  }
}

TEST(PoolChoice, MakePoolViewReadsTheEip) {
  eip e;
  e.metadata.name = "eip-pool";
  e.metadata.annotations = {{std::string(default_eip_annotation), "true"}};
  e.metadata.deleting = true;
  e.spec.disable = true;
  e.spec.priority = 7;
  e.spec.namespaces = {"a", "b"};
  e.spec.namespace_selector = {{"env", "prod"}};
  e.status.occupied = true;
  auto p = make_pool_view(e);
  EXPECT_EQ(p.name, "eip-pool");
  EXPECT_TRUE(p.is_default && p.deleting && p.disabled && p.occupied);
  EXPECT_EQ(p.priority, 7);
  EXPECT_EQ(p.namespaces, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(p.namespace_selector);
  EXPECT_TRUE(matches(*p.namespace_selector, prod_labels));
  // openelb.md §2.2: only the exact value "true" marks the default pool.
  e.metadata.annotations = {{std::string(default_eip_annotation), "yes"}};
  EXPECT_FALSE(make_pool_view(e).is_default);
}

} // namespace
} // namespace porter::k8s
