"""The demo agency of `ujian demo` (issue 11): about 300 employees across
eight units with every grade and position type, two years of SKP, sanctions
(moderate or heavy ones within two years among them), the competency test
TALENTA-DEMO with genuine finished attempts (`ujian verify` recomputes every
score), unstarted candidates for a live try, and the talent-mapping periods
PT-2025 (closed) and PT-2026 with the contract's configuration. A printed
login finishes the test live and the result lands in the employee's
profile."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import Client, run, wait_until  # noqa: E402

S = "/api/v1/staff"


class DemoAgencyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ujian-demo-talent-")
        cls.db = os.path.join(cls.dir, "demo.db")
        cls.proc = subprocess.Popen([harness.UJIAN, "demo", "--db", cls.db, "--listen", "127.0.0.1:0"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        cls.out = []
        for line in cls.proc.stdout:
            cls.out.append(line)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
            if m:
                cls.port = int(m.group(1))
                break
        cls.text = "".join(cls.out)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=30)
        cls.proc.stdout.close()
        cls.proc.stderr.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def sql(self, q, *a):
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return con.execute(q, a).fetchall()
        finally:
            con.close()

    def test_registry_skp_sanctions(self):
        n = self.sql("SELECT count(*), count(DISTINCT unit) FROM employees")[0]
        self.assertGreaterEqual(n[0], 280)
        self.assertEqual(n[1], 8)
        grades = {g for (g,) in self.sql("SELECT DISTINCT grade FROM employees")}
        self.assertEqual(len(grades), 17, grades)
        types = {t for (t,) in self.sql("SELECT DISTINCT position_type FROM employees")}
        self.assertEqual(types, {"jpt", "administrator", "pengawas", "fungsional", "pelaksana"})
        # every NIP valid in structure, birth date from it
        for nip, birth in self.sql("SELECT nip, birth_date FROM employees"):
            self.assertRegex(nip, r"^\d{18}$")
            self.assertEqual(birth, "%s-%s-%s" % (nip[0:4], nip[4:6], nip[6:8]))
            self.assertIn(nip[14], "12")
        years = dict(self.sql("SELECT year, count(*) FROM skp GROUP BY year"))
        self.assertEqual(set(years), {2025, 2026})
        self.assertGreater(years[2026], 250)
        preds = {p for (p,) in self.sql("SELECT DISTINCT predikat FROM skp")}
        self.assertEqual(len(preds), 5)
        recent = self.sql("SELECT count(*) FROM sanctions WHERE level IN ('moderate', 'heavy')"
                          " AND date >= '2024-12-02'")[0][0]
        self.assertGreaterEqual(recent, 3)

    def test_attempts_are_genuine(self):
        fin = self.sql("SELECT count(*) FROM attempts a JOIN candidates c ON c.id = a.candidate_id"
                       " JOIN exams e ON e.id = c.exam_id WHERE e.code = 'TALENTA-DEMO'"
                       " AND a.status = 'finished'")[0][0]
        cand = self.sql("SELECT count(*), count(nip) FROM candidates c JOIN exams e ON"
                        " e.id = c.exam_id WHERE e.code = 'TALENTA-DEMO'")[0]
        self.assertGreaterEqual(fin, 200)
        self.assertEqual(cand[0], cand[1])  # every one carries its NIP
        self.assertGreaterEqual(cand[0] - fin, 20)  # unstarted ones for a live try
        # answers stored, scores recomputed from them
        answers = self.sql("SELECT count(*) FROM answers")[0][0]
        self.assertGreater(answers, fin * 30)
        p = run("verify", "--db", self.db, "--exam", "TALENTA-DEMO")
        self.assertIn("OK: 0 violations", p.stdout)
        self.assertIn("%d finished, scores recomputed" % fin, p.stdout)
        reasons = {r for (r,) in self.sql("SELECT DISTINCT finish_reason FROM attempts")}
        self.assertTrue({"submitted", "time_up", "disqualified"} <= reasons, reasons)
        run("audit", "verify", "--db", self.db)

    def test_periods(self):
        rows = self.sql("SELECT code, name, config_json, closed_at IS NOT NULL FROM talent_periods"
                        " ORDER BY created_at")
        self.assertEqual([(r[0], r[3]) for r in rows], [("PT-2025", 1), ("PT-2026", 0)])
        self.assertEqual(rows[1][1], "Pemetaan Talenta 2026")
        cfg = json.loads(rows[1][2])
        self.assertEqual([(c["code"], c["weight"]) for c in cfg["components"]],
                         [("cat", 60), ("jpm", 30), ("rekam", 10)])
        self.assertEqual(cfg["components"][0]["exam"], "TALENTA-DEMO")
        self.assertEqual(cfg["cutoffs"], {"high": 80, "medium": 68})
        self.assertEqual(cfg["boxes"], {"above": [4, 7, 9], "meets": [2, 5, 8], "below": [1, 3, 6]})
        scored = self.sql("SELECT count(DISTINCT employee_id) FROM talent_scores t JOIN"
                          " talent_periods p ON p.id = t.period_id WHERE p.code = 'PT-2026'")[0][0]
        self.assertGreater(scored, 250)

    def test_output_and_a_live_finish(self):
        self.assertIn("/committee/#/talenta", self.text)
        self.assertIn("pengguna pansel", self.text)
        m = re.search(r"nomor peserta (T\d+)\s+kata sandi (\S+)", self.text)
        self.assertIsNotNone(m, self.text)
        regno, pw = m.group(1), m.group(2)
        nip = self.sql("SELECT nip FROM candidates WHERE registration_no = ?", regno)[0][0]
        c = Client("127.0.0.1", self.port)
        self.assertEqual(c.login("TALENTA-DEMO", regno, pw).status, 200)
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        self.assertEqual(c.post("/api/v1/attempt/finish").status, 200)
        c.close()
        with open(self.db + ".staff-credentials.csv") as f:
            creds = f.read().splitlines()
        pansel = [l.split(",")[2] for l in creds if l.startswith("pansel,")][0]
        s = Client("127.0.0.1", self.port)
        r = s.post(S + "/login", {"username": "pansel", "password": pansel, "bearer": True})
        self.assertEqual(r.status, 200, r)
        s.token = r.json["token"]

        def done():
            res = s.get(S + "/employees/" + nip).json["results"]
            return res and res[0]["status"] == "finished" and res[0]
        res = wait_until(done, 10, "the live result in the profile")
        self.assertEqual((res["exam"], res["registration_no"]), ("TALENTA-DEMO", regno))
        self.assertEqual(res["max_total"], 200)
        s.close()


if __name__ == "__main__":
    harness.main()
