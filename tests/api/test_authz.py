"""Authorization is a table, and the table is tested: every row of the route
table (as `ujian routes` prints it from the server's own table) is called by
every kind of principal against the real server, and the reply must be the
one the row's requirement implies.

Principals: anonymous (no credentials), a made-up token, a logged-out
session, a replaced session, a candidate (bearer token), a candidate's image
cookie only, a started candidate, a staff member of each role (admin,
author, proctor assigned to the exam, committee, observer assigned to it), a
proctor assigned to another exam (wrong scope), a disabled account and an
expired session. The expectation of each call follows from the row alone:
its principal, its roles, and (for exam rows) the scope.

A staff write authenticated by the cookie must carry the CSRF token: every
staff write row is also called that way, with and without it."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, make_exam, run  # noqa: E402

# What a prefix row's path is completed with for the call.
SUFFIX = {"/api/v1/attempt/answers/": "1", "/api/v1/attempt/images/": "0000000000000000/1/q1"}

# Staff principals: role list and assigned exams ("" = none).
STAFF = {"admin": ("admin", None), "author": ("author", None),
         "proctor": ("proctor", "EX"), "committee": ("committee", None),
         "observer": ("observer", "EX"), "proctor_elsewhere": ("proctor", "OTHER"),
         "disabled": ("admin", None), "expired": ("admin", None)}
TARGET_STAFF = "target"  # the account the account rows act on

# The reviewed authorization matrix: who may call each route. The server's
# table must equal it exactly, so a route added, removed or given other
# roles without a change here (a reviewed decision) fails the suite.
A = ("admin",)
ALL = ("admin", "author", "proctor", "committee", "observer")
MATRIX = {
    ('GET', '/api/v1/health'): ('anonymous', ()),
    ('GET', '/api/v1/_bench/ping'): ('anonymous', ()),
    ('GET', '/api/v1/exams/open'): ('anonymous', ()),
    ('POST', '/api/v1/candidate/login'): ('anonymous', ()),
    ('POST', '/api/v1/candidate/logout'): ('candidate', ()),
    ('POST', '/api/v1/attempt/start'): ('candidate', ()),
    ('GET', '/api/v1/attempt'): ('candidate', ()),
    ('PUT', '/api/v1/attempt/answers/'): ('candidate', ()),
    ('PUT', '/api/v1/attempt/position'): ('candidate', ()),
    ('POST', '/api/v1/attempt/finish'): ('candidate', ()),
    ('GET', '/api/v1/attempt/result'): ('candidate', ()),
    ('GET', '/api/v1/attempt/images/'): ('candidate', ()),
    ('POST', '/api/v1/attempt/incidents'): ('candidate', ()),
    ('GET', '/api/v1/board/*'): ('anonymous', ()),
    ('GET', '/api/v1/board/*/events'): ('anonymous', ()),
    ('POST', '/api/v1/staff/login'): ('anonymous', ()),
    ('POST', '/api/v1/staff/logout'): ('staff', ALL),
    ('GET', '/api/v1/staff/me'): ('staff', ALL),
    ('POST', '/api/v1/staff/me/password'): ('staff', ALL),
    ('GET', '/api/v1/staff/sessions'): ('staff', ALL),
    ('POST', '/api/v1/staff/sessions/logout-all'): ('staff', ALL),
    ('GET', '/api/v1/staff/accounts'): ('staff', A),
    ('POST', '/api/v1/staff/accounts'): ('staff', A),
    ('PUT', '/api/v1/staff/accounts/*'): ('staff', A),
    ('POST', '/api/v1/staff/accounts/*/password'): ('staff', A),
    ('GET', '/api/v1/staff/exams'): ('staff', ALL),
    ('POST', '/api/v1/staff/exams'): ('staff', ('admin', 'author')),
    ('GET', '/api/v1/staff/exams/*'): ('staff', ('admin', 'author')),
    ('PUT', '/api/v1/staff/exams/*'): ('staff', ('admin', 'author')),
    ('GET', '/api/v1/staff/banks'): ('staff', ('admin', 'author')),
    ('POST', '/api/v1/staff/banks'): ('staff', ('admin', 'author')),
    ('GET', '/api/v1/staff/banks/*'): ('staff', ('admin', 'author')),
    ('GET', '/api/v1/staff/assets/*'): ('staff', ('admin', 'author')),
    ('GET', '/api/v1/staff/exams/*/candidates'): ('staff', ('admin', 'proctor', 'observer')),
    ('POST', '/api/v1/staff/exams/*/candidates'): ('staff', A),
    ('POST', '/api/v1/staff/exams/*/candidates/*/password'): ('staff', A),
    ('POST', '/api/v1/staff/exams/*/candidates/*/unlock'): ('staff', ('admin', 'proctor')),
    ('PUT', '/api/v1/staff/exams/*/candidates/*/extra-time'): ('staff', ('admin', 'proctor')),
    ('GET', '/api/v1/staff/exams/*/results'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/exams/*/results.csv'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/audit'): ('staff', A),
    ('GET', '/api/v1/staff/audit/verify'): ('staff', A),
    ('GET', '/api/v1/staff/exams/*/results.xlsx'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/exams/*/sittings'): ('staff', ('admin', 'proctor', 'observer')),
    ('POST', '/api/v1/staff/exams/*/sittings'): ('staff', A),
    ('PUT', '/api/v1/staff/exams/*/sittings/*'): ('staff', A),
    ('PUT', '/api/v1/staff/exams/*/sittings/*/candidates'): ('staff', A),
    # proctoring: observers watch, proctors and admins act
    ('GET', '/api/v1/staff/sittings'): ('staff', ('admin', 'proctor', 'observer')),
    ('GET', '/api/v1/staff/sittings/*'): ('staff', ('admin', 'proctor', 'observer')),
    ('GET', '/api/v1/staff/sittings/*/events'): ('staff', ('admin', 'proctor', 'observer')),
    ('GET', '/api/v1/staff/sittings/*/log'): ('staff', ('admin', 'proctor', 'observer')),
    ('GET', '/api/v1/staff/sittings/*/report'): ('staff', ('admin', 'proctor', 'observer')),
    ('POST', '/api/v1/staff/sittings/*/actions'): ('staff', ('admin', 'proctor')),
    # talent mapping (api/talent.c): the personnel office and the committee
    ('GET', '/api/v1/staff/talent/periods'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/talent/periods'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/talent/periods/*'): ('staff', ('admin', 'committee')),
    ('PUT', '/api/v1/staff/talent/periods/*'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/talent/periods/*/events'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/talent/periods/*/pool'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/talent/periods/*/succession'): ('staff', ('admin', 'committee')),
    ('PUT', '/api/v1/staff/talent/periods/*/scores'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/talent/periods/*/export.csv'): ('staff', ('admin', 'committee')),
    # issue 11: the employee registry (committees read, admins write)
    ('GET', '/api/v1/staff/employees'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/employees'): ('staff', A),
    ('GET', '/api/v1/staff/employees/export.csv'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/employees/skp'): ('staff', A),
    ('POST', '/api/v1/staff/employees/sanctions'): ('staff', A),
    ('GET', '/api/v1/staff/employees/*'): ('staff', ('admin', 'committee')),
    ('PUT', '/api/v1/staff/employees/*/skp/*'): ('staff', A),
    ('POST', '/api/v1/staff/employees/*/sanctions'): ('staff', A),
    # open-bidding selections (issue 11): admins set them up, committees read;
    # scores, gates, the PPK's choice and closing are also limited by the
    # domain to the selection's members / chair (tests/api/test_selection.py)
    ('GET', '/api/v1/staff/selections'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/selections'): ('staff', A),
    ('GET', '/api/v1/staff/selections/*'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/selections/*/vacancies'): ('staff', A),
    ('POST', '/api/v1/staff/selections/*/applicants'): ('staff', A),
    ('GET', '/api/v1/staff/selections/*/vacancies/*'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/selections/*/events'): ('staff', ('admin', 'committee')),
    ('PUT', '/api/v1/staff/selections/*/scores'): ('staff', ('admin', 'committee')),
    ('PUT', '/api/v1/staff/selections/*/gates'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/selections/*/vacancies/*/ppk'): ('staff', ('admin', 'committee')),
    ('POST', '/api/v1/staff/selections/*/close'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/selections/*/vacancies/*/ranking.csv'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/selections/*/vacancies/*/talent'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/staff/selections/*/audit'): ('staff', ('admin', 'committee')),
    # issue 11: signed result slips
    ('GET', '/api/v1/staff/exams/*/candidates/*/slip'): ('staff', ('admin', 'committee')),
    ('GET', '/api/v1/attempt/slip'): ('candidate', ()),
    ('GET', '/api/v1/verify/*'): ('anonymous', ()),
    ('GET', '/api/v1/slip-key'): ('anonymous', ()),
    # issue 14: item and test analysis (api/analysis.c)
    ('GET', '/api/v1/staff/exams/*/analysis'): ('staff', ('admin', 'author', 'committee')),
    ('GET', '/api/v1/staff/exams/*/analysis.csv'): ('staff', ('admin', 'author', 'committee')),
    ('GET', '/api/v1/staff/banks/*/analysis'): ('staff', ('admin', 'author')),
    # issue 14: Rasch calibrations of a bank
    ('GET', '/api/v1/staff/banks/*/calibrations'): ('staff', ('admin', 'author')),
    ('POST', '/api/v1/staff/banks/*/calibrations'): ('staff', ('admin', 'author')),
    ('GET', '/api/v1/staff/banks/*/calibrations/*'): ('staff', ('admin', 'author')),
}

BODY = {"POST": {}, "PUT": {"option": "A", "flagged": False, "rev": 1}}


class RouteTableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.routes = json.loads(run("routes").stdout)
        # Five principals per row need a fresh candidate of their own; staff
        # rows act on the last one.
        cls.w = World(n_candidates=5 * len(cls.routes) + 1)
        cls.target_regno = "C%03d" % (5 * len(cls.routes) + 1)
        other = make_exam(cls.w.dir, code="OTHER")
        run("exam", "create", "--db", cls.w.db, other)
        for name, (roles, exams) in STAFF.items():
            cls.w.add_staff(name.replace("_", "-"), roles, exams)
        cls.w.add_staff(TARGET_STAFF, "author")
        run("staff", "disable", "--db", cls.w.db, "--username", "disabled")
        cls.w.serve()
        cls.next = 0

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def regno(self):
        RouteTableTest.next += 1
        return "C%03d" % RouteTableTest.next

    def path_of(self, row):
        path = row["path"] + (SUFFIX.get(row["path"], "") if row["match"] == "prefix" else "")
        if row["match"] == "pattern":
            fill = [TARGET_STAFF] if "/accounts/" in path else ["EX", self.target_regno]
            parts = path.split("/")
            for i, seg in enumerate(parts):
                if seg == "*":
                    parts[i] = fill.pop(0)
            path = "/".join(parts)
        return path

    def call(self, row, headers=None, token=""):
        path = self.path_of(row)
        c = self.w.client()
        try:
            return c.request(row["method"], path, body=BODY.get(row["method"]), headers=headers,
                             token=token)
        finally:
            c.close()

    # The principals, each made fresh for every call (a call may log out,
    # finish or replace).
    def anonymous(self):
        return {}

    def made_up(self):
        return {"token": "A" * 43}

    def logged_out(self):
        c = self.w.logged_in(self.regno())
        tok = c.token
        self.assertEqual(c.post("/api/v1/candidate/logout").status, 204)
        return {"token": tok}

    def replaced(self):
        regno = self.regno()
        old = self.w.logged_in(regno).token
        self.w.logged_in(regno)
        return {"token": old}

    def candidate(self):
        return {"token": self.w.logged_in(self.regno()).token}

    def started(self):
        c = self.w.logged_in(self.regno())
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        return {"token": c.token}

    def cookie_only(self):
        tok = self.w.logged_in(self.regno()).token
        return {"headers": {"Cookie": "ujian_img=" + tok}}

    def staff(self, name):
        username = name.replace("_", "-")
        if name == "disabled":
            # Its password is right, its sessions and logins are refused: a
            # session made before the account was disabled is ended with it.
            return {"token": "B" * 43}
        c, me = self.w.staff_login(username)
        c.close()
        if name == "expired":
            # Idle for longer than the limit (30 min): moved back in the
            # database, which the server reads on every staff request.
            self.w.sql_write("UPDATE staff_sessions SET last_seen_at = last_seen_at - 3600000,"
                             " created_at = created_at - 3600000 WHERE staff_id ="
                             " (SELECT id FROM staff WHERE username = ?)", username)
        return {"token": c.token}

    def expect_staff_row(self, row, name, r):
        """What a staff principal gets on a staff row."""
        roles, exams = STAFF[name]
        if name == "disabled":
            self.assertEqual((r.status, r.error), (401, "unauthorized"))
            return
        if name == "expired":
            self.assertEqual((r.status, r.error), (401, "session_expired"))
            return
        if roles not in row["roles"]:
            self.assertEqual((r.status, r.error), (403, "forbidden"))
            return
        exam_row = "/exams/*" in row["path"]
        if exam_row and exams == "OTHER":
            self.assertEqual((r.status, r.error), (403, "forbidden"))
            return
        self.assertNotIn(r.status, (401, 403), r)

    def test_table_is_the_reviewed_matrix(self):
        """The route table equals MATRIX: no route without a reviewed row,
        no row without a route, the same principal and roles."""
        table = {(r["method"], r["path"]): (r["principal"], tuple(r["roles"]))
                 for r in self.routes}
        self.assertEqual(sorted(set(table) - set(MATRIX)), [], "routes missing from MATRIX")
        self.assertEqual(sorted(set(MATRIX) - set(table)), [], "MATRIX rows with no route")
        for key, want in MATRIX.items():
            self.assertEqual(table[key], want, key)

    def test_table_is_complete(self):
        """Every row names a principal, and staff rows name roles; the
        paths are unique per method."""
        seen = set()
        for row in self.routes:
            self.assertIn(row["principal"], ("anonymous", "candidate", "staff"), row)
            self.assertEqual(bool(row["roles"]), row["principal"] == "staff", row)
            self.assertTrue(row["path"].startswith("/api/v1/"), row)
            key = (row["method"], row["path"])
            self.assertNotIn(key, seen)
            seen.add(key)
        self.assertGreaterEqual(len(self.routes), 12)

    def test_every_route_times_every_principal(self):
        kinds = {"anonymous": self.anonymous, "made_up": self.made_up,
                 "logged_out": self.logged_out, "replaced": self.replaced,
                 "candidate": self.candidate, "started": self.started,
                 "cookie_only": self.cookie_only}
        for name in STAFF:
            kinds["staff:" + name] = (lambda n: lambda: self.staff(n))(name)
        checked = 0
        for row in self.routes:
            for name, make in kinds.items():
                with self.subTest(route="%s %s" % (row["method"], row["path"]), principal=name):
                    who = make()
                    r = self.call(row, headers=who.get("headers"), token=who.get("token", ""))
                    need = row["principal"]
                    staff = name[6:] if name.startswith("staff:") else None
                    if need == "anonymous":
                        # Public: credentials are not even looked at.
                        self.assertNotIn(r.status, (401, 403), r)
                    elif need == "candidate" and staff in ("disabled",):
                        self.assertEqual((r.status, r.error), (401, "unauthorized"))
                    elif need == "candidate" and staff == "expired":
                        self.assertEqual((r.status, r.error), (401, "session_expired"))
                    elif need == "candidate" and staff:
                        self.assertEqual((r.status, r.error), (403, "forbidden"))
                    elif need == "candidate":
                        if name in ("candidate", "started") or (name == "cookie_only" and row["cookie"]):
                            self.assertNotIn(r.status, (401, 403), r)
                        elif name == "replaced":
                            self.assertEqual((r.status, r.error), (401, "session_replaced"))
                        else:
                            self.assertEqual((r.status, r.error), (401, "unauthorized"))
                    elif staff:
                        self.expect_staff_row(row, staff, r)
                    else:  # staff row, no staff principal
                        if name in ("candidate", "started"):
                            self.assertEqual((r.status, r.error), (403, "forbidden"))
                        else:
                            self.assertEqual(r.status, 401, r)
                    checked += 1
        self.assertEqual(checked, len(self.routes) * len(kinds))

    def test_staff_writes_by_cookie_need_the_csrf_token(self):
        """With the session cookie (what a browser sends), every staff write
        without X-CSRF-Token, or with a wrong one, is 403 csrf and changes
        nothing; with the right one it passes the check."""
        writes = [r for r in self.routes if r["principal"] == "staff" and r["method"] != "GET"]
        self.assertGreater(len(writes), 5)
        for row in writes:
            for csrf in (None, "wrong", "right"):
                with self.subTest(route="%s %s" % (row["method"], row["path"]), csrf=csrf):
                    c, me = self.w.staff_login("admin")
                    headers = {"Cookie": "ujian_staff=" + c.token}
                    if csrf:
                        headers["X-CSRF-Token"] = me["csrf"] if csrf == "right" else "x" * 43
                    before = self.w.sql("SELECT count(*) FROM events")[0][0]
                    r = self.call(row, headers=headers)
                    if csrf == "right":
                        self.assertNotIn(r.status, (401, 403), r)
                    else:
                        self.assertEqual((r.status, r.error), (403, "csrf"))
                        self.assertEqual(self.w.sql("SELECT count(*) FROM events")[0][0], before)
                    c.close()
        # Reads need no token: a GET by cookie passes.
        c, me = self.w.staff_login("admin")
        r = self.call({"method": "GET", "path": "/api/v1/staff/me", "match": "exact"},
                      headers={"Cookie": "ujian_staff=" + c.token})
        self.assertEqual(r.status, 200, r)

    def test_other_methods_are_405(self):
        """A known path with a method no row has is 405, never the handler."""
        for row in self.routes:
            other = "DELETE" if row["method"] != "DELETE" else "PUT"
            with self.subTest(route=row["path"]):
                r = self.call(dict(row, method=other))
                self.assertEqual((r.status, r.error), (405, "method_not_allowed"))


if __name__ == "__main__":
    harness.main()
