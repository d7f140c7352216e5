#include "sim/apiserver/encoding.hpp"

#include <cstdio>

namespace porter::sim {

namespace {

constexpr char alphabet[]
  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

} // namespace

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16
             | static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1]))
                 << 8
             | static_cast<unsigned char>(in[i + 2]);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    out += alphabet[n & 63];
  }
  if (i < in.size()) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size())
      n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1]))
           << 8;
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += i + 1 < in.size() ? alphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

// Accepts the standard and URL alphabets, with or without padding.
std::optional<std::string> base64_decode(std::string_view in) {
  while (!in.empty() && in.back() == '=')
    in.remove_suffix(1);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = decode_char(c);
    if (v < 0)
      return std::nullopt;
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(acc >> bits & 0xff);
    }
  }
  return out;
}

std::uint64_t splitmix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string make_uuid(splitmix64& rng) {
  std::uint64_t hi = rng.next();
  std::uint64_t lo = rng.next();
  hi = (hi & ~0xf000ULL) | 0x4000ULL;             // version 4
  lo = (lo & ~(0xc0ULL << 56)) | (0x80ULL << 56); // variant 10
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>(hi >> 16 & 0xffff),
                static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::string generate_name(std::string_view prefix, splitmix64& rng) {
  // utilrand.String: consonants and digits that cannot spell words.
  static constexpr char chars[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out(prefix);
  for (int i = 0; i < 5; ++i)
    out += chars[rng.below(sizeof chars - 1)];
  return out;
}

} // namespace porter::sim
