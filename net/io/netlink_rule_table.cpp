#include "net/io/netlink_rule_table.hpp"

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <netlink/socket.h>
#include <sys/socket.h>

namespace porter::net::io {

namespace {

template <class T, void (*Free)(T*)>
struct freer {
  void operator()(T* p) const { Free(p); }
};
using msg_ptr = std::unique_ptr<nl_msg, freer<nl_msg, nlmsg_free>>;
using cache_ptr = std::unique_ptr<nl_cache, freer<nl_cache, nl_cache_free>>;
using rule_ptr = std::unique_ptr<rtnl_rule, freer<rtnl_rule, rtnl_rule_put>>;
using route_ptr
  = std::unique_ptr<rtnl_route, freer<rtnl_route, rtnl_route_put>>;
using addr_ptr = std::unique_ptr<nl_addr, freer<nl_addr, nl_addr_put>>;

/// Requests per sendmsg. Each acknowledgement takes ~1 KB of the receive
/// buffer (skb overhead); 256 of them fit the 4 MB we ask for with room
/// to spare, and when only the default 208 KB is granted the kernel still
/// keeps up because we drain after every batch.
constexpr std::size_t batch_size = 256;
constexpr int receive_buffer = 4 << 20;

int af_of(family f) {
  return f == family::v4 ? AF_INET : AF_INET6;
}

addr_ptr address(const ip_address& ip, unsigned prefix_len) {
  addr_ptr a{nl_addr_build(af_of(ip.fam), ip.bytes.data(), ip.size())};
  if (a)
    nl_addr_set_prefixlen(a.get(), static_cast<int>(prefix_len));
  return a;
}

std::optional<ip_address> host_of(nl_addr* a) {
  if (a == nullptr)
    return std::nullopt;
  const auto len = nl_addr_get_len(a);
  const int af = nl_addr_get_family(a);
  if (!((af == AF_INET && len == 4) || (af == AF_INET6 && len == 16))
      || nl_addr_get_prefixlen(a) != len * 8)
    return std::nullopt;
  ip_address ip;
  ip.fam = af == AF_INET ? family::v4 : family::v6;
  std::memcpy(ip.bytes.data(), nl_addr_get_binary_addr(a), len);
  return ip;
}

std::string describe_errno(int err) {
  std::string text = std::strerror(err);
  if (err == EPERM || err == EACCES)
    text += " (porter agent needs CAP_NET_ADMIN)";
  return text;
}

/// The extended-ACK message (NLMSGERR_ATTR_MSG) of an error reply, if the
/// kernel sent one; with NETLINK_CAP_ACK the request is not echoed, so the
/// attributes follow the nlmsgerr header.
std::string extack_message(const nlmsghdr* h) {
  if ((h->nlmsg_flags & NLM_F_ACK_TLVS) == 0)
    return {};
  const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
  std::size_t offset = NLMSG_LENGTH(sizeof(nlmsgerr));
  if ((h->nlmsg_flags & NLM_F_CAPPED) == 0)
    offset += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
  const auto* base = reinterpret_cast<const char*>(h);
  while (offset + NLA_HDRLEN <= h->nlmsg_len) {
    const auto* a = reinterpret_cast<const nlattr*>(base + offset);
    if (a->nla_len < NLA_HDRLEN || offset + a->nla_len > h->nlmsg_len)
      break;
    if (a->nla_type == NLMSGERR_ATTR_MSG && a->nla_len > NLA_HDRLEN)
      return std::string{base + offset + NLA_HDRLEN}; // NUL-terminated
    offset += NLA_ALIGN(a->nla_len);
  }
  return {};
}

} // namespace

tl::expected<std::unique_ptr<netlink_rule_table>, std::string>
netlink_rule_table::open(std::uint8_t protocol) {
  nl_sock* sock = nl_socket_alloc();
  if (sock == nullptr)
    return tl::unexpected{std::string{"netlink: out of memory"}};
  if (int err = nl_connect(sock, NETLINK_ROUTE); err < 0) {
    nl_socket_free(sock);
    return tl::unexpected{std::string{"netlink: "} + nl_geterror(err)};
  }
  const int fd = nl_socket_get_fd(sock);
  const int on = 1;
  // Short error replies with the kernel's reason text; both are optional.
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on);
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on);
  // Beyond net.core.rmem_max only with CAP_NET_ADMIN; the plain request
  // is capped silently, which the batch size allows for.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer,
                 sizeof receive_buffer)
      != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
               sizeof receive_buffer);
  return std::unique_ptr<netlink_rule_table>{
    new netlink_rule_table{sock, protocol}};
}

netlink_rule_table::netlink_rule_table(nl_sock* sock, std::uint8_t protocol)
    : sock_(sock),
      protocol_(protocol),
      loopback_index_(static_cast<int>(if_nametoindex("lo"))) {}

netlink_rule_table::~netlink_rule_table() {
  nl_socket_free(sock_);
}

std::uint32_t netlink_rule_table::port_id() const {
  return nl_socket_get_local_port(sock_);
}

tl::expected<kernel_view, std::string> netlink_rule_table::read() {
  kernel_view view;
  nl_cache* raw = nullptr;
  if (int err = rtnl_rule_alloc_cache(sock_, AF_UNSPEC, &raw); err < 0)
    return tl::unexpected{std::string{"reading rules: "} + nl_geterror(err)};
  cache_ptr rules{raw};
  for (nl_object* o = nl_cache_get_first(rules.get()); o != nullptr;
       o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_rule*>(o);
    std::uint8_t proto = 0;
    if (rtnl_rule_get_protocol(r, &proto) < 0 || proto != protocol_
        || rtnl_rule_get_action(r) != FR_ACT_TO_TBL)
      continue;
    if (auto to = host_of(rtnl_rule_get_dst(r)))
      view.rules.push_back(
        {*to, rtnl_rule_get_prio(r), rtnl_rule_get_table(r)});
  }
  raw = nullptr;
  if (int err = rtnl_route_alloc_cache(sock_, AF_UNSPEC, 0, &raw); err < 0)
    return tl::unexpected{std::string{"reading routes: "} + nl_geterror(err)};
  cache_ptr routes{raw};
  for (nl_object* o = nl_cache_get_first(routes.get()); o != nullptr;
       o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    nl_addr* dst = rtnl_route_get_dst(r);
    if (rtnl_route_get_protocol(r) != protocol_
        || rtnl_route_get_type(r) != RTN_LOCAL || dst == nullptr
        || nl_addr_get_prefixlen(dst) != 0)
      continue;
    const auto af = rtnl_route_get_family(r);
    if (af != AF_INET && af != AF_INET6)
      continue;
    view.routes.push_back(
      {af == AF_INET ? family::v4 : family::v6, rtnl_route_get_table(r)});
  }
  return view;
}

apply_report netlink_rule_table::apply(const rule_changes& c) {
  apply_report report;
  struct request {
    std::string what;
    bool removal;
  };
  std::vector<request> in_batch;
  std::vector<char> bytes;
  std::uint32_t first_seq = 0;

  auto flush = [&] {
    if (in_batch.empty())
      return;
    std::vector<bool> answered(in_batch.size(), false);
    std::size_t pending = in_batch.size();
    auto give_up = [&](const std::string& why) {
      for (std::size_t i = 0; i < in_batch.size(); ++i)
        if (!answered[i])
          report.errors.push_back(in_batch[i].what + ": " + why);
      pending = 0;
    };
    if (int sent = nl_sendto(sock_, bytes.data(), bytes.size()); sent < 0)
      give_up(std::string{"sending: "} + nl_geterror(sent));
    const int fd = nl_socket_get_fd(sock_);
    std::vector<char> buf(64 * 1024);
    while (pending > 0) {
      const ssize_t n = recv(fd, buf.data(), buf.size(), 0);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        give_up(std::string{"no answer: "} + std::strerror(errno));
        // Leave no stray answer behind for libnl's next dump to trip on.
        while (recv(fd, buf.data(), buf.size(), MSG_DONTWAIT) > 0
               || errno == ENOBUFS) {
        }
        break;
      }
      auto len = static_cast<std::size_t>(n);
      for (auto* h = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(h, len);
           h = NLMSG_NEXT(h, len)) {
        if (h->nlmsg_type != NLMSG_ERROR)
          continue;
        const std::uint32_t i = h->nlmsg_seq - first_seq;
        if (i >= in_batch.size() || answered[i])
          continue; // not ours (an earlier batch given up on)
        answered[i] = true;
        --pending;
        const int err = -static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
        // Removing what is already gone is what the caller wanted.
        if (err == 0
            || (in_batch[i].removal && (err == ENOENT || err == ESRCH))) {
          ++report.applied;
          continue;
        }
        std::string why = describe_errno(err);
        if (auto ext = extack_message(h); !ext.empty())
          why += ": " + ext;
        report.errors.push_back(in_batch[i].what + ": " + why);
      }
    }
    in_batch.clear();
    bytes.clear();
  };

  auto queue = [&](nl_msg* raw, int err, std::string what, bool removal) {
    msg_ptr msg{raw};
    if (err < 0 || !msg) {
      report.errors.push_back(what + ": " + nl_geterror(err));
      return;
    }
    if (in_batch.empty())
      first_seq = next_seq_;
    nlmsghdr* h = nlmsg_hdr(msg.get());
    h->nlmsg_seq = next_seq_++;
    h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    const auto* p = reinterpret_cast<const char*>(h);
    bytes.insert(bytes.end(), p, p + NLMSG_ALIGN(h->nlmsg_len));
    in_batch.push_back({std::move(what), removal});
    if (in_batch.size() == batch_size)
      flush();
  };

  auto make_rule = [&](const eip_rule& r) {
    rule_ptr rule{rtnl_rule_alloc()};
    rtnl_rule_set_family(rule.get(), af_of(r.to.fam));
    addr_ptr dst = address(r.to, static_cast<unsigned>(r.to.size() * 8));
    rtnl_rule_set_dst(rule.get(), dst.get()); // takes its own reference
    rtnl_rule_set_table(rule.get(), r.table);
    rtnl_rule_set_prio(rule.get(), r.priority);
    rtnl_rule_set_action(rule.get(), FR_ACT_TO_TBL);
    rtnl_rule_set_protocol(rule.get(), protocol_);
    return rule;
  };
  auto make_route = [&](const local_route& r) {
    route_ptr route{rtnl_route_alloc()};
    rtnl_route_set_family(route.get(), static_cast<std::uint8_t>(af_of(r.fam)));
    rtnl_route_set_table(route.get(), r.table);
    rtnl_route_set_type(route.get(), RTN_LOCAL);
    rtnl_route_set_scope(route.get(), RT_SCOPE_HOST);
    rtnl_route_set_protocol(route.get(), protocol_);
    addr_ptr dst = address(ip_address{r.fam, {}}, 0);
    rtnl_route_set_dst(route.get(), dst.get());
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(nh, loopback_index_);
    rtnl_route_add_nexthop(route.get(), nh); // the route owns it now
    return route;
  };

  for (const auto& r : c.add_routes) {
    nl_msg* m = nullptr;
    // "ip route replace": an earlier copy with other attributes is fixed.
    int err = rtnl_route_build_add_request(make_route(r).get(),
                                           NLM_F_CREATE | NLM_F_REPLACE, &m);
    queue(m, err, "add " + to_string(r), false);
  }
  for (const auto& r : c.add_rules) {
    nl_msg* m = nullptr;
    int err = rtnl_rule_build_add_request(make_rule(r).get(), NLM_F_CREATE, &m);
    queue(m, err, "add " + to_string(r), false);
  }
  for (const auto& r : c.remove_rules) {
    nl_msg* m = nullptr;
    int err = rtnl_rule_build_delete_request(make_rule(r).get(), 0, &m);
    queue(m, err, "remove " + to_string(r), true);
  }
  for (const auto& r : c.remove_routes) {
    nl_msg* m = nullptr;
    int err = rtnl_route_build_del_request(make_route(r).get(), 0, &m);
    queue(m, err, "remove " + to_string(r), true);
  }
  flush();
  return report;
}

} // namespace porter::net::io
