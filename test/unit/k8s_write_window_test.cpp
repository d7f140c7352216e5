// The leader's write window (k8s/write_window.hpp; issue #7 item 6): how
// many writes are in flight, which wait and in what order, which are not
// sent again, and which Events are recorded when.
#include <gtest/gtest.h>

#include "k8s/write_window.hpp"

namespace porter::k8s {
namespace {

api_write write(const std::string& key, const std::string& version = "1") {
  api_write w;
  w.key = key;
  w.planned_from = version;
  w.body = key + "@" + version;
  event_write e;
  e.object.name = key;
  e.event.reason = "IPAllocated";
  w.events.push_back(e);
  return w;
}

std::vector<std::string> keys(const std::vector<api_write>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws)
    out.push_back(w.key);
  return out;
}

TEST(WriteWindow, AtMostMaxInFlightTheRestInOrder) {
  write_window win{{2, 10}};
  EXPECT_TRUE(win.offer(write("a")));
  EXPECT_TRUE(win.offer(write("b")));
  EXPECT_FALSE(win.offer(write("c"))); // waits: two in flight
  EXPECT_FALSE(win.offer(write("d")));
  EXPECT_EQ(win.in_flight(), 2U);
  EXPECT_EQ(win.queued(), 2U);
  auto done = win.finish("a", true);
  EXPECT_EQ(keys(done.start), std::vector<std::string>{"c"}); // first queued
  done = win.finish("b", true);
  EXPECT_EQ(keys(done.start), std::vector<std::string>{"d"});
  EXPECT_FALSE(win.idle());
}

TEST(WriteWindow, SentWritesCarryNoEventsUntilTheAnswer) {
  write_window win;
  auto sent = win.offer(write("a"));
  ASSERT_TRUE(sent);
  EXPECT_TRUE(sent->events.empty()); // kept for the answer
  EXPECT_EQ(sent->body, "a@1");
  auto done = win.finish("a", true);
  ASSERT_EQ(done.events.size(), 1U);
  EXPECT_EQ(done.events[0].object.name, "a");
  EXPECT_TRUE(win.idle());
}

TEST(WriteWindow, AFailedWriteRecordsNothingAndMayBeSentAgain) {
  write_window win;
  ASSERT_TRUE(win.offer(write("a")));
  EXPECT_TRUE(win.finish("a", false).events.empty());
  EXPECT_TRUE(win.offer(write("a"))) << "same version, after a failure";
}

// One write per key and object version: in flight or already sent for this
// resourceVersion (the watch has not shown the result) → not again.
TEST(WriteWindow, NoSecondWriteForAKeyInFlightOrAVersionSent) {
  write_window win;
  ASSERT_TRUE(win.offer(write("a", "1")));
  EXPECT_FALSE(win.offer(write("a", "1"))) << "in flight";
  EXPECT_FALSE(win.offer(write("a", "2"))) << "in flight, newer version";
  win.finish("a", true);
  EXPECT_FALSE(win.offer(write("a", "1"))) << "sent for version 1";
  EXPECT_TRUE(win.offer(write("a", "2"))) << "the watch showed version 2";
}

TEST(WriteWindow, ANewerPlanReplacesAQueuedWriteInItsPlace) {
  write_window win{{1, 10}};
  ASSERT_TRUE(win.offer(write("a")));
  win.offer(write("b", "1"));
  win.offer(write("c"));
  win.offer(write("b", "2")); // replaces, keeps b before c
  EXPECT_EQ(win.queued(), 2U);
  auto done = win.finish("a", true);
  ASSERT_EQ(done.start.size(), 1U);
  EXPECT_EQ(done.start[0].body, "b@2");
}

TEST(WriteWindow, EachPassQueuesAfreshUpToTheLimit) {
  write_window win{{1, 2}};
  ASSERT_TRUE(win.offer(write("a")));
  win.offer(write("b"));
  EXPECT_TRUE(win.has_room());
  win.offer(write("c"));
  EXPECT_FALSE(win.has_room()) << "two queued: the pass stops offering";
  win.begin_pass();
  EXPECT_EQ(win.queued(), 0U);
  EXPECT_TRUE(win.has_room());
  EXPECT_TRUE(win.finish("a", true).start.empty()) << "nothing queued now";
}

TEST(WriteWindow, ConvergedKeysForgetTheirVersion) {
  write_window win;
  ASSERT_TRUE(win.offer(write("a", "1")));
  ASSERT_TRUE(win.offer(write("b", "1")));
  win.finish("a", true);
  // A complete pass that no longer plans "a": if "a" is planned later with
  // the same version (a rollback), it is written again.
  win.forget_converged({"b"});
  EXPECT_TRUE(win.offer(write("a", "1")));
  // "b" is still in flight: its version is kept.
  win.forget_converged({});
  win.finish("b", true);
  EXPECT_FALSE(win.offer(write("b", "1")));
}

event_write failure(const std::string& name, const std::string& message) {
  event_write e;
  e.object.namespace_ = "ns";
  e.object.name = name;
  e.event.reason = "AllocationFailed";
  e.event.message = message;
  return e;
}

TEST(FailureReports, OncePerServiceAndMessage) {
  failure_reports r;
  auto names = [](const std::vector<event_write>& es) {
    std::string out;
    for (const auto& e : es)
      out += e.object.name + ":" + e.event.message + " ";
    return out;
  };
  EXPECT_EQ(names(r.fresh({failure("a", "full"), failure("b", "no pool")})),
            "a:full b:no pool ");
  EXPECT_EQ(names(r.fresh({failure("a", "full"), failure("b", "no pool")})), "")
    << "the next pass: nothing new";
  EXPECT_EQ(names(r.fresh({failure("a", "taken")})), "a:taken ")
    << "a new reason is news; b's failure is over";
  EXPECT_EQ(names(r.fresh({failure("a", "taken"), failure("b", "no pool")})),
            "b:no pool ")
    << "b fails again after it had stopped";
}

} // namespace
} // namespace porter::k8s
