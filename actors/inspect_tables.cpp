#include "actors/inspect_tables.hpp"

#include <optional>

#include <rapidjson/document.h>

#include "net/ip_address.hpp"
#include "sim/scenario/text_table.hpp"

namespace porter {

namespace {

using value = rapidjson::Value;

std::string text(const value& o, const char* k) {
  if (!o.IsObject() || !o.HasMember(k))
    return "";
  const auto& v = o[k];
  if (v.IsString())
    return v.GetString();
  if (v.IsBool())
    return v.GetBool() ? "yes" : "no";
  if (v.IsInt64())
    return std::to_string(v.GetInt64());
  if (v.IsUint64())
    return std::to_string(v.GetUint64());
  if (v.IsArray()) {
    std::string out;
    for (const auto& item : v.GetArray())
      if (item.IsString())
        out += (out.empty() ? "" : " ") + std::string{item.GetString()};
    return out.empty() ? "-" : out;
  }
  return "";
}

std::string duration(const std::string& seconds) {
  if (seconds.empty())
    return "";
  const long long s = std::stoll(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60,
                s % 60);
  return buf;
}

/// Seconds with up to millisecond digits, "-" for zero (idle or not busy).
std::string seconds(const value& o, const char* k) {
  if (!o.IsObject() || !o.HasMember(k) || !o[k].IsNumber()
      || o[k].GetDouble() <= 0)
    return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", o[k].GetDouble());
  std::string out{buf};
  out.erase(out.find_last_not_of('0') + 1);
  if (out.back() == '.')
    out.pop_back();
  return out + "s";
}

const value* array(const value& d, const char* k) {
  return d.IsObject() && d.HasMember(k) && d[k].IsArray() ? &d[k] : nullptr;
}

} // namespace

tl::expected<std::string, std::string> render_inspect(std::string_view section,
                                                      std::string_view json,
                                                      std::string_view prefix) {
  std::optional<net::prefix> only;
  if (!prefix.empty()) {
    if (section != "routes")
      return tl::unexpected{std::string{"a PREFIX applies to routes only"}};
    auto p = net::parse_prefix(prefix);
    if (!p)
      return tl::unexpected{"PREFIX " + std::string{prefix} + ": "
                            + p.error().what};
    only = *p;
  }
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject())
    return tl::unexpected{std::string{"not a JSON object"}};
  std::vector<sim::text_row> rows;
  if (section == "peers") {
    const auto* peers = array(d, "peers");
    if (peers == nullptr)
      return tl::unexpected{std::string{"no peers array"}};
    for (const auto& p : peers->GetArray())
      rows.push_back({text(p, "peer"), text(p, "state"),
                      duration(text(p, "uptimeSeconds")),
                      text(p, "advertisedPaths"), text(p, "updatesOut"),
                      text(p, "updatesIn"), text(p, "flaps"),
                      text(p, "addPath"), text(p, "lastError")});
    return sim::render_table({"PEER", "STATE", "UPTIME", "PATHS", "UPD-OUT",
                              "UPD-IN", "FLAPS", "ADD-PATH", "LAST ERROR"},
                             rows);
  }
  if (section == "routes") {
    const auto* routes = array(d, "routes");
    if (routes == nullptr)
      return tl::unexpected{std::string{"no routes array"}};
    for (const auto& r : routes->GetArray()) {
      const auto eip = net::parse_ip(text(r, "eip"));
      if (only && (!eip || !only->contains(*eip)))
        continue;
      rows.push_back(
        {text(r, "eip"), text(r, "nextHops"), text(r, "services")});
    }
    return std::string{text(d, "advertising") == "yes"
                         ? "advertising (leader)\n"
                         : "not advertising (follower)\n"}
           + sim::render_table({"EIP", "NEXT HOPS", "SERVICES"}, rows);
  }
  if (section == "actors") {
    const auto* actors = array(d, "actors");
    if (actors == nullptr)
      return tl::unexpected{std::string{"no actors array"}};
    for (const auto& a : actors->GetArray())
      rows.push_back({text(a, "kind"), text(a, "key"), text(a, "messages"),
                      text(a, "mailbox"), text(a, "lastMessage"),
                      seconds(a, "idleSeconds"), seconds(a, "busySeconds"),
                      text(a, "restarts"), text(a, "summary")});
    return sim::render_table({"KIND", "KEY", "MESSAGES", "MAILBOX", "LAST",
                              "IDLE", "BUSY", "RESTARTS", "STATE"},
                             rows);
  }
  if (section == "pools") {
    const auto* pools = array(d, "pools");
    if (pools == nullptr)
      return tl::unexpected{std::string{"no pools array"}};
    for (const auto& p : pools->GetArray())
      rows.push_back({text(p, "name"),
                      text(p, "firstIP") + "-" + text(p, "lastIP"),
                      text(p, "size"), text(p, "used"),
                      text(p, "ready") == "yes" ? "Ready" : text(p, "reason")});
    return sim::render_table({"POOL", "RANGE", "SIZE", "USED", "STATE"}, rows);
  }
  if (section == "services") {
    const auto* services = array(d, "services");
    if (services == nullptr)
      return tl::unexpected{std::string{"no services array"}};
    for (const auto& s : services->GetArray())
      rows.push_back({text(s, "service"), text(s, "ips"), text(s, "pools"),
                      text(s, "failure")});
    return sim::render_table({"SERVICE", "EIPS", "POOLS", "PROBLEM"}, rows);
  }
  if (section == "leader")
    return sim::render_table(
      {"IDENTITY", "LEADING", "HOLDER"},
      {{text(d, "identity"), text(d, "leading"), text(d, "holder")}});
  if (section == "rules") {
    const auto* rules = array(d, "rules");
    if (rules == nullptr)
      return tl::unexpected{std::string{"no rules array"}};
    for (const auto& r : rules->GetArray())
      rows.push_back({text(r, "to"), text(r, "table"), text(r, "priority")});
    std::string routes;
    if (const auto* rs = array(d, "routes"))
      for (const auto& r : rs->GetArray())
        routes += "local default dev lo table " + text(r, "table") + " ("
                  + text(r, "family") + ")\n";
    return routes + sim::render_table({"EIP", "TABLE", "PRIORITY"}, rows);
  }
  return tl::unexpected{"unknown section " + std::string{section}};
}

} // namespace porter
