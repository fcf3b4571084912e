"""Ranked results export: order with ties, tracks, CSV and JSON shape, while
the server is running."""

import csv
import io
import json
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, write_csv  # noqa: E402

# regno: (track, name, TWK, TIU, TKP) - TWK/TIU in steps of 5, TKP 0..20
PLAN = {
    "R1": ("umum", "Ani", 15, 15, 15),        # 45, passes
    "R2": ("umum", "Sari, S.E.", 20, 15, 10),  # 45, loses on TKP to R1
    "R3": ("umum", "Budi", 10, 20, 15),       # 45, TKP ties R1, wins on TIU
    "R4": ("umum", "=SUM(A1:A9)", 15, 15, 15),  # fully tied with R1: same rank
    "R5": ("umum", "Dedi", 20, 20, 5),        # 45 but TKP below 10: fails
    "R6": ("umum", "Eka", 20, 20, 20),        # 60, first
    "R7": ("khusus", "Fajar", 0, 10, 20),     # 30, passes the khusus total rule
}
EXPECTED = [("1", "R6"), ("2", "R3"), ("3", "R1"), ("3", "R4"), ("5", "R2"), ("6", "R7"),
            ("7", "R5")]


def choose(w, paper, target):
    """Labels that score exactly target {section: score}."""
    left = dict(target)
    choices = {}
    for q in paper["questions"]:
        item = w.info[q["text"]]
        sec = item["section"]
        want = min(5, left[sec])
        if want == 0:
            continue
        opt = next((o for o in q["options"] if item["points"][o["text"]] == want), None)
        if opt is None:  # right_wrong: 5 or 0
            continue
        choices[q["n"]] = opt["label"]
        left[sec] -= want
    assert all(v == 0 for v in left.values()), left
    return choices


class ResultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = w = World(n_candidates=0)
        rows = ["%s,%s,pw-%s-secret,%s,0" % (r, '"%s"' % p[1] if "," in p[1] else p[1], r, p[0])
                for r, p in PLAN.items()] + ["R8,Belum Selesai,pw-R8-secret,umum,0"]
        run("candidates", "import", "--db", w.db, "--exam", "EX", write_csv(w.dir, "r.csv", rows))
        w.candidates.update({r: "pw-%s-secret" % r for r in list(PLAN) + ["R8"]})
        w.serve()
        for regno, (track, name, twk, tiu, tkp) in PLAN.items():
            c = w.logged_in(regno)
            paper = c.post("/api/v1/attempt/start").json
            for n, label in choose(w, paper, {"TWK": twk, "TIU": tiu, "TKP": tkp}).items():
                assert c.answer(n, label, 1).status == 200
            res = c.post("/api/v1/attempt/finish").json
            assert res["total"] == twk + tiu + tkp, (regno, res)
        w.logged_in("R8").post("/api/v1/attempt/start")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_csv_order_ties_and_columns(self):
        raw = run("results", "export", "--db", self.w.db, "--exam", "EX").stdout
        self.assertTrue(raw.startswith("\ufeff"), "UTF-8 byte-order mark for spreadsheets")
        rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
        self.assertEqual(rows[0], ["rank", "registration_no", "name", "track", "TWK", "TIU",
                                   "TKP", "total", "passed", "finish_reason", "finished_at"])
        body = rows[1:]
        self.assertEqual([(r[0], r[1]) for r in body], EXPECTED)
        by = {r[1]: r for r in body}
        for regno, (track, name, twk, tiu, tkp) in PLAN.items():
            r = by[regno]
            self.assertEqual(r[3], track)
            self.assertEqual(r[4:8], [str(twk), str(tiu), str(tkp), str(twk + tiu + tkp)])
            self.assertEqual(r[9], "submitted")
            self.assertRegex(r[10], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$")
        self.assertEqual(by["R2"][2], "Sari, S.E.")
        self.assertEqual(by["R4"][2], "'=SUM(A1:A9)", "formula neutralised for spreadsheets")
        self.assertEqual(by["R5"][8], "false")
        self.assertEqual(by["R7"][8], "true")
        self.assertNotIn("R8", by)
        out = os.path.join(self.w.dir, "r.csv")
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--output", out)
        with open(out, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbfrank,"))
        self.assertEqual(data.count(b"\r\n"), len(rows), "CRLF line ends (RFC 4180)")

    def test_json(self):
        out = os.path.join(self.w.dir, "r.json")
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--format", "json",
            "--output", out)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual([(str(d["rank"]), d["registration_no"]) for d in doc], EXPECTED)
        self.assertEqual(list(doc[0].keys()),
                         ["rank", "registration_no", "name", "track", "TWK", "TIU", "TKP",
                          "total", "passed", "finish_reason", "finished_at"])
        self.assertEqual(doc[0]["total"], 60)
        self.assertIs(doc[0]["passed"], True)
        self.assertEqual(doc[-1]["registration_no"], "R5")
        self.assertIs(doc[-1]["passed"], False)

    def test_export_errors(self):
        p = run("results", "export", "--db", self.w.db, "--exam", "NOPE", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such exam", p.stderr)
        p = run("results", "export", "--db", self.w.db, "--exam", "EX", "--format", "xls",
                check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("csv or json", p.stderr)

    def test_candidate_sees_scores_but_stored_pass_matches(self):
        c = self.w.logged_in("R5")
        res = c.get("/api/v1/attempt/result").json
        self.assertEqual(res["total"], 45)
        self.assertIs(res["passed"], False)


class VerifyTest(unittest.TestCase):
    """ujian verify recomputes what the server stored and finds tampering."""

    def test_verify_clean_then_tampered(self):
        w = World(n_candidates=3)
        try:
            w.serve()
            acks = os.path.join(w.dir, "acks")
            os.makedirs(acks)
            lines = []
            for regno in ("C001", "C002"):
                c = w.logged_in(regno)
                paper = c.post("/api/v1/attempt/start").json
                for q in paper["questions"][:5]:
                    r = c.answer(q["n"], w.best_label(q), 1)
                    lines.append("%s %d %d %s" % (regno, q["n"], r.json["rev"], r.json["option"]))
                if regno == "C001":
                    c.post("/api/v1/attempt/finish")
            with open(os.path.join(acks, "acks-0.log"), "w") as f:
                f.write("\n".join(lines) + "\n")
            ok = run("verify", "--db", w.db, "--exam", "EX", "--acks", acks)
            self.assertIn("10 acknowledged answers checked", ok.stdout)
            self.assertIn("attempts: 2 (1 finished", ok.stdout)
            self.assertIn("OK: 0 violations", ok.stdout)
            w.server.stop()
            # tamper: a stored score, a lost answer, a credit without ledger entry
            con = sqlite3.connect(w.db)
            cid = con.execute("SELECT id FROM candidates WHERE registration_no='C001'").fetchone()[0]
            con.execute("UPDATE attempts SET total = total + 5 WHERE candidate_id = ?", (cid,))
            first = lines[5].split()
            con.execute("DELETE FROM answers WHERE n = ? AND candidate_id = (SELECT id FROM "
                        "candidates WHERE registration_no = ?)", (int(first[1]), first[0]))
            con.execute("UPDATE attempts SET credit_ms = 1234 WHERE candidate_id <> ?", (cid,))
            con.commit()
            con.close()
            bad = run("verify", "--db", w.db, "--exam", "EX", "--acks", acks, check=False)
            self.assertEqual(bad.returncode, 1)
            self.assertIn("C001: stored total", bad.stdout)
            self.assertIn("acknowledged answer lost: %s question %s" % (first[0], first[1]),
                          bad.stdout)
            self.assertIn("time credit 1234 ms but the ledger sums to 0 ms", bad.stdout)
            self.assertIn("FAILED: 3 violations", bad.stdout)
        finally:
            w.close()


class HiddenScoreTest(unittest.TestCase):
    def test_show_score_false_hides_scores(self):
        w = World(n_candidates=1, exam_extra={"show_score": False})
        try:
            w.serve()
            c = w.logged_in("C001")
            c.post("/api/v1/attempt/start")
            res = c.post("/api/v1/attempt/finish").json
            self.assertEqual(set(res), {"status", "finished_at", "finish_reason"})
            self.assertEqual(res["finish_reason"], "submitted")
            # the committee still gets the scores
            out = run("results", "export", "--db", w.db, "--exam", "EX").stdout
            self.assertIn("C001", out)
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
