"""The public live scoreboard (GET /api/v1/board/{exam} and its event
stream) against the real server: off by default, a finish on the snapshot
and on the stream within a second, masking and nothing personal beyond
the contract, DIS rows, ETag and 304, a hundred subscribers, Last-Event-ID
resume, and a reader that never reads (capped, then a snapshot)."""

import json
import os
import select
import socket
import ssl
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import SLOW, World, make_exam, run, wait_until  # noqa: E402

ROW_KEYS = {"name", "regno", "scores", "total", "thresholds_met", "finished_at", "dis"}


class Stream:
    """A raw event-stream client: one socket, the chunked body decoded and
    split into events ({"id", "event", "data"}) and comments."""

    def __init__(self, port, path, headers=None, rcvbuf=None, ssl_context=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect(("127.0.0.1", port))
        if ssl_context:
            self.sock = ssl_context.wrap_socket(self.sock, server_hostname="127.0.0.1")
        extra = "".join("%s: %s\r\n" % kv for kv in (headers or {}).items())
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: t\r\n%s\r\n" % (path, extra)).encode())
        self.sock.setblocking(False)
        self.raw = b""       # undecoded bytes
        self.head = None     # the response head, once read
        self.status = None
        self.body = b""      # decoded, not yet split into events
        self.events = []
        self.comments = 0
        self.eof = False
        self.received = 0    # bytes read in all

    def pump(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError):
                break
            except ConnectionError:
                self.eof = True
                break
            if not data:
                self.eof = True
                break
            self.received += len(data)
            self.raw += data
        self._parse()

    def _parse(self):
        if self.head is None:
            if b"\r\n\r\n" not in self.raw:
                return
            self.head, self.raw = self.raw.split(b"\r\n\r\n", 1)
            self.head = self.head.decode()
            self.status = int(self.head.split(" ")[1])
        while True:  # chunks
            if b"\r\n" not in self.raw:
                break
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line, 16)
            if len(rest) < size + 2:
                break
            self.body += rest[:size]
            self.raw = rest[size + 2:]
        while b"\n\n" in self.body:
            block, self.body = self.body.split(b"\n\n", 1)
            ev, data = {}, []
            for line in block.decode().split("\n"):
                if line.startswith(":"):
                    self.comments += 1
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif ": " in line:
                    k, v = line.split(": ", 1)
                    ev[k] = v
            if data or "event" in ev:
                ev["data"] = "\n".join(data)
                self.events.append(ev)

    def header(self, name):
        for line in self.head.split("\r\n")[1:]:
            k, v = line.split(":", 1)
            if k.strip().lower() == name.lower():
                return v.strip()
        return None

    def wait(self, pred, timeout, what):
        end = time.monotonic() + timeout * SLOW
        while True:
            self.pump()
            if pred(self):
                return
            if time.monotonic() > end:
                raise AssertionError("stream: timed out waiting for %s; last events %r" %
                                     (what, [dict(e, data=e["data"][:120])
                                             for e in self.events[-5:]]))
            select.select([self.sock], [], [], 0.05)

    def rows(self):
        return [json.loads(e["data"]) for e in self.events if e.get("event") == "row"]

    def named(self, name):
        return [e for e in self.events if e.get("event") == name]

    def close(self):
        self.sock.close()


def finish(w, regno, best=0, exam="EX"):
    """Log in, start, answer the first `best` questions with their best
    option, finish. Returns the finish reply."""
    c = w.logged_in(regno, exam=exam)
    r = c.post("/api/v1/attempt/start")
    assert r.status == 200, r
    for q in r.json["questions"][:best]:
        assert c.answer(q["n"], w.best_label(q), 1).status == 200
    r = c.post("/api/v1/attempt/finish")
    assert r.status == 200, r
    c.close()
    return r


class BoardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=12, exam_extra={"scoreboard": True})
        run("exam", "create", "--db", cls.w.db, make_exam(cls.w.dir, code="OFF"))
        cls.w.add_candidates("OFF", ["F001"])
        cls.w.serve()
        cls.port = cls.w.server.port

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def get(self, path, headers=None):
        c = self.w.client()
        try:
            return c.get(path, headers=headers)
        finally:
            c.close()

    def stream(self, path="/api/v1/board/EX/events", **kw):
        s = Stream(self.port, path, **kw)
        self.addCleanup(s.close)
        return s

    def test_off_by_default_is_404(self):
        """An exam without "scoreboard": true, an unknown exam and an
        unknown sitting have no board: 404 no_such_board, also for the
        stream; a finish there is on no board."""
        finish(self.w, "F001", exam="OFF")
        for path in ("/api/v1/board/OFF", "/api/v1/board/OFF/events", "/api/v1/board/NOPE",
                     "/api/v1/board/NOPE/events", "/api/v1/board/EX?sitting=R9",
                     "/api/v1/board/EX/events?sitting=R9"):
            r = self.get(path)
            self.assertEqual((r.status, r.error), (404, "no_such_board"), path)
            self.assertIn("Papan skor", r.json["error"]["message"])

    def test_finish_on_snapshot_and_stream_masked(self):
        """A finish reaches an open stream within 1 s and is on the next
        snapshot; the row holds the contract's keys only, the name and the
        registration number masked, nothing else of the candidate."""
        s = self.stream()
        s.wait(lambda s: s.named("snapshot"), 10, "the first snapshot")
        self.assertEqual(s.status, 200)
        self.assertEqual(s.header("Content-Type"), "text/event-stream; charset=utf-8")
        self.assertEqual(s.header("Cache-Control"), "no-store")
        self.assertEqual(s.header("X-Accel-Buffering"), "no")
        before = len(s.rows())
        t0 = time.monotonic()
        finish(self.w, "C001", best=4)
        t_ack = time.monotonic()
        s.wait(lambda s: len(s.rows()) > before, 1.0 + (t_ack - t0), "the row")
        lag = time.monotonic() - t_ack
        self.assertLess(lag, 1.0 * SLOW, "row arrived %.3f s after the finish" % lag)
        row = s.rows()[-1]
        self.assertEqual(set(row), ROW_KEYS)
        self.assertEqual(row["name"], "PES*** C00***")  # "Peserta C001"
        self.assertEqual(row["regno"], "**01")
        self.assertEqual(set(row["scores"]), {"TWK", "TIU", "TKP"})
        self.assertEqual(row["total"], sum(row["scores"].values()))
        self.assertIn(row["thresholds_met"], (True, False))
        self.assertIs(row["dis"], False)

        r = self.get("/api/v1/board/EX")
        self.assertEqual(r.status, 200)
        snap = r.json
        self.assertEqual(set(snap), {"exam", "sections", "rows", "server_time"})
        self.assertEqual(snap["exam"], {"code": "EX", "title": "Ujian EX"})
        self.assertEqual([x["code"] for x in snap["sections"]], ["TWK", "TIU", "TKP"])
        self.assertIn(row, snap["rows"])
        text = r.raw.decode()
        for secret in ("C001", "Peserta", "pw-C001", "SECRETID"):
            self.assertNotIn(secret, text)
        for ev in s.events:
            self.assertNotIn("Peserta", ev["data"])
            self.assertNotIn("C001", ev["data"])

    def test_newest_first_and_thresholds(self):
        """Rows newest first; a candidate with every answer best meets the
        thresholds, one with none does not."""
        finish(self.w, "C002", best=12)
        finish(self.w, "C003", best=0)
        rows = self.get("/api/v1/board/EX").json["rows"]
        times = [harness.parse_time(x["finished_at"]) for x in rows]
        self.assertEqual(times, sorted(times, reverse=True))
        by = {x["regno"]: x for x in rows}
        self.assertIs(by["**03"]["thresholds_met"], False)
        self.assertIs(by["**02"]["thresholds_met"], True)
        self.assertEqual(rows[0]["regno"], "**03")

    def test_etag_and_304(self):
        """The snapshot has an ETag and Cache-Control public, max-age=2; the
        same ETag back is 304 without a body; a finish changes it."""
        finish(self.w, "C004")
        r = self.get("/api/v1/board/EX")
        etag = r.headers["etag"]
        self.assertEqual(r.headers["cache-control"], "public, max-age=2")
        r2 = self.get("/api/v1/board/EX", headers={"If-None-Match": etag})
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.raw, b"")
        self.assertEqual(r2.headers["etag"], etag)
        self.assertEqual(self.get("/api/v1/board/EX", headers={"If-None-Match": '"x"'}).status,
                         200)
        finish(self.w, "C005")
        r3 = self.get("/api/v1/board/EX", headers={"If-None-Match": etag})
        self.assertEqual(r3.status, 200)
        self.assertNotEqual(r3.headers["etag"], etag)

    def test_many_subscribers(self):
        """A hundred open streams all get the row of one finish."""
        streams = [self.stream() for _ in range(100)]
        for s in streams:
            s.wait(lambda s: s.named("snapshot"), 20, "a snapshot")
        finish(self.w, "C006")
        for s in streams:
            s.wait(lambda s: any(r["regno"] == "**06" for r in s.rows()), 10, "the row")
        ids = {s.events[-1]["id"] for s in streams}
        self.assertEqual(len(ids), 1, "every stream saw the same event id")

    def test_last_event_id_resume(self):
        """A client that reconnects with Last-Event-ID (or ?last_event_id=)
        gets exactly the rows it missed, no snapshot; one with an id the
        board never gave gets a snapshot."""
        s = self.stream()
        s.wait(lambda s: s.named("snapshot"), 10, "a snapshot")
        finish(self.w, "C007")
        s.wait(lambda s: s.rows(), 10, "a row")
        last = s.events[-1]["id"]
        s.close()
        finish(self.w, "C008")
        finish(self.w, "C009")
        for kw in ({"headers": {"Last-Event-ID": last}},
                   {"path": "/api/v1/board/EX/events?last_event_id=" + last}):
            r = self.stream(**kw)
            r.wait(lambda r: len(r.rows()) >= 2, 10, "the missed rows")
            self.assertEqual(r.named("snapshot"), [])
            self.assertEqual([x["regno"] for x in r.rows()], ["**08", "**09"])
            self.assertEqual(int(r.events[0]["id"]), int(last) + 1)
        r = self.stream(headers={"Last-Event-ID": "999999"})
        r.wait(lambda r: r.named("snapshot"), 10, "a snapshot")
        snap = json.loads(r.named("snapshot")[0]["data"])
        self.assertIn("**09", [x["regno"] for x in snap["rows"]])


class DisqualifiedTest(unittest.TestCase):
    """A disqualified attempt (as the proctor's action stores it) shows
    "dis": true and never meets the thresholds, also after a restart."""

    def test_dis_row(self):
        w = World(n_candidates=2, exam_extra={"scoreboard": True})
        self.addCleanup(w.close)
        w.serve()
        finish(w, "C001", best=12)
        finish(w, "C002", best=12)
        rows = {x["regno"]: x for x in w.client().get("/api/v1/board/EX").json["rows"]}
        self.assertIs(rows["**01"]["thresholds_met"], True)
        # A stream open while the server stops: a clean exit (status 0,
        # and under the sanitizers nothing leaked), the stream ended.
        s = Stream(w.server.port, "/api/v1/board/EX/events")
        self.addCleanup(s.close)
        s.wait(lambda s: s.named("snapshot"), 10, "a snapshot")
        w.server.stop()
        s.wait(lambda s: s.eof, 10, "the stream closed at shutdown")
        w.sql_write("UPDATE attempts SET finish_reason = 'disqualified' WHERE candidate_id ="
                    " (SELECT id FROM candidates WHERE registration_no = 'C001')")
        w.server.start()
        rows = {x["regno"]: x for x in w.client().get("/api/v1/board/EX").json["rows"]}
        self.assertIs(rows["**01"]["dis"], True)
        self.assertIs(rows["**01"]["thresholds_met"], False)
        self.assertIs(rows["**02"]["dis"], False)
        self.assertIs(rows["**02"]["thresholds_met"], True)


class HttpsTest(unittest.TestCase):
    """The same streams over the server's own HTTPS (an OpenSSL bufferevent
    under evhttp): a row arrives live, a resume works, a client that goes
    is freed (the server keeps serving and stops cleanly)."""

    def test_stream_over_tls(self):
        sys.path.insert(0, os.path.dirname(__file__))
        from test_tls import client_ctx, make_cert  # noqa: E402
        w = World(n_candidates=3, exam_extra={"scoreboard": True})
        self.addCleanup(w.close)
        certdir = os.path.join(w.dir, "certs")
        os.mkdir(certdir)
        crt, key = make_cert(certdir)
        ctx = client_ctx(crt)
        w.serve("--tls-cert", crt, "--tls-key", key, ssl_context=ctx)
        s = Stream(w.server.port, "/api/v1/board/EX/events", ssl_context=ctx)
        self.addCleanup(s.close)
        s.wait(lambda s: s.named("snapshot"), 10, "a snapshot over TLS")
        self.assertEqual(s.header("Content-Type"), "text/event-stream; charset=utf-8")
        finish(w, "C001")
        s.wait(lambda s: s.rows(), 5, "a row over TLS")
        last = s.events[-1]["id"]
        s.close()
        finish(w, "C002")
        r = Stream(w.server.port, "/api/v1/board/EX/events", headers={"Last-Event-ID": last},
                   ssl_context=ctx)
        self.addCleanup(r.close)
        r.wait(lambda r: r.rows(), 5, "the missed row over TLS")
        self.assertEqual([x["regno"] for x in r.rows()], ["**02"])
        self.assertEqual(r.named("snapshot"), [])
        self.assertEqual(w.client().get("/api/v1/health").status, 200)


class OptionsTest(unittest.TestCase):
    def test_stream_options_out_of_range(self):
        """--sse-streams and --sse-buffer outside their ranges are usage
        errors naming the option (exit 2, nothing started)."""
        for opt, val in (("--sse-streams", "0"), ("--sse-streams", "16385"),
                         ("--sse-buffer", "1023"), ("--sse-buffer", "67108865"),
                         ("--sse-buffer", "lots")):
            p = run("serve", "--db", "/nonexistent/x.db", opt, val, check=False)
            self.assertEqual(p.returncode, 2, (opt, val, p.stderr))
            self.assertIn(opt[2:], p.stderr)
            self.assertEqual(p.stdout, "")


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class StalledReaderTest(unittest.TestCase):
    """A client that opens the stream and then reads nothing while hundreds
    of candidates finish: the server stops queueing rows for it once its
    unsent bytes pass --sse-buffer (its memory does not grow with the
    backlog), while a reader beside it gets every row. When the slow client
    reads at last, it has skipped rows, every gap is bridged by a snapshot
    (never a silent loss), it ends at the newest id, and it is live again."""

    N = 400

    def test_stalled_reader(self):
        w = World(n_candidates=self.N + 1, exam_extra={"scoreboard": True})
        self.addCleanup(w.close)
        w.serve("--sse-buffer", "4096")
        port = w.server.port
        slow = Stream(port, "/api/v1/board/EX/events", rcvbuf=4096)
        self.addCleanup(slow.close)
        slow.wait(lambda s: s.named("snapshot"), 10, "the first snapshot")
        fast = Stream(port, "/api/v1/board/EX/events")
        self.addCleanup(fast.close)
        fast.wait(lambda s: s.named("snapshot"), 10, "the first snapshot")
        slow_received = slow.received
        base_id = int(fast.named("snapshot")[0]["id"])  # ids continue from the start time
        rss0 = rss_kb(w.server.proc.pid)
        for i in range(1, self.N + 1):
            c = w.logged_in("C%03d" % i)
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            self.assertEqual(c.post("/api/v1/attempt/finish").status, 200)
            c.close()
            if i % 50 == 0:
                fast.pump()
        fast.wait(lambda s: len(s.rows()) == self.N, 20, "every row on the fast stream")
        last_id = int(fast.events[-1]["id"])
        rss1 = rss_kb(w.server.proc.pid)
        self.assertEqual(slow.received, slow_received, "the slow client read nothing")
        if not harness.SANITIZED:  # ASan's quarantine and shadow memory grow on their own
            self.assertLess(rss1 - rss0, 16 * 1024, "RSS grew %d kB" % (rss1 - rss0))

        slow.wait(lambda s: s.events and int(s.events[-1]["id"]) == last_id, 20,
                  "the newest id on the slow stream")
        rows = slow.rows()
        snaps = slow.named("snapshot")
        self.assertLess(len(rows), self.N, "the slow stream skipped rows")
        self.assertGreaterEqual(len(snaps), 2, "a snapshot after falling behind")
        prev = None
        for e in slow.events:
            if prev is not None:
                if e["event"] == "row":
                    self.assertEqual(int(e["id"]), prev + 1, "a row gap without a snapshot")
                else:
                    self.assertGreaterEqual(int(e["id"]), prev)
            prev = int(e["id"]) if "id" in e else 0
        final = json.loads(snaps[-1]["data"])
        self.assertEqual(len(final["rows"]), int(snaps[-1]["id"]) - base_id)
        finish(w, "C%03d" % (self.N + 1))
        slow.wait(lambda s: int(s.events[-1]["id"]) == last_id + 1, 10, "a live row")
        self.assertEqual(slow.events[-1]["event"], "row")


if __name__ == "__main__":
    harness.main()
