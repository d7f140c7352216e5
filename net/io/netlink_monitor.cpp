#include "net/io/netlink_monitor.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <future>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/io/io_thread_impl.hpp"

namespace porter::net::io {

namespace {

/// The protocol value of a rule notification (FRA_PROTOCOL), 0 if absent.
std::uint8_t rule_protocol(const nlmsghdr* h) {
  std::size_t offset = NLMSG_LENGTH(sizeof(fib_rule_hdr));
  const auto* base = reinterpret_cast<const char*>(h);
  while (offset + NLA_HDRLEN <= h->nlmsg_len) {
    const auto* a = reinterpret_cast<const nlattr*>(base + offset);
    if (a->nla_len < NLA_HDRLEN || offset + a->nla_len > h->nlmsg_len)
      break;
    if ((a->nla_type & NLA_TYPE_MASK) == FRA_PROTOCOL
        && a->nla_len >= NLA_HDRLEN + 1)
      return static_cast<std::uint8_t>(base[offset + NLA_HDRLEN]);
    offset += NLA_ALIGN(a->nla_len);
  }
  return 0;
}

/// Whether a notification is about one of porter's rules or routes.
bool concerns(const nlmsghdr* h, std::uint8_t protocol) {
  switch (h->nlmsg_type) {
    case RTM_NEWRULE:
    case RTM_DELRULE:
      return h->nlmsg_len >= NLMSG_LENGTH(sizeof(fib_rule_hdr))
             && rule_protocol(h) == protocol;
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      return h->nlmsg_len >= NLMSG_LENGTH(sizeof(rtmsg))
             && static_cast<const rtmsg*>(NLMSG_DATA(h))->rtm_protocol
                  == protocol;
    default:
      return false;
  }
}

} // namespace

struct netlink_monitor::impl {
  impl(boost::asio::io_context& ctx, int fd) : descriptor(ctx, fd) {}

  boost::asio::posix::stream_descriptor descriptor;
  std::uint8_t protocol = 0;
  std::uint32_t own_port = 0;
  std::function<void()> on_drift;
  bool stopped = false;

  void arm(const std::shared_ptr<impl>& self) {
    descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [self](const boost::system::error_code& ec) {
                            if (ec || self->stopped)
                              return;
                            self->drain();
                            self->arm(self);
                          });
  }

  void drain() {
    std::array<char, 32 * 1024> buf{};
    bool drift = false;
    for (;;) {
      const ssize_t n = recv(descriptor.native_handle(), buf.data(), buf.size(),
                             MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        drift = drift || errno == ENOBUFS; // lost some: look at everything
        if (errno == ENOBUFS)
          continue;
        break; // EAGAIN: all read
      }
      auto len = static_cast<std::size_t>(n);
      for (auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
           NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
        if (h->nlmsg_pid != own_port && concerns(h, protocol))
          drift = true;
    }
    if (drift)
      on_drift();
  }
};

tl::expected<std::unique_ptr<netlink_monitor>, std::string>
netlink_monitor::start(io_thread& io, std::uint8_t protocol,
                       std::uint32_t own_port, std::function<void()> on_drift) {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
                        NETLINK_ROUTE);
  if (fd < 0)
    return tl::unexpected{std::string{"netlink monitor: "}
                          + std::strerror(errno)};
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    const int err = errno;
    close(fd);
    return tl::unexpected{std::string{"netlink monitor: bind: "}
                          + std::strerror(err)};
  }
  for (int group : {RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE, RTNLGRP_IPV4_ROUTE,
                    RTNLGRP_IPV6_ROUTE})
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
                   sizeof group)
        != 0) {
      const int err = errno;
      close(fd);
      return tl::unexpected{std::string{"netlink monitor: join group "}
                            + std::to_string(group) + ": "
                            + std::strerror(err)};
    }
  auto p = std::make_shared<impl>(context_of(io), fd);
  p->protocol = protocol;
  p->own_port = own_port;
  p->on_drift = std::move(on_drift);
  boost::asio::post(context_of(io), [p] { p->arm(p); });
  return std::unique_ptr<netlink_monitor>{new netlink_monitor{std::move(p)}};
}

netlink_monitor::netlink_monitor(std::shared_ptr<impl> p)
    : impl_(std::move(p)) {}

netlink_monitor::~netlink_monitor() {
  // Closed on the I/O thread, which owns the descriptor, before the
  // thread goes; the pending wait then ends with operation_aborted.
  auto closed = std::make_shared<std::promise<void>>();
  auto done = closed->get_future();
  boost::asio::post(impl_->descriptor.get_executor(), [p = impl_, closed] {
    p->stopped = true;
    boost::system::error_code ignored;
    p->descriptor.close(ignored);
    closed->set_value();
  });
  done.wait_for(std::chrono::seconds{2});
}

} // namespace porter::net::io
