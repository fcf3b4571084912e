"""Item and test analysis (issue 14) over an exam taken through the API:
48 candidates take exam AN (bank AB, 8 items per section, 6 drawn, items and
options shuffled), moving between questions and answering to a plan:

  TWK-01 (key B): the strong half (C001-C024) choose D, the weak half the
          key: a planted miskey (suspect key, negative discrimination, D a
          suspect distractor);
  TWK-02 (key C): everyone the key, except every fourth candidate, who
          leaves it blank: a known p and omit rate;
  TWK-03 (key D): candidate k chooses the bank's option k mod 5, whatever
          label it was shown under: known shares in bank order;
  every other item: the strong the best option, the weak the worst.

Then the JSON (counts, p, option shares in bank order, flags, time from
position events), the CSV (BOM, comma and semicolon with decimal comma), the
CLI in every format, bad thresholds (400 naming the field), unknown exam and
bank (404), the committee's scope and the roles of the bank route."""

import csv
import io
import time
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
import analysis_db  # noqa: E402
import harness  # noqa: E402
from harness import World, run  # noqa: E402

N = 48
STRONG = N // 2


def bank_index(option_text):
    """The bank's option index from the test bank's option text
    ("TWK-3 jawaban 2 ab": 2)."""
    return int(re.search(r" jawaban (\d) ", option_text).group(1))


class AnalysisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        w = cls.w = World(n_candidates=0)
        path, cls.info = harness.make_bank(w.dir, code="AB", n_per_section=8, marker="ab")
        run("bank", "import", "--db", w.db, path)
        run("exam", "create", "--db", w.db,
            harness.make_exam(w.dir, code="AN", bank="AB", draw=6, shuffle_items=True,
                              shuffle_options=True))
        cls.regnos = ["C%03d" % k for k in range(1, N + 1)]
        w.add_candidates("AN", cls.regnos)
        w.add_candidates("EX", ["X001"])
        w.add_staff("admin1", "admin")
        w.add_staff("penulis", "author")
        w.add_staff("pansel-an", "committee", exams="AN")
        w.add_staff("pansel-ex", "committee", exams="EX")
        w.add_staff("pengawas", "proctor")
        w.serve()
        cls.presented = {}  # item code -> [k, ...]
        for k, regno in enumerate(cls.regnos, start=1):
            cls.take(k, regno)
        cls.admin, _ = w.staff_login("admin1")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    @classmethod
    def plan(cls, k, code, item):
        """The bank option candidate k chooses on item code (None: blank)."""
        strong = k <= STRONG
        if code == "SECRETID-TWK-01":
            return 3 if strong else 1
        if code == "SECRETID-TWK-02":
            return None if k % 4 == 0 else 2
        if code == "SECRETID-TWK-03":
            return k % 5
        pts = {bank_index(t): p for t, p in item["points"].items()}
        pick = max if strong else min
        return pick(sorted(pts), key=lambda o: pts[o])

    @classmethod
    def take(cls, k, regno):
        c = cls.w.logged_in(regno, exam="AN")
        paper = c.post("/api/v1/attempt/start").json
        for q in paper["questions"]:
            item = cls.info[q["text"]]
            cls.presented.setdefault(item["id"], []).append(k)
            if q["n"] != 1:
                assert c.put("/api/v1/attempt/position", {"n": q["n"]}).status == 200
            opt = cls.plan(k, item["id"], item)
            if opt is None:
                continue
            label = next(o["label"] for o in q["options"] if bank_index(o["text"]) == opt)
            r = c.answer(q["n"], label, 1)
            assert r.status == 200, r
        assert c.put("/api/v1/attempt/position", {"n": 1}).status == 200
        assert c.post("/api/v1/attempt/finish").status == 200
        c.close()

    def item(self, doc, code):
        return next(i for i in doc["items"] if i["item_code"] == code)

    def test_exam_json(self):
        r = self.admin.get("/api/v1/staff/exams/AN/analysis")
        self.assertEqual(r.status, 200, r)
        d = r.json
        self.assertEqual((d["exam"], d["bank"], d["bank_version"]), ("AN", "AB", 1))
        self.assertEqual(d["n_candidates"], N)
        self.assertEqual(d["thresholds"], {"easy": 0.9, "hard": 0.2, "weak": 0.2, "min_n": 30})
        self.assertEqual(d["time_source"], "position")
        self.assertEqual(d["n_rescored"], 0)
        # every presented item, in bank order within sections
        self.assertEqual(sorted(i["item_code"] for i in d["items"]), sorted(self.presented))
        for i in d["items"]:
            self.assertEqual(i["n_presented"], len(self.presented[i["item_code"]]), i["item_code"])
        # a known p and omit rate
        two = self.item(d, "SECRETID-TWK-02")
        ks = self.presented["SECRETID-TWK-02"]
        answered = [k for k in ks if k % 4 != 0]
        self.assertEqual((two["type"], two["key"]), ("right_wrong", 2))
        self.assertEqual(two["n_answered"], len(answered))
        self.assertAlmostEqual(two["p"], len(answered) / len(ks), places=4)
        self.assertAlmostEqual(two["omit_rate"], 1 - len(answered) / len(ks), places=4)
        # shares in the bank's order, though every candidate saw shuffled labels
        three = self.item(d, "SECRETID-TWK-03")
        ks = self.presented["SECRETID-TWK-03"]
        self.assertEqual([o["letter"] for o in three["options"]], list("ABCDE"))
        self.assertEqual([o["points"] for o in three["options"]], [0, 0, 0, 5, 0])
        for o in three["options"]:
            want = sum(1 for k in ks if k % 5 == o["index"])
            self.assertEqual(o["n"], want, o)
            self.assertAlmostEqual(o["share"], want / len(ks), places=4)
        # the planted miskey
        one = self.item(d, "SECRETID-TWK-01")
        self.assertEqual(one["key"], 1)
        self.assertIn("suspect_key", one["flags"])
        self.assertIn("negative", one["flags"])
        self.assertIn("suspect_distractor", one["flags"])
        self.assertTrue(one["options"][3]["flagged"])
        self.assertFalse(one["options"][1]["flagged"])
        self.assertLess(one["r_corrected"], 0)
        self.assertGreater(one["options"][3]["r_pb"], one["options"][1]["r_pb"])
        # a weighted item: no key, points per option
        tkp = self.item(d, "SECRETID-TKP-01")
        self.assertEqual((tkp["type"], tkp["key"]), ("weighted", None))
        self.assertEqual(sorted(o["points"] for o in tkp["options"]), [1, 2, 3, 4, 5])
        # time from the position events: known for every item, sensible
        for i in d["items"]:
            self.assertIsNotNone(i["time_median_s"], i["item_code"])
            self.assertGreaterEqual(i["time_median_s"], 0)
            self.assertGreaterEqual(i["time_p90_s"], i["time_median_s"])
            self.assertLess(i["time_p90_s"], 3600)
        n_pos = self.w.sql("SELECT count(*) FROM events e JOIN candidates c ON c.id ="
                           " e.candidate_id WHERE c.exam_id = (SELECT id FROM exams WHERE"
                           " code = 'AN') AND kind = 'position'")[0][0]
        self.assertEqual(n_pos, N * 18)  # 17 moves forward and one back to 1
        # the test level: sections of the exam, then the total
        t = d["test"]
        self.assertEqual([s["code"] for s in t["sections"]], ["TWK", "TIU", "TKP"])
        self.assertEqual(t["total"]["code"], None)
        self.assertEqual(t["total"]["n"], N)
        self.assertEqual(t["total"]["max_score"], 90)
        self.assertEqual(sum(t["total"]["histogram"]["counts"]), N)
        twk = t["sections"][0]
        self.assertEqual((twk["n"], twk["items_per_paper"], twk["max_score"]), (N, 6, 30))
        self.assertEqual(twk["alpha_method"], "pairwise")
        self.assertEqual([(x["track"], x["min"]) for x in twk["thresholds"]], [("umum", 10)])
        self.assertEqual(twk["thresholds"][0]["n_track"], N)
        self.assertEqual([(x["track"], x["min"], x["n_track"], x["within_sem"])
                          for x in t["total"]["thresholds"]], [("khusus", 30, 0, None)])
        # the stored scores (the results) are the analysis's scores
        totals = [row[0] for row in self.w.sql(
            "SELECT total FROM attempts a JOIN candidates c ON c.id = a.candidate_id"
            " WHERE c.exam_id = (SELECT id FROM exams WHERE code = 'AN')")]
        # (the JSON rounds to 2 decimals: 47.375 may read 47.38)
        self.assertAlmostEqual(t["total"]["mean"], sum(totals) / len(totals), delta=0.0051)
        # and the audit still verifies with the position events
        self.assertIn("OK: 0 violations",
                      run("verify", "--db", self.w.db, "--exam", "AN").stdout)

    def test_thresholds_change_flags(self):
        d = self.admin.get("/api/v1/staff/exams/AN/analysis?easy=0.5&hard=0.1&weak=0.05").json
        self.assertEqual(d["thresholds"]["easy"], 0.5)
        two = self.item(d, "SECRETID-TWK-02")
        self.assertIn("too_easy", two["flags"])  # p 0.75 > 0.5
        d = self.admin.get("/api/v1/staff/exams/AN/analysis").json
        self.assertNotIn("too_easy", self.item(d, "SECRETID-TWK-02")["flags"])

    def test_bad_thresholds(self):
        r = self.admin.get("/api/v1/staff/exams/AN/analysis?easy=2")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.error, "invalid_input")
        self.assertEqual([e["field"] for e in r.json["error"]["errors"]], ["easy"])
        r = self.admin.get("/api/v1/staff/exams/AN/analysis.csv?hard=x&weak=-0.1&sep=tab")
        self.assertEqual(r.status, 400)
        self.assertEqual([e["field"] for e in r.json["error"]["errors"]], ["hard", "weak", "sep"])
        r = self.admin.get("/api/v1/staff/banks/AB/analysis?weak=1.5")
        self.assertEqual(r.status, 400)
        self.assertEqual([e["field"] for e in r.json["error"]["errors"]], ["weak"])

    def test_not_found(self):
        self.assertEqual(self.admin.get("/api/v1/staff/exams/NOPE/analysis").status, 404)
        self.assertEqual(self.admin.get("/api/v1/staff/exams/NOPE/analysis.csv").status, 404)
        self.assertEqual(self.admin.get("/api/v1/staff/banks/NOPE/analysis").status, 404)
        self.assertEqual(self.admin.get("/api/v1/staff/banks/AB/analysis?exam=NOPE").status, 404)
        r = self.admin.get("/api/v1/staff/banks/AB/analysis?exam=EX")  # EX draws from TB
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json["error"]["errors"][0]["field"], "exam")

    def test_csv(self):
        r = self.admin.get("/api/v1/staff/exams/AN/analysis.csv")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf"))
        self.assertIn("text/csv", r.headers["content-type"])
        self.assertIn('filename="analisis-AN.csv"', r.headers["content-disposition"])
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:7], ["kode_soal", "bagian", "jenis", "n_disajikan",
                                       "n_dijawab", "tidak_dijawab", "p"])
        self.assertEqual(rows[0][-8:], ["kunci", "A", "B", "C", "D", "E", "F", "tanda"])
        by = {row[0]: row for row in rows[1:]}
        two = by["SECRETID-TWK-02"]
        ks = self.presented["SECRETID-TWK-02"]
        p = sum(1 for k in ks if k % 4 != 0) / len(ks)
        self.assertEqual((two[1], two[2], two[13]), ("TWK", "benar_salah", "C"))
        self.assertEqual(two[6], "%.4f" % p)
        self.assertIn("suspect_key", by["SECRETID-TWK-01"][-1])
        self.assertEqual(by["SECRETID-TKP-01"][2], "berbobot")
        self.assertEqual(by["SECRETID-TKP-01"][13], "")
        # Indonesian Excel: semicolons and decimal commas
        r = self.admin.get("/api/v1/staff/exams/AN/analysis.csv?sep=semicolon")
        self.assertEqual(r.status, 200)
        text = r.raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0][0], "kode_soal")
        row = next(x for x in rows if x[0] == "SECRETID-TWK-02")
        self.assertEqual(row[6], ("%.4f" % p).replace(".", ","))
        self.assertEqual(self.admin.get("/api/v1/staff/exams/AN/analysis.csv?sep=%3B").raw, r.raw)

    def test_bank_scope(self):
        author, _ = self.w.staff_login("penulis")
        r = author.get("/api/v1/staff/banks/AB/analysis")
        self.assertEqual(r.status, 200, r)
        d = r.json
        self.assertIsNone(d["exam"])
        self.assertNotIn("test", d)
        self.assertEqual(d["exams"], [{"code": "AN", "title": "Ujian AN", "n_candidates": N}])
        self.assertEqual(d["n_candidates"], N)
        self.assertIn("suspect_key", self.item(d, "SECRETID-TWK-01")["flags"])
        r = author.get("/api/v1/staff/banks/AB/analysis?exam=AN")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["n_candidates"], N)
        self.assertEqual(author.get("/api/v1/staff/banks/TB/analysis").json["n_candidates"], 0)
        # authors read an exam's analysis too
        self.assertEqual(author.get("/api/v1/staff/exams/AN/analysis").status, 200)

    def test_roles_and_scope(self):
        mine, _ = self.w.staff_login("pansel-an")
        other, _ = self.w.staff_login("pansel-ex")
        proctor, _ = self.w.staff_login("pengawas")
        self.assertEqual(mine.get("/api/v1/staff/exams/AN/analysis").status, 200)
        self.assertEqual(mine.get("/api/v1/staff/exams/AN/analysis.csv").status, 200)
        self.assertEqual(other.get("/api/v1/staff/exams/AN/analysis").status, 403)
        self.assertEqual(other.get("/api/v1/staff/exams/AN/analysis.csv").status, 403)
        self.assertEqual(other.get("/api/v1/staff/exams/EX/analysis").status, 200)
        self.assertEqual(mine.get("/api/v1/staff/banks/AB/analysis").status, 403)  # role
        self.assertEqual(proctor.get("/api/v1/staff/exams/AN/analysis").status, 403)
        anon = self.w.client()
        self.assertEqual(anon.get("/api/v1/staff/exams/AN/analysis").status, 401)

    def test_cli(self):
        api = self.admin.get("/api/v1/staff/exams/AN/analysis").json
        p = run("analysis", "--db", self.w.db, "--exam", "AN", "--format", "json")
        d = json.loads(p.stdout)
        self.assertEqual(d["n_candidates"], N)
        self.assertEqual(self.item(d, "SECRETID-TWK-02"), self.item(api, "SECRETID-TWK-02"))
        self.assertEqual(d["test"], api["test"])
        text = run("analysis", "--db", self.w.db, "--exam", "AN").stdout
        self.assertIn("Analisis butir: AN", text)
        self.assertIn("Bagian TWK", text)
        self.assertIn("Butir yang ditandai", text)
        self.assertRegex(text, r"SECRETID-TWK-01 \[suspect_key\]: .*kunci")
        en = run("analysis", "--db", self.w.db, "--exam", "AN", "--lang", "en").stdout
        self.assertIn("Item analysis: AN", en)
        self.assertIn("Flagged items", en)
        c = run("analysis", "--db", self.w.db, "--exam", "AN", "--format", "csv", "--sep", ";")
        self.assertTrue(c.stdout.startswith("\ufeffkode_soal;bagian;"))
        b = json.loads(run("analysis", "--db", self.w.db, "--bank", "AB", "--format",
                           "json").stdout)
        self.assertEqual(b["exams"][0]["code"], "AN")
        self.assertIn("Analisis butir: AB", run("analysis", "--db", self.w.db, "--bank",
                                                "AB").stdout)
        # misuse: exit 2 with the usage; help: exit 0
        for bad in (["--db", self.w.db], ["--db", self.w.db, "--exam", "AN", "--easy", "7"],
                    ["--db", self.w.db, "--exam", "AN", "--format", "xml"]):
            p = run("analysis", *bad, check=False)
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn("usage: ujian analysis", p.stderr)
        p = run("analysis", "--help", check=False)
        self.assertEqual(p.returncode, 0)
        self.assertIn("analysis --db FILE", p.stdout)
        p = run("analysis", "--db", self.w.db, "--exam", "NOPE", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such exam", p.stderr)


class GeneratedTest(unittest.TestCase):
    """The smoke of the benchmark's scenario (make bench: 25,000): 300
    finished attempts of the 110-item SKD exam generated by
    tests/bench/analysis_db.py, analysed by the CLI. Their stored scores
    must be what the analysis's own scoring gives (n_rescored 0), so the
    generator writes what the server would have, and the server must load
    them."""

    def test_generated_exam(self):
        w = World(n_candidates=0)
        try:
            db = os.path.join(w.dir, "gen.db")
            run("init", "--db", db)
            analysis_db.create_exam(harness.UJIAN, db, "ANALISIS", w.dir)
            analysis_db.generate(db, "ANALISIS", 300)
            t = time.monotonic()
            d = json.loads(run("analysis", "--db", db, "--exam", "ANALISIS", "--format",
                               "json").stdout)
            elapsed = time.monotonic() - t
            self.assertEqual(d["n_candidates"], 300)
            self.assertEqual(d["n_rescored"], 0)
            self.assertEqual(d["time_source"], "position")
            self.assertEqual([s["items_per_paper"] for s in d["test"]["sections"]], [30, 35, 45])
            self.assertEqual(sum(i["n_presented"] for i in d["items"]), 300 * 110)
            self.assertLess(elapsed, 30 * harness.SLOW)
            # the server loads the generated papers as its own (the bench
            # serves this database while candidates answer)
            srv = harness.Server(w.dir, db).start()
            try:
                r = srv.client().get("/api/v1/health")
                self.assertEqual(r.status, 200)
            finally:
                srv.stop()
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
