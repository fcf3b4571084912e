"""`ujian backup` (issue 12, item 7): an online, consistent copy taken while
candidates answer, checked after writing, never over an existing file; and
the restore procedure of docs/OPERATIONS.md run end to end: the server
killed, the copy put in place with its key, served again, every answer
acknowledged before the backup there, `ujian verify` and the audit chain OK."""

import os
import shutil
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import Server, World, run  # noqa: E402


class BackupTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=6)
        self.w.serve()

    def tearDown(self):
        self.w.close()

    def test_online_backup_under_load_and_restore(self):
        clients = {}
        for r in ("C001", "C002", "C003"):
            c = self.w.logged_in(r)
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            clients[r] = c
        acked = {r: {} for r in clients}
        stop = threading.Event()

        def answer(regno):
            c, rev, n = clients[regno], 0, 1
            while not stop.is_set():
                rev += 1
                r = c.answer(n, "ABCD"[rev % 4], rev)
                if r.status == 200:
                    acked[regno][n] = (r.json["option"], rev)
                n = n % 12 + 1

        threads = [threading.Thread(target=answer, args=(r,)) for r in clients]
        for t in threads:
            t.start()
        harness.wait_until(lambda: all(len(a) >= 3 for a in acked.values()), 30,
                           "answers acknowledged before the backup")
        before = {r: dict(a) for r, a in acked.items()}
        out = os.path.join(self.w.dir, "copy.db")
        p = run("backup", "--db", self.w.db, "--out", out)
        stop.set()
        for t in threads:
            t.join()
        self.assertIn("integrity ok", p.stdout)
        self.assertIn("audit chain OK", p.stdout)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(out + ".key").st_mode & 0o777, 0o600)
        self.assertFalse(os.path.exists(out + "-wal") and os.path.getsize(out + "-wal") > 0)
        # Never over an existing file.
        p = run("backup", "--db", self.w.db, "--out", out, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("exists already", p.stderr)
        # The restore procedure: the server is gone (here: killed), the copy
        # and its key go where the database was, the server starts on it.
        self.w.server.kill9()
        restored = os.path.join(self.w.dir, "restored")
        os.mkdir(restored)
        db = os.path.join(restored, "exam.db")
        shutil.copy2(out, db)
        shutil.copy2(out + ".key", db + ".key")
        srv = Server(restored, db).start()
        try:
            for regno, answers in before.items():
                c = srv.client()
                r = c.login("EX", regno, self.w.password(regno))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(c.get("/api/v1/attempt").status, 200)
                rows = {n: (label, rev) for n, label, rev in answers_in(db, regno)}
                for n, (label, rev) in answers.items():
                    # What was acknowledged before the backup is in the copy,
                    # with that revision or a later one.
                    self.assertIn(n, rows, (regno, n))
                    self.assertGreaterEqual(rows[n][1], rev, (regno, n))
        finally:
            srv.stop()
        self.assertEqual(run("verify", "--db", db, "--exam", "EX").returncode, 0)
        self.assertIn("OK", run("audit", "verify", "--db", db).stdout)

    def test_bad_input(self):
        p = run("backup", "--db", self.w.db, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--out is required", p.stderr)
        p = run("backup", "--db", os.path.join(self.w.dir, "none.db"), "--out",
                os.path.join(self.w.dir, "x.db"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such database", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.w.dir, "x.db")))


def answers_in(db, regno):
    """(n, label, rev) of regno's stored answers in db."""
    import sqlite3
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT a.n, a.label, a.rev FROM answers a JOIN candidates c ON"
                           " c.id = a.candidate_id WHERE c.registration_no = ?",
                           (regno,)).fetchall()
    finally:
        con.close()


if __name__ == "__main__":
    harness.main()
