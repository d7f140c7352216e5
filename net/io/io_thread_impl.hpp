// The inside of net::io::io_thread, for adapters that need its io_context
// (the TCP adapter, the Kubernetes HTTP client). Heavy: include it only from
// adapter .cpp files, never from headers that actors include.
#pragma once

#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "net/io/tcp.hpp"

namespace porter::net::io {

struct io_thread::impl {
  boost::asio::io_context context;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
    guard{context.get_executor()};
  std::thread thread{[this] { context.run(); }};
};

inline boost::asio::io_context& context_of(io_thread& t) {
  return t.get().context;
}

} // namespace porter::net::io
