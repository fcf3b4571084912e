"""Issue 13, the server's part of the candidate screen: thresholds on the
result (the exam setting show_thresholds) with the exam's time zone, and a
login that finds the candidate's exam without revealing where a
registration number exists."""

import os
import statistics
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run  # noqa: E402

LOGIN = "/api/v1/candidate/login"


def finish_with(w, regno, exam="EX", best=True):
    """Log regno in, answer every question (the best or the worst option),
    finish, and return the result JSON."""
    c = w.logged_in(regno, exam=exam)
    paper = c.post("/api/v1/attempt/start").json
    for q in paper["questions"]:
        label = w.best_label(q) if best else w.worst_label(q)
        assert c.answer(q["n"], label, 1).status == 200
    r = c.post("/api/v1/attempt/finish")
    assert r.status == 200, r
    return r.json


class ThresholdTest(unittest.TestCase):
    def test_per_section_thresholds_of_the_candidates_track(self):
        # make_exam's rules: umum needs 10 in each section, khusus 30 in total.
        w = World(n_candidates=2, exam_extra={"timezone": "WITA"})
        try:
            w.add_candidates("EX", ["K1"], track="khusus")
            w.serve()
            res = finish_with(w, "C001", best=True)
            self.assertEqual(res["timezone"], "WITA")
            self.assertNotIn("total_threshold", res)
            for s in res["sections"]:
                self.assertEqual(s["threshold"], 10, s)
                self.assertEqual(s["met"], s["score"] >= 10, s)
            self.assertTrue(all(s["met"] for s in res["sections"]))
            low = finish_with(w, "C002", best=False)
            self.assertFalse(all(s["met"] for s in low["sections"]), low)
            for s in low["sections"]:
                self.assertEqual(s["met"], s["score"] >= 10, s)
            # The same document from GET /attempt/result and GET /attempt.
            c = w.logged_in("C002")
            self.assertEqual(c.get("/api/v1/attempt/result").json, low)
            self.assertEqual(c.get("/api/v1/attempt").json["result"], low)
            # A track with a total only: the total's threshold, none per section.
            k = finish_with(w, "K1", best=True)
            self.assertEqual(k["total_threshold"], 30)
            self.assertEqual(k["total_met"], k["total"] >= 30)
            self.assertTrue(all("threshold" not in s and "met" not in s for s in k["sections"]))
        finally:
            w.close()

    def test_show_thresholds_false_and_no_rules(self):
        w = World(n_candidates=1, exam_extra={"show_thresholds": False})
        try:
            run("exam", "create", "--db", w.db,
                harness.make_exam(w.dir, code="NR", pass_rules={}))
            w.add_candidates("NR", ["N1"])
            w.serve()
            res = finish_with(w, "C001")
            self.assertEqual(res["timezone"], "WIB")  # the default zone
            self.assertTrue(all("threshold" not in s and "met" not in s for s in res["sections"]))
            self.assertNotIn("total_threshold", res)
            res = finish_with(w, "N1", exam="NR")
            self.assertTrue(all("threshold" not in s for s in res["sections"]))
            # The staff list says how the exam is set.
            admin = w.add_staff("adm", "admin")
            s, _ = w.staff_login("adm", admin)
            ex = {e["code"]: e for e in s.get("/api/v1/staff/exams").json["exams"]}
            self.assertEqual((ex["EX"]["show_thresholds"], ex["NR"]["show_thresholds"]), (False, True))
            # ... and its pass rules, in the exam file's shape, to every role
            # that sees the exam (the committee's pass rates per threshold).
            w.add_staff("pan", "committee")
            pan, _ = w.staff_login("pan")
            ex = {e["code"]: e for e in pan.get("/api/v1/staff/exams").json["exams"]}
            self.assertEqual(ex["EX"]["pass_rules"],
                             {"umum": {"sections": {"TWK": 10, "TIU": 10, "TKP": 10}},
                              "khusus": {"total": 30, "sections": {}}})
            self.assertEqual(ex["NR"]["pass_rules"], {})
            self.assertNotIn("token", ex["EX"])
            self.assertEqual(pan.get("/api/v1/staff/exams/EX").status, 403)
        finally:
            w.close()

    def test_describe_figures_reaches_the_paper(self):
        w = World(n_candidates=1, exam_extra={"describe_figures": True})
        try:
            run("exam", "create", "--db", w.db, harness.make_exam(w.dir, code="PL"))
            w.add_candidates("PL", ["L1"])
            w.serve()
            c = w.logged_in("C001")
            self.assertIs(c.post("/api/v1/attempt/start").json["describe_figures"], True)
            self.assertIs(c.get("/api/v1/attempt").json["describe_figures"], True)
            # Off by default: the paper does not carry the key at all.
            c = w.logged_in("L1", exam="PL")
            self.assertNotIn("describe_figures", c.post("/api/v1/attempt/start").json)
        finally:
            w.close()

    def test_bad_setting_is_refused(self):
        w = World(n_candidates=0)
        try:
            r = run("exam", "create", "--db", w.db,
                    harness.make_exam(w.dir, code="BAD", show_thresholds="ya"), check=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("show_thresholds", r.stderr + r.stdout)
            r = run("exam", "create", "--db", w.db,
                    harness.make_exam(w.dir, code="BAD2", describe_figures=1), check=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("describe_figures", r.stderr + r.stdout)
        finally:
            w.close()


class LoginPicksExamTest(unittest.TestCase):
    """Three open exams (EX, EY, EZ) and one closed (OLD). A1 is in EX only,
    B1 in EX and EY with different passwords, D1 in EX and EY with the same
    password, O1 only in the closed exam."""

    @classmethod
    def setUpClass(cls):
        cls.w = w = World(n_candidates=0)
        for code in ("EY", "EZ"):
            run("exam", "create", "--db", w.db, harness.make_exam(w.dir, code=code))
        run("exam", "create", "--db", w.db,
            harness.make_exam(w.dir, code="OLD", closes_at="2001-01-01T08:00:00+07:00"))
        w.add_candidates("EX", ["A1", "B1"])
        rows = ["B1,Peserta B1 di EY,pw-B1-other,umum,0"]
        run("candidates", "import", "--db", w.db, "--exam", "EY",
            harness.write_csv(w.dir, "ey.csv", rows))
        rows = ["D1,Peserta D1,pw-D1-same,umum,0"]
        for code in ("EX", "EY"):
            run("candidates", "import", "--db", w.db, "--exam", code,
                harness.write_csv(w.dir, "d-%s.csv" % code, rows))
        w.add_candidates("OLD", ["O1"])
        # Generous limits: the timing comparison below fails many logins.
        w.serve("--addr-limit", "10000/60", "--login-limit", "10000/60")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def login(self, regno, password, **extra):
        body = {"registration_no": regno, "password": password}
        body.update(extra)
        return self.w.client().post(LOGIN, body, token="")

    def test_single_exam_is_found(self):
        for exam in (None, "", ):
            extra = {} if exam is None else {"exam": exam}
            r = self.login("A1", self.w.password("A1"), **extra)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["exam"]["code"], "EX")
            self.assertEqual(r.json["candidate"]["registration_no"], "A1")
        r = self.login("A1", self.w.password("A1"), exam=None)
        self.assertEqual(r.status, 200, r)

    def test_the_password_decides_between_exams(self):
        r = self.login("B1", self.w.password("B1"))
        self.assertEqual((r.status, r.json["exam"]["code"]), (200, "EX"))
        r = self.login("B1", "pw-B1-other")
        self.assertEqual((r.status, r.json["exam"]["code"]), (200, "EY"))
        r = self.login("D1", "pw-D1-same")
        self.assertEqual((r.status, r.error), (409, "exam_required"))
        # Naming the exam still works for them.
        r = self.w.client().login("EY", "D1", "pw-D1-same")
        self.assertEqual((r.status, r.json["exam"]["code"]), (200, "EY"))

    def test_unknown_numbers_are_indistinguishable(self):
        # A number nowhere, a number in one exam with a wrong password, in two
        # exams, and in a closed exam only: the same status and body.
        seen = set()
        for regno in ("NOBODY9", "A1", "B1", "O1"):
            r = self.login(regno, "not-the-password")
            seen.add((r.status, r.raw))
        self.assertEqual(len(seen), 1, seen)
        self.assertEqual(next(iter(seen))[0], 401)
        r = self.login("O1", self.w.password("O1"))
        self.assertEqual((r.status, r.error), (401, "invalid_credentials"))

    def test_timing_does_not_tell_where_a_number_exists(self):
        def median_ms(regno):
            c = self.w.client()
            times = []
            for _ in range(40):
                t0 = time.perf_counter()
                r = c.post(LOGIN, {"registration_no": regno, "password": "wrong-password"},
                           token="")
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status == 401, r
            return statistics.median(times)
        # warm up, then compare a number that exists in two exams with one
        # that exists nowhere
        median_ms("NOBODY1")
        known, unknown = median_ms("B1"), median_ms("NOBODY2")
        self.assertLess(abs(known - unknown), max(2.0, 0.5 * min(known, unknown)),
                        "known %.2f ms vs unknown %.2f ms" % (known, unknown))

    def test_rate_limit_across_exams(self):
        w = World(n_candidates=2)
        try:
            w.serve("--addr-limit", "100/60")
            c = w.client()
            for i in range(6):
                r = c.post(LOGIN, {"registration_no": "C001", "password": "bad-%d" % i}, token="")
                self.assertEqual(r.error, "invalid_credentials", i)
            r = c.post(LOGIN, {"registration_no": "C001", "password": w.password("C001")},
                       token="")
            self.assertEqual((r.status, r.error), (429, "too_many_attempts"))
            # A number locked out in its exam is not let in through the
            # exam-less login either.
            for i in range(6):
                c.login("EX", "C002", "bad-%d" % i)
            r = c.post(LOGIN, {"registration_no": "C002", "password": w.password("C002")},
                       token="")
            self.assertEqual((r.status, r.error), (429, "too_many_attempts"))
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
