"""Storage faults without loss (issue 12): with disk full or an I/O error the
server refuses writes with 503 storage_unavailable, keeps serving reads,
reports not ready, and resumes writing by itself when the disk is back; no
acknowledged answer is lost and nothing refused is stored.

Uses the fault-injection build (make fault-build: build-fault/ujian, or
UJIAN_FAULT_BIN): "disk full" is on while a control file exists
(UJIAN_FAULT_FILE, store/faultvfs.h). The last test uses a real small
tmpfs when the machine lets us mount one."""
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import SLOW, World, wait_until  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAULT_BIN = os.environ.get("UJIAN_FAULT_BIN") or os.path.join(ROOT, "build-fault", "ujian")
NORMAL_BIN = harness.UJIAN


def readyz(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10 * SLOW)
    try:
        c.request("GET", "/readyz")
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def metric(port, name):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10 * SLOW)
    try:
        c.request("GET", "/metrics")
        body = c.getresponse().read().decode()
    finally:
        c.close()
    m = re.search(r"^%s (\S+)$" % re.escape(name), body, re.M)
    return float(m.group(1)) if m else None


def stored_answers(w, regno):
    return {n: (rev, label) for n, rev, label in w.sql(
        "SELECT a.n, a.rev, a.label FROM answers a JOIN candidates c ON c.id = a.candidate_id"
        " WHERE c.registration_no = ?", regno)}


@unittest.skipUnless(os.access(FAULT_BIN, os.X_OK),
                     "no fault-injection build (run make fault-build)")
class DiskFullTest(unittest.TestCase):
    def setUp(self):
        harness.UJIAN = FAULT_BIN
        self.w = World(n_candidates=3)
        self.ctl = os.path.join(self.w.dir, "disk-full")
        self.w.serve("--metrics-listen", "127.0.0.1:0", env={"UJIAN_FAULT_FILE": self.ctl})
        self.mport = self.metrics_port()

    def tearDown(self):
        harness.UJIAN = NORMAL_BIN
        if os.path.exists(self.ctl):
            os.unlink(self.ctl)
        self.w.close()

    def metrics_port(self):
        log = self.w.server.read_log()
        return int(re.search(r"metrics on http://127\.0\.0\.1:(\d+)/metrics", log).group(1))

    def disk(self, full, what="full"):
        if full:
            with open(self.ctl, "w") as f:
                f.write(what + "\n")
        elif os.path.exists(self.ctl):
            os.unlink(self.ctl)

    def test_disk_full_refuses_then_resumes_without_loss(self):
        c = self.w.logged_in("C001")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        acked = {}
        for n, opt in ((1, "A"), (2, "B"), (3, "C")):
            r = c.answer(n, opt, 1)
            self.assertEqual(r.status, 200, r)
            acked[n] = (1, opt)
        self.assertEqual(readyz(self.mport)[0], 200)
        d0 = c.get("/api/v1/attempt").json["attempt"]["deadline"]

        self.disk(True)
        r = c.answer(4, "D", 1)
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.error, "storage_unavailable")
        self.assertEqual(r.headers.get("retry-after"), "5")
        self.assertIn("belum tersimpan", r.json["error"]["message"])
        # A second write is refused at once (the writer knows the disk is out).
        r = c.answer(5, "E", 1)
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.error, "storage_unavailable")
        # Reads go on, and show exactly what is stored (the refused answers
        # were taken back out of RAM).
        g = c.get("/api/v1/attempt")
        self.assertEqual(g.status, 200, g)
        shown = {a["n"]: (a["rev"], a["option"]) for a in g.json["answers"]}
        self.assertEqual(shown, acked)
        st, why = readyz(self.mport)
        self.assertEqual(st, 503)
        self.assertIn("storage unavailable", why)
        self.assertEqual(metric(self.mport, "ujian_storage_available"), 0)
        self.assertGreaterEqual(metric(self.mport, "ujian_storage_failures_total"), 1)
        self.assertGreaterEqual(metric(self.mport, "ujian_storage_refused_writes_total"), 1)
        # Nothing refused is in the database.
        self.assertEqual(stored_answers(self.w, "C001"),
                         {n: (rev, opt) for n, (rev, opt) in acked.items()})

        self.disk(False)
        # The client's retry (the outbox resends the same rev) succeeds once
        # the probe found the disk back.
        def retried():
            r = c.answer(4, "D", 1)
            return r if r.status == 200 else None
        r = wait_until(retried, 15, "writing to resume")
        acked[4] = (1, "D")
        self.assertEqual(readyz(self.mport)[0], 200)
        self.assertEqual(metric(self.mport, "ujian_storage_available"), 1)
        log = self.w.server.read_log()
        self.assertEqual(log.count("storage unavailable ("), 1, log)
        self.assertIn("storage available again", log)
        # The outage is credited to the running attempt (never charge a
        # candidate for the server's outage).
        ledger = self.w.sql("SELECT kind, delta_ms, note FROM time_ledger")
        outage = [row for row in ledger if row[0] == "storage_outage"]
        self.assertEqual(len(outage), 1, ledger)
        self.assertGreater(outage[0][1], 0)
        d1 = c.get("/api/v1/attempt").json["attempt"]["deadline"]
        self.assertGreater(harness.parse_time(d1), harness.parse_time(d0))

        # Everything acknowledged survives a SIGKILL and a restart.
        self.w.server.kill9()
        self.w.server.start()
        self.assertEqual(stored_answers(self.w, "C001"),
                         {n: (rev, opt) for n, (rev, opt) in acked.items()})
        g = harness.Client("127.0.0.1", self.w.server.port, c.token).get("/api/v1/attempt")
        self.assertEqual({a["n"]: (a["rev"], a["option"]) for a in g.json["answers"]}, acked)

    def test_io_error_and_finish_during_outage(self):
        c = self.w.logged_in("C002")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        self.disk(True, "ioerr")
        r = c.post("/api/v1/attempt/finish")
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.error, "storage_unavailable")
        self.assertIsNotNone(self.w.server.proc)
        self.assertIsNone(self.w.server.proc.poll(), "the server stopped on an I/O error")
        g = c.get("/api/v1/attempt")
        self.assertEqual(g.status, 200)
        self.assertEqual(g.json["attempt"]["status"], "in_progress")
        self.assertEqual(self.w.sql("SELECT status FROM attempts")[0][0], "in_progress")
        self.disk(False)
        r = wait_until(lambda: (lambda x: x if x.status != 503 else None)(
            c.post("/api/v1/attempt/finish")), 15, "writing to resume")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.w.sql("SELECT status FROM attempts")[0][0], "finished")
        self.assertNotIn("abort", self.w.server.read_log().lower())

    def test_login_during_outage_is_refused_then_works(self):
        self.disk(True)
        c = self.w.client()
        # The first write fails at the disk or is refused at once.
        r = c.login("EX", "C003", self.w.password("C003"))
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.error, "storage_unavailable")
        self.disk(False)
        r = wait_until(lambda: (lambda x: x if x.status == 200 else None)(
            c.login("EX", "C003", self.w.password("C003"))), 15, "login to work again")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)


def try_mount_tmpfs(path, size):
    """Mount a size-limited tmpfs on path; returns None or the reason it
    could not."""
    if os.geteuid() != 0:
        return "not root"
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", path],
                       capture_output=True, text=True)
    return None if p.returncode == 0 else (p.stderr.strip() or "mount failed")


class RealFullFileSystemTest(unittest.TestCase):
    """The normal build on a real 8 MB tmpfs filled up with a ballast file."""

    def setUp(self):
        self.mnt = tempfile.mkdtemp(prefix="ujian-smallfs-")
        why = try_mount_tmpfs(self.mnt, "8m")
        if why:
            os.rmdir(self.mnt)
            self.skipTest("cannot mount a small tmpfs here (%s): the fault-injection "
                          "tests above cover disk full" % why)
        self.w = World(n_candidates=2)
        db = os.path.join(self.mnt, "t.db")
        shutil.copy(self.w.db, db)
        shutil.copy(self.w.db + ".key", db + ".key")
        os.chmod(db + ".key", 0o600)
        self.w.db = db
        self.w.serve()

    def tearDown(self):
        self.w.close()
        subprocess.run(["umount", "-l", self.mnt], capture_output=True)
        os.rmdir(self.mnt)

    def fill(self):
        """Write a ballast file until the file system is full."""
        path = os.path.join(self.mnt, "ballast")
        with open(path, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        return path

    def test_full_tmpfs(self):
        c = self.w.logged_in("C001")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        ballast = self.fill()
        # Answers until one meets the full disk (the WAL may have room left
        # for a few); the first refusal must be storage_unavailable.
        refused = None
        for n in range(2, 200):
            r = c.answer(1 + n % 12, "B", n)
            if r.status != 200:
                refused = r
                break
        self.assertIsNotNone(refused, "the full file system never refused a write")
        self.assertEqual(refused.status, 503, refused)
        self.assertEqual(refused.error, "storage_unavailable")
        self.assertIsNone(self.w.server.proc.poll())
        self.assertEqual(c.get("/api/v1/attempt").status, 200)
        os.unlink(ballast)
        r = wait_until(lambda: (lambda x: x if x.status == 200 else None)(
            c.answer(2, "C", 1000)), 15, "writing to resume")
        self.assertEqual(r.json["rev"], 1000)
        self.w.server.kill9()
        self.w.server.start()
        self.assertEqual(stored_answers(self.w, "C001")[2], (1000, "C"))


if __name__ == "__main__":
    harness.main()
