"""Proctoring (issue 10): the sitting list and dashboard, the live stream
(an answer within a second, Last-Event-ID resume), every proctor action and
what it does to the candidate (pause charges nothing, extend moves the
deadline, reset login resumes at the same question, disqualified never
passes), incidents, broadcasts, start together, sitting tokens, closing the
sitting and its report, scope (an unassigned proctor sees nothing; an
observer cannot act), and a pause that survives SIGKILL."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import EventStream, World, parse_time, run, wait_until  # noqa: E402

S = "/api/v1/staff"


class ProctorWorld:
    """A world with sitting R1 (C001-C004, proctor pengawas) and R2 (C005,
    C006, start together), an observer and an unassigned proctor."""

    def __init__(self, exam_extra=None, duration_s=3600, rotate=None):
        self.w = World(n_candidates=6, exam_extra=exam_extra, duration_s=duration_s)
        self.w.add_staff("pengawas", "proctor")
        self.w.add_staff("lain", "proctor")
        self.w.add_staff("pemantau", "observer")
        self.w.add_staff("admin", "admin")
        base = ["--db", self.w.db, "--exam", "EX"]
        extra = ["--rotate-min", str(rotate)] if rotate else []
        run("sitting", "add", *base, "--code", "R1", "--room", "Ruang 1", "--proctor", "pengawas",
            *extra)
        run("sitting", "add", *base, "--code", "R2", "--room", "Ruang 2", "--proctor", "pengawas",
            "--start-together")
        run("sitting", "assign", *base, "--code", "R1", "C001", "C002", "C003", "C004")
        run("sitting", "assign", *base, "--code", "R2", "C005", "C006")
        self.ids = dict(self.w.sql("SELECT code, id FROM sittings"))
        self.w.serve()
        self.staff = {}

    def sid(self, code):
        return self.ids[code]

    def as_(self, name):
        if name not in self.staff:
            self.staff[name] = self.w.staff_login(name)[0]
        return self.staff[name]

    def act(self, code, action, who="pengawas", **body):
        body = dict({"action": action, "reason": "alasan uji"}, **body)
        return self.as_(who).post("%s/sittings/%d/actions" % (S, self.sid(code)), body)

    def dashboard(self, code, who="pengawas"):
        r = self.as_(who).get("%s/sittings/%d" % (S, self.sid(code)))
        assert r.status == 200, r
        return r.json

    def row(self, code, regno):
        return next(x for x in self.dashboard(code)["rows"] if x["regno"] == regno)

    def stream(self, code, who="pengawas", headers=None):
        h = {"Authorization": "Bearer " + self.as_(who).token}
        h.update(headers or {})
        srv = self.w.server
        return EventStream("127.0.0.1", srv.port, "%s/sittings/%d/events" % (S, self.sid(code)), h)

    def close(self):
        for c in self.staff.values():
            c.close()
        self.w.close()


def started(w, regno):
    c = w.logged_in(regno)
    r = c.post("/api/v1/attempt/start")
    assert r.status == 200, r
    return c, r.json


def clock(c):
    r = c.get("/api/v1/attempt?view=clock")
    assert r.status == 200, r
    return r.json


class DashboardTest(unittest.TestCase):
    def setUp(self):
        self.p = ProctorWorld()

    def tearDown(self):
        self.p.close()

    def test_list_and_scope(self):
        """A proctor sees their sittings with the token; an unassigned one
        sees none and gets 404; an observer sees them without the token."""
        r = self.p.as_("pengawas").get(S + "/sittings")
        self.assertEqual(r.status, 200, r)
        codes = [s["code"] for s in r.json["sittings"]]
        self.assertEqual(codes, ["R1", "R2"])
        tok = self.p.w.sql("SELECT token FROM sittings WHERE code = 'R1'")[0][0]
        self.assertEqual(r.json["sittings"][0]["token"], tok)
        self.assertEqual(r.json["sittings"][0]["counts"]["registered"], 4)
        self.assertEqual(r.json["sittings"][0]["proctors"], ["pengawas"])
        self.assertEqual(self.p.as_("lain").get(S + "/sittings").json["sittings"], [])
        r = self.p.as_("lain").get("%s/sittings/%d" % (S, self.p.sid("R1")))
        self.assertEqual((r.status, r.error), (404, "no_such_sitting"))
        r = self.p.as_("pemantau").get(S + "/sittings")
        self.assertEqual(len(r.json["sittings"]), 2)
        self.assertNotIn("token", r.json["sittings"][0])
        r = self.p.act("R1", "pause", who="pemantau", candidates="all")
        self.assertEqual((r.status, r.error), (403, "forbidden"))
        r = self.p.as_("pengawas").get(S + "/sittings/999999")
        self.assertEqual((r.status, r.error), (404, "no_such_sitting"))

    def test_rows_follow_the_candidate(self):
        d = self.p.dashboard("R1")
        self.assertEqual([x["regno"] for x in d["rows"]], ["C001", "C002", "C003", "C004"])
        self.assertEqual({x["status"] for x in d["rows"]}, {"absent"})
        c, paper = started(self.p.w, "C001")
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        row = self.p.row("R1", "C001")
        self.assertEqual((row["status"], row["answered"], row["online"]), ("in_progress", 1, True))
        self.assertEqual(row["total"], len(paper["questions"]))
        self.assertGreater(row["remaining_ms"], 3500_000)
        self.assertTrue(row["seat"]["addr"])
        c.close()

    def test_an_answer_reaches_the_stream_within_a_second(self):
        s = self.p.stream("R1")
        self.assertEqual(s.status, 200)
        self.assertTrue(s.headers["content-type"].startswith("text/event-stream"))
        _, ev, snap = s.next()
        self.assertEqual(ev, "snapshot")
        self.assertEqual(len(snap["rows"]), 4)
        self.assertNotIn("token", snap["sitting"])
        c, _ = started(self.p.w, "C002")
        t0 = time.monotonic()
        self.assertEqual(c.answer(3, "B", 1).status, 200)
        s.until(lambda i, e, d: e == "rows" and any(
            r["regno"] == "C002" and r["answered"] == 1 for r in d["rows"]), 5, "the answer")
        self.assertLess(time.monotonic() - t0, 1.0 * harness.SLOW)
        s.close()
        c.close()

    def test_resume_with_last_event_id(self):
        """Reconnecting with Last-Event-ID gets exactly the events missed,
        no snapshot; an id the ring no longer holds gets a snapshot."""
        s = self.p.stream("R1")
        s.next()  # snapshot
        c, _ = started(self.p.w, "C001")
        last, _, _ = s.until(lambda i, e, d: e == "rows", 5, "rows")
        s.close()
        self.assertEqual(c.answer(1, "C", 1).status, 200)  # missed while away
        wait_until(lambda: self.p.row("R1", "C001")["answered"] == 1, 5, "the answer")
        time.sleep(0.3)  # let the flush timer publish (the stream is what is tested)
        s = self.p.stream("R1", headers={"Last-Event-ID": last})
        i, ev, data = s.next()
        self.assertEqual(ev, "rows", "a resume is not a snapshot")
        self.assertGreater(int(i), int(last))
        s.close()
        s = self.p.stream("R1", headers={"Last-Event-ID": "999999999"})
        self.assertEqual(s.next()[1], "snapshot")
        s.close()
        c.close()

    def test_incidents_reported_and_pushed(self):
        s = self.p.stream("R1")
        s.next()
        c, _ = started(self.p.w, "C003")
        r = c.post("/api/v1/attempt/incidents",
                   {"incidents": [{"type": "page_hidden", "ms": 4200}, {"type": "paste"}]})
        self.assertEqual((r.status, r.json), (200, {"recorded": 2}))
        _, _, inc = s.until(lambda i, e, d: e == "incident", 5, "the incident")
        self.assertEqual((inc["regno"], inc["type"], inc["ms"], inc["by"]),
                         ("C003", "page_hidden", 4200, "client"))
        wait_until(lambda: self.p.row("R1", "C003")["incidents"] == 2, 5, "the count")
        kinds = self.p.w.sql("SELECT json_extract(detail, '$.type') FROM events"
                             " WHERE kind = 'incident' ORDER BY id")
        self.assertEqual(kinds, [("page_hidden",), ("paste",)])
        for bad in ({"incidents": []}, {"incidents": [{"type": "camera"}]},
                    {"incidents": [{"type": "copy", "ms": -1}]},
                    {"incidents": [{"type": "copy", "x": 1}]},
                    {"incidents": [{"type": "copy"}] * 33}, {"other": 1}):
            r = c.post("/api/v1/attempt/incidents", bad)
            self.assertEqual(r.status, 400, (bad, r))
        self.assertEqual(self.p.w.sql("SELECT count(*) FROM events WHERE kind = 'incident'")[0][0],
                         2)
        # The log lists them, newest first.
        r = self.p.as_("pengawas").get("%s/sittings/%d/log" % (S, self.p.sid("R1")))
        self.assertEqual([x["type"] for x in r.json["items"]], ["paste", "page_hidden"])
        s.close()
        c.close()

    def test_implausible_speed_is_flagged_by_the_server(self):
        c, _ = started(self.p.w, "C004")
        for n in range(1, 11):
            self.assertEqual(c.answer(n, "A", 1).status, 200)
        wait_until(lambda: self.p.w.sql(
            "SELECT count(*) FROM events WHERE kind = 'incident'"
            " AND json_extract(detail, '$.type') = 'speed'")[0][0] == 1, 5, "the speed flag")
        c.close()

    def test_second_device_is_flagged_but_not_after_a_reset(self):
        a = self.p.w.client()
        self.assertEqual(a.post("/api/v1/candidate/login", {
            "exam": "EX", "registration_no": "C001", "password": self.p.w.password("C001"),
            "fp": "fedcba9876543210"}, token="").status, 200)
        b = self.p.w.client()
        self.assertEqual(b.post("/api/v1/candidate/login", {
            "exam": "EX", "registration_no": "C001", "password": self.p.w.password("C001"),
            "fp": "0123456789abcdef"}, token="").status, 200)

        def count():
            return self.p.w.sql("SELECT count(*) FROM events WHERE kind = 'incident'"
                                " AND json_extract(detail, '$.type') = 'second_device'")[0][0]
        wait_until(lambda: count() == 1, 5, "second_device")
        self.assertEqual(self.p.act("R1", "reset_login", candidates=["C001"]).status, 200)
        d = self.p.w.client()
        self.assertEqual(d.post("/api/v1/candidate/login", {
            "exam": "EX", "registration_no": "C001", "password": self.p.w.password("C001"),
            "fp": "00000000aaaaaaaa"}, token="").status, 200)
        time.sleep(0.3)
        self.assertEqual(count(), 1, "a login after a proctor's reset is expected")
        for x in (a, b, d):
            x.close()


class ActionTest(unittest.TestCase):
    def setUp(self):
        self.p = ProctorWorld()

    def tearDown(self):
        self.p.close()

    def test_pause_charges_no_time(self):
        c, _ = started(self.p.w, "C001")
        r = self.p.act("R1", "pause", candidates=["C001"], reason="Listrik padam")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["done"], ["C001"])
        k1 = clock(c)
        self.assertEqual(k1["attempt"]["paused"]["reason"], "Listrik padam")
        r = c.answer(1, "A", 1)
        self.assertEqual((r.status, r.error), (409, "paused"))
        self.assertEqual(c.put("/api/v1/attempt/position", {"n": 2}).status, 409)
        self.assertEqual(c.post("/api/v1/attempt/finish").status, 409)
        self.assertEqual(self.p.w.sql("SELECT count(*) FROM answers")[0][0], 0)
        time.sleep(1.2)
        k2 = clock(c)
        self.assertEqual(k2["attempt"]["remaining_ms"], k1["attempt"]["remaining_ms"])
        self.assertEqual(self.p.row("R1", "C001")["status"], "paused")
        # Pausing twice is skipped, not an error.
        r = self.p.act("R1", "pause", candidates=["C001"])
        self.assertEqual(r.json["skipped"], [{"regno": "C001", "why": "already_paused"}])
        r = self.p.act("R1", "resume", candidates="all")
        self.assertEqual(r.json["done"], ["C001"])
        k3 = clock(c)
        self.assertIsNone(k3["attempt"]["paused"])
        # The paused time went back: remaining is what it was at the pause
        # (less the moments since the resume).
        self.assertGreater(k3["attempt"]["remaining_ms"], k1["attempt"]["remaining_ms"] - 1000)
        led = self.p.w.sql("SELECT kind, delta_ms, note FROM time_ledger")
        self.assertEqual(led[0][0], "pause")
        self.assertGreaterEqual(led[0][1], 1200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        kinds = [k for (k,) in self.p.w.sql("SELECT kind FROM events WHERE actor_kind = 'staff'"
                                            " AND kind <> 'staff_login' ORDER BY id")]
        self.assertEqual(kinds, ["paused", "proctor_action", "proctor_action", "resumed",
                                 "proctor_action"])
        c.close()

    def test_extend_moves_the_deadline(self):
        c, paper = started(self.p.w, "C002")
        before = parse_time(clock(c)["attempt"]["deadline"])
        r = self.p.act("R1", "extend", candidates=["C002"], minutes=7)
        self.assertEqual(r.status, 200, r)
        after = parse_time(clock(c)["attempt"]["deadline"])
        self.assertAlmostEqual(after - before, 420, delta=0.01)
        self.assertEqual(self.p.w.sql("SELECT kind, delta_ms, note FROM time_ledger"),
                         [("proctor_extend", 420000, "alasan uji")])
        for bad in (0, 241, "5"):
            r = self.p.act("R1", "extend", candidates=["C002"], minutes=bad)
            self.assertEqual(r.status, 400, (bad, r))
        c.close()

    def test_bad_actions_change_nothing_and_name_every_problem(self):
        self.p.as_("pengawas")  # logged in (an event) before counting
        before = self.p.w.sql("SELECT count(*) FROM events")[0][0]
        r = self.p.act("R1", "extend", candidates=["C001", "C005", "NOPE"], minutes=0, reason="")
        self.assertEqual(r.status, 400, r)
        fields = sorted(e["field"] for e in r.json["error"]["errors"])
        self.assertEqual(fields, ["candidates", "candidates", "minutes", "reason"])
        r = self.p.act("R1", "nuke", candidates="all")
        self.assertEqual(r.status, 400)
        r = self.p.act("R1", "pause")
        self.assertEqual(r.status, 400)  # nobody chosen
        self.assertEqual(self.p.w.sql("SELECT count(*) FROM events")[0][0], before)

    def test_reset_login_resumes_on_another_pc(self):
        c, paper = started(self.p.w, "C003")
        self.assertEqual(c.answer(2, "B", 1).status, 200)
        self.assertEqual(c.put("/api/v1/attempt/position", {"n": 5}).status, 200)
        r = self.p.act("R1", "reset_login", candidates=["C003"], reason="PC beku")
        self.assertEqual(r.json["done"], ["C003"])
        r = c.get("/api/v1/attempt?view=clock")
        self.assertEqual((r.status, r.error), (401, "session_reset"))
        self.assertIn("pengawas", r.json["error"]["message"])
        d = self.p.w.logged_in("C003")  # the spare PC
        r = d.get("/api/v1/attempt")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["position"], 5)
        self.assertEqual(next(a for a in r.json["answers"] if a["n"] == 2)["option"], "B")
        c.close()
        d.close()

    def test_finish_and_disqualify(self):
        a, _ = started(self.p.w, "C001")
        b, paper = started(self.p.w, "C002")
        # C002 answers everything with the best option: it would pass.
        for q in paper["questions"]:
            self.assertEqual(b.answer(q["n"], self.p.w.best_label(q), 1).status, 200)
        self.assertEqual(self.p.act("R1", "finish", candidates=["C001"]).status, 200)
        r = self.p.act("R1", "disqualify", candidates=["C002", "C001"], reason="Joki")
        self.assertEqual(r.json["done"], ["C002"])
        self.assertEqual(r.json["skipped"], [{"regno": "C001", "why": "finished"}])
        rows = dict(self.p.w.sql("SELECT c.registration_no, a.finish_reason || '/' || a.passed"
                                 " FROM attempts a JOIN candidates c ON c.id = a.candidate_id"))
        self.assertEqual(rows["C001"].split("/")[0], "proctor")
        self.assertEqual(rows["C002"], "disqualified/0")
        self.assertEqual(self.p.row("R1", "C002")["status"], "disqualified")
        r = b.get("/api/v1/attempt?view=clock")
        self.assertEqual(r.json["attempt"]["finish_reason"], "disqualified")
        # Never ranked as passing: the export marks it.
        out = run("results", "export", "--db", self.p.w.db, "--exam", "EX", "--all").stdout
        line = next(ln for ln in out.splitlines() if "C002" in ln)
        self.assertIn("DIS", line)
        a.close()
        b.close()

    def test_message_reaches_the_candidates(self):
        a, _ = started(self.p.w, "C001")
        b, _ = started(self.p.w, "C002")
        self.assertEqual(self.p.act("R1", "message", candidates="all",
                                    text="Sisa waktu 10 menit, periksa jawaban.").status, 200)
        self.assertEqual(self.p.act("R1", "message", candidates=["C002"],
                                    text="Mohon tenang.").status, 200)
        na = clock(a)["notices"]
        nb = clock(b)["notices"]
        self.assertEqual([n["text"] for n in na], ["Sisa waktu 10 menit, periksa jawaban."])
        self.assertEqual([n["text"] for n in nb],
                         ["Mohon tenang.", "Sisa waktu 10 menit, periksa jawaban."])
        self.assertEqual(self.p.act("R1", "message", candidates="all", text="").status, 400)
        a.close()
        b.close()

    def test_credit_outage_window(self):
        c, _ = started(self.p.w, "C004")
        k0 = parse_time(clock(c)["attempt"]["deadline"])
        time.sleep(1.1)  # the window must end after the start: time has to pass
        now = time.time()
        frm = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 3600))
        to = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(now)))
        r = self.p.act("R1", "credit", candidates=["C004"], **{"from": frm, "to": to})
        self.assertEqual(r.json["done"], ["C004"])
        (kind, delta), = self.p.w.sql("SELECT kind, delta_ms FROM time_ledger")
        self.assertEqual(kind, "proctor_credit")
        # The window is cut to the attempt: from its start to "to".
        self.assertLess(delta, 5000)
        self.assertAlmostEqual(parse_time(clock(c)["attempt"]["deadline"]) - k0, delta / 1000,
                               delta=0.01)
        r = self.p.act("R1", "credit", candidates=["C004"], **{"from": to, "to": frm})
        self.assertEqual(r.status, 400)
        c.close()

    def test_password_and_unlock(self):
        r = self.p.act("R1", "password", candidates=["C001"])
        (pw,) = r.json["passwords"]
        self.assertEqual(pw["regno"], "C001")
        c = self.p.w.client()
        self.assertEqual(c.login("EX", "C001", self.p.w.password("C001")).status, 401)
        self.assertEqual(c.login("EX", "C001", pw["password"]).status, 200)
        for _ in range(6):
            c.login("EX", "C002", "wrong-password")
        self.assertEqual(c.login("EX", "C002", self.p.w.password("C002")).error,
                         "too_many_attempts")
        wait_until(lambda: self.p.row("R1", "C002")["locked"], 5, "the row to show the lock")
        self.assertEqual(self.p.act("R1", "unlock", candidates=["C002"]).json["done"], ["C002"])
        self.assertFalse(self.p.row("R1", "C002")["locked"])
        self.assertEqual(c.login("EX", "C002", self.p.w.password("C002")).status, 200)
        c.close()

    def test_start_together(self):
        a = self.p.w.logged_in("C005")
        r = a.post("/api/v1/attempt/start")
        self.assertEqual((r.status, r.error), (409, "waiting"))
        self.assertEqual(self.p.row("R2", "C005")["status"], "waiting")
        b = self.p.w.logged_in("C006")
        r = self.p.act("R2", "start")
        self.assertEqual(sorted(r.json["done"]), ["C005", "C006"])
        ra, rb = a.post("/api/v1/attempt/start"), b.post("/api/v1/attempt/start")
        self.assertEqual((ra.status, rb.status), (200, 200))
        self.assertEqual(ra.json["attempt"]["started_at"], rb.json["attempt"]["started_at"])
        self.assertEqual(self.p.act("R2", "start").status, 400)  # already
        self.assertEqual(self.p.act("R1", "start").status, 400)  # not a start-together sitting
        a.close()
        b.close()

    def test_close_freezes_the_report(self):
        c, _ = started(self.p.w, "C001")
        self.assertEqual(self.p.act("R1", "pause", candidates=["C001"], reason="Gangguan").status,
                         200)
        c.post("/api/v1/attempt/incidents", {"incidents": [{"type": "copy"}]})
        r = self.p.act("R1", "close", reason="Sesi selesai")
        self.assertEqual(r.status, 200, r)
        head = r.json["audit_head"]
        self.assertEqual(len(head), 64)
        r = self.p.act("R1", "resume", candidates="all")
        self.assertEqual((r.status, r.error), (409, "sitting_closed"))
        rep = self.p.as_("pengawas").get("%s/sittings/%d/report" % (S, self.p.sid("R1"))).json
        self.assertEqual(rep["audit_head"], head)
        self.assertEqual(rep["counts"]["registered"], 4)
        self.assertEqual(rep["counts"]["present"], 1)
        self.assertEqual(rep["proctors"][0]["username"], "pengawas")
        acts = [x.get("action") or x.get("type") for x in rep["log"]]
        self.assertEqual(acts, ["pause", "copy", "close"])
        self.assertEqual(rep["amendments"], [])
        run("audit", "verify", "--db", self.p.w.db)
        c.close()


class SittingTokenTest(unittest.TestCase):
    def test_login_needs_the_sitting_token_and_rotation_logs_no_one_out(self):
        p = ProctorWorld(exam_extra={"sitting_token": True})
        try:
            tok = p.dashboard("R1")["sitting"]["token"]
            c = p.w.client()
            r = c.login("EX", "C001", p.w.password("C001"))
            self.assertEqual((r.status, r.error), (403, "token_required"))
            r = c.login("EX", "C001", p.w.password("C001"), token="ZZZZZZ")
            self.assertEqual((r.status, r.error), (403, "token_invalid"))
            r2tok = p.dashboard("R2")["sitting"]["token"]
            r = c.login("EX", "C001", p.w.password("C001"), token=r2tok)
            self.assertEqual(r.status, 403, "another room's token does not open this one")
            self.assertEqual(c.login("EX", "C001", p.w.password("C001"),
                                     token=tok.lower()).status, 200)
            r = p.act("R1", "token")
            new = r.json["token"]
            self.assertNotEqual(new, tok)
            self.assertEqual(clock_or_idle(c), 200, "rotation logs no one out")
            d = p.w.client()
            self.assertEqual(d.login("EX", "C002", p.w.password("C002"), token=new).status, 200)
            e = p.w.client()  # the old token still works for a short grace period
            self.assertEqual(e.login("EX", "C003", p.w.password("C003"), token=tok).status, 200)
            for x in (c, d, e):
                x.close()
        finally:
            p.close()


def clock_or_idle(c):
    return c.get("/api/v1/attempt?view=clock").status


class PauseSurvivesKillTest(unittest.TestCase):
    def test_sigkill_while_paused(self):
        """A pause is durable: after SIGKILL the attempt is still paused and
        no outage credit is added on top; the resume credits the whole pause."""
        p = ProctorWorld()
        try:
            c, _ = started(p.w, "C001")
            s = p.stream("R1")
            s.next()
            self.assertEqual(p.act("R1", "pause", candidates=["C001"]).status, 200)
            old_id, _, _ = s.until(lambda i, e, d: e == "rows", 5, "the pause")
            s.close()
            remaining = clock(c)["attempt"]["remaining_ms"]
            p.w.server.kill9()
            p.w.serve()
            p.staff.clear()
            # Ids grow across runs: the old id is not resumed from this
            # run's ring, it gets a snapshot with a newer id.
            s = p.stream("R1", headers={"Last-Event-ID": old_id})
            new_id, ev, _ = s.next()
            self.assertEqual(ev, "snapshot")
            self.assertGreater(int(new_id), int(old_id))
            s.close()
            c = p.w.logged_in("C001")
            k = clock(c)
            self.assertIsNotNone(k["attempt"]["paused"])
            self.assertEqual(k["attempt"]["remaining_ms"], remaining)
            self.assertEqual(p.w.sql("SELECT count(*) FROM time_ledger"
                                     " WHERE kind = 'outage_credit'")[0][0], 0)
            self.assertEqual(p.act("R1", "resume", candidates=["C001"]).status, 200)
            self.assertGreater(clock(c)["attempt"]["remaining_ms"], remaining - 1000)
            c.close()
        finally:
            p.close()


if __name__ == "__main__":
    harness.main()
