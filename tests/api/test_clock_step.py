"""Exam time that a wall-clock step cannot steal (issue 15).

The server runs under libfaketime (Debian's `faketime`) with only its wall
clock faked: FAKETIME_DONT_FAKE_MONOTONIC=1, the offset read from a file the
test rewrites while the server runs, as a technician or NTP would step the
clock. After each step the candidate's remaining time must be what it was
(less the real time that passed), no attempt may finish early, and the step
must be in the log, the audit log and the time ledger. A step while the
server is down follows the documented rule (docs/OPERATIONS.md): forward is
credited like an outage, backward is neutralised."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW, World, main, run, wait_until  # noqa: E402

FAKETIME_LIBS = ("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
                 "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1")
FAKETIME = next((p for p in FAKETIME_LIBS if os.path.exists(p)), None)


def faketime_env(offset_file):
    return {"LD_PRELOAD": FAKETIME, "FAKETIME_TIMESTAMP_FILE": offset_file,
            "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_NO_CACHE": "1"}


@unittest.skipUnless(FAKETIME, "libfaketime is not installed (scripts/install-deps.sh)")
class ClockStepTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=2, duration_s=1800)
        self.offset = os.path.join(self.w.dir, "faketime-offset")
        self.set_offset(0)
        self.w.serve(env=faketime_env(self.offset))

    def tearDown(self):
        if self.w.server and self.w.server.proc:
            self.w.server.stop()

    def set_offset(self, seconds):
        """Step the server's wall clock to real time + seconds (atomically)."""
        tmp = self.offset + ".tmp"
        with open(tmp, "w") as f:
            f.write("%+d\n" % seconds)
        os.replace(tmp, self.offset)

    def remaining(self, c):
        """(remaining_ms, the test's monotonic time of the reading)."""
        r = c.get("/api/v1/attempt")
        self.assertEqual(r.status, 200, r)
        return r.json["attempt"]["remaining_ms"], time.monotonic()

    def steps(self):
        """The server's own audit events of clock steps (each moved attempt
        has its own event too, with its candidate)."""
        return self.w.sql("SELECT detail FROM events WHERE kind = 'clock_step' AND "
                          "coalesce(candidate_id, 0) = 0 ORDER BY id")

    def ledger(self, regno):
        return self.w.sql("SELECT kind, delta_ms FROM time_ledger t JOIN candidates c ON "
                          "c.id = t.candidate_id WHERE registration_no = ? ORDER BY t.id", regno)

    def assert_kept(self, c, before, at):
        """The remaining time is what it was, less the real time that passed."""
        now_ms, now = self.remaining(c)
        expect = before - (now - at) * 1000
        self.assertAlmostEqual(now_ms, expect, delta=1000 * SLOW,
                               msg="remaining %d ms, expected %d ms" % (now_ms, expect))

    def test_steps_forward_and_back_keep_remaining_time(self):
        c = self.w.logged_in("C001")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        r0, t0 = self.remaining(c)

        # 10 minutes forward.
        self.set_offset(600)
        wait_until(lambda: len(self.steps()) == 1, 10, "the forward step to be recorded")
        self.assert_kept(c, r0, t0)
        self.assertEqual(c.answer(2, "B", 1).status, 200)  # still running, still answers
        led = self.ledger("C001")
        self.assertEqual(led[-1][0], "clock_step")
        self.assertAlmostEqual(led[-1][1], 600000, delta=1500)

        # 20 minutes back from there (-10 minutes from real time).
        self.set_offset(-600)
        wait_until(lambda: len(self.steps()) == 2, 10, "the backward step to be recorded")
        self.assert_kept(c, r0, t0)
        led = self.ledger("C001")
        self.assertEqual(led[-1][0], "clock_step")
        self.assertAlmostEqual(led[-1][1], -1200000, delta=1500)
        # The heartbeat keeps its 500-ms beat on the clock set back (its
        # schedule and waits are monotonic: no 20-minute silence).
        def beating_on_new_clock():
            hb = self.w.sql("SELECT value FROM meta WHERE key = 'heartbeat_ms'")[0][0]
            return abs(hb - (time.time() - 600) * 1000) < 2000 * SLOW
        wait_until(beating_on_new_clock, 5, "heartbeats on the stepped-back clock")

        # A step forward larger than the time left finishes nobody.
        self.set_offset(-600 + 7200)
        wait_until(lambda: len(self.steps()) == 3, 10, "the large step to be recorded")
        self.assert_kept(c, r0, t0)
        status = self.w.sql("SELECT a.status FROM attempts a JOIN candidates c ON "
                            "c.id = a.candidate_id WHERE registration_no = 'C001'")
        self.assertEqual(status, [("in_progress",)])
        self.assertEqual(c.answer(3, "C", 1).status, 200)

        # The audit event says how big each step was and how many attempts moved.
        import json
        details = [json.loads(d[0]) for d in self.steps()]
        self.assertAlmostEqual(details[0]["step_ms"], 600000, delta=1500)
        self.assertAlmostEqual(details[1]["step_ms"], -1200000, delta=1500)
        self.assertEqual([d["attempts_moved"] for d in details], [1, 1, 1])
        self.assertRegex(self.w.server.read_log(), r"wall clock was stepped by \+(599\.9|600\.0)")
        # Everything stays consistent: the ledger sums to the stored credit.
        self.w.server.stop()
        p = run("verify", "--db", self.w.db, "--exam", "EX", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_no_attempt_no_change_but_the_step_is_recorded(self):
        self.set_offset(-3600)
        wait_until(lambda: len(self.steps()) == 1, 10, "the step to be recorded")
        self.assertEqual(self.w.sql("SELECT count(*) FROM time_ledger"), [(0,)])

    def test_set_back_while_down_is_neutralised(self):
        """The heartbeat cannot tell a step from an outage: a clock set back
        while the server was down gives the attempt exactly the time it had
        at the last heartbeat (a negative ledger row), never more."""
        c = self.w.logged_in("C002")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        r0, t0 = self.remaining(c)
        self.w.server.kill9()
        self.set_offset(-1800)
        self.w.server.start()
        c.close()
        r1, t1 = self.remaining(c)
        # At most the heartbeat's period (0.5 s) plus the time to the kill lost.
        self.assertLessEqual(r1, r0 + 200)
        self.assertGreaterEqual(r1, r0 - (t1 - t0) * 1000 - 1500 * SLOW)
        led = self.ledger("C002")
        # recovery's negative row; after it at most the start-up's credit
        # (recovery to listening: downtime too, a fraction of a second)
        steps = [row for row in led if row[0] == "clock_step"]
        self.assertEqual(len(steps), 1, led)
        self.assertLess(steps[0][1], -1790000)
        after = led[led.index(steps[0]) + 1:]
        self.assertLessEqual(len(after), 1, led)
        for kind, delta in after:
            self.assertEqual(kind, "outage_credit")
            self.assertLess(delta, 5000 * SLOW)


if __name__ == "__main__":
    main()  # TAP for scripts/run-tests.sh
