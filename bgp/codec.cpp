#include "bgp/codec.hpp"

#include <algorithm>

namespace porter::bgp {

bool wire_options::has_add_path(afi_safi f) const {
  return std::find(add_path.begin(), add_path.end(), f) != add_path.end();
}

} // namespace porter::bgp
