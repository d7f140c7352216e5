// Internal to porter_k8s_io: a watch on a connection of its own (k8s-api.md
// §1.4, §1.9): GET, then the body read incrementally with no size limit and
// split into event lines across chunk boundaries; an idle timeout catches
// half-open connections; cancel() from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "k8s/io/api_client.hpp"

namespace porter::k8s::io {

struct client_core;

/// Starts the watch on the I/O thread. Dropping the handle cancels it.
std::shared_ptr<watch_handle> start_watch(std::weak_ptr<net::io::io_thread> io,
                                          std::shared_ptr<client_core> core,
                                          std::string target,
                                          std::chrono::milliseconds idle,
                                          watch_callbacks callbacks);

} // namespace porter::k8s::io
