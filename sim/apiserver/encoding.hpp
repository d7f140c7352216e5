// Small encodings the emulator needs without a crypto library: base64 (RFC
// 4648 §4, for continue tokens and kubeconfig data), a seeded splitmix64
// generator (uids, generateName suffixes, ClusterIP picks; deterministic
// for tests), and UUID v4 text (RFC 9562 §5.4) for metadata.uid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace porter::sim {

std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);

class splitmix64 {
public:
  explicit splitmix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// Uniform in [0, n) (n > 0).
  std::uint64_t below(std::uint64_t n) { return next() % n; }

private:
  std::uint64_t state_;
};

std::string make_uuid(splitmix64& rng);
/// apiserver's names.SimpleNameGenerator: prefix + 5 random characters.
std::string generate_name(std::string_view prefix, splitmix64& rng);

} // namespace porter::sim
