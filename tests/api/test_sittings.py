"""Sittings (sesi): made, edited, assigned and given a new token with the CLI
and the staff API; the candidate CSV's sitting column; every change in the
audit log (chain intact) and picked up by a running server's catalog
watcher."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, wait_until, write_csv  # noqa: E402

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOKEN = re.compile("^[%s]{6}$" % ALPHABET)


class SittingCliTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=6)
        self.w.add_staff("pengawas", "proctor")
        self.w.add_staff("penulis", "author")
        self.base = ["--db", self.w.db, "--exam", "EX"]

    def tearDown(self):
        self.w.close()

    def sitting(self, code):
        rows = self.w.sql("SELECT id, room, starts_at, rotate_min, start_together, token,"
                          " prev_token, token_at FROM sittings WHERE code = ?", code)
        return rows[0] if rows else None

    def events(self, kind):
        return self.w.sql("SELECT actor_kind, detail FROM events WHERE kind = ? ORDER BY id", kind)

    def test_add_list_token(self):
        p = run("sitting", "add", *self.base, "--code", "R1-PAGI", "--room", "Ruang 1",
                "--starts-at", "2026-03-02T08:00:00+07:00", "--rotate-min", "15",
                "--start-together", "--proctor", "pengawas")
        token = p.stdout.split()[-1]
        self.assertRegex(token, TOKEN)
        sid, room, starts, rot, together, tok, prev, tok_at = self.sitting("R1-PAGI")
        self.assertEqual((room, rot, together, tok, prev), ("Ruang 1", 15, 1, token, ""))
        self.assertEqual(starts, 1772413200000)
        self.assertGreater(tok_at, 0)
        self.assertEqual(self.w.sql("SELECT s.username FROM sitting_proctors p JOIN staff s"
                                    " ON s.id = p.staff_id WHERE p.sitting_id = ?", sid),
                         [("pengawas",)])
        # A new token: another valid one; the old one is kept as prev_token.
        new = run("sitting", "token", *self.base, "--code", "R1-PAGI").stdout.strip()
        self.assertRegex(new, TOKEN)
        self.assertNotEqual(new, token)
        _, _, _, _, _, tok2, prev2, tok_at2 = self.sitting("R1-PAGI")
        self.assertEqual((tok2, prev2), (new, token))
        self.assertGreaterEqual(tok_at2, tok_at)
        # Many tokens use only the alphabet (no 0, O, 1, I).
        seen = set()
        for _ in range(15):
            seen |= set(run("sitting", "token", *self.base, "--code", "R1-PAGI").stdout.strip())
        self.assertTrue(seen <= set(ALPHABET), seen)
        run("sitting", "assign", *self.base, "--code", "R1-PAGI", "C001", "C002")
        out = run("sitting", "list", "--db", self.w.db).stdout
        last = self.sitting("R1-PAGI")[5]
        line = next(ln for ln in out.splitlines() if "R1-PAGI" in ln)
        self.assertIn(last, line)
        self.assertIn("pengawas", line)
        self.assertRegex(line, r"\b2\b")  # two candidates
        self.assertIn("1 sitting(s)", out)
        # Every change is in the audit log as the system, and the chain holds.
        self.assertEqual(len(self.events("sitting_created")), 1)
        self.assertEqual(len(self.events("sitting_token")), 16)
        self.assertEqual(self.events("sitting_assigned")[0][0], "system")
        self.assertNotIn(last, str(self.events("sitting_token")))  # the token is not logged
        run("audit", "verify", "--db", self.w.db)

    def test_bad_input_reports_everything_and_changes_nothing(self):
        version = self.w.sql("SELECT value FROM meta WHERE key = 'catalog_version'")
        p = run("sitting", "add", *self.base, "--code", "R2", "--proctor", "penulis",
                "--proctor", "nobody", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('"penulis" has neither the proctor nor the admin role', p.stderr)
        self.assertIn('no staff account "nobody"', p.stderr)
        self.assertTrue(p.stderr.startswith("ujian sitting add: "), p.stderr)
        p = run("sitting", "add", *self.base, "--code", "R2", "--rotate-min", "5000",
                check=False)
        self.assertEqual(p.returncode, 1)
        p = run("sitting", "add", "--db", self.w.db, "--exam", "NOPE", "--code", "R2",
                check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('no such exam "NOPE"', p.stderr)
        self.assertEqual(run("sitting", "add", *self.base, check=False).returncode, 2)
        self.assertEqual(run("sitting", "frob", check=False).returncode, 2)
        self.assertEqual(self.w.sql("SELECT count(*) FROM sittings"), [(0,)])
        self.assertEqual(self.w.sql("SELECT value FROM meta WHERE key = 'catalog_version'"),
                         version)
        run("sitting", "add", *self.base, "--code", "R2")
        self.assertIn("already has a sitting",
                      run("sitting", "add", *self.base, "--code", "R2", check=False).stderr)
        # Assign: every bad entry named, nobody moved.
        p = run("sitting", "assign", *self.base, "--code", "R2", "C001", "X-9", "C002", "C001",
                "bad/one", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('line 2 field "registration_no": "X-9" is not a candidate of exam EX',
                      p.stderr)
        self.assertIn('line 4 field "registration_no": "C001" appears twice', p.stderr)
        self.assertIn('line 5 field "registration_no": "bad/one" must be', p.stderr)
        self.assertEqual(self.w.sql("SELECT count(*) FROM candidates WHERE sitting_id IS NOT NULL"),
                         [(0,)])
        p = run("sitting", "assign", *self.base, "--code", "R9", "C001", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('exam EX has no sitting "R9"', p.stderr)
        # From standard input.
        run("sitting", "assign", *self.base, "--code", "R2", "-", stdin="C003\n\nC004\r\n")
        self.assertEqual(self.w.sql("SELECT registration_no FROM candidates WHERE sitting_id"
                                    " IS NOT NULL ORDER BY 1"), [("C003",), ("C004",)])
        # Proctors: add, remove, and a name that is not one of them.
        run("sitting", "proctor", *self.base, "--code", "R2", "--add", "pengawas")
        p = run("sitting", "proctor", *self.base, "--code", "R2", "--remove", "penulis",
                check=False)
        self.assertEqual(p.returncode, 1)
        run("sitting", "proctor", *self.base, "--code", "R2", "--remove", "pengawas")
        self.assertEqual(self.w.sql("SELECT count(*) FROM sitting_proctors"), [(0,)])
        self.assertEqual(run("sitting", "proctor", *self.base, "--code", "R2",
                             check=False).returncode, 2)
        run("audit", "verify", "--db", self.w.db)

    def test_help(self):
        p = run("sitting", "add", "--help")
        self.assertIn("sitting add --db FILE --exam CODE --code C", p.stdout)
        self.assertIn("sitting token", p.stdout)

    def test_csv_sitting_column(self):
        run("sitting", "add", *self.base, "--code", "R1", "--room", "Ruang 1")
        hdr = "registration_no,name,password,track,extra_time_s,sitting"
        bad = write_csv(self.w.dir, "bad.csv", ["D001,Satu,,umum,0,R1",
                                                "D002,Dua,,umum,0,R7",
                                                "D003,Tiga,,umum,0,"], header=hdr)
        p = run("candidates", "import", *self.base, bad, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('line 3 field "sitting": exam EX has no sitting "R7"', p.stderr)
        self.assertEqual(self.w.sql("SELECT count(*) FROM candidates WHERE registration_no"
                                    " LIKE 'D%'"), [(0,)])
        good = write_csv(self.w.dir, "good.csv", ["D001,Satu,,umum,0,R1",
                                                  "D003,Tiga,,umum,0,"], header=hdr)
        run("candidates", "import", *self.base, good)
        self.assertEqual(self.w.sql("SELECT c.registration_no, s.code FROM candidates c LEFT"
                                    " JOIN sittings s ON s.id = c.sitting_id WHERE"
                                    " c.registration_no LIKE 'D%' ORDER BY 1"),
                         [("D001", "R1"), ("D003", None)])
        # A re-import of a registered number is refused as before (sittings
        # change with 'ujian sitting assign').
        again = write_csv(self.w.dir, "again.csv", ["D003,Tiga,,umum,0,R1"], header=hdr)
        p = run("candidates", "import", *self.base, again, check=False)
        self.assertIn("already registered", p.stderr)


class SittingApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=6)
        cls.w.add_staff("admin1", "admin")
        cls.w.add_staff("pengawas", "proctor", exams="EX")
        cls.w.add_staff("luar", "proctor")  # no exam in scope
        cls.w.add_staff("pemantau", "observer", exams="EX")
        cls.w.add_staff("penulis", "author")
        cls.w.serve("--catalog-poll-ms", "100")
        cls.admin, _ = cls.w.staff_login("admin1")

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.w.close()

    def cand_sittings(self, c=None):
        r = (c or self.admin).get("/api/v1/staff/exams/EX/candidates")
        self.assertEqual(r.status, 200, r)
        return {row["registration_no"]: (row["sitting"], row["room"])
                for row in r.json["candidates"]}

    def test_1_create_edit_assign(self):
        a = self.admin
        r = a.post("/api/v1/staff/exams/EX/sittings",
                   {"code": "A1", "room": "Lab A", "starts_at": "2026-03-02T08:00:00+07:00",
                    "rotate_min": 10, "start_together": True, "proctors": ["pengawas"]})
        self.assertEqual(r.status, 201, r)
        s = r.json["sitting"]
        self.assertEqual((s["code"], s["room"], s["rotate_min"], s["start_together"],
                          s["proctors"], s["candidates"]),
                         ("A1", "Lab A", 10, True, ["pengawas"], 0))
        self.assertRegex(s["token"], TOKEN)
        self.assertEqual(harness.parse_time(s["starts_at"]), 1772413200)
        # Every problem at once, in Indonesian, nothing made.
        r = a.post("/api/v1/staff/exams/EX/sittings",
                   {"code": "A1", "rotate_min": -1, "proctors": ["penulis", "hantu"],
                    "colour": "red"})
        self.assertEqual(r.status, 400, r)
        fields = sorted(e["field"] or "" for e in r.json["error"]["errors"])
        self.assertIn("rotate_min", fields)
        self.assertIn("colour", fields)
        r = a.post("/api/v1/staff/exams/EX/sittings",
                   {"code": "A1", "proctors": ["penulis", "hantu"]})
        self.assertEqual(r.status, 400, r)
        msgs = " | ".join(e["message"] for e in r.json["error"]["errors"])
        self.assertIn("sudah memiliki sesi", msgs)
        self.assertIn('akun staf "hantu" tidak ada', msgs)
        self.assertIn('"penulis" tidak berperan pengawas', msgs)
        self.assertEqual(self.w.sql("SELECT count(*) FROM sittings"), [(1,)])
        # Edit.
        r = a.put("/api/v1/staff/exams/EX/sittings/A1",
                  {"room": "Lab B", "starts_at": None, "proctors": ["pengawas", "admin1"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["sitting"]["room"], r.json["sitting"]["starts_at"],
                          r.json["sitting"]["proctors"]), ("Lab B", None, ["admin1", "pengawas"]))
        self.assertEqual(a.put("/api/v1/staff/exams/EX/sittings/NOPE", {"room": "x"}).status, 400)
        # Assign with bad rows: all named, nothing applied.
        r = a.put("/api/v1/staff/exams/EX/sittings/A1/candidates",
                  {"registration_nos": ["C001", "ZZZ", "C002", "C001"]})
        self.assertEqual(r.status, 400, r)
        lines = sorted(e["line"] for e in r.json["error"]["errors"])
        self.assertEqual(lines, [2, 4])
        self.assertEqual(self.w.sql("SELECT count(*) FROM candidates WHERE sitting_id IS NOT NULL"),
                         [(0,)])
        self.assertEqual(self.cand_sittings()["C001"], (None, None))
        # A good one: the server's memory has it when the reply comes.
        r = a.put("/api/v1/staff/exams/EX/sittings/A1/candidates",
                  {"registration_nos": ["C001", "C002", "C003"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["assigned"], r.json["moved"], r.json["row"]["candidates"]),
                         (3, 3, 3))
        now = self.cand_sittings()
        self.assertEqual(now["C001"], ("A1", "Lab B"))
        self.assertEqual(now["C004"], (None, None))
        # The log: each change by the staff member.
        rows = self.w.sql("SELECT e.kind FROM events e JOIN staff s ON s.id = e.actor_id"
                          " WHERE e.actor_kind = 'staff' AND s.username = 'admin1'"
                          " AND e.kind LIKE 'sitting_%' ORDER BY e.id")
        self.assertEqual([k for (k,) in rows],
                         ["sitting_created", "sitting_edited", "sitting_assigned"])

    def test_2_watcher_picks_up_cli_changes(self):
        """A CLI change reaches the running server's memory through the
        catalog watcher: the candidates' sittings and rooms, in place."""
        run("sitting", "add", "--db", self.w.db, "--exam", "EX", "--code", "B2", "--room",
            "Ruang 2")
        run("sitting", "assign", "--db", self.w.db, "--exam", "EX", "--code", "B2", "C004",
            "C001")
        wait_until(lambda: self.cand_sittings()["C004"] == ("B2", "Ruang 2"), 10,
                   "the watcher to load the assignment")
        self.assertEqual(self.cand_sittings()["C001"], ("B2", "Ruang 2"))
        # An edit of the room reaches every candidate (the same RAM sitting).
        run("sitting", "add", "--db", self.w.db, "--exam", "EX", "--code", "B3")
        r = self.admin.put("/api/v1/staff/exams/EX/sittings/B2", {"room": "Aula"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.cand_sittings()["C004"], ("B2", "Aula"))
        # And a candidate imported into a sitting with the CSV.
        path = write_csv(self.w.dir, "late.csv", ["E001,Telat,pw-E001-secret,umum,0,B3"],
                         header="registration_no,name,password,track,extra_time_s,sitting")
        run("candidates", "import", "--db", self.w.db, "--exam", "EX", path)
        wait_until(lambda: self.cand_sittings().get("E001") == ("B3", ""), 10,
                   "the watcher to load the new candidate's sitting")
        run("audit", "verify", "--db", self.w.db)

    def test_3_roles(self):
        r = self.admin.get("/api/v1/staff/exams/EX/sittings")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(all(TOKEN.match(s["token"]) for s in r.json["sittings"]))
        codes = [s["code"] for s in r.json["sittings"]]
        self.assertIn("A1", codes)
        p, _ = self.w.staff_login("pengawas")
        r = p.get("/api/v1/staff/exams/EX/sittings")
        self.assertEqual(r.status, 200, r)
        self.assertIn("token", r.json["sittings"][0])
        self.assertEqual(p.post("/api/v1/staff/exams/EX/sittings", {"code": "X"}).status, 403)
        o, _ = self.w.staff_login("pemantau")
        r = o.get("/api/v1/staff/exams/EX/sittings")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("token", r.json["sittings"][0])
        out, _ = self.w.staff_login("luar")
        self.assertEqual(out.get("/api/v1/staff/exams/EX/sittings").status, 403)
        au, _ = self.w.staff_login("penulis")
        self.assertEqual(au.get("/api/v1/staff/exams/EX/sittings").status, 403)
        self.assertEqual(self.admin.get("/api/v1/staff/exams/NOPE/sittings").status, 404)
        for c in (p, o, out, au):
            c.close()


if __name__ == "__main__":
    harness.main()
