#include "k8s/advertise_policy.hpp"

namespace porter::k8s {

bool keeps_advertising(bool leading, bool advertising_now,
                       const std::string& observed_holder,
                       const std::string& self) {
  if (leading)
    return true;
  return advertising_now
         && (observed_holder.empty() || observed_holder == self);
}

} // namespace porter::k8s
