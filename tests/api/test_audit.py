"""The tamper-evident audit log: 'ujian audit verify|head|show' on logs written
by the real server, then tampered with directly in the SQLite file (UPDATE,
DELETE, INSERT, swap, a recomputed hash, a cut-off end), each caught and the
first bad entry named; a log written under load with SIGKILLs verifies; the
migration chains events written before the chain existed.

The chain's encoding (include/store/chain.h) is implemented here a second
time, independently, so the tests can forge entries with correct hashes the
way an attacker who read the source could."""

import hashlib
import os
import random
import re
import shutil
import sqlite3
import struct
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, wait_until  # noqa: E402

# The schema version whose migration added the chain (include/store/db.h:
# the migration that adds events.prev and events.hash).
CHAIN_VERSION = 5
# The tables migrations 7 (selection records) and 8 (calibrations) add,
# children first, so a test that undoes migrations can drop them.
V7_TABLES = ("calibrations", "slips", "stage_gates", "stage_scores", "applicants", "vacancies",
             "selection_members", "selections", "placements", "talent_scores",
             "talent_periods", "skp", "sanctions", "employees")
COLUMNS = ("id, at, actor_kind, actor_id, candidate_id, kind, n, label, flagged, rev, "
           "detail")
ZERO = bytes(32)


def encode(v):
    if v is None:
        return b"N"
    if isinstance(v, int):
        return b"I" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"R" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        return b"T" + struct.pack(">Q", len(b)) + b
    return b"B" + struct.pack(">Q", len(v)) + bytes(v)


def entry_hash(prev, fields):
    """SHA-256 of an entry as include/store/chain.h defines it."""
    return hashlib.sha256(b"ujian.events.v1\0" + prev + b"".join(encode(f) for f in fields)).digest()


def audit(db, *args, code=None):
    p = run("audit", *args, "--db", db, check=False)
    if code is not None and p.returncode != code:
        raise AssertionError("audit %s: exit %d, expected %d\n%s%s" % (
            " ".join(args), p.returncode, code, p.stdout, p.stderr))
    return p


class AuditTest(unittest.TestCase):
    """One log written by the server (logins, starts, answers, a finish, a
    failed login), copied afresh for every test."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=4)
        w = cls.w
        w.serve()
        for i, regno in enumerate(("C001", "C002", "C003")):
            c = w.logged_in(regno)
            assert c.post("/api/v1/attempt/start").status == 200
            for n in range(1, 5):
                assert c.answer(n, "ABCDE"[(n + i) % 5], n, flagged=n == 2).status == 200
            c.close()
        c = w.logged_in("C001")
        assert c.post("/api/v1/attempt/finish").status == 200
        c.close()
        assert w.client().login("EX", "C004", "wrong-password").status == 401
        w.server.stop()
        cls.pristine = os.path.join(w.dir, "pristine.db")
        shutil.copy(w.db, cls.pristine)
        cls.n = w.sql("SELECT count(*) FROM events")[0][0]

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def setUp(self):
        self.db = os.path.join(self.w.dir, "tampered.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                os.unlink(self.db + suffix)
        shutil.copy(self.pristine, self.db)

    def sql(self, query, *params):
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute(query, params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def head_hex(self):
        return self.sql("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1")[0][0].lower()

    def assert_fails_at(self, entry, problem, *args):
        p = audit(self.db, "verify", *args, code=1)
        m = re.match(r"FAILED: entry (\d+) \((\w+)\): (.*)", p.stdout)
        self.assertIsNotNone(m, p.stdout + p.stderr)
        self.assertEqual((int(m.group(1)), m.group(2)), (entry, problem), p.stdout)
        return m.group(3)

    def recompute_from(self, first):
        """Recompute prev and hash of every entry from id first on, as an
        attacker with the file and the source could."""
        con = sqlite3.connect(self.db)
        prev = con.execute("SELECT hash FROM events WHERE id < ? ORDER BY id DESC LIMIT 1",
                           (first,)).fetchone()
        prev = prev[0] if prev else ZERO
        for row in con.execute("SELECT " + COLUMNS + " FROM events WHERE id >= ? ORDER BY id",
                               (first,)).fetchall():
            h = entry_hash(prev, row)
            con.execute("UPDATE events SET prev = ?, hash = ? WHERE id = ?", (prev, h, row[0]))
            prev = h
        con.commit()
        con.close()

    # --- an intact log -------------------------------------------------------

    def test_intact_log_verifies_and_matches_an_independent_hash(self):
        self.assertGreater(self.n, 15)
        rows = self.sql("SELECT " + COLUMNS + ", prev, hash FROM events ORDER BY id")
        self.assertEqual([r[0] for r in rows], list(range(1, self.n + 1)))
        prev = ZERO
        for r in rows:
            self.assertEqual(r[11], prev, "entry %d: prev is the previous entry's hash" % r[0])
            self.assertEqual(r[12], entry_hash(prev, r[:11]), "entry %d" % r[0])
            prev = r[12]
        kinds = {r[5] for r in rows}
        self.assertTrue({"login", "start", "answer", "finish", "login_failed"} <= kinds, kinds)
        head = self.head_hex()
        p = audit(self.db, "verify", code=0)
        self.assertEqual(p.stdout, "OK: %d entries, head %s\n" % (self.n, head))
        p = audit(self.db, "head", code=0)
        self.assertRegex(p.stdout, r"^%d entries, head %s \(entry %d, \d{4}-\d\d-\d\d "
                         r"\d\d:\d\d:\d\d \S+\)\n$" % (self.n, head, self.n))
        p = audit(self.db, "verify", "--head", head.upper(), "--expect-count", str(self.n),
                  code=0)
        self.assertIn("the head written down is in the log", p.stdout)
        # an earlier head (the log grew since it was written down) is still in it
        early = self.sql("SELECT hex(hash) FROM events WHERE id = 5")[0][0]
        audit(self.db, "verify", "--head", early, "--expect-count", "5", code=0)
        # 'ujian verify' checks the chain too
        p = run("verify", "--db", self.db, "--exam", "EX")
        self.assertIn("audit log: %d entries chained, head %s" % (self.n, head), p.stdout)

    def test_empty_log(self):
        self.sql("DELETE FROM events")
        p = audit(self.db, "verify", code=0)
        self.assertEqual(p.stdout, "OK: 0 entries, head %s\n" % ("0" * 64))
        self.assertEqual(audit(self.db, "head", code=0).stdout, "0 entries, head %s\n" % ("0" * 64))

    # --- changed ---------------------------------------------------------------

    def test_updated_detail_is_named(self):
        self.sql("UPDATE events SET detail = '{\"peer\":\"10.9.9.9\"}' WHERE id = 7")
        msg = self.assert_fails_at(7, "changed")
        self.assertIn("does not match its hash", msg)
        # 'ujian verify' reports the same as a violation
        p = run("verify", "--db", self.db, "--exam", "EX", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("VIOLATION audit log: entry 7 was changed", p.stdout)

    def test_each_chained_column_is_covered(self):
        answer = self.sql("SELECT id FROM events WHERE kind = 'answer' ORDER BY id LIMIT 1")[0][0]
        for column, value in (("at", "at + 1"), ("actor_kind", "'system'"),
                              ("actor_id", "actor_id + 1"), ("candidate_id", "candidate_id + 1"),
                              ("kind", "'answer_x'"), ("n", "n + 1"), ("label", "'F'"),
                              ("flagged", "1 - flagged"), ("rev", "rev + 1"),
                              ("detail", "'{}'"), ("at", "at + 0.5")):
            with self.subTest(column=column, value=value):
                self.setUp()
                self.sql("UPDATE events SET %s = %s WHERE id = ?" % (column, value), answer)
                self.assert_fails_at(answer, "changed")

    def test_rewritten_entry_with_recomputed_hash_is_named_by_its_successor(self):
        """The attacker changes entry 6 and recomputes its own hash: entry 6
        verifies alone, but entry 7 was chained to the old one."""
        self.sql("UPDATE events SET detail = '{\"peer\":\"10.9.9.9\"}' WHERE id = 6")
        row = self.sql("SELECT " + COLUMNS + ", prev FROM events WHERE id = 6")[0]
        self.sql("UPDATE events SET hash = ? WHERE id = 6", entry_hash(row[11], row[:11]))
        msg = self.assert_fails_at(6, "rewritten")
        self.assertIn("entry 7 was chained to", msg)

    def test_whole_chain_recomputed_is_caught_only_by_the_written_head(self):
        head = self.head_hex()
        self.sql("UPDATE events SET detail = '{\"peer\":\"10.9.9.9\"}' WHERE id = 3")
        self.recompute_from(3)
        # the chain alone cannot tell: it was recomputed from the change on
        audit(self.db, "verify", code=0)
        msg = self.assert_fails_at(0, "head_missing", "--head", head)
        self.assertIn("not in the log", msg)

    # --- deleted -----------------------------------------------------------------

    def test_deleted_middle_entry_is_named(self):
        self.sql("DELETE FROM events WHERE id = 9")
        msg = self.assert_fails_at(9, "deleted")
        self.assertIn("entry 9 is missing", msg)

    def test_deleted_run_of_entries_is_named(self):
        self.sql("DELETE FROM events WHERE id BETWEEN 4 AND 6")
        msg = self.assert_fails_at(4, "deleted")
        self.assertIn("entries 4-6 are missing", msg)

    def test_deleted_first_entry_is_named(self):
        self.sql("DELETE FROM events WHERE id = 1")
        self.assert_fails_at(1, "deleted")

    def test_deleted_middle_entry_with_ids_closed_up_is_named(self):
        """Delete entry 5 and renumber the later ones so the ids show no
        gap."""
        self.sql("DELETE FROM events WHERE id = 5")
        self.sql("UPDATE events SET id = -id WHERE id > 5")
        self.sql("UPDATE events SET id = -id - 1 WHERE id < 0")
        self.assertEqual(self.sql("SELECT count(*), max(id) FROM events")[0],
                         (self.n - 1, self.n - 1))
        self.assert_fails_at(5, "changed")

    def test_cut_off_end_needs_the_written_head(self):
        """Deleting the last entries leaves a valid, shorter chain: only the
        head written down earlier (count and hash) shows it."""
        head = self.head_hex()
        self.sql("DELETE FROM events WHERE id > ?", self.n - 2)
        p = audit(self.db, "verify", code=0)  # honest: the chain alone cannot see it
        self.assertTrue(p.stdout.startswith("OK: %d entries" % (self.n - 2)), p.stdout)
        msg = self.assert_fails_at(self.n - 1, "truncated", "--head", head, "--expect-count",
                                   str(self.n))
        self.assertIn("entries after entry %d were deleted" % (self.n - 2), msg)
        self.assert_fails_at(self.n - 1, "truncated", "--expect-count", str(self.n))
        self.assert_fails_at(0, "head_missing", "--head", head)

    def test_cut_off_end_then_new_entries_needs_the_written_head(self):
        """After the end is cut off, the server appends new entries at the
        same ids: the chain is valid again, the written head is not in it."""
        head = self.head_hex()
        self.sql("DELETE FROM events WHERE id > ?", self.n - 3)
        s = harness.Server(self.w.dir, self.db, ("--key", self.w.db + ".key")).start()
        try:
            c = s.client()
            self.assertEqual(c.login("EX", "C002", self.w.password("C002")).status, 200)
            self.assertEqual(c.answer(1, "E", 50).status, 200)
            c.close()
        finally:
            s.stop()
        count = self.sql("SELECT count(*) FROM events")[0][0]
        self.assertGreaterEqual(count, self.n - 1)
        audit(self.db, "verify", code=0)
        self.assert_fails_at(0, "head_missing", "--head", head)

    # --- inserted ------------------------------------------------------------------

    def test_inserted_row_without_hash_is_named(self):
        self.sql("INSERT INTO events (id, at, kind, actor_kind, candidate_id, detail) VALUES "
                 "(?, 1800000000000, 'finish', 'system', 2, '{\"reason\":\"time_up\"}')",
                 self.n + 1)
        msg = self.assert_fails_at(self.n + 1, "unhashed")
        self.assertIn("no valid hash", msg)

    def test_inserted_row_with_wrong_hash_is_named(self):
        head = bytes.fromhex(self.head_hex())
        self.sql("INSERT INTO events (id, at, kind, actor_kind, candidate_id, prev, hash) VALUES "
                 "(?, 1800000000000, 'finish', 'system', 2, ?, ?)", self.n + 1, head,
                 os.urandom(32))
        self.assert_fails_at(self.n + 1, "changed")

    def test_inserted_row_in_the_middle_is_named(self):
        """Make room at id 8 by renumbering the later entries, then insert an
        entry there with a correctly computed hash (chained to entry 7)."""
        self.sql("UPDATE events SET id = -id WHERE id >= 8")
        self.sql("UPDATE events SET id = -id + 1 WHERE id < 0")
        prev = self.sql("SELECT hash FROM events WHERE id = 7")[0][0]
        fields = (8, 1800000000000, "system", None, 2, "finish", None, None, None, None,
                  '{"reason":"time_up","total":500}')
        self.sql("INSERT INTO events (" + COLUMNS + ", prev, hash) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", *fields, prev,
                 entry_hash(prev, fields))
        msg = self.assert_fails_at(8, "reordered")
        self.assertIn("entry 9 holds the content written as entry 8", msg)

    def test_copy_of_an_entry_appended_is_named(self):
        """Copy entry 3 (all but the id) to the end: a duplicate login."""
        cols = COLUMNS.split(", ")[1:] + ["prev", "hash"]
        self.sql("INSERT INTO events (id, %s) SELECT ?, %s FROM events WHERE id = 3"
                 % (", ".join(cols), ", ".join(cols)), self.n + 1)
        msg = self.assert_fails_at(self.n + 1, "reordered")
        self.assertIn("entry %d is a copy of entry 3: it was inserted" % (self.n + 1), msg)

    # --- reordered -------------------------------------------------------------------

    def test_swapped_entries_are_named(self):
        """Swap everything but the id (hashes too) of entries 10 and 11."""
        cols = COLUMNS.split(", ")[1:] + ["prev", "hash"]
        a = self.sql("SELECT %s FROM events WHERE id = 10" % ", ".join(cols))[0]
        b = self.sql("SELECT %s FROM events WHERE id = 11" % ", ".join(cols))[0]
        sets = ", ".join("%s = ?" % c for c in cols)
        self.sql("UPDATE events SET %s WHERE id = 10" % sets, *b)
        self.sql("UPDATE events SET %s WHERE id = 11" % sets, *a)
        msg = self.assert_fails_at(10, "reordered")
        self.assertIn("entry 10 holds the content written as entry 11", msg)

    def test_swapped_content_keeping_hashes_is_named(self):
        """Swap the content of entries 10 and 11 but leave their hashes."""
        cols = COLUMNS.split(", ")[1:]
        a = self.sql("SELECT %s FROM events WHERE id = 10" % ", ".join(cols))[0]
        b = self.sql("SELECT %s FROM events WHERE id = 11" % ", ".join(cols))[0]
        self.assertNotEqual(a, b)
        sets = ", ".join("%s = ?" % c for c in cols)
        self.sql("UPDATE events SET %s WHERE id = 10" % sets, *b)
        self.sql("UPDATE events SET %s WHERE id = 11" % sets, *a)
        self.assert_fails_at(10, "changed")

    # --- usage --------------------------------------------------------------------------

    def test_usage_errors(self):
        self.assertEqual(run("audit", check=False).returncode, 2)
        self.assertEqual(run("audit", "frob", "--db", self.db, check=False).returncode, 2)
        p = run("audit", "verify", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("ujian audit verify: --db is required", p.stderr)
        p = audit(self.db, "verify", "--head", "abc", code=2)
        self.assertIn("ujian audit verify: --head \"abc\": expected 64 hexadecimal digits",
                      p.stderr)
        audit(self.db, "verify", "--expect-count", "0", code=2)
        p = audit(self.db, "show", "--since", "yesterday", code=2)
        self.assertIn("ujian audit show: --since", p.stderr)
        p = audit(self.db, "show", "--actor", "candidate:x", code=1)
        self.assertIn("ujian audit show: actor \"candidate:x\"", p.stderr)
        p = run("audit", "verify", "--db", os.path.join(self.w.dir, "none.db"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such database", p.stderr)
        p = run("help")
        self.assertIn("audit verify --db FILE", p.stdout)


class AuditShowTest(unittest.TestCase):
    """'audit show' filters and prints readably; two exams."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=3)
        w = cls.w
        run("exam", "create", "--db", w.db, harness.make_exam(w.dir, code="EX2"))
        w.add_candidates("EX2", ["D001"])
        w.serve()
        for regno, exam in (("C001", "EX"), ("C002", "EX"), ("D001", "EX2")):
            c = w.logged_in(regno, exam=exam)
            assert c.post("/api/v1/attempt/start").status == 200
            assert c.answer(2, "C", 1, flagged=True).status == 200
            c.close()
        w.server.stop()

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def show(self, *args, tz="Asia/Jakarta"):
        import subprocess
        env = dict(os.environ, TZ=tz)
        p = subprocess.run([harness.UJIAN, "audit", "show", "--db", self.w.db, *args],
                           capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.splitlines()

    def ids(self, lines):
        return [int(line.split()[0]) for line in lines]

    def test_all_lines_oldest_first_in_local_time(self):
        lines = self.show()
        n = self.w.sql("SELECT count(*) FROM events")[0][0]
        self.assertEqual(self.ids(lines), list(range(1, n + 1)))
        self.assertRegex(lines[0], r"^\s+1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d WIB  candidate C001 +"
                         r"login +\[EX C001\] \{\"peer\":\"127.0.0.1\"\}$")
        answer = [line for line in lines if " answer " in line][0]
        self.assertRegex(answer, r"\[EX C001\] q2=C flagged rev=1$")
        # the zone is the reader's: WITA is an hour later
        wita = self.show("--limit", "1", tz="Asia/Makassar")[0]
        self.assertIn(" WITA ", wita)

    def test_filters(self):
        n = self.w.sql("SELECT count(*) FROM events")[0][0]
        ex2 = self.show("--exam", "EX2")
        self.assertEqual(len(ex2), 3)
        self.assertTrue(all("[EX2 D001]" in line for line in ex2), ex2)
        c2 = self.show("--actor", "C002")
        self.assertEqual(len(c2), 3)
        self.assertTrue(all("candidate C002" in line for line in c2), c2)
        cid = self.w.sql("SELECT id FROM candidates WHERE registration_no = 'C002'")[0][0]
        self.assertEqual(self.show("--actor", "candidate:%d" % cid), c2)
        self.assertEqual(self.show("--candidate", "C002"), c2)
        self.assertEqual(len(self.show("--actor", "candidate")), n)
        self.assertEqual(self.show("--actor", "system"), [])
        self.assertEqual(self.show("--actor", "nobody"), [])
        last2 = self.show("--limit", "2")
        self.assertEqual(self.ids(last2), [n - 1, n])
        self.assertEqual(self.show("--since", "2999-01-01"), [])
        self.assertEqual(len(self.show("--since", "2000-01-01 00:00")), n)
        self.assertEqual(len(self.show("--since", "2000-01-01T00:00:00Z")), n)
        self.assertEqual(self.ids(self.show("--exam", "EX", "--actor", "C001", "--limit", "1")),
                         [self.ids(self.show("--actor", "C001"))[-1]])

    def test_control_characters_from_the_file_are_not_printed(self):
        db = os.path.join(self.w.dir, "esc.db")
        shutil.copy(self.w.db, db)
        con = sqlite3.connect(db)
        con.execute("UPDATE events SET detail = ? WHERE id = 1", ("\x1b[2K\x1b[1Ahidden\r",))
        con.commit()
        con.close()
        p = run("audit", "show", "--db", db, "--limit", "100")
        first = p.stdout.splitlines()[0]
        self.assertNotIn("\x1b", p.stdout)
        self.assertTrue(first.endswith("?[2K?[1Ahidden?"), first)


class AuditCrashTest(unittest.TestCase):
    def test_log_written_under_load_with_sigkill_verifies(self):
        """Candidates answer from several threads while the server is
        SIGKILLed three times (recovery appends its own credit events at each
        start); 'audit verify' also runs beside the live server. Afterwards
        the chain verifies, holds every committed event, and every
        acknowledged answer has its event."""
        w = World(n_candidates=6)
        try:
            w.serve()
            regnos = ["C%03d" % i for i in range(1, 6)]
            tokens = {}
            for r in regnos:
                c = w.logged_in(r)
                self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
                tokens[r] = c.token
                c.close()
            acked = set()  # (regno, n, rev)
            lock = threading.Lock()
            stop = threading.Event()

            def worker(regno):
                rnd = random.Random(regno)
                c = harness.Client("127.0.0.1", w.server.port, tokens[regno])
                rev = 0
                while not stop.is_set():
                    rev += 1
                    n = rnd.randint(1, 12)
                    try:
                        r = c.answer(n, rnd.choice("ABCDE"), rev)
                    except OSError:
                        time.sleep(0.01)  # the server is down: a browser retries
                        continue
                    if r.status == 200:
                        with lock:
                            acked.add((regno, n, rev))
                c.close()

            threads = [threading.Thread(target=worker, args=(r,)) for r in regnos]
            for t in threads:
                t.start()
            try:
                for round_ in range(3):
                    base = len(acked)
                    wait_until(lambda: len(acked) >= base + 20, 20, "answers to be acknowledged")
                    if round_ == 0:
                        # a reader beside the writing server sees a consistent chain
                        p = audit(w.db, "verify", code=0)
                        self.assertTrue(p.stdout.startswith("OK: "), p.stdout)
                    time.sleep(random.uniform(0.0, 0.2))
                    w.server.kill9()
                    w.server.start()
            finally:
                stop.set()
                for t in threads:
                    t.join()
            w.server.kill9()
            n = w.sql("SELECT count(*) FROM events")[0][0]
            p = audit(w.db, "verify", code=0)
            self.assertTrue(p.stdout.startswith("OK: %d entries, head " % n), p.stdout)
            self.assertEqual(w.sql("SELECT min(id), max(id) FROM events")[0], (1, n))
            self.assertGreater(len(acked), 60)
            logged = set(w.sql("SELECT c.registration_no, e.n, e.rev FROM events e JOIN "
                               "candidates c ON c.id = e.candidate_id WHERE e.kind = 'answer'"))
            self.assertEqual(acked - logged, set(), "an acknowledged answer has no event")
            self.assertTrue(w.sql("SELECT count(*) FROM events WHERE kind = 'outage_credit'")[0][0]
                            > 0)
        finally:
            w.close()


class AuditMigrationTest(unittest.TestCase):
    def test_events_from_before_the_chain_are_chained_by_init(self):
        """A database from before the chain (no prev/hash columns) with
        events: 'ujian init' migrates it and chains them in id order; new
        events continue the chain. (Later migrations must not depend on the
        chain columns, or this test must drop their changes too.)"""
        w = World(n_candidates=2)
        try:
            w.serve()
            c = w.logged_in("C001")
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            self.assertEqual(c.answer(1, "A", 1).status, 200)
            c.close()
            w.server.stop()
            before = w.sql("SELECT " + COLUMNS + " FROM events ORDER BY id")
            schema = w.sql("PRAGMA user_version")[0][0]
            con = sqlite3.connect(w.db)
            # Undo the later migrations too (6: proctoring), so init
            # re-runs them on top of the chain's.
            for t in V7_TABLES:  # 8: calibrations, 7: selection records
                con.execute("DROP TABLE " + t)
            con.execute("DROP INDEX candidates_nip")
            con.execute("ALTER TABLE candidates DROP COLUMN nip")
            for t in ("sittings", "sitting_proctors", "notices"):
                con.execute("DROP TABLE " + t)
            con.execute("ALTER TABLE candidates DROP COLUMN sitting_id")
            con.execute("DROP INDEX events_staff")
            con.execute("DROP INDEX events_incident")
            con.execute("ALTER TABLE events DROP COLUMN prev")
            con.execute("ALTER TABLE events DROP COLUMN hash")
            con.execute("INSERT INTO events (at, kind) VALUES (1700000000000, 'legacy')")
            con.execute("PRAGMA user_version = %d" % (CHAIN_VERSION - 1))
            con.commit()
            con.close()
            p = run("audit", "verify", "--db", w.db, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("older than %d" % schema, p.stderr)
            run("init", "--db", w.db)
            rows = w.sql("SELECT " + COLUMNS + ", prev, hash FROM events ORDER BY id")
            self.assertEqual([r[:11] for r in rows[:-1]], before)  # content unchanged
            prev = ZERO
            for r in rows:
                self.assertEqual((r[11], r[12]), (prev, entry_hash(prev, r[:11])))
                prev = r[12]
            w.serve()
            c = w.logged_in("C002")
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            c.close()
            w.server.stop()
            n = w.sql("SELECT count(*) FROM events")[0][0]
            new = w.sql("SELECT kind FROM events WHERE id > ? AND candidate_id = "
                        "(SELECT id FROM candidates WHERE registration_no = 'C002')", len(rows))
            self.assertEqual(new, [("login",), ("start",)])
            p = audit(w.db, "verify", code=0)
            self.assertTrue(p.stdout.startswith("OK: %d entries" % n), p.stdout)
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
