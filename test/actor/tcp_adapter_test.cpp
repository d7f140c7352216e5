// The Asio adapter on loopback: connect, exchange bytes both ways, close
// notifications, and a refused connect reported once.
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "net/io/tcp.hpp"

namespace porter::net::io {
namespace {

// Collects callback results from the I/O thread for the test thread.
struct mailbox {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> events;
  std::vector<std::uint8_t> data;

  void push(std::string e) {
    std::lock_guard<std::mutex> g(m);
    events.push_back(std::move(e));
    cv.notify_all();
  }
  void append(const std::vector<std::uint8_t>& d) {
    std::lock_guard<std::mutex> g(m);
    data.insert(data.end(), d.begin(), d.end());
    cv.notify_all();
  }
  template <class Pred>
  bool wait(Pred p) {
    std::unique_lock<std::mutex> g(m);
    return cv.wait_for(g, std::chrono::seconds(5), [&] { return p(*this); });
  }
  connection_callbacks callbacks() {
    return {[this] { push("connected"); },
            [this](std::vector<std::uint8_t> d) { append(d); },
            [this](std::string why) { push("closed: " + why); }};
  }
};

const endpoint loopback{parse_ip("127.0.0.1").value(), 0};

TEST(TcpAdapter, ConnectsExchangesBytesAndReportsPeerClose) {
  io_thread io;
  mailbox server_box;
  mailbox client_box;
  std::shared_ptr<tcp_connection> accepted;
  std::mutex accepted_m;
  std::string error;
  auto listener = tcp_listener::listen(
    io, loopback,
    [&](std::shared_ptr<tcp_connection> c) {
      c->start(server_box.callbacks());
      std::lock_guard<std::mutex> g(accepted_m);
      accepted = std::move(c);
      server_box.push("accepted");
    },
    error);
  ASSERT_TRUE(listener) << error;
  auto client = tcp_connection::connect(
    io, {loopback.address, listener->port()}, {}, client_box.callbacks());
  ASSERT_TRUE(client_box.wait([](auto& b) { return !b.events.empty(); }));
  EXPECT_EQ(client_box.events.front(), "connected");
  ASSERT_TRUE(server_box.wait([](auto& b) { return !b.events.empty(); }));

  client->send({1, 2, 3});
  client->send({4, 5});
  ASSERT_TRUE(server_box.wait([](auto& b) { return b.data.size() == 5; }));
  EXPECT_EQ(server_box.data, (std::vector<std::uint8_t>{1, 2, 3, 4, 5}));

  {
    std::lock_guard<std::mutex> g(accepted_m);
    accepted->send({9});
    accepted->close();
  }
  ASSERT_TRUE(client_box.wait([](auto& b) { return b.events.size() == 2; }));
  EXPECT_EQ(client_box.data, (std::vector<std::uint8_t>{9}));
  EXPECT_EQ(client_box.events.back(), "closed: closed by peer");
  listener->close();
}

TEST(TcpAdapter, RefusedConnectIsReportedOnce) {
  io_thread io;
  mailbox box;
  std::string error;
  // Find a free port, then close it so the connect is refused.
  auto probe = tcp_listener::listen(
    io, loopback, [](auto) {}, error);
  ASSERT_TRUE(probe) << error;
  auto port = probe->port();
  probe->close();
  probe.reset();
  auto conn = tcp_connection::connect(io, {loopback.address, port}, {},
                                      box.callbacks());
  ASSERT_TRUE(box.wait([](auto& b) { return !b.events.empty(); }));
  EXPECT_EQ(box.events.size(), 1U);
  EXPECT_NE(box.events.front().find("closed: "), std::string::npos);
  EXPECT_EQ(box.events.front().find("connected"), std::string::npos);
}

TEST(TcpAdapter, ListenOnAnAddressInUseFailsWithOneLine) {
  io_thread io;
  std::string error;
  auto first = tcp_listener::listen(
    io, loopback, [](auto) {}, error);
  ASSERT_TRUE(first) << error;
  auto second = tcp_listener::listen(
    io, {loopback.address, first->port()}, [](auto) {}, error);
  // SO_REUSEADDR does not allow two listeners on one port.
  EXPECT_FALSE(second);
  EXPECT_NE(error.find("listen on 127.0.0.1:"), std::string::npos);
  first->close();
}

} // namespace
} // namespace porter::net::io
