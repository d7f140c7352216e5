// The actor registry (issue #11 item 2) through real CAF actors on the
// deterministic scheduler: enrolment and departure, messages counted by
// handler, the mailbox depth an actor sees, busy time inside a message, and
// restarts after a crash under the supervisor; plus its /debug/actors
// document, the `porter inspect actors` table and the metrics families.
#include "actors/actor_registry.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "test_coordinator.hpp"

#include "actors/actor_card.hpp"
#include "actors/debug_json.hpp"
#include "actors/inspect_tables.hpp"
#include "actors/metrics.hpp"
#include "actors/supervisor.hpp"

namespace porter {
namespace {

using namespace std::chrono_literals;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using look_atom = caf::atom_constant<caf::atom("look")>;
using crash_atom = caf::atom_constant<caf::atom("crash")>;

struct probe_state {
  static inline const char* name = "probe";
  int handled = 0;
  std::vector<actor_registry::actor_row> seen_inside;
  actor_card card;
};

caf::behavior probe(caf::stateful_actor<probe_state>* self, std::string key) {
  self->state.card.enroll(self, "probe", std::move(key), [self] {
    return std::to_string(self->state.handled) + " pings";
  });
  return self->state.card.behavior(
    [self](ping_atom, int) { ++self->state.handled; },
    [self](look_atom) {
      // Long enough that the busy time cannot round to zero.
      std::this_thread::sleep_for(5ms);
      self->state.seen_inside = actor_registry::snapshot();
    },
    [](crash_atom) -> void { throw std::runtime_error("boom"); });
}

std::vector<actor_registry::actor_row> rows_of(std::string_view kind) {
  std::vector<actor_registry::actor_row> out;
  for (auto& r : actor_registry::snapshot())
    if (r.kind == kind)
      out.push_back(std::move(r));
  return out;
}

class ActorRegistryTest : public test::actor_test {};

TEST_F(ActorRegistryTest, CountsMessagesByHandlerAndKeepsTheSummary) {
  auto a = sys_.spawn(probe, std::string{"alpha"});
  run();
  auto rows = rows_of("probe");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].key, "alpha");
  EXPECT_EQ(rows[0].summary, "0 pings"); // from enrolment, before a message
  EXPECT_EQ(rows[0].messages, 0U);

  for (int i = 0; i < 3; ++i)
    caf::anon_send(a, ping_atom::value, i);
  run();
  rows = rows_of("probe");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].messages, 3U);
  EXPECT_EQ(rows[0].last_message, "ping");
  EXPECT_EQ(rows[0].summary, "3 pings");
  EXPECT_EQ(rows[0].mailbox, 0U); // nothing was waiting behind the last
  EXPECT_EQ(rows[0].busy_seconds, 0);

  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  run();
  EXPECT_TRUE(rows_of("probe").empty()) << "a stopped actor leaves";
}

// Message types name their handler in the LAST column, namespaces dropped.
TEST(ActorRegistry, HandlerNamesWithoutNamespaces) {
  const std::pair<const char*, const char*> table[] = {
    {"porter::pool_update", "pool_update"},
    {"porter::watch_batch<porter::k8s::lease>", "watch_batch<lease>"},
    {"std::vector<std::shared_ptr<porter::k8s::service const>, "
     "std::allocator<std::shared_ptr<porter::k8s::service const> > >",
     "vector<shared_ptr<service const>, allocator<shared_ptr<service const> "
     "> >"},
    {"int", "int"},
    {"porter::(anonymous namespace)::pool_write_done", "pool_write_done"},
  };
  for (const auto& [in, out] : table)
    EXPECT_EQ(actor_registry::without_namespaces(in), out);
}

TEST_F(ActorRegistryTest, InsideAMessageTheActorIsBusyAndSeesItsMailbox) {
  auto a = sys_.spawn(probe, std::string{"beta"});
  run();
  caf::anon_send(a, look_atom::value);
  for (int i = 0; i < 4; ++i)
    caf::anon_send(a, ping_atom::value, i);
  run();
  const auto& inside = caf::actor_cast<caf::abstract_actor*>(a);
  auto* probe_actor = dynamic_cast<caf::stateful_actor<probe_state>*>(inside);
  ASSERT_NE(probe_actor, nullptr);
  const auto& seen = probe_actor->state.seen_inside;
  auto me = std::find_if(seen.begin(), seen.end(),
                         [](const auto& r) { return r.key == "beta"; });
  ASSERT_NE(me, seen.end());
  EXPECT_EQ(me->mailbox, 4U) << "four pings waited behind `look`";
  EXPECT_EQ(me->last_message, "look");
  EXPECT_GE(me->busy_seconds, 0.004);
  EXPECT_EQ(me->idle_seconds, 0);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

TEST_F(ActorRegistryTest, ACrashedActorStartedAgainCountsARestart) {
  auto current = std::make_shared<caf::actor>();
  child_spec spec{"probe", [current](caf::local_actor* sup) {
                    *current = sup->spawn(probe, std::string{"gamma"});
                    return *current;
                  }};
  auto sup = spawn_supervisor(sys_, {spec});
  run();
  ASSERT_EQ(rows_of("probe").size(), 1U);
  EXPECT_EQ(rows_of("probe")[0].restarts, 0U);
  auto supervisors = rows_of("supervisor");
  ASSERT_EQ(supervisors.size(), 1U);
  EXPECT_EQ(supervisors[0].summary, "1/1 children running, 0 restarts");

  caf::actor child = *current;
  caf::anon_send(child, crash_atom::value);
  run();
  EXPECT_TRUE(rows_of("probe").empty()) << "the crashed actor left";
  advance(restart_policy{}.initial);
  auto rows = rows_of("probe");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].key, "gamma");
  EXPECT_EQ(rows[0].restarts, 1U);
  EXPECT_NE(
    metrics::render().find("porter_actor_restarts_total{kind=\"probe\"} 1\n"),
    std::string::npos);
  // A stop that was asked for is not a crash: no second restart counted.
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  run();
}

TEST_F(ActorRegistryTest, MetricsListEveryActorOnceByKindAndKey) {
  auto a = sys_.spawn(probe, std::string{"delta"});
  auto b = sys_.spawn(probe, std::string{"delta"}); // same identity twice
  run();
  caf::anon_send(a, ping_atom::value, 1);
  caf::anon_send(b, ping_atom::value, 2);
  run();
  const auto text = metrics::render();
  EXPECT_NE(
    text.find("porter_actor_messages_total{kind=\"probe\",key=\"delta\"}"
              " 2\n"),
    std::string::npos)
    << text;
  EXPECT_NE(text.find("porter_actors{kind=\"probe\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE porter_actor_mailbox_depth gauge"),
            std::string::npos);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
}

// /debug/actors → `porter inspect actors`: one row per actor, a busy one
// shows how long it has been inside its message.
TEST(ActorTable, RendersTheDebugDocument) {
  actor_registry::actor_row idle;
  idle.kind = "bgp_session";
  idle.key = "tor-a";
  idle.summary = "Established, 3 paths sent";
  idle.messages = 120;
  idle.last_message = "io_data";
  idle.idle_seconds = 1.5;
  actor_registry::actor_row stuck;
  stuck.kind = "eip_pool";
  stuck.key = "eip-pool";
  stuck.summary = "10.0.0.1-10.0.0.9 used 2/9 Ready";
  stuck.messages = 7;
  stuck.mailbox = 42;
  stuck.last_message = "pool_update";
  stuck.busy_seconds = 12.25;
  stuck.restarts = 2;
  auto table = render_inspect("actors", actors_json({idle, stuck}));
  ASSERT_TRUE(table) << table.error();
  EXPECT_EQ(*table,
            "KIND         KEY       MESSAGES  MAILBOX  LAST         IDLE  BUSY"
            "    RESTARTS  STATE\n"
            "bgp_session  tor-a     120       0        io_data      1.5s  -"
            "       0         Established, 3 paths sent\n"
            "eip_pool     eip-pool  7         42       pool_update  -     "
            "12.25s  2         10.0.0.1-10.0.0.9 used 2/9 Ready\n");
}

// `porter inspect routes PREFIX`: only the EIPs inside it; a bad prefix or
// a prefix for another section is an error, not an empty table.
TEST(RoutesTable, PrefixKeepsTheEipsInsideIt) {
  const std::string doc
    = R"({"advertising":true,"routes":[)"
      R"({"eip":"10.0.0.5","nextHops":["192.168.0.1"],"services":["a/x"]},)"
      R"({"eip":"10.0.1.5","nextHops":["192.168.0.2"],"services":["a/y"]},)"
      R"({"eip":"2001:db8::5","nextHops":["fd00::1"],"services":["a/z"]}]})";
  const std::pair<const char*, std::vector<const char*>> table[] = {
    {"", {"10.0.0.5", "10.0.1.5", "2001:db8::5"}},
    {"10.0.0.0/24", {"10.0.0.5"}},
    {"10.0.1.5", {"10.0.1.5"}},
    {"2001:db8::/32", {"2001:db8::5"}},
    {"192.168.0.0/16", {}},
  };
  for (const auto& [prefix, want] : table) {
    auto out = render_inspect("routes", doc, prefix);
    ASSERT_TRUE(out) << out.error();
    for (const char* eip : {"10.0.0.5 ", "10.0.1.5 ", "2001:db8::5 "}) {
      const bool wanted = std::find_if(want.begin(), want.end(),
                                       [&](const char* w) {
                                         return std::string{w} + " " == eip;
                                       })
                          != want.end();
      EXPECT_EQ(out->find(eip) != std::string::npos, wanted)
        << prefix << " / " << eip << "\n"
        << *out;
    }
  }
  EXPECT_FALSE(render_inspect("routes", doc, "10.0.0.1/8"));
  EXPECT_FALSE(render_inspect("peers", R"({"peers":[]})", "10.0.0.0/8"));
}

} // namespace
} // namespace porter
