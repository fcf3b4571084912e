"""Rasch calibrations of a bank against the real server (docs/API.md
"Calibrations", analysis/calib.h): 400 no_data before anyone finished
(nothing stored); then candidates take exam EX through the API (random
papers: 4 of 6 items per section, right/wrong sections TWK and TIU, some
questions left blank) and an author calibrates bank TB: the 201 summary,
the stored row (its candidates, items and the SHA-256 of the response
matrix, recomputed here from the answers the test gave), the audit event
(actor: the author), the list and the detail (difficulties centred on 0,
per-item n), 404s, roles; and `ujian calibrate` (text, csv, json; the
system actor; usage errors)."""

import hashlib
import json
import math
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run  # noqa: E402

S = "/api/v1/staff/banks"
N = 30  # candidates who finish
RW = ("TWK", "TIU")


class CalibrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = w = World(n_candidates=N + 1)
        w.add_staff("penulis", "author")
        w.add_staff("admin1", "admin")
        w.add_staff("pansel", "committee")
        w.add_staff("pengawas", "proctor", "EX")
        w.serve()
        cls.author, _ = w.staff_login("penulis")
        # Before anyone finished: nothing to calibrate.
        cls.early = cls.author.post(S + "/TB/calibrations")
        cls.early_rows = w.sql("SELECT count(*) FROM calibrations")[0][0]
        rng = random.Random(14)
        cls.x = {}  # (registration_no, item_code) -> 0/1 for right/wrong items
        for i in range(1, N + 1):
            regno = "C%03d" % i
            theta = rng.gauss(0, 1)
            c = w.logged_in(regno)
            paper = c.post("/api/v1/attempt/start").json
            for k, q in enumerate(paper["questions"]):
                item = w.info[q["text"]]
                if i % 7 == 0 and k == 0:
                    if item["section"] in RW:
                        cls.x[(regno, item["id"])] = 0  # blank: wrong
                    continue
                num = int(item["id"][-2:])
                p = 1 / (1 + math.exp((num - 3.5) / 2 - theta))
                right = rng.random() < p
                label = w.best_label(q) if right else w.worst_label(q)
                assert c.answer(q["n"], label, 1).status == 200
                if item["section"] in RW:
                    cls.x[(regno, item["id"])] = int(right)
            assert c.post("/api/v1/attempt/finish").status == 200
            c.close()
        # One more started but not finished: not part of the data.
        w.logged_in("C%03d" % (N + 1)).post("/api/v1/attempt/start")
        cls.created = cls.author.post(S + "/TB/calibrations")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def ids(self):
        cand = dict(self.w.sql("SELECT registration_no, id FROM candidates"))
        item = dict(self.w.sql("SELECT item_code, id FROM items"))
        return cand, item

    def test_no_data_before_any_finish(self):
        r = self.early
        self.assertEqual((r.status, r.error), (400, "no_data"), r)
        self.assertIn("butir", r.json["error"]["message"])
        self.assertEqual(self.early_rows, 0)

    def test_created_summary_and_row(self):
        r = self.created
        self.assertEqual(r.status, 201, r)
        s = r.json
        cand, item = self.ids()
        items = sorted({item[code] for (_, code) in self.x})
        persons = sorted({cand[regno] for (regno, _) in self.x})
        self.assertEqual(s["bank"], "TB")
        self.assertEqual(s["bank_version"], 1)
        self.assertEqual(s["method"], "CML")
        self.assertEqual(s["tolerance"], 0.0001)
        self.assertTrue(s["converged"])
        self.assertGreater(s["iterations"], 0)
        self.assertEqual(s["created_by"], "penulis")
        self.assertEqual(s["n_persons"], N)
        self.assertEqual(s["n_items"], len(items))
        self.assertEqual(s["n_responses"], len(self.x))
        self.assertEqual(s["n_responses"], N * 8)  # 4 TWK + 4 TIU each
        self.assertNotIn("items", s)
        # The matrix's hash, recomputed from the answers given.
        lines = sorted((cand[regno], item[code], x) for (regno, code), x in self.x.items())
        sha = hashlib.sha256("".join("%d,%d,%d\n" % l for l in lines).encode()).hexdigest()
        self.assertEqual(s["data_sha256"], sha)
        row = self.w.sql("SELECT c.created_by, s.username, c.candidate_ids, c.item_ids,"
                         " c.data_sha256, c.n_responses, c.bank_version_id,"
                         " b.current_version_id FROM calibrations c JOIN staff s"
                         " ON s.id = c.created_by JOIN banks b ON b.id = c.bank_id"
                         " WHERE c.id = ?", s["id"])[0]
        self.assertEqual(row[1], "penulis")
        self.assertEqual(json.loads(row[2]), persons)
        self.assertEqual(json.loads(row[3]), items)
        self.assertEqual(row[4], sha)
        self.assertEqual(row[5], len(self.x))
        self.assertEqual(row[6], row[7])
        # Its audit event, by the author.
        ev = self.w.sql("SELECT actor_kind, actor_id, detail FROM events"
                        " WHERE kind = 'calibration_created'"
                        " AND json_extract(detail, '$.calibration') = ?", s["id"])
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0][:2], ("staff", row[0]))
        d = json.loads(ev[0][2])
        self.assertEqual((d["calibration"], d["bank"], d["data_sha256"], d["n_persons"]),
                         (s["id"], "TB", sha, N))

    def test_list_and_detail(self):
        s = self.created.json
        r = self.author.get(S + "/TB/calibrations")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["bank"], "TB")
        mine = [c for c in r.json["calibrations"] if c["id"] == s["id"]]
        self.assertEqual(mine, [{k: v for k, v in s.items() if k != "bank"}])
        r = self.author.get(S + "/TB/calibrations/%d" % s["id"])
        self.assertEqual(r.status, 200, r)
        d = r.json
        for k, v in s.items():
            self.assertEqual(d[k], v, k)
        _, item = self.ids()
        seen = {}
        for (_, code) in self.x:
            seen[code] = seen.get(code, 0) + 1
        self.assertEqual(len(d["items"]), s["n_items"])
        codes = [it["item_code"] for it in d["items"]]
        self.assertEqual(codes, sorted(codes, key=lambda c: (RW.index(c.split("-")[1]), c)))
        total = 0
        for it in d["items"]:
            self.assertEqual(it["item_id"], item[it["item_code"]])
            self.assertIn(it["section"], RW)
            self.assertEqual(it["n"], seen[it["item_code"]])
            if it["extreme"] is None:
                self.assertIsInstance(it["difficulty"], float)
                self.assertGreater(it["se"], 0)
                self.assertGreater(it["infit"], 0)
                total += it["difficulty"]
            else:
                self.assertIn(it["extreme"], ("all_correct", "all_wrong", "no_information"))
                self.assertIsNone(it["difficulty"])
        self.assertAlmostEqual(total, 0, delta=0.01)  # identification: mean 0
        p = d["persons"]
        self.assertEqual(p["n"], N)
        self.assertEqual(sum(p["histogram"]["counts"]), N)
        self.assertGreater(p["sd"], 0)
        # A second calibration of the same data: the same hash, listed first.
        r2 = self.w.staff_login("admin1")[0].post(S + "/TB/calibrations")
        self.assertEqual(r2.status, 201, r2)
        self.assertEqual(r2.json["data_sha256"], s["data_sha256"])
        self.assertEqual(r2.json["created_by"], "admin1")
        lst = [c["id"] for c in self.author.get(S + "/TB/calibrations").json["calibrations"]]
        self.assertEqual(lst, sorted(lst, reverse=True))  # newest first
        self.assertEqual(lst[0], r2.json["id"])
        self.assertIn(s["id"], lst)

    def test_not_found(self):
        for r in (self.author.get(S + "/NOPE/calibrations"),
                  self.author.post(S + "/NOPE/calibrations"),
                  self.author.get(S + "/NOPE/calibrations/1")):
            self.assertEqual((r.status, r.error), (404, "no_such_bank"), r)
        for cid in ("999999", "abc", "0", "1x"):
            r = self.author.get(S + "/TB/calibrations/" + cid)
            self.assertEqual((r.status, r.error), (404, "no_such_calibration"), r)

    def test_roles(self):
        before = self.w.sql("SELECT count(*) FROM calibrations")[0][0]
        for who in ("pansel", "pengawas"):
            c, _ = self.w.staff_login(who)
            for r in (c.get(S + "/TB/calibrations"), c.post(S + "/TB/calibrations"),
                      c.get(S + "/TB/calibrations/1")):
                self.assertEqual((r.status, r.error), (403, "forbidden"), (who, r))
        self.assertEqual(self.w.sql("SELECT count(*) FROM calibrations")[0][0], before)

    def test_cli(self):
        out = run("calibrate", "--db", self.w.db, "--bank", "TB", "--format", "json").stdout
        doc = json.loads(out)
        self.assertEqual(doc["data_sha256"], self.created.json["data_sha256"])
        self.assertIsNone(doc["created_by"])
        self.assertEqual(len(doc["items"]), doc["n_items"])
        ev = self.w.sql("SELECT actor_kind FROM events WHERE kind = 'calibration_created'"
                        " AND json_extract(detail, '$.calibration') = ?", doc["id"])
        self.assertEqual(ev, [("system",)])
        text = run("calibrate", "--db", self.w.db, "--bank", "TB").stdout
        self.assertIn("CML", text)
        self.assertIn("converged", text)
        csv = run("calibrate", "--db", self.w.db, "--bank", "TB", "--format", "csv").stdout
        lines = csv.splitlines()
        self.assertTrue(lines[0].startswith("\ufeffkode_soal,bagian,n,kesulitan,se,infit,outfit"))
        self.assertEqual(len(lines), 1 + doc["n_items"])
        r = run("calibrate", "--db", self.w.db, "--bank", "NOPE", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('no such bank "NOPE"', r.stderr)
        r = run("calibrate", "--db", self.w.db, "--bank", "TB", "--bogus", "1", check=False)
        self.assertEqual(r.returncode, 2)
        r = run("calibrate", "--db", self.w.db, check=False)
        self.assertEqual(r.returncode, 2)
        r = run("calibrate", "--help", check=False)
        self.assertEqual(r.returncode, 0)
        self.assertIn("calibrate --db FILE --bank CODE", r.stdout)


if __name__ == "__main__":
    harness.main()
