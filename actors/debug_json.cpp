#include "actors/debug_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace porter {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(writer& w, const std::string& s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}
void key(writer& w, const char* k) {
  w.Key(k);
}

template <class F>
std::string document(F body) {
  rapidjson::StringBuffer buf;
  writer w{buf};
  w.StartObject();
  body(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

} // namespace

std::string leader_json(const std::string& identity, bool leading,
                        const std::string& holder) {
  return document([&](writer& w) {
    key(w, "identity");
    str(w, identity);
    key(w, "leading");
    w.Bool(leading);
    key(w, "holder");
    str(w, holder);
  });
}

std::string peers_json(const std::vector<bgp::peer_stats>& peers) {
  constexpr auto update = static_cast<std::size_t>(bgp::message_type::update);
  return document([&](writer& w) {
    key(w, "peers");
    w.StartArray();
    for (const auto& p : peers) {
      w.StartObject();
      key(w, "peer");
      str(w, p.peer);
      key(w, "state");
      str(w, p.state);
      key(w, "uptimeSeconds");
      w.Int64(p.uptime_ms / 1000);
      key(w, "advertisedPaths");
      w.Uint64(p.advertised_paths);
      key(w, "updatesIn");
      w.Uint64(p.messages_in[update]);
      key(w, "updatesOut");
      w.Uint64(p.messages_out[update]);
      // Times it went down: every time it came up, but the current one.
      const bool up = p.state == "Established";
      key(w, "flaps");
      w.Uint64(p.established_count > (up ? 1U : 0U)
                 ? p.established_count - (up ? 1U : 0U)
                 : 0U);
      key(w, "addPath");
      w.Bool(p.add_path);
      key(w, "holdTime");
      w.Uint(p.hold_time);
      key(w, "lastError");
      str(w, p.last_error);
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string routes_json(const std::vector<k8s::eip_route>& routes,
                        bool advertising) {
  return document([&](writer& w) {
    key(w, "advertising");
    w.Bool(advertising);
    key(w, "routes");
    w.StartArray();
    for (const auto& r : routes) {
      w.StartObject();
      key(w, "eip");
      str(w, net::to_string(r.eip));
      key(w, "nextHops");
      w.StartArray();
      for (const auto& h : r.next_hops)
        str(w, net::to_string(h));
      w.EndArray();
      key(w, "services");
      w.StartArray();
      for (const auto& s : r.services)
        str(w, s);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string allocations_json(const k8s::allocation_plan& plan) {
  return document([&](writer& w) {
    key(w, "pools");
    w.StartArray();
    for (const auto& p : plan.pools) {
      w.StartObject();
      key(w, "name");
      str(w, p.name);
      key(w, "firstIP");
      str(w, p.status.first_ip);
      key(w, "lastIP");
      str(w, p.status.last_ip);
      key(w, "size");
      w.Int64(p.status.pool_size);
      key(w, "used");
      w.Int64(p.status.usage);
      bool ready = false;
      std::string reason;
      for (const auto& c : p.conditions)
        if (c.type == "Ready") {
          ready = c.status == k8s::condition_status::is_true;
          reason = c.reason;
        }
      key(w, "ready");
      w.Bool(ready);
      key(w, "reason");
      str(w, reason);
      w.EndObject();
    }
    w.EndArray();
    key(w, "services");
    w.StartArray();
    for (const auto& s : plan.services) {
      if (!s.managed)
        continue;
      w.StartObject();
      key(w, "service");
      str(w, s.namespace_ + "/" + s.name);
      key(w, "ips");
      w.StartArray();
      for (const auto& ip : s.ips)
        str(w, net::to_string(ip.ip));
      w.EndArray();
      key(w, "pools");
      w.StartArray();
      for (const auto& ip : s.ips)
        str(w, ip.pool);
      w.EndArray();
      key(w, "failure");
      str(w, s.failure ? s.failure->message : std::string{});
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string rules_json(const net::kernel_view& have, std::size_t eips,
                       std::uint32_t table) {
  return document([&](writer& w) {
    key(w, "table");
    w.Uint(table);
    key(w, "eips");
    w.Uint64(eips);
    key(w, "rules");
    w.StartArray();
    for (const auto& r : have.rules) {
      w.StartObject();
      key(w, "to");
      str(w, net::to_string(r.to));
      key(w, "priority");
      w.Uint(r.priority);
      key(w, "table");
      w.Uint(r.table);
      w.EndObject();
    }
    w.EndArray();
    key(w, "routes");
    w.StartArray();
    for (const auto& r : have.routes) {
      w.StartObject();
      key(w, "family");
      str(w, r.fam == net::family::v4 ? "IPv4" : "IPv6");
      key(w, "table");
      w.Uint(r.table);
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string actors_json(const std::vector<actor_registry::actor_row>& rows) {
  return document([&](writer& w) {
    key(w, "actors");
    w.StartArray();
    for (const auto& r : rows) {
      w.StartObject();
      key(w, "kind");
      str(w, r.kind);
      key(w, "key");
      str(w, r.key);
      key(w, "summary");
      str(w, r.summary);
      key(w, "messages");
      w.Uint64(r.messages);
      key(w, "mailbox");
      w.Uint64(r.mailbox);
      key(w, "lastMessage");
      str(w, r.last_message);
      key(w, "idleSeconds");
      w.Double(r.idle_seconds);
      key(w, "busySeconds");
      w.Double(r.busy_seconds);
      key(w, "restarts");
      w.Uint(r.restarts);
      w.EndObject();
    }
    w.EndArray();
  });
}

} // namespace porter
