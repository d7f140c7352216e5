// Which Eip pool a Service's request draws from, for one IP family
// (openelb.md §2.4 ConstructRequest/getEIP/getDefaultEIP; issue #7 item 4):
// the pool named by annotation, else the pool holding the requested IP, else
// the namespace-bound pools (not-occupied first, then ascending priority),
// else the default pool. Also metav1.LabelSelector matching
// (apimachinery labels.Selector semantics). Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "k8s/porter_crds.hpp"
#include "k8s/service_request.hpp"
#include "net/ip_address.hpp"

namespace porter::k8s {

/// Whether `labels` satisfy `sel`: every matchLabels pair and every
/// matchExpressions requirement (In, NotIn, Exists, DoesNotExist; NotIn and
/// DoesNotExist also match an absent key). An empty selector matches all.
/// An unknown operator matches nothing (apimachinery refuses to build it).
bool matches(const label_selector& sel, const string_pairs& labels);

/// The part of an Eip that pool choice reads.
struct pool_view {
  std::string name;
  bool disabled = false; ///< spec.disable
  bool deleting = false; ///< metadata.deletionTimestamp set
  /// Address parsed and no overlap with another pool.
  bool valid = true;
  bool occupied = false; ///< status.occupied: every address in use
  bool is_default = false;
  std::vector<std::string> namespaces;
  /// nullopt: the pool is not bound by labels.
  std::optional<label_selector> namespace_selector;
  std::int64_t priority = 0;
  net::family family = net::family::v4;
  /// The pool's first and last address (inclusive).
  net::ip_address first;
  net::ip_address last;

  bool contains(const net::ip_address& ip) const {
    return ip.fam == family && !(ip < first) && !(last < ip);
  }
};

/// Fills everything but `valid`, `family`, `first` and `last` (those come
/// from parsing spec.address) from an Eip. An empty namespaceSelector binds
/// nothing (OpenELB's empty map would select every labelled namespace).
pool_view make_pool_view(const eip& e);

/// Why no pool could be chosen.
struct pool_error {
  enum class code : std::uint8_t {
    pool_not_found,  ///< the named pool does not exist
    pool_unusable,   ///< disabled, deleting or invalid
    wrong_family,    ///< the named pool has no address of that family
    ip_outside_pool, ///< the IP is outside the named pool / every pool
    no_pool,         ///< nothing bound to the namespace and no default
  };
  code kind;
  std::string what; ///< one line, for the Event
};

/// The name of the pool `req` draws its `fam` address from. `ns` and
/// `ns_labels` are the Service's namespace and that namespace's labels.
/// Ties are broken by pool name, so the choice never depends on the order
/// of `pools`.
tl::expected<std::string, pool_error>
choose_pool(const ip_request& req, net::family fam, std::string_view ns,
            const string_pairs& ns_labels, const std::vector<pool_view>& pools);

} // namespace porter::k8s
