"""The operator's endpoints (issue 12): /metrics in the Prometheus text
format, /healthz and /readyz, on --metrics-listen only."""
import http.client
import os
import re
import sqlite3
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW, UJIAN, World, main, wait_until  # noqa: E402

LINE = re.compile(r'^[a-z_:][a-z0-9_:]*(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+Inf]+$')


def parse(text):
    """{(name, labels-string): float}, checking every line's syntax."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        assert LINE.match(line), "not exposition format: %r" % line
        key, value = line.rsplit(" ", 1)
        name, _, labels = key.partition("{")
        out[(name, labels.rstrip("}"))] = float(value)
    return out


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=3)
        cls.w.serve("--metrics-listen", "127.0.0.1:0")
        log = cls.w.server.read_log()
        cls.mport = int(re.search(r"metrics on http://127\.0\.0\.1:(\d+)/metrics", log).group(1))

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def get(self, path, method="GET"):
        c = http.client.HTTPConnection("127.0.0.1", self.mport, timeout=10 * SLOW)
        try:
            c.request(method, path)
            r = c.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode()
        finally:
            c.close()

    def metrics(self):
        status, ctype, body = self.get("/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(ctype.startswith("text/plain; version=0.0.4"), ctype)
        return parse(body), body

    def test_counts_follow_what_happened(self):
        before, _ = self.metrics()
        c = self.w.logged_in("C001")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        self.assertEqual(c.answer(2, "B", 1).status, 200)
        self.assertEqual(self.w.client().get("/api/v1/attempt").status, 401)
        self.assertEqual(self.w.client().get("/api/v1/nope").status, 404)
        m, body = self.metrics()

        def delta(name, labels=""):
            return m.get((name, labels), 0) - before.get((name, labels), 0)

        self.assertEqual(delta("ujian_answers_acknowledged_total"), 2)
        self.assertEqual(delta("ujian_http_replies_total",
                               'method="POST",route="/api/v1/candidate/login",class="2xx"'), 1)
        self.assertEqual(delta("ujian_http_replies_total",
                               'method="GET",route="/api/v1/attempt",class="4xx"'), 1)
        self.assertEqual(delta("ujian_http_replies_total",
                               'method="ANY",route="(no route)",class="4xx"'), 1)
        # start + 2 answers + the login's session: at least 4 operations
        self.assertGreaterEqual(delta("ujian_writes_committed_total"), 4)
        self.assertEqual(m[("ujian_attempts", 'state="running"')], 1)
        self.assertEqual(m[("ujian_attempts", 'state="not_started"')], 2)
        self.assertEqual(m[("ujian_candidates", "")], 3)
        self.assertGreaterEqual(m[("ujian_candidates_online", "")], 1)
        self.assertEqual(m[("ujian_writer_queue", "")], 0)
        self.assertGreater(m[("ujian_open_fds", "")], 3)
        # The commit histogram: cumulative buckets ending at +Inf = count.
        buckets = [(k[1], v) for k, v in m.items() if k[0] == "ujian_commit_seconds_bucket"]
        values = [v for _, v in buckets]
        self.assertEqual(values, sorted(values))
        self.assertEqual(dict(buckets)['le="+Inf"'], m[("ujian_commit_seconds_count", "")])
        self.assertGreaterEqual(m[("ujian_commit_seconds_count", "")], 3)
        self.assertIn("# TYPE ujian_commit_seconds histogram", body)

    def test_health_and_other_paths(self):
        self.assertEqual(self.get("/healthz")[0], 200)
        self.assertEqual(self.get("/readyz")[:1] + (self.get("/readyz")[2],), (200, "ready\n"))
        self.assertEqual(self.get("/nope")[0], 404)
        self.assertEqual(self.get("/metrics", "POST")[0], 405)
        # Not on the candidates' port.
        self.assertEqual(self.w.client().get("/metrics").status, 404)

    def test_not_ready_while_the_writer_is_stalled(self):
        c = self.w.logged_in("C002")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        holder = sqlite3.connect(self.w.db, isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")
        t = threading.Thread(target=lambda: c.answer(1, "C", 1))
        t.start()
        try:
            status, _, body = wait_until(
                lambda: (lambda r: r if r[0] == 503 else None)(self.get("/readyz")),
                20, "readiness to fail while the writer is stalled")
            self.assertIn("writer stalled", body)
            self.assertEqual(self.get("/healthz")[0], 200)  # alive all the same
            m, _ = self.metrics()
            self.assertGreaterEqual(m[("ujian_writer_queue", "")], 1)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        t.join(30 * SLOW)
        wait_until(lambda: self.get("/readyz")[0] == 200, 10, "readiness to return")


class MetricsOffTest(unittest.TestCase):
    def test_bad_address_refused(self):
        w = World(n_candidates=1)
        try:
            p = subprocess.run([UJIAN, "serve", "--db", w.db, "--listen", "127.0.0.1:0",
                                "--metrics-listen", "nonsense"], capture_output=True, text=True,
                               timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn('--metrics-listen "nonsense": expected ADDRESS:PORT', p.stderr)
        finally:
            w.close()


if __name__ == "__main__":
    main()  # TAP for scripts/run-tests.sh
