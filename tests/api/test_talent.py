"""Talent mapping against the real server (docs/API.md "Talent mapping",
docs/SELECTION.md): a period with a bad configuration (every error at
once), entered values with bad rows (nothing applied), the grid and its box
counts against a hand computation (edges 68 and just below), a sanction
keeping a box-9 employee out of the pool with the reason, the pool's
order, succession by grade, history across two periods (prev_box), the CSV
export, and a live exam finish reaching a subscribed dashboard within 1 s.

Employees, SKP ratings and sanctions are written straight into the
database (the employee import is another module's); candidates carry an
NIP the same way."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import SLOW, EventStream, World, run  # noqa: E402

S = "/api/v1/staff/talent/periods"

# nip, name, grade, unit, SKP {year: predikat}, candidate, questions answered
# best (of 12, 5 points each: max 60), JPM entered
EMPLOYEES = [
    ("198503122010011001", "Ayu Lestari", "IV/b", "Bappeda",
     {2025: "sangat_baik", 2026: "sangat_baik"}, "C001", 12, 90),
    ("198601012010012002", "Budi Santoso", "III/d", "Bappeda",
     {2025: "sangat_baik", 2026: "baik"}, "C002", 9, 80),
    ("198702022011011003", "Citra Dewi", "IV/c", "Inspektorat",
     {2025: "sangat_baik", 2026: "sangat_baik"}, "C003", 12, 70),
    ("198803032012011004", "Dodi Pratama", "III/a", "Inspektorat", {}, "C004", None, None),
    ("198904042013012005", "Eka Putri", "III/c", "Dinas Kesehatan",
     {2026: "sangat_baik", 2023: "kurang"}, "C005", 8, 70),
    ("199005052014011006", "Fajar Nugroho", "III/b", "Dinas Kesehatan",
     {2025: "baik", 2026: "baik"}, "C006", 6, 86),
    ("199106062015012007", "Gita Maharani", "III/b", "Dinas Kesehatan",
     {2025: "baik", 2026: "sangat_baik"}, "C007", 6, 85.98),
]
# Live: SKP above, JPM 100 entered, no exam yet; finishing puts them in box 9.
LIVE = ("199207072016011008", "Hadi Wijaya", "III/c", "Bappeda",
        {2025: "sangat_baik", 2026: "sangat_baik"}, "C008", 12, 100)

# A storm: four more, finishing at once (coalesced into few jobs).
STORM = [("1993%02d0%d2017011%03d" % (m, m, m), "Storm %d" % m, "III/a", "Bappeda",
          {2025: "baik", 2026: "baik"}, "C%03d" % (8 + m), 12, 80) for m in range(1, 5)]

CONFIG = {
    "components": [
        {"code": "cat", "name": "Tes kompetensi", "kind": "exam", "exam": "EX",
         "section": None, "weight": 50},
        {"code": "jpm", "name": "Assessment center (JPM %)", "kind": "entered", "weight": 50,
         "max": 100}],
    "performance": {"years": 2, "until_year": 2026},
    "reference_date": "2026-12-31",
}


def finish(w, regno, best):
    """Log in, start, answer the first `best` questions with their best
    option (5 points each), finish."""
    c = w.logged_in(regno)
    r = c.post("/api/v1/attempt/start")
    assert r.status == 200, r
    for q in r.json["questions"][:best]:
        assert c.answer(q["n"], w.best_label(q), 1).status == 200
    r = c.post("/api/v1/attempt/finish")
    assert r.status == 200, r
    c.close()


def add_employee(w, e):
    nip, name, grade, unit, skp, regno = e[:6]
    w.sql_write("INSERT INTO employees (nip, name, grade, position, position_type, unit, agency,"
                " birth_date, created_at, updated_at) VALUES (?, ?, ?, 'Analis', 'fungsional',"
                " ?, 'Pemkab Contoh', ?, 0, 0)", nip, name, grade, unit,
                "%s-%s-%s" % (nip[:4], nip[4:6], nip[6:8]))
    for year, pred in skp.items():
        w.sql_write("INSERT INTO skp (employee_id, year, predikat, updated_at) SELECT id, ?, ?, 0"
                    " FROM employees WHERE nip = ?", year, pred, nip)
    w.sql_write("UPDATE candidates SET nip = ? WHERE registration_no = ?", nip, regno)


class TalentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=12)
        for e in EMPLOYEES + [LIVE] + STORM:
            add_employee(cls.w, e)
        # Citra: a moderate sanction within the two years before 2026-12-31.
        cls.w.sql_write("INSERT INTO sanctions (employee_id, type, level, date, note, created_at)"
                        " SELECT id, 'Penundaan kenaikan pangkat', 'moderate', '2025-06-01', '',"
                        " 0 FROM employees WHERE nip = '198702022011011003'")
        # Gita: a light one (not excluding by default).
        cls.w.sql_write("INSERT INTO sanctions (employee_id, type, level, date, note, created_at)"
                        " SELECT id, 'Teguran lisan', 'light', '2026-02-01', '', 0"
                        " FROM employees WHERE nip = '199106062015012007'")
        cls.w.add_staff("pansel", "committee")
        cls.w.add_staff("boss", "admin")
        cls.w.add_staff("guru", "author")
        cls.w.serve()
        for e in EMPLOYEES:
            if e[6] is not None:
                finish(cls.w, e[5], e[6])
        cls.c, _ = cls.w.staff_login("pansel")
        r = cls.c.post(S, {"code": "PT-1", "name": "Pemetaan Talenta 2026", "config": CONFIG})
        assert r.status == 201, r
        cls.created = r.json
        jpm = "nip;component;value\n" + "".join(
            "%s;jpm;%s\n" % (e[0], str(e[7]).replace(".", ","))
            for e in EMPLOYEES + [LIVE] + STORM if e[7] is not None)
        r = cls.c.put(S + "/PT-1/scores", raw=jpm.encode(), headers={"Content-Type": "text/csv"})
        assert r.status == 200, r
        assert r.json["updated"] == 11, r

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.w.close()

    def grid(self, code="PT-1", lang=None):
        r = self.c.get(S + "/" + code + ("?lang=" + lang if lang else ""))
        self.assertEqual(r.status, 200, r)
        return r.json

    def row(self, grid, nip):
        return [e for e in grid["employees"] if e["nip"] == nip][0]

    def test_created_period_has_defaults(self):
        """The created period echoes the whole configuration with the
        defaults filled in; the list counts it."""
        p = self.created["period"]
        self.assertEqual(p["code"], "PT-1")
        self.assertIsNone(p["previous"])
        cfg = p["config"]
        self.assertEqual(cfg["cutoffs"], {"high": 80, "medium": 68})
        self.assertEqual(cfg["boxes"], {"above": [4, 7, 9], "meets": [2, 5, 8],
                                        "below": [1, 3, 6]})
        self.assertEqual(cfg["pool"], [7, 8, 9])
        self.assertEqual(cfg["sanctions"], {"levels": ["moderate", "heavy"], "years": 2})
        self.assertEqual(cfg["performance"]["map"]["butuh_perbaikan"], "below")
        self.assertIn("Dipromosikan", cfg["recommendations"]["9"])
        r = self.c.get(S)
        self.assertEqual(r.status, 200)
        pt = [p for p in r.json["periods"] if p["code"] == "PT-1"][0]
        self.assertEqual(pt["counts"]["employees"], 12)

    def test_bad_config_lists_every_error(self):
        """A configuration with many problems: 400 invalid_input listing
        each of them (in Bahasa Indonesia), and no period is created."""
        bad = {"components": [
            {"code": "cat", "kind": "exam", "exam": "NOPE", "weight": 40},
            {"code": "cat", "kind": "entered", "weight": 40},
            {"code": "x", "kind": "exam", "exam": "EX", "section": "ZZZ", "weight": 10}],
            "cutoffs": {"high": 60, "medium": 70},
            "boxes": {"above": [4, 7, 9], "meets": [2, 5, 9], "below": [1, 3, 6]},
            "sanctions": {"levels": ["severe"]}, "colour": 1}
        r = self.c.post(S, {"code": "BAD", "name": "Salah", "config": bad})
        self.assertEqual((r.status, r.error), (400, "invalid_input"), r)
        errs = r.json["error"]["errors"]
        fields = sorted(e["field"] or "" for e in errs)
        self.assertEqual(fields, sorted(["colour", "code", "components", "medium", "boxes",
                                         "boxes", "levels", "exam", "section"]), errs)
        text = " ".join(e["message"] for e in errs)
        self.assertIn("jumlah bobot harus 100, bukan 90", text)
        self.assertIn("ujian \"NOPE\" tidak ada", text)
        self.assertIn("tidak memiliki subtes \"ZZZ\"", text)
        self.assertEqual(self.w.sql("SELECT COUNT(*) FROM talent_periods WHERE code = 'BAD'"),
                         [(0,)])
        # A code taken, a name missing.
        r = self.c.post(S, {"code": "PT-1", "config": CONFIG})
        self.assertEqual(r.status, 400)
        self.assertEqual(sorted(e["field"] for e in r.json["error"]["errors"]), ["name"])
        r = self.c.post(S, {"code": "PT-1", "name": "x", "config": CONFIG})
        self.assertEqual(r.status, 400)
        self.assertIn("sudah ada", r.json["error"]["errors"][0]["message"])

    def test_bad_scores_apply_nothing(self):
        """Entered values with bad rows: every row's problem with its line,
        and nothing stored."""
        before = self.w.sql("SELECT employee_id, component, value FROM talent_scores ORDER BY 1")
        csv = ("nip;component;value\n"
               "198503122010011001;jpm;77\n"          # fine, but not applied
               "199999999999999999;jpm;50\n"          # no such employee
               "198601012010012002;cat;50\n"          # an exam component
               "198702022011011003;jpm;150\n"         # above max
               "198904042013012005;jpm;abc\n"         # not a number
               "198503122010011001;jpm;78\n")         # twice
        r = self.c.put(S + "/PT-1/scores", raw=csv.encode(), headers={"Content-Type": "text/csv"})
        self.assertEqual((r.status, r.error), (400, "invalid_input"), r)
        got = sorted((e["line"], e["field"]) for e in r.json["error"]["errors"])
        self.assertEqual(got, [(3, "nip"), (4, "component"), (5, "value"), (6, "value"),
                               (7, None)], r.json)
        after = self.w.sql("SELECT employee_id, component, value FROM talent_scores ORDER BY 1")
        self.assertEqual(before, after)
        r = self.c.put(S + "/NOPE/scores", {"scores": [{"nip": "198503122010011001",
                                                         "component": "jpm", "value": 1}]})
        self.assertEqual((r.status, r.error), (404, "no_such_period"))

    def test_grid_by_hand(self):
        """Every employee's box against the hand computation (exam 50% of
        score/60, JPM 50%): 95 -> 9; 77.5 -> 5; 85 -> 9 excluded; none;
        68.33 -> 7; exactly 68 -> medium (5); 67.99 -> low (2)."""
        g = self.grid()
        want = {
            "198503122010011001": ("above", 95.0, "high", 9, True),
            "198601012010012002": ("meets", 77.5, "medium", 5, False),
            "198702022011011003": ("above", 85.0, "high", 9, False),
            "198803032012011004": (None, None, None, None, False),
            "198904042013012005": ("above", 68.33, "medium", 7, True),
            "199005052014011006": ("meets", 68.0, "medium", 5, False),
            "199106062015012007": ("meets", 67.99, "low", 2, False),
        }
        for nip, (perf, pot, level, box, pool) in want.items():
            e = self.row(g, nip)
            self.assertEqual((e["perf"], e["potential"], e["pot_level"], e["box"], e["in_pool"]),
                             (perf, pot, level, box, pool), e)
        counts = {b["box"]: b["count"] for b in g["boxes"]}
        self.assertEqual([b["box"] for b in g["boxes"]], [9, 8, 7, 6, 5, 4, 3, 2, 1])
        self.assertEqual(counts, {9: 2, 8: 0, 7: 1, 6: 0, 5: 2, 4: 0, 3: 0, 2: 1, 1: 0})
        nine = g["boxes"][0]
        self.assertEqual((nine["perf"], nine["pot"]), ("above", "high"))
        self.assertIn("suksesi", nine["recommendation"])
        # Unmapped, with the reason in words.
        d = self.row(g, "198803032012011004")
        self.assertEqual(d["reason_code"], "no_skp")
        self.assertIn("Tidak ada SKP tahun 2025-2026", d["reason"])
        self.assertIn("Nilai Tes kompetensi belum ada", d["reason"])
        live = self.row(g, LIVE[0])
        self.assertEqual((live["box"], live["reason_code"]), (None, "no_potential"))
        en = self.row(self.grid(lang="en"), "198803032012011004")
        self.assertIn("No SKP rating in 2025-2026", en["reason"])
        # The numbers that made a placement are stored with it.
        import json
        detail = json.loads(self.w.sql(
            "SELECT detail_json FROM placements p JOIN employees e ON e.id = p.employee_id"
            " JOIN talent_periods t ON t.id = p.period_id WHERE t.code = 'PT-1'"
            " AND e.nip = '198601012010012002'")[0][0])
        self.assertEqual(detail["performance"]["years"],
                         [{"year": 2026, "predikat": "baik", "level": "meets"},
                          {"year": 2025, "predikat": "sangat_baik", "level": "above"}])
        cat, jpm = detail["components"]
        self.assertEqual((cat["raw"], cat["max"], cat["normalised"], cat["weight"],
                          cat["weighted"], cat["registration_no"]),
                         (45.0, 60.0, 75.0, 50.0, 37.5, "C002"))
        self.assertEqual((jpm["raw"], jpm["max"], jpm["weighted"]), (80.0, 100.0, 40.0))

    def test_sanction_excludes_with_reason(self):
        """Citra is in box 9 but a moderate sanction of 2025-06-01 keeps her
        out of the pool, with the reason; Gita's light one does not count."""
        g = self.grid()
        c = self.row(g, "198702022011011003")
        self.assertEqual((c["box"], c["in_pool"], c["excluded"], c["reason_code"]),
                         (9, False, True, "sanction"))
        self.assertIn("Hukuman disiplin tingkat sedang", c["reason"])
        self.assertIn("2025-06-01", c["reason"])
        self.assertIn("tidak masuk kelompok talenta", c["reason"])
        self.assertFalse(self.row(g, "199106062015012007")["excluded"])
        # The employee profile gives the same reason in words, with its code.
        prof = self.c.get("/api/v1/staff/employees/198702022011011003")
        self.assertEqual(prof.status, 200, prof)
        pl = [p for p in prof.json["placements"] if p["period"] == "PT-1"][0]
        self.assertEqual(pl["reason_code"], "sanction")
        self.assertIn("Hukuman disiplin tingkat sedang", pl["reason"])
        r = self.c.get(S)
        pt = [p for p in r.json["periods"] if p["code"] == "PT-1"][0]
        self.assertEqual(pt["counts"]["excluded"], 1)

    def test_pool_and_succession(self):
        """Pool: box 9 first, then by potential (Ayu 95, then Eka 68.33 in
        box 7); Citra excluded. Succession: box 9 in the pool with the
        grade."""
        r = self.c.get(S + "/PT-1/pool")
        self.assertEqual(r.status, 200, r)
        pool = [e["nip"] for e in r.json["pool"]]
        ayu, eka = "198503122010011001", "198904042013012005"
        self.assertEqual([n for n in pool if n in (ayu, eka)], [ayu, eka])
        self.assertNotIn("198702022011011003", pool)
        boxes = [e["box"] for e in r.json["pool"]]
        self.assertEqual(boxes, sorted(boxes, key=lambda b: b != 9))  # box 9 first
        rest = [e["potential"] for e in r.json["pool"] if e["box"] != 9]
        self.assertEqual(rest, sorted(rest, reverse=True))
        r = self.c.get(S + "/PT-1/succession?grade=IV/a&n=3")
        self.assertEqual([e["nip"] for e in r.json["candidates"]], ["198503122010011001"])
        r = self.c.get(S + "/PT-1/succession?grade=IV/c")
        self.assertEqual(r.json["candidates"], [])
        r = self.c.get(S + "/PT-1/succession?grade=V/z")
        self.assertEqual((r.status, r.error), (400, "invalid_request"))

    def test_history_two_periods(self):
        """A second period created later shows each employee's box in the
        previous one (prev_box); a value entered there moves Budi from 5
        to 8 in the new period only."""
        r = self.c.post(S, {"code": "PT-2", "name": "Pemetaan Talenta 2027", "config": CONFIG})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["period"]["previous"], "PT-1")
        r = self.c.put(S + "/PT-2/scores", {"scores": [
            {"nip": "198601012010012002", "component": "jpm", "value": 100},
            {"nip": "198503122010011001", "component": "jpm", "value": 90}]})
        self.assertEqual(r.status, 200, r)
        g2 = self.grid("PT-2")
        budi = self.row(g2, "198601012010012002")
        self.assertEqual((budi["box"], budi["prev_box"], budi["potential"]), (8, 5, 87.5))
        ayu = self.row(g2, "198503122010011001")
        self.assertEqual((ayu["box"], ayu["prev_box"]), (9, 9))
        self.assertEqual(self.row(self.grid("PT-1"), "198601012010012002")["box"], 5)
        # A configuration edit recomputes: the pool becomes box 9 only.
        cfg = dict(CONFIG, pool=[9])
        r = self.c.put(S + "/PT-2", {"config": cfg})
        self.assertEqual(r.status, 200, r)
        pool = self.c.get(S + "/PT-2/pool").json["pool"]
        self.assertEqual([e["box"] for e in pool], [9])
        r = self.c.put(S + "/NOPE", {"name": "x"})
        self.assertEqual((r.status, r.error), (404, "no_such_period"))
        # Every change is in the audit log with its actor.
        kinds = [k for (k,) in self.w.sql("SELECT kind FROM events WHERE kind LIKE 'talent%'")]
        self.assertIn("talent_period_created", kinds)
        self.assertIn("talent_period_edited", kinds)
        self.assertIn("talent_scores_entered", kinds)

    def test_export_csv(self):
        """The export opens in Indonesian Excel: BOM, ';', Indonesian
        headers, NIP as ="..." text, a decimal comma."""
        r = self.c.get(S + "/PT-1/export.csv?sep=semicolon")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        body = r.raw.decode("utf-8")
        self.assertTrue(body.startswith("\ufeffNIP;Nama;Golongan;"), body[:60])
        lines = body.split("\r\n")
        ayu = [ln for ln in lines if "Ayu" in ln][0]
        self.assertTrue(ayu.startswith('"=""198503122010011001"""'), ayu)
        self.assertIn(";95;Tinggi;9;", ayu)
        eka = [ln for ln in lines if "Eka" in ln][0]
        self.assertIn(";68,33;Menengah;7;", eka)
        r = self.c.get(S + "/PT-1/export.csv")
        self.assertIn(b",Nama,", r.raw[:40])
        r = self.c.get(S + "/NOPE/export.csv")
        self.assertEqual((r.status, r.error), (404, "no_such_period"))

    def test_roles(self):
        """Admins and the committee read and write; an author does not."""
        a, _ = self.w.staff_login("boss")
        self.assertEqual(a.get(S + "/PT-1").status, 200)
        a.close()
        g, _ = self.w.staff_login("guru")
        self.assertEqual((g.get(S).status, g.get(S).error), (403, "forbidden"))
        g.close()

    def test_live_finish_within_one_second(self):
        """A dashboard subscribed to the period sees Hadi's finish move him
        into box 9 within 1 s (the placement event with the new box and the
        boxes' counts)."""
        port = self.w.server.port
        es = EventStream("127.0.0.1", port, S + "/PT-1/events",
                         headers={"Authorization": "Bearer " + self.c.token})
        self.addCleanup(es.close)
        self.assertEqual(es.status, 200)
        _, name, snap = es.next()
        self.assertEqual(name, "snapshot")
        self.assertIsNone(self.row(snap, LIVE[0])["box"])
        nine_before = snap["boxes"][0]["count"]
        c = self.w.logged_in(LIVE[5])
        r = c.post("/api/v1/attempt/start")
        self.assertEqual(r.status, 200)
        for q in r.json["questions"]:
            self.assertEqual(c.answer(q["n"], self.w.best_label(q), 1).status, 200)
        r = c.post("/api/v1/attempt/finish")
        t_ack = time.monotonic()
        self.assertEqual(r.status, 200)
        c.close()
        _, name, ev = es.until(lambda i, n, d: n == "placement" and
                               d["employee"]["nip"] == LIVE[0], timeout=1.0,
                               what="Hadi's placement")
        lag = time.monotonic() - t_ack
        self.assertLess(lag, 1.0 * SLOW, "placement arrived %.3f s after the finish" % lag)
        self.assertEqual((ev["employee"]["box"], ev["employee"]["potential"],
                          ev["employee"]["in_pool"]), (9, 100.0, True))
        self.assertEqual(ev["boxes"][0]["box"], 9)
        self.assertEqual(ev["boxes"][0]["count"], nine_before + 1)

    def test_live_entered_values_and_config_edit(self):
        """Entered values reach a watching dashboard as placement events;
        a configuration edit as a fresh snapshot."""
        r = self.c.post(S, {"code": "PT-L", "name": "Langsung", "config": CONFIG})
        self.assertEqual(r.status, 201, r)
        es = EventStream("127.0.0.1", self.w.server.port, S + "/PT-L/events",
                         headers={"Authorization": "Bearer " + self.c.token})
        self.addCleanup(es.close)
        self.assertEqual(es.next()[1], "snapshot")
        budi = "198601012010012002"
        r = self.c.put(S + "/PT-L/scores", {"scores": [{"nip": budi, "component": "jpm",
                                                        "value": 80}]})
        self.assertEqual(r.status, 200, r)
        _, _, ev = es.until(lambda i, n, d: n == "placement", timeout=2, what="a placement")
        self.assertEqual((ev["employee"]["nip"], ev["employee"]["box"]), (budi, 5))
        r = self.c.put(S + "/PT-L", {"config": dict(CONFIG, cutoffs={"high": 75,
                                                                      "medium": 60})})
        self.assertEqual(r.status, 200, r)
        _, _, snap = es.until(lambda i, n, d: n == "snapshot", timeout=2, what="a snapshot")
        self.assertEqual(self.row(snap, budi)["box"], 8)
        self.assertEqual(snap["period"]["config"]["cutoffs"], {"high": 75, "medium": 60})
        # An import into the registry (here an SKP rating of a year outside
        # the window: nothing moves) refreshes every watched grid too.
        boss, _ = self.w.staff_login("boss")  # imports are the personnel office's (admin)
        self.addCleanup(boss.close)
        r = boss.post("/api/v1/staff/employees/skp", raw=("nip;tahun;predikat\n%s;2019;Baik\n"
                                                            % budi).encode(),
                        headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 200, r)
        _, _, snap = es.until(lambda i, n, d: n == "snapshot", timeout=2,
                              what="a snapshot after the import")
        self.assertEqual(self.row(snap, budi)["box"], 8)

    def test_live_storm_of_finishes(self):
        """Four linked candidates finishing at once: each placement reaches
        the dashboard (meets + 100 x 0.5 + 80 x 0.5 = 90: box 8)."""
        import threading
        es = EventStream("127.0.0.1", self.w.server.port, S + "/PT-1/events",
                         headers={"Authorization": "Bearer " + self.c.token})
        self.addCleanup(es.close)
        self.assertEqual(es.next()[1], "snapshot")
        started = []
        for e in STORM:
            c = self.w.logged_in(e[5])
            r = c.post("/api/v1/attempt/start")
            self.assertEqual(r.status, 200)
            for q in r.json["questions"]:
                self.assertEqual(c.answer(q["n"], self.w.best_label(q), 1).status, 200)
            started.append(c)
        codes = []
        threads = [threading.Thread(target=lambda c=c: codes.append(
            c.post("/api/v1/attempt/finish").status)) for c in started]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(codes, [200] * 4)
        want = {e[0] for e in STORM}
        seen = {}
        while set(seen) != want:
            _, _, ev = es.until(lambda i, n, d: n == "placement" and d["employee"]["nip"] in want,
                                timeout=5, what="the storm's placements")
            seen[ev["employee"]["nip"]] = ev["employee"]["box"]
        self.assertEqual(set(seen.values()), {8})
        for c in started:
            c.close()


class TalentCliTest(unittest.TestCase):
    """ujian talent period add | list | scores | recompute on a database
    without a server."""

    def setUp(self):
        self.w = World(n_candidates=2)
        self.addCleanup(self.w.close)
        for e in EMPLOYEES[:2]:
            add_employee(self.w, e)

    def write(self, name, text):
        path = os.path.join(self.w.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_cli(self):
        import json
        bad = self.write("bad.json", json.dumps({"code": "P1", "name": "x", "config": {
            "components": [{"code": "a", "kind": "entered", "weight": 60}],
            "cutoffs": {"high": 50, "medium": 60}}}))
        r = run("talent", "period", "add", "--db", self.w.db, bad, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("the weights must sum to 100, not 60", r.stderr)
        self.assertIn("medium (60) must be below high (50)", r.stderr)
        good = self.write("p.json", json.dumps({"code": "P1", "name": "Periode", "config": CONFIG}))
        r = run("talent", "period", "add", "--db", self.w.db, good)
        self.assertIn("period P1 created", r.stdout)
        scores = self.write("s.csv", "nip,component,value\n198503122010011001,jpm,90\n"
                            "198503122010011001,cat,5\n")
        r = run("talent", "scores", "--db", self.w.db, "P1", scores, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 3 field \"component\"", r.stderr)
        self.assertEqual(self.w.sql("SELECT COUNT(*) FROM talent_scores"), [(0,)])
        scores = self.write("s2.csv", "nip,component,value\n198503122010011001,jpm,90\n")
        r = run("talent", "scores", "--db", self.w.db, "P1", scores)
        self.assertIn("1 value stored in period P1", r.stdout)
        r = run("talent", "list", "--db", self.w.db)
        self.assertRegex(r.stdout, r"P1 +Periode +2 +0 +2 +0 +0")
        # A rating changed behind the module's back: recompute finds it.
        self.w.sql_write("DELETE FROM skp")
        r = run("talent", "recompute", "--db", self.w.db, "P1")
        self.assertIn("2 placements changed", r.stdout)
        r = run("talent", "recompute", "--db", self.w.db, "NOPE", check=False)
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    harness.main()
