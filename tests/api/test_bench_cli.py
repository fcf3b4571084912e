"""The load generator's command line (tests/bench, `ujian-bench`): bad
arguments and bad candidate files are refused with a message naming the
option or file and line, it talks only to loopback, the hidden ceiling
route exists only when the server is started with --bench-route, and the
proctoring options (the candidates' light poll, live dashboards) run at a
tiny size and record polls and dashboard lags (never a speed)."""

import json
import os
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World  # noqa: E402

BENCH = os.path.join(os.path.dirname(harness.UJIAN), "ujian-bench")


def bench(*args):
    return subprocess.run([BENCH, *args], capture_output=True, text=True, timeout=60)


class BenchArgumentsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ujian-bench-cli-")
        cls.creds = os.path.join(cls.dir, "creds.csv")
        with open(cls.creds, "w") as f:
            f.write("registration_no,name,password\nA1,Satu,pw-one-secret\n")

    def run_args(self, *extra):
        return ["run", "--url", "http://127.0.0.1:9", "--exam", "EX", "--candidates",
                self.creds, "--max-seconds", "5", *extra]

    def test_usage_errors_name_the_option_and_value(self):
        cases = [
            (["frob"], 'unknown command "frob"'),
            (self.run_args("--bogus", "1"), 'unknown argument "--bogus"'),
            (self.run_args("--think-mean", "-3"), '--think-mean "-3": expected a number'),
            (self.run_args("--workers", "many"), '--workers "many": expected a whole number'),
            (self.run_args("--change-share", "1.5"), '--change-share "1.5"'),
            (["run", "--exam", "EX", "--candidates", self.creds], "--url is required"),
            (["ping", "--url", "http://127.0.0.1:9", "--conns", "0", "--seconds", "1"],
             '--conns "0": expected a whole number 1-'),
            (self.run_args("--poll-ms", "-5"), '--poll-ms "-5": expected a number 0-'),
            (self.run_args("--dashboards", "2"),
             "--dashboards needs --dashboard-staff USER:PASSWORD or --dashboard-token"),
            (self.run_args("--dashboards", "2", "--dashboard-staff", "nocolon"),
             "--dashboard-staff: expected USER:PASSWORD"),
            (self.run_args("--dashboards", "9999", "--dashboard-token", "x"),
             '--dashboards "9999": expected a whole number 0-'),
        ]
        for args, want in cases:
            p = bench(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn(want, p.stderr, args)
            self.assertEqual(p.stdout, "", args)

    def test_loopback_only(self):
        for url in ("http://10.0.0.1:8080", "http://example.org:80", "http://192.168.1.5:80"):
            p = bench("run", "--url", url, "--exam", "EX", "--candidates", self.creds)
            self.assertEqual(p.returncode, 2, url)
            self.assertIn("talks only to loopback", p.stderr, url)

    def test_candidate_file_errors_name_file_and_line(self):
        bad = os.path.join(self.dir, "bad.csv")
        cases = [
            ("registration_no,name\nA1,x\n", "line 1: the header needs the columns "
                                             "registration_no and password"),
            ("registration_no,name,password\nA1,x\n", "line 2: has 2 fields; the header has 3"),
        ]
        for text, want in cases:
            with open(bad, "w") as f:
                f.write(text)
            p = bench("run", "--url", "http://127.0.0.1:9", "--exam", "EX", "--candidates", bad,
                      "--max-seconds", "5")
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("--candidates %s %s" % (bad, want), p.stderr)
        p = bench("run", "--url", "http://127.0.0.1:9", "--exam", "EX", "--candidates",
                  os.path.join(self.dir, "missing.csv"), "--max-seconds", "5")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("missing.csv", p.stderr)


class BenchRouteTest(unittest.TestCase):
    def test_ping_route_only_with_the_flag(self):
        w = World(n_candidates=0)
        try:
            w.serve()
            r = w.client().get("/api/v1/_bench/ping")
            self.assertEqual((r.status, r.error), (404, "not_found"))
            w.server.stop()
            w.serve("--bench-route")
            out = os.path.join(w.dir, "ping.json")
            p = bench("ping", "--url", "http://127.0.0.1:%d/api/v1/_bench/ping" % w.server.port,
                      "--conns", "4", "--seconds", "1", "--workers", "1", "--out", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                summary = json.load(f)
            ops = summary["ops"]
            self.assertGreater(sum(o["count"] for o in ops.values()), 10, summary)
            self.assertEqual(summary["errors"], [], summary)
        finally:
            w.close()


class BenchTlsTest(unittest.TestCase):
    """The TLS smoke: ujian-bench with an https:// URL takes whole exams
    against `ujian serve --tls-cert` (server idle timeout 1 s, so connections
    are closed between answers and new TLS connections are made), and ping
    works over TLS too. Every acknowledged answer is stored."""

    def test_run_and_ping_over_tls(self):
        n = 20
        w = World(n_candidates=n)
        try:
            certs = os.path.join(w.dir, "certs")
            os.mkdir(certs)
            harness.run("cert", "self-signed", "--out", certs, "--name", "127.0.0.1")
            crt, key = (os.path.join(certs, "127.0.0.1." + x) for x in ("crt", "key"))
            ctx = ssl.create_default_context(cafile=crt)
            w.serve("--tls-cert", crt, "--tls-key", key, "--idle-timeout", "1", "--bench-route",
                    ssl_context=ctx)
            creds = os.path.join(w.dir, "creds.csv")
            with open(creds, "w") as f:
                f.write("registration_no,name,password\n")
                for regno, pw in sorted(w.candidates.items()):
                    f.write("%s,x,%s\n" % (regno, pw))
            out, acks = os.path.join(w.dir, "run.json"), os.path.join(w.dir, "acks")
            url = "https://127.0.0.1:%d" % w.server.port
            p = bench("run", "--url", url, "--exam", "EX", "--candidates", creds, "--window", "1",
                      "--think-mean", "400", "--submit-share", "1", "--max-seconds", "50",
                      "--workers", "2", "--acks", acks, "--out", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                s = json.load(f)
            self.assertEqual(s["started"], n, s)
            self.assertEqual(s["outcome"]["submitted"], n, s)
            self.assertGreaterEqual(s["acked_answers"], n * 12, s)
            self.assertEqual(s["lost_acks"], 0, s)
            # Every candidate's 12 answers are stored, as acknowledged.
            v = harness.run("verify", "--db", w.db, "--exam", "EX", "--acks", acks)
            self.assertIn("OK", v.stdout)
            self.assertEqual(w.sql("SELECT count(*) FROM answers"), [(n * 12,)])
            # A plain-HTTP generator gets nothing from the HTTPS port.
            p = bench("ping", "--url", "http://127.0.0.1:%d" % w.server.port, "--conns", "1",
                      "--seconds", "1", "--workers", "1", "--timeout", "5")
            self.assertEqual(p.returncode, 1, p.stderr)
            out = os.path.join(w.dir, "ping.json")
            p = bench("ping", "--url", url, "--conns", "4", "--seconds", "1", "--workers", "1",
                      "--out", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                s = json.load(f)
            self.assertGreater(s["requests"], 10, s)
            self.assertEqual(s["errors"], [], s)
        finally:
            w.close()


class BenchProctoringTest(unittest.TestCase):
    """The proctoring smoke: 20 candidates in 2 sittings of 10, each
    polling GET /api/v1/attempt?view=clock every 300 ms, and 2 live
    dashboards (discovered from GET /api/v1/staff/sittings with the proctor's
    login). Asserts that polls were answered, both streams opened, rows for
    the candidates arrived and lags were recorded; no speed is asserted."""

    def test_poll_and_dashboards(self):
        n = 20
        w = World(n_candidates=n)
        try:
            pw = w.add_staff("pengawas", "proctor")
            regnos = sorted(w.candidates)
            for k, code in enumerate(("S01", "S02")):
                harness.run("sitting", "add", "--db", w.db, "--exam", "EX", "--code", code,
                            "--proctor", "pengawas")
                harness.run("sitting", "assign", "--db", w.db, "--exam", "EX", "--code", code,
                            "-", stdin="".join(r + "\n" for r in regnos[k * 10:k * 10 + 10]))
            w.serve()
            creds = os.path.join(w.dir, "creds.csv")
            with open(creds, "w") as f:
                f.write("registration_no,name,password\n")
                for regno, cpw in sorted(w.candidates.items()):
                    f.write("%s,x,%s\n" % (regno, cpw))
            out, acks = os.path.join(w.dir, "run.json"), os.path.join(w.dir, "acks")
            p = bench("run", "--url", "http://127.0.0.1:%d" % w.server.port, "--exam", "EX",
                      "--candidates", creds, "--window", "1", "--think-mean", "400",
                      "--submit-share", "1", "--max-seconds", "50", "--workers", "2",
                      "--acks", acks, "--out", out, "--poll-ms", "300", "--dashboards", "2",
                      "--dashboard-staff", "pengawas:" + pw)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                s = json.load(f)
            self.assertEqual(s["outcome"]["submitted"], n, s)
            self.assertEqual(s["lost_acks"], 0, s)
            # The poll: answered, counted apart from the answers.
            self.assertGreater(s["polls"]["ok"], 0, s)
            self.assertEqual(s["ops"]["poll"]["count"], s["polls"]["ok"], s)
            self.assertEqual(s["ops"]["answer"]["count"], s["acked_answers"], s)
            self.assertFalse([e for e in s["errors"] if e["op"] in ("poll", "dashboard")], s)
            # The dashboards: both sittings watched, rows of our candidates, lags.
            d = s["dashboards"]
            ids = sorted(r[0] for r in w.sql("SELECT id FROM sittings"))
            self.assertEqual(sorted(d["sittings"]), ids, d)
            self.assertEqual(d["streams_opened"], 2, d)
            self.assertGreater(d["rows"], 0, d)
            self.assertEqual(d["unknown_rows"], 0, d)
            self.assertGreater(d["lag"]["count"], 0, d)
            self.assertGreater(d["lag"]["max_ms"], 0, d)
            v = harness.run("verify", "--db", w.db, "--exam", "EX", "--acks", acks)
            self.assertIn("OK", v.stdout)
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
