"""Durability and the server-owned clock: SIGKILL the real server mid-exam,
restart it, and check that every acknowledged answer, the session and the
clock come back; short exams end by themselves at the deadline."""

import os
import random
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import SLOW, World, parse_time, wait_until  # noqa: E402


def attempt_row(w, regno):
    rows = w.sql("SELECT a.status, a.started_at, a.credit_ms, a.finished_at, a.finish_reason, "
                 "a.total FROM attempts a JOIN candidates c ON c.id = a.candidate_id "
                 "WHERE c.registration_no = ?", regno)
    return rows[0] if rows else None


class KillMidExamTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=8)
        self.w.serve()

    def tearDown(self):
        self.w.close()

    def test_acknowledged_answers_survive_repeated_sigkill(self):
        """Candidates answer continuously from several threads; the server is
        SIGKILLed three times at random moments. Every answer that got a 200
        must be stored with at least that rev, and after the restarts the API
        reports exactly the stored answers under the same session tokens."""
        regnos = ["C%03d" % i for i in range(1, 7)]
        clients = {}
        for r in regnos:
            c = self.w.logged_in(r)
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            clients[r] = c
        acked = {}  # (regno, n) -> (rev, option)
        lock = threading.Lock()
        stop = threading.Event()
        revs = {r: 0 for r in regnos}

        def worker(regno):
            c = harness.Client("127.0.0.1", self.w.server.port, clients[regno].token)
            rnd = random.Random(regno)
            while not stop.is_set():
                n = rnd.randint(1, 12)
                revs[regno] += 1
                rev = revs[regno]
                opt = rnd.choice("ABCDE")
                try:
                    r = c.answer(n, opt, rev, flagged=rev % 3 == 0)
                except OSError:
                    time.sleep(0.01)  # server down: a browser would retry
                    continue
                if r.status == 200 and r.json["rev"] == rev:
                    with lock:
                        prev = acked.get((regno, n), (0, None))
                        if rev > prev[0]:
                            acked[(regno, n)] = (rev, opt)
            c.close()

        threads = [threading.Thread(target=worker, args=(r,)) for r in regnos]
        for t in threads:
            t.start()
        try:
            for _ in range(3):
                # let some answers through, then kill at a random moment
                wait_until(lambda: len(acked) >= 10, 10, "answers to be acknowledged")
                time.sleep(random.uniform(0.05, 0.3))
                self.w.server.kill9()
                self.w.server.start()
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertGreater(len(acked), 10)
        stored = {(r, n): (rev, label) for r, n, rev, label in self.w.sql(
            "SELECT c.registration_no, a.n, a.rev, a.label FROM answers a JOIN candidates c "
            "ON c.id = a.candidate_id")}
        for key, (rev, opt) in acked.items():
            self.assertIn(key, stored, "acknowledged answer lost")
            self.assertGreaterEqual(stored[key][0], rev, key)
            if stored[key][0] == rev:
                self.assertEqual(stored[key][1], opt, key)
        # The API reports exactly what is stored, with the same sessions.
        for r in regnos:
            c = harness.Client("127.0.0.1", self.w.server.port, clients[r].token)
            g = c.get("/api/v1/attempt")
            self.assertEqual(g.status, 200, "session did not survive the restart")
            api = {(r, a["n"]): (a["rev"], a["option"]) for a in g.json["answers"]}
            mine = {k: v for k, v in stored.items() if k[0] == r}
            self.assertEqual(api, mine)

    def test_restart_restores_paper_answers_flags_and_clock(self):
        c = self.w.logged_in("C007")
        paper = c.post("/api/v1/attempt/start").json
        self.assertEqual(c.answer(3, "B", 1, flagged=True).status, 200)
        self.assertEqual(c.answer(5, "E", 1).status, 200)
        self.assertEqual(c.answer(5, "A", 2).status, 200)
        self.assertEqual(c.answer(7, None, 1, flagged=True).status, 200)
        d0 = parse_time(c.get("/api/v1/attempt").json["attempt"]["deadline"])
        t_kill = time.time()
        self.w.server.kill9()
        # the venue waits a moment before the server is back
        wait_until(lambda: time.time() - t_kill > 1.5, 5, "downtime to pass")
        t_start = time.time()
        self.w.server.start()
        t_ready = time.time()
        c.close()
        g = c.get("/api/v1/attempt")
        self.assertEqual(g.status, 200)
        self.assertEqual(g.json["questions"], paper["questions"])
        self.assertEqual(g.json["answers"], [
            {"n": 3, "option": "B", "flagged": True, "rev": 1},
            {"n": 5, "option": "A", "flagged": False, "rev": 2},
            {"n": 7, "option": None, "flagged": True, "rev": 1}])
        d1 = parse_time(g.json["attempt"]["deadline"])
        credit = d1 - d0
        # The server was down at least from the kill to the restart command,
        # and its last heartbeat is at most a second before the kill.
        self.assertGreaterEqual(credit, t_start - t_kill - 0.05)
        self.assertLessEqual(credit, t_ready - t_kill + 1.05)
        # wait for the start-up credit (through the writer) to be committed
        wait_until(lambda: self.w.sql(
            "SELECT coalesce(sum(delta_ms), 0) FROM time_ledger t JOIN candidates c ON "
            "c.id = t.candidate_id WHERE registration_no = 'C007'")[0][0] / 1000 >= credit - 0.002,
            10 * SLOW, "the ledger to hold the credit")
        ledger = self.w.sql("SELECT kind, delta_ms, note FROM time_ledger t JOIN candidates c ON "
                            "c.id = t.candidate_id WHERE registration_no = 'C007' ORDER BY t.id")
        # recovery's row (down since the last heartbeat), and the start-up
        # until the listener was up when that took a millisecond or more
        self.assertIn(len(ledger), (1, 2))
        self.assertEqual({k for k, _, _ in ledger}, {"outage_credit"})
        self.assertIn("server not running from", ledger[0][2])
        if len(ledger) == 2:
            self.assertIn("server starting up from", ledger[1][2])
        self.assertAlmostEqual(sum(d for _, d, _ in ledger) / 1000, credit, delta=0.002)
        # remaining time is what it was at the crash, not less
        self.assertGreater(g.json["attempt"]["remaining_ms"], 3600 * 1000 - 10000 * SLOW)


class OutageCreditOffTest(unittest.TestCase):
    def test_no_credit_when_disabled(self):
        w = World(n_candidates=1)
        try:
            w.serve("--outage-credit", "off")
            c = w.logged_in("C001")
            d0 = c.post("/api/v1/attempt/start").json["attempt"]["deadline"]
            w.server.kill9()
            w.server.start()
            c.close()
            self.assertEqual(c.get("/api/v1/attempt").json["attempt"]["deadline"], d0)
            self.assertEqual(w.sql("SELECT count(*) FROM time_ledger"), [(0,)])
        finally:
            w.close()


class DeadlineTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=3, duration_s=10)
        self.w.serve()

    def tearDown(self):
        self.w.close()

    def test_time_up_without_any_request(self):
        c = self.w.logged_in("C001")
        paper = c.post("/api/v1/attempt/start").json
        q = paper["questions"]
        choices = {q[0]["n"]: self.w.best_label(q[0]), q[5]["n"]: self.w.best_label(q[5]),
                   q[10]["n"]: self.w.best_label(q[10])}
        for i, (n, label) in enumerate(choices.items()):
            self.assertEqual(c.answer(n, label, 1).status, 200)
        deadline = parse_time(paper["attempt"]["deadline"])
        c.close()  # no more requests from anyone
        row = wait_until(lambda: (attempt_row(self.w, "C001") or ("",))[0] == "finished" and
                         attempt_row(self.w, "C001"), 15, "the server to finish the attempt")
        seen = time.time()
        self.assertEqual(row[4], "time_up")
        self.assertEqual(row[3] / 1000, deadline)  # finished_at is the deadline itself
        self.assertLessEqual(seen - deadline, 1.0 * SLOW + 0.1,
                             "finished more than a second after the deadline")
        exp = self.w.expected(paper, choices)
        self.assertEqual(row[5], sum(exp.values()))
        r = c.answer(1, "A", 99)
        self.assertEqual((r.status, r.error), (409, "attempt_closed"))
        res = c.get("/api/v1/attempt/result").json
        self.assertEqual(res["finish_reason"], "time_up")
        self.assertEqual({s["code"]: s["score"] for s in res["sections"]}, exp)
        # The server's own finish is in the audit log too.
        fin = self.w.sql("SELECT detail FROM events e JOIN candidates c ON c.id = "
                         "e.candidate_id WHERE registration_no = 'C001' AND kind = 'finish'")
        self.assertEqual(fin, [('{"reason":"time_up","total":%d}' % sum(exp.values()),)])

    def test_answer_after_deadline_refused_and_not_stored(self):
        c = self.w.logged_in("C002")
        p = c.post("/api/v1/attempt/start").json
        deadline = parse_time(p["attempt"]["deadline"])
        wait_until(lambda: time.time() > deadline + 0.05, 15, "the deadline")
        r = c.answer(1, "A", 1)
        self.assertEqual((r.status, r.error), (409, "attempt_closed"))
        self.assertEqual(self.w.sql("SELECT count(*) FROM answers"), [(0,)])

    def test_extra_time(self):
        self.w.add_candidates("EX", ["X1"], extra=20)
        c = self.w.client()
        wait_until(lambda: c.login("EX", "X1", self.w.password("X1")).status == 200, 5,
                   "the new candidate")
        p = c.post("/api/v1/attempt/start").json["attempt"]
        self.assertEqual(parse_time(p["deadline"]) - parse_time(p["started_at"]), 30)


class DeadlineDuringOutageTest(unittest.TestCase):
    def run_case(self, credit):
        w = World(n_candidates=1, duration_s=10)
        try:
            w.serve("--outage-credit", credit)
            c = w.logged_in("C001")
            p = c.post("/api/v1/attempt/start").json
            self.assertEqual(c.answer(2, "C", 1).status, 200)
            before = c.get("/api/v1/attempt").json["attempt"]["remaining_ms"]
            deadline = parse_time(p["attempt"]["deadline"])
            w.server.kill9()
            wait_until(lambda: time.time() > deadline + 0.5, 20, "the deadline to pass")
            w.server.start()
            c.close()
            return w, c, deadline, before
        except Exception:
            w.close()
            raise

    def test_credit_on_resumes_with_remaining_time(self):
        w, c, deadline, before = self.run_case("on")
        try:
            g = c.get("/api/v1/attempt").json
            self.assertEqual(g["attempt"]["status"], "in_progress")
            self.assertAlmostEqual(g["attempt"]["remaining_ms"], before, delta=1300 * SLOW)
            self.assertEqual(g["answers"][0]["option"], "C")
        finally:
            w.close()

    def test_credit_off_finishes_at_the_deadline(self):
        w, c, deadline, before = self.run_case("off")
        try:
            row = attempt_row(w, "C001")
            self.assertEqual((row[0], row[4]), ("finished", "time_up"))
            self.assertEqual(row[3] / 1000, deadline)
            self.assertEqual(c.get("/api/v1/attempt/result").json["finish_reason"], "time_up")
        finally:
            w.close()


class DescriptorLimitTest(unittest.TestCase):
    """More connections than the server has file descriptors: it must keep
    running, pause accepting, and serve again as connections go away."""

    def test_survives_emfile_and_recovers(self):
        import socket
        w = World(n_candidates=2)
        try:
            w.server = harness.Server(w.dir, w.db, ["--idle-timeout", "60"], nofile=48).start()
            port = w.server.port
            held = []
            for _ in range(80):  # far beyond 48 descriptors
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                held.append(s)
            # the server is still there (EMFILE did not kill it)
            self.assertIsNone(w.server.proc.poll(), "server died at EMFILE")
            for s in held:
                s.close()
            c = w.client()
            r = wait_until(lambda: self._try(c), 10, "the server to serve again")
            self.assertEqual(r.json["status"], "ok")
            self.assertIn("Too many open files", w.server.read_log())
            # under pressure, replies close their connection to free descriptors
            self.assertEqual(r.headers.get("connection", "").lower(), "close")
        finally:
            w.close()

    def test_keepalive_only_below_its_share_of_the_limit(self):
        """Idle keep-alive connections (a candidate's browser polling every
        4 s holds one) may take at most 75% of the descriptor limit: a
        connection on a higher descriptor is closed after its reply, so
        polling browsers can never use up the limit; below it, connections
        stay open."""
        w = World(n_candidates=2)
        try:
            w.server = harness.Server(w.dir, w.db, ["--idle-timeout", "60"], nofile=64).start()
            clients, closing = [], []
            for _ in range(56):  # 64 * 75% = 48: the later ones are past the share
                c = w.client()
                r = c.get("/api/v1/health")
                self.assertEqual(r.status, 200)
                closing.append(r.headers.get("connection", "").lower() == "close")
                clients.append(c)
            self.assertFalse(any(closing[:20]), "the first connections stay open")
            self.assertTrue(all(closing[-5:]), "connections past the share close")
            self.assertNotIn("Too many open files", w.server.read_log())
            self.assertNotIn("idle connections close after", w.server.read_log())
            for c in clients:
                c.close()
        finally:
            w.close()

    def test_more_candidates_than_keepalive_room_shorten_the_idle_timeout(self):
        """60 candidates for 64 descriptors (48 of them for keep-alive): idle
        connections close after 3 s, so polling browsers hold none between
        polls; the server says so in its log."""
        w = World(n_candidates=60)
        try:
            w.server = harness.Server(w.dir, w.db, ["--idle-timeout", "60"], nofile=64).start()
            self.assertIn("60 candidates for 64 descriptors: idle connections close after 3 s",
                          w.server.read_log())
            import socket
            s = socket.create_connection(("127.0.0.1", w.server.port), timeout=30)
            t0 = time.monotonic()
            self.assertEqual(s.recv(1), b"")  # the server closes the idle connection
            self.assertLess(time.monotonic() - t0, 20)
            s.close()
        finally:
            w.close()

    @staticmethod
    def _try(c):
        try:
            r = c.get("/api/v1/health")
            return r if r.status == 200 else None
        except OSError:
            c.close()
            return None


class GroupCommitTest(unittest.TestCase):
    def test_concurrent_answers_all_acknowledged_and_stored(self):
        w = World(n_candidates=10)
        try:
            w.serve()
            clients = [w.logged_in("C%03d" % i) for i in range(1, 11)]
            for c in clients:
                c.post("/api/v1/attempt/start")
            results = []

            def go(c):
                mine = []
                for n in range(1, 13):
                    mine.append(c.answer(n, "ABCDE"[n % 5], 1).status)
                results.append(mine)
            threads = [threading.Thread(target=go, args=(c,)) for c in clients]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(sorted(s for r in results for s in r), [200] * 120)
            self.assertEqual(w.sql("SELECT count(*) FROM answers"), [(120,)])
        finally:
            w.close()


class WriterStallTest(unittest.TestCase):
    def test_stall_is_logged_and_the_reply_waits_for_the_commit(self):
        """Another process holds the database's write lock: the answer is not
        acknowledged while it cannot be committed, the server log says the
        writer is stalled, and once the lock goes the answer is committed,
        acknowledged and the log says commits resumed."""
        import sqlite3
        w = World(n_candidates=1)
        try:
            w.serve()
            c = w.logged_in("C001")
            c.post("/api/v1/attempt/start")
            holder = sqlite3.connect(w.db, isolation_level=None, timeout=30)
            holder.execute("BEGIN IMMEDIATE")
            reply = {}
            t = threading.Thread(target=lambda: reply.update(r=c.answer(1, "C", 1)))
            t.start()
            wait_until(lambda: "writer: stalled, 1 operation waiting" in w.server.read_log(),
                       20 * SLOW, "stall warning in the server log")
            self.assertTrue(t.is_alive(), "the answer was acknowledged before its commit")
            self.assertEqual(w.sql("SELECT count(*) FROM answers"), [(0,)])
            holder.execute("ROLLBACK")
            holder.close()
            t.join(30 * SLOW)
            self.assertFalse(t.is_alive())
            self.assertEqual((reply["r"].status, reply["r"].json["option"]), (200, "C"))
            self.assertEqual(w.sql("SELECT label, rev FROM answers"), [("C", 1)])
            wait_until(lambda: "writer: committing again after" in w.server.read_log(),
                       10 * SLOW, "resume line in the server log")
        finally:
            w.close()


class WriterQueueCapTest(unittest.TestCase):
    def test_full_queue_refuses_with_503_and_changes_nothing(self):
        """The writer queue has a cap (--writer-queue 2 here). While another
        process holds the write lock, two answers fill it; a third request
        that would queue work gets 503 server_busy with Retry-After and
        changes nothing (neither RAM nor the database); requests that queue
        nothing are still served. Once the lock goes, the queued answers are
        committed and acknowledged and the refused one succeeds on retry."""
        import sqlite3
        w = World(n_candidates=3)
        try:
            w.serve("--writer-queue", "2")
            cs = [w.logged_in("C00%d" % i) for i in (1, 2, 3)]
            for c in cs:
                self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            holder = sqlite3.connect(w.db, isolation_level=None, timeout=30)
            holder.execute("BEGIN IMMEDIATE")
            replies = {}
            threads = [threading.Thread(target=lambda i=i: replies.update({i: cs[i].answer(1, "B", 1)}))
                       for i in (0, 1)]
            for t in threads:
                t.start()
            wait_until(lambda: "writer: stalled, 2 operations waiting" in w.server.read_log(),
                       20 * SLOW, "two operations queued behind the lock")
            r = cs[2].answer(1, "C", 1)
            self.assertEqual((r.status, r.error), (503, "server_busy"))
            self.assertEqual(r.headers.get("retry-after"), "2")
            r = w.client().login("EX", "C003", w.password("C003"))
            self.assertEqual((r.status, r.error), (503, "server_busy"))
            self.assertEqual(w.client().get("/api/v1/health").status, 200)
            holder.execute("ROLLBACK")
            holder.close()
            for t in threads:
                t.join(30 * SLOW)
                self.assertFalse(t.is_alive())
            self.assertEqual(sorted(r.status for r in replies.values()), [200, 200])
            # Nothing of the refused answer: not in RAM (the paper) ...
            paper = cs[2].get("/api/v1/attempt").json
            self.assertEqual(paper["answers"], [])
            # ... nor in the database; the retry is accepted as rev 1.
            self.assertEqual(w.sql("SELECT count(*) FROM answers a JOIN candidates c ON "
                                   "c.id = a.candidate_id WHERE registration_no = 'C003'"), [(0,)])
            r = cs[2].answer(1, "C", 1)
            self.assertEqual((r.status, r.json["option"], r.json["rev"]), (200, "C", 1))
        finally:
            w.close()


class TamperedDatabaseTest(unittest.TestCase):
    def test_a_write_that_cannot_be_stored_is_never_acknowledged(self):
        """Someone deletes a running candidate's rows behind the server's
        back. The candidate's next answer cannot be stored (foreign key): it
        is answered 500 internal, not 200; every later request of that
        candidate, a new login included, gets 500 (RAM no longer matches the
        database) while the other candidates carry on; the log names the
        candidate; after a restart the server serves from the database again."""
        import sqlite3
        w = World(n_candidates=2)
        try:
            w.serve()
            a, b = w.logged_in("C001"), w.logged_in("C002")
            for c in (a, b):
                self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            self.assertEqual(a.answer(1, "A", 1).status, 200)
            con = sqlite3.connect(w.db, isolation_level=None, timeout=30)
            con.execute("PRAGMA foreign_keys = OFF")
            con.execute("BEGIN IMMEDIATE")
            cid = con.execute("SELECT id FROM candidates WHERE registration_no = 'C001'").fetchone()[0]
            for table in ("answers", "attempts", "sessions", "papers", "events"):
                con.execute("DELETE FROM %s WHERE candidate_id = ?" % table, (cid,))
            con.execute("DELETE FROM candidates WHERE id = ?", (cid,))
            con.execute("COMMIT")
            con.close()
            r = a.answer(2, "B", 1)
            self.assertEqual((r.status, r.error), (500, "internal"))
            self.assertEqual(w.sql("SELECT count(*) FROM answers WHERE candidate_id = ?", cid), [(0,)])
            r = a.get("/api/v1/attempt")
            self.assertEqual((r.status, r.error), (500, "internal"))
            r = w.client().login("EX", "C001", w.password("C001"))
            self.assertEqual((r.status, r.error), (500, "internal"))
            self.assertEqual(b.answer(1, "C", 1).status, 200)
            self.assertIn("the answer of candidate C001 was not stored", w.server.read_log())
            w.server.stop()
            w.serve()
            r = w.client().login("EX", "C001", w.password("C001"))
            self.assertEqual((r.status, r.error), (401, "invalid_credentials"))
            c = w.logged_in("C002")
            self.assertEqual(c.answer(2, "D", 1).status, 200)
        finally:
            w.close()


class OneServerPerDatabaseTest(unittest.TestCase):
    def test_second_server_refused_before_touching_the_database(self):
        """A second `serve` on a database that a running server serves is
        refused at once, naming the other process, and writes nothing (no
        false outage credit, no event, no heartbeat); a `demo` on the same
        database is refused before it prints or deletes anything; the first
        server keeps serving; after it is killed, the database can be served
        again at once (the kernel drops the lock)."""
        import subprocess
        w = World(n_candidates=1)
        try:
            w.serve()
            c = w.logged_in("C001")
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            self.assertEqual(c.answer(1, "A", 1).status, 200)
            before = w.sql("SELECT (SELECT count(*) FROM time_ledger), (SELECT count(*) FROM events),"
                           " (SELECT credit_ms FROM attempts)")
            beat = w.sql("SELECT value FROM meta WHERE key = 'heartbeat_ms'")
            p = subprocess.run([harness.UJIAN, "serve", "--db", w.db, "--listen", "127.0.0.1:0"],
                               capture_output=True, text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("already served by another ujian (process %d" % w.server.proc.pid,
                          p.stderr)
            self.assertEqual(p.stdout, "")
            p = subprocess.run([harness.UJIAN, "demo", "--fresh", "--db", w.db, "--listen",
                                "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("already served by another ujian", p.stderr)
            self.assertNotIn("Open http", p.stdout)
            self.assertEqual(w.sql("SELECT (SELECT count(*) FROM time_ledger), (SELECT count(*) "
                                   "FROM events), (SELECT credit_ms FROM attempts)"), before)
            # The heartbeat is the first server's own (it may have moved on,
            # never back, and nobody else wrote one).
            self.assertGreaterEqual(w.sql("SELECT value FROM meta WHERE key = 'heartbeat_ms'"), beat)
            self.assertEqual(c.answer(2, "B", 1).status, 200)
            w.server.kill9()
            w.serve()
            c = w.logged_in("C001")
            self.assertEqual(c.get("/api/v1/attempt").status, 200)
        finally:
            w.close()

    def test_demo_checks_its_port_before_anything(self):
        """`ujian demo` on a port that is taken stops with an error naming the
        address before it prints a URL or creates a database."""
        import socket
        import subprocess
        import tempfile
        d = tempfile.mkdtemp(prefix="ujian-demo-port-")
        busy = socket.socket()
        try:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            port = busy.getsockname()[1]
            db = os.path.join(d, "demo.db")
            p = subprocess.run([harness.UJIAN, "demo", "--db", db, "--listen",
                                "127.0.0.1:%d" % port], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("cannot listen on 127.0.0.1:%d" % port, p.stderr)
            self.assertEqual(p.stdout, "")
            self.assertFalse(os.path.exists(db))
        finally:
            busy.close()
            import shutil
            shutil.rmtree(d, ignore_errors=True)


class WebRootContainmentTest(unittest.TestCase):
    def test_web_root_cannot_serve_the_database(self):
        """The loss of the hardening issue: with the web root set to the
        database's folder, GET /t.db served the database (and its key), and
        reading it through a second descriptor dropped SQLite's locks. Now
        the server refuses to start with such a web root (before it takes
        its lock or touches the database); and in a web root of its own, a
        symbolic link to the database, to its key or to any file outside is
        not followed (404), nor is any absolute link, while files and
        relative links inside are served."""
        import subprocess
        w = World(n_candidates=1)
        try:
            folder = os.path.dirname(w.db)
            beat = w.sql("SELECT value FROM meta WHERE key = 'heartbeat_ms'")
            p = subprocess.run([harness.UJIAN, "serve", "--db", w.db, "--listen", "127.0.0.1:0",
                                "--web-root", folder], capture_output=True, text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("the web root %s holds %s" % (os.path.realpath(folder),
                                                          os.path.realpath(w.db)), p.stderr)
            self.assertFalse(os.path.exists(w.db + ".lock"))
            self.assertEqual(w.sql("SELECT value FROM meta WHERE key = 'heartbeat_ms'"), beat)
            # A key file inside the web root is refused the same way.
            root = os.path.join(w.dir, "www")
            os.mkdir(root)
            p = subprocess.run([harness.UJIAN, "serve", "--db", w.db, "--listen", "127.0.0.1:0",
                                "--web-root", root, "--key", os.path.join(root, "k.key")],
                               capture_output=True, text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("k.key", p.stderr)
            # A web root of its own, with links in and out.
            with open(os.path.join(root, "index.html"), "w") as f:
                f.write("<!doctype html><title>ok</title>")
            os.mkdir(os.path.join(root, "sub"))
            with open(os.path.join(root, "sub", "a.txt"), "w") as f:
                f.write("inside")
            os.symlink(w.db, os.path.join(root, "exam.db"))
            os.symlink(w.db + ".key", os.path.join(root, "exam.db.key"))
            os.symlink("/etc/passwd", os.path.join(root, "passwd.txt"))
            os.symlink(os.path.join(root, "sub", "a.txt"), os.path.join(root, "link-in.txt"))
            os.symlink("sub/a.txt", os.path.join(root, "rel-in.txt"))
            os.symlink("..", os.path.join(root, "up"))
            w.serve("--web-root", root)
            c = w.client()
            self.assertEqual(c.get("/").status, 200)
            self.assertEqual(c.get("/sub/a.txt").raw, b"inside")
            r = c.get("/rel-in.txt")  # a relative link that stays inside
            self.assertEqual((r.status, r.raw), (200, b"inside"))
            # An absolute link is never followed, even to a file inside
            # (RESOLVE_BENEATH), like every way out.
            for outside in ("/link-in.txt", "/exam.db", "/exam.db.key", "/passwd.txt", "/up/t.db", "/up/www/",
                            "/%2e%2e/t.db", "/sub/../../t.db"):
                r = c.get(outside)
                self.assertEqual((r.status, r.error), (404, "not_found"), outside)
            # The server still works and its database is intact.
            cand = w.logged_in("C001")
            self.assertEqual(cand.post("/api/v1/attempt/start").status, 200)
            self.assertEqual(cand.answer(1, "A", 1).status, 200)
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
