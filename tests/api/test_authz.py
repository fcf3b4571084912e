"""Authorization is a table, and the table is tested: every row of the route
table (as `ujian routes` prints it from the server's own table) is called by
every kind of principal against the real server, and the reply must be the
one the row's requirement implies.

Principals: anonymous (no credentials), a made-up token, a logged-out
session, a replaced session, a candidate (bearer token), a candidate's image
cookie only, and a started candidate. Staff principals come with staff
accounts (the next issue); until then a staff row (there is none yet) is
checked to refuse every candidate with 403 and everyone else with 401."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run  # noqa: E402

# What a prefix row's path is completed with for the call.
SUFFIX = {"/api/v1/attempt/answers/": "1", "/api/v1/attempt/images/": "0000000000000000/1/q1"}
BODY = {"POST": {}, "PUT": {"option": "A", "flagged": False, "rev": 1}}


class RouteTableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.routes = json.loads(run("routes").stdout)
        # Five principals per row need a fresh candidate of their own.
        cls.w = World(n_candidates=5 * len(cls.routes))
        cls.w.serve()
        cls.next = 0

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def regno(self):
        RouteTableTest.next += 1
        return "C%03d" % RouteTableTest.next

    def call(self, row, headers=None, token=""):
        path = row["path"] + (SUFFIX.get(row["path"], "") if row["match"] == "prefix" else "")
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
        checked = 0
        for row in self.routes:
            for name, make in kinds.items():
                with self.subTest(route="%s %s" % (row["method"], row["path"]), principal=name):
                    who = make()
                    r = self.call(row, headers=who.get("headers"), token=who.get("token", ""))
                    need = row["principal"]
                    if need == "anonymous":
                        # Public: credentials are not even looked at.
                        self.assertNotIn(r.status, (401, 403), r)
                    elif need == "candidate":
                        if name in ("candidate", "started") or (name == "cookie_only" and row["cookie"]):
                            self.assertNotIn(r.status, (401, 403), r)
                        elif name == "replaced":
                            self.assertEqual((r.status, r.error), (401, "session_replaced"))
                        else:
                            self.assertEqual((r.status, r.error), (401, "unauthorized"))
                    else:  # staff
                        if name in ("candidate", "started"):
                            self.assertEqual((r.status, r.error), (403, "forbidden"))
                        else:
                            self.assertEqual(r.status, 401, r)
                    checked += 1
        self.assertEqual(checked, len(self.routes) * len(kinds))

    def test_other_methods_are_405(self):
        """A known path with a method no row has is 405, never the handler."""
        for row in self.routes:
            other = "DELETE" if row["method"] != "DELETE" else "PUT"
            with self.subTest(route=row["path"]):
                r = self.call(dict(row, method=other))
                self.assertEqual((r.status, r.error), (405, "method_not_allowed"))


if __name__ == "__main__":
    harness.main()
