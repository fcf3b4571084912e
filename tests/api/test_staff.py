"""Staff accounts, sessions and the staff API (issue 9), against a real
server: the CLI, login and its refusals, cookies and CSRF, expiry, the
session list and log out everywhere, account management, and the candidate
actions a proctor or admin takes. Every change must leave its event."""

import base64
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, make_bank, make_exam, run, wait_until  # noqa: E402

ALPHABET = set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")


def events(w, kind):
    return w.sql("SELECT actor_kind, actor_id, candidate_id, detail FROM events WHERE kind = ?"
                 " ORDER BY id", kind)


class StaffCliTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=2)

    def tearDown(self):
        self.w.close()

    def test_add_prints_a_generated_password_once_and_stores_only_a_hash(self):
        p = run("staff", "add", "--db", self.w.db, "--username", "ana", "--role", "admin,proctor",
                "--name", "Ana Wijaya")
        pw = re.search(r"password: (\S+)", p.stdout).group(1)
        self.assertGreaterEqual(len(pw), 12)
        self.assertTrue(set(pw) <= ALPHABET, pw)
        (stored,) = self.w.sql("SELECT pw_hash FROM staff WHERE username = 'ana'")[0]
        self.assertNotIn(pw, stored)
        self.assertTrue(stored.startswith("scrypt$15$8$1$"), stored)
        listing = run("staff", "list", "--db", self.w.db).stdout
        self.assertRegex(listing, r"ana\s+Ana Wijaya\s+admin,proctor\s+active")
        # The password works against the server.
        self.w.serve()
        c, me = self.w.staff_login("ana", pw)
        self.assertEqual(me["roles"], ["admin", "proctor"])
        self.assertEqual(me["name"], "Ana Wijaya")

    def test_bad_input_is_refused_and_changes_nothing(self):
        cases = [
            (["--username", "Ana", "--role", "admin"], "nama pengguna"),
            (["--username", "ana", "--role", "boss"], 'peran "boss" tidak dikenal'),
            (["--username", "ana", "--role", "proctor", "--exam", "NOPE"], 'ujian "NOPE" tidak ada'),
            (["--username", "ana"], "--role is required"),
        ]
        for args, msg in cases:
            with self.subTest(args=args):
                p = run("staff", "add", "--db", self.w.db, *args, check=False)
                self.assertIn(p.returncode, (1, 2))
                self.assertIn(msg, p.stderr)
        p = run("staff", "add", "--db", self.w.db, "--username", "ana", "--role", "admin",
                "--password-stdin", check=False, stdin="short\n")
        self.assertEqual(p.returncode, 1)
        self.assertIn("kata sandi harus 12-128 karakter", p.stderr)
        self.assertEqual(self.w.sql("SELECT count(*) FROM staff")[0][0], 0)
        self.w.add_staff("ana", "admin")
        p = run("staff", "add", "--db", self.w.db, "--username", "ana", "--role", "admin",
                check=False)
        self.assertEqual((p.returncode, "taken" in p.stderr), (1, True))
        p = run("staff", "disable", "--db", self.w.db, "--username", "nobody", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('no staff account "nobody"', p.stderr)
        p = run("staff", "frobnicate", "--db", self.w.db, check=False)
        self.assertEqual(p.returncode, 2)

    def test_passwd_disable_enable_assign_from_the_shell_reach_the_running_server(self):
        self.w.add_staff("budi", "proctor", "EX")
        self.w.serve()
        c, _ = self.w.staff_login("budi")
        self.assertEqual(c.get("/api/v1/staff/me").status, 200)
        # Disabled from a shell while the server runs: the session ends now.
        run("staff", "disable", "--db", self.w.db, "--username", "budi")
        self.assertEqual(c.get("/api/v1/staff/me").error, "unauthorized")
        r = self.w.client().post("/api/v1/staff/login",
                                 {"username": "budi", "password": "pw-budi-staff-secret"})
        self.assertEqual((r.status, r.error), (401, "account_disabled"))
        run("staff", "enable", "--db", self.w.db, "--username", "budi")
        c, _ = self.w.staff_login("budi")
        # A new password ends the sessions; the old one stops working.
        run("staff", "passwd", "--db", self.w.db, "--username", "budi", "--password-stdin",
            stdin="a-new-long-password\n")
        self.assertEqual(c.get("/api/v1/staff/me").error, "unauthorized")
        r = self.w.client().post("/api/v1/staff/login",
                                 {"username": "budi", "password": "pw-budi-staff-secret"})
        self.assertEqual(r.status, 401)
        c, me = self.w.staff_login("budi", "a-new-long-password")
        self.assertEqual(me["exams"], ["EX"])
        # Assignment: with none, a proctor sees no exam.
        run("staff", "assign", "--db", self.w.db, "--username", "budi", "--exam", "")
        self.assertEqual(c.get("/api/v1/staff/exams").json["exams"], [])
        self.assertEqual(c.get("/api/v1/staff/exams/EX/candidates").status, 403)
        # Each change is in the audit log, by the system (the shell).
        kinds = [k for (k,) in self.w.sql("SELECT kind FROM events WHERE kind LIKE 'staff%'")]
        for k in ("staff_added", "staff_updated", "staff_password_set", "staff_login"):
            self.assertIn(k, kinds)


class StaffSessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=8)
        cls.w.add_staff("admin", "admin")
        cls.w.add_staff("pengawas", "proctor", "EX")
        cls.w.add_staff("pansel", "committee")
        cls.w.serve()

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_login_refusals_say_the_same_for_unknown_users_and_wrong_passwords(self):
        c = self.w.client()
        a = c.post("/api/v1/staff/login", {"username": "admin", "password": "wrong-password!"})
        b = c.post("/api/v1/staff/login", {"username": "ghost", "password": "wrong-password!"})
        self.assertEqual((a.status, a.error), (401, "invalid_credentials"))
        self.assertEqual(a.json, b.json)
        self.assertIn("Nama pengguna atau kata sandi salah", a.json["error"]["message"])
        for body, field in (({"username": "admin"}, "password"),
                            ({"username": 1, "password": "x"}, "username"),
                            ({"username": "a", "password": "b", "x": 1}, "x")):
            r = c.post("/api/v1/staff/login", body)
            self.assertEqual((r.status, r.error), (400, "invalid_request"), body)
            self.assertIn(field, r.json["error"]["message"])
        # Recorded without holding up the reply: wait for the commit.
        wait_until(lambda: "ghost" in str(events(self.w, "staff_login_failed")[-1]), 10,
                   "the failed login of ghost to be recorded")
        failed = events(self.w, "staff_login_failed")
        self.assertEqual(json.loads(failed[-1][3])["reason"], "unknown_username")
        self.assertEqual(json.loads(failed[-2][3])["reason"], "wrong_password")

    def test_failed_logins_are_rate_limited_per_username(self):
        self.w.add_staff("victim", "observer")
        c = self.w.client()
        # Five failures are allowed (as for candidates: blocked beyond the
        # limit), the sixth is the last one checked.
        for i in range(6):
            r = c.post("/api/v1/staff/login", {"username": "victim", "password": "nope-%d" % i})
            self.assertEqual(r.status, 401)
        r = c.post("/api/v1/staff/login", {"username": "victim", "password": "nope-7"})
        self.assertEqual((r.status, r.error), (429, "too_many_attempts"))
        # How long: until the oldest of the six failures leaves the 5-minute window.
        self.assertTrue(240 <= int(r.headers["retry-after"]) <= 300, r.headers)
        # Even the right password waits: the limit is per username.
        r = c.post("/api/v1/staff/login",
                   {"username": "victim", "password": "pw-victim-staff-secret"})
        self.assertEqual(r.status, 429)

    def test_cookie_attributes_and_csrf_in_the_login_reply(self):
        c = self.w.client()
        r = c.post("/api/v1/staff/login", {"username": "pansel", "password": "pw-pansel-staff-secret"})
        self.assertEqual(r.status, 200)
        # A browser's login: the token only in the HttpOnly cookie.
        self.assertNotIn("token", r.json)
        r = c.post("/api/v1/staff/login", {"username": "pansel", "password": "pw-pansel-staff-secret",
                                           "bearer": True})
        cookie = r.headers["set-cookie"]
        for attr in ("ujian_staff=", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"):
            self.assertIn(attr, cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP here
        self.assertEqual(len(r.json["csrf"]), 43)
        self.assertEqual(r.json["roles"], ["committee"])
        self.assertEqual(r.json["idle_s"], 1800)
        # The session is stored as a hash only.
        token = r.json["token"]
        rows = self.w.sql("SELECT hex(token_hash) FROM staff_sessions")
        self.assertFalse(any(token in h for (h,) in rows))

    def test_idle_and_absolute_expiry(self):
        for column in ("last_seen_at", "created_at"):
            with self.subTest(column=column):
                c, _ = self.w.staff_login("pansel")
                self.assertEqual(c.get("/api/v1/staff/me").status, 200)
                back = 31 * 60 * 1000 if column == "last_seen_at" else 13 * 3600 * 1000
                self.w.sql_write("UPDATE staff_sessions SET %s = %s - ? WHERE ended_at IS NULL"
                                 " AND staff_id = (SELECT id FROM staff WHERE username='pansel')"
                                 % (column, column), back)
                r = c.get("/api/v1/staff/me")
                self.assertEqual((r.status, r.error), (401, "session_expired"))

    def test_logout_logout_everywhere_and_the_session_list(self):
        a, _ = self.w.staff_login("pengawas")
        b, _ = self.w.staff_login("pengawas")
        sessions = a.get("/api/v1/staff/sessions").json["sessions"]
        self.assertGreaterEqual(len(sessions), 2)
        self.assertEqual(sum(s["current"] for s in sessions), 1)
        self.assertEqual(sessions[0]["peer"], "127.0.0.1")
        r = b.post("/api/v1/staff/logout")
        self.assertEqual(r.status, 200)
        self.assertIn("Max-Age=0", r.headers["set-cookie"])
        self.assertEqual(b.get("/api/v1/staff/me").error, "unauthorized")
        self.assertEqual(a.get("/api/v1/staff/me").status, 200)
        c, _ = self.w.staff_login("pengawas")
        r = a.post("/api/v1/staff/sessions/logout-all")
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(r.json["ended"], 2)
        for x in (a, c):
            self.assertEqual(x.get("/api/v1/staff/me").error, "unauthorized")

    def test_own_password_change(self):
        self.w.add_staff("sari", "author")
        c, _ = self.w.staff_login("sari")
        r = c.post("/api/v1/staff/me/password", {"old": "wrong-old-password", "new": "x" * 14})
        self.assertEqual((r.status, r.error), (401, "invalid_credentials"))
        r = c.post("/api/v1/staff/me/password", {"old": "pw-sari-staff-secret", "new": "short"})
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        self.assertEqual(r.json["error"]["errors"][0]["field"], "new")
        r = c.post("/api/v1/staff/me/password",
                   {"old": "pw-sari-staff-secret", "new": "sari-new-password-2026"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.get("/api/v1/staff/me").error, "unauthorized")
        self.w.staff_login("sari", "sari-new-password-2026")


class StaffAccountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=2)
        cls.w.add_staff("admin", "admin")
        cls.w.serve()
        cls.admin, cls.me = cls.w.staff_login("admin")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_add_edit_reset_and_every_error_at_once(self):
        a = self.admin
        r = a.post("/api/v1/staff/accounts",
                   {"username": "B", "name": "", "roles": ["boss"], "exams": ["NOPE"]})
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        fields = [e["field"] for e in r.json["error"]["errors"]]
        self.assertEqual(fields, ["username", "name", "roles", "exams"])
        self.assertEqual(self.w.sql("SELECT count(*) FROM staff")[0][0], 1)
        r = a.post("/api/v1/staff/accounts",
                   {"username": "dewi", "name": "Dewi", "roles": ["proctor", "observer"],
                    "exams": ["EX"]})
        self.assertEqual(r.status, 201, r)
        pw = r.json["password"]
        self.assertTrue(len(pw) >= 12 and set(pw) <= ALPHABET)
        self.assertEqual((r.json["roles"], r.json["exams"]), (["proctor", "observer"], ["EX"]))
        r = a.post("/api/v1/staff/accounts", {"username": "dewi", "roles": ["author"]})
        self.assertEqual((r.status, r.error), (409, "conflict"))
        dewi, _ = self.w.staff_login("dewi", pw)
        r = a.put("/api/v1/staff/accounts/dewi", {"roles": ["committee"], "name": "Dewi S."})
        self.assertEqual((r.status, r.json["roles"], r.json["name"]), (200, ["committee"], "Dewi S."))
        self.assertEqual(dewi.get("/api/v1/staff/me").json["roles"], ["committee"])
        r = a.post("/api/v1/staff/accounts/dewi/password")
        self.assertEqual(r.status, 200)
        self.assertEqual(dewi.get("/api/v1/staff/me").error, "unauthorized")
        self.w.staff_login("dewi", r.json["password"])
        r = a.put("/api/v1/staff/accounts/nobody", {"disabled": True})
        self.assertEqual((r.status, r.error), (404, "not_found"))
        listed = {x["username"]: x for x in a.get("/api/v1/staff/accounts").json["accounts"]}
        self.assertEqual(set(listed), {"admin", "dewi"})
        self.assertNotIn("pw_hash", json.dumps(listed))
        # Who did it: the admin, in the audit log.
        admin_id = self.w.sql("SELECT id FROM staff WHERE username='admin'")[0][0]
        added = events(self.w, "staff_added")[-1]
        self.assertEqual(added[:2], ("staff", admin_id))

    def test_audit_log_pages_filters_and_verify(self):
        a = self.admin
        a.post("/api/v1/staff/accounts", {"username": "auditee", "roles": ["observer"]})
        wait_until(lambda: any(e["kind"] == "staff_added" for e in
                               a.get("/api/v1/staff/audit?actor=admin").json["entries"]),
                   10, "the account change in the log")
        page = a.get("/api/v1/staff/audit?actor=admin&limit=2").json
        self.assertLessEqual(len(page["entries"]), 2)
        self.assertTrue(all(e["actor"]["kind"] == "staff" for e in page["entries"]))
        head = page["head"]
        self.assertEqual(len(head["hash"]), 64)
        self.assertEqual(head["count"], self.w.sql("SELECT count(*) FROM events")[0][0])
        self.assertEqual(a.get("/api/v1/staff/audit?since=bukan-tanggal").status, 400)
        for bad in ("limit=0", "limit=abc", "limit=99999999", "before=x"):
            self.assertEqual(a.get("/api/v1/staff/audit?" + bad).status, 400, bad)
        r = a.get("/api/v1/staff/audit/verify")
        self.assertEqual((r.status, r.json["ok"]), (200, True), r)
        # Tampered with behind the server's back: the web says where.
        self.w.sql_write("UPDATE events SET detail = '{\"forged\":1}' WHERE id = 1")
        r = a.get("/api/v1/staff/audit/verify")
        self.assertEqual((r.json["ok"], r.json["problem"], r.json["entry"]), (False, "changed", 1))

    def test_an_admin_cannot_lock_themselves_out(self):
        for body in ({"disabled": True}, {"roles": ["author"]}):
            r = self.admin.put("/api/v1/staff/accounts/admin", body)
            self.assertEqual((r.status, r.error), (400, "invalid_input"), body)
        self.assertEqual(self.admin.get("/api/v1/staff/me").json["roles"], ["admin"])


class CandidateActionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=8)
        cls.w.add_staff("admin", "admin")
        cls.w.add_staff("pengawas", "proctor", "EX")
        cls.w.add_staff("pansel", "committee")
        cls.w.serve("--login-limit", "3/600")
        cls.admin, _ = cls.w.staff_login("admin")
        cls.proctor, _ = cls.w.staff_login("pengawas")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_candidate_list_shows_status_and_lock(self):
        self.w.logged_in("C002").post("/api/v1/attempt/start")
        rows = {r["registration_no"]: r
                for r in self.proctor.get("/api/v1/staff/exams/EX/candidates").json["candidates"]}
        self.assertTrue({"C%03d" % i for i in range(1, 9)} <= set(rows), rows.keys())
        self.assertEqual(rows["C002"]["status"], "in_progress")
        self.assertIsNotNone(rows["C002"]["deadline_at"])
        self.assertEqual(rows["C003"]["status"], "not_started")
        self.assertNotIn("password", json.dumps(rows))
        exams = self.proctor.get("/api/v1/staff/exams").json["exams"]
        self.assertEqual([e["code"] for e in exams], ["EX"])
        self.assertEqual(exams[0]["candidates"], len(rows))

    def test_unlock_lets_a_locked_out_candidate_in(self):
        c = self.w.client()
        for _ in range(5):
            r = c.login("EX", "C004", "wrong")
        self.assertEqual((r.status, r.error), (429, "too_many_attempts"))
        rows = {r["registration_no"]: r
                for r in self.proctor.get("/api/v1/staff/exams/EX/candidates").json["candidates"]}
        self.assertTrue(rows["C004"]["locked"])
        r = self.proctor.post("/api/v1/staff/exams/EX/candidates/C004/unlock")
        self.assertEqual((r.status, r.json["was_locked"]), (200, True))
        self.assertEqual(c.login("EX", "C004", self.w.password("C004")).status, 200)
        ev = events(self.w, "candidate_unlocked")[-1]
        self.assertEqual(ev[0], "staff")
        self.assertEqual(ev[2], self.w.sql("SELECT id FROM candidates WHERE registration_no='C004'")[0][0])

    def test_password_reset_by_admin_only(self):
        r = self.proctor.post("/api/v1/staff/exams/EX/candidates/C005/password")
        self.assertEqual((r.status, r.error), (403, "forbidden"))
        r = self.admin.post("/api/v1/staff/exams/EX/candidates/C005/password")
        self.assertEqual(r.status, 200)
        pw = r.json["password"]
        c = self.w.client()
        self.assertEqual(c.login("EX", "C005", self.w.password("C005")).status, 401)
        self.assertEqual(c.login("EX", "C005", pw).status, 200)
        self.assertEqual(len(events(self.w, "password_reset")), 1)
        r = self.admin.post("/api/v1/staff/exams/EX/candidates/NOPE/password")
        self.assertEqual((r.status, r.error), (404, "not_found"))
        r = self.admin.post("/api/v1/staff/exams/NOPE/candidates/C005/password")
        self.assertEqual((r.status, r.error), (404, "not_found"))

    def test_extra_time_moves_a_running_deadline(self):
        cand = self.w.logged_in("C006")
        self.assertEqual(cand.post("/api/v1/attempt/start").status, 200)
        before = cand.get("/api/v1/attempt").json["attempt"]["remaining_ms"]
        r = self.proctor.put("/api/v1/staff/exams/EX/candidates/C006/extra-time", {"minutes": 15})
        self.assertEqual((r.status, r.json["extra_time_s"]), (200, 900), r)
        after = cand.get("/api/v1/attempt").json["attempt"]["remaining_ms"]
        self.assertGreater(after, before + 14 * 60 * 1000)
        for bad in ({"minutes": -1}, {"minutes": 241}, {"minutes": "5"}, {}):
            r = self.proctor.put("/api/v1/staff/exams/EX/candidates/C006/extra-time", bad)
            self.assertEqual(r.status, 400, bad)
        self.assertEqual(self.w.sql("SELECT extra_time_s FROM candidates WHERE registration_no='C006'"),
                         [(900,)])
        detail = json.loads(events(self.w, "extra_time_set")[-1][3])
        self.assertEqual(detail, {"from_s": 0, "to_s": 900})
        # A finished attempt takes no more time.
        self.assertEqual(cand.post("/api/v1/attempt/finish").status, 200)
        r = self.proctor.put("/api/v1/staff/exams/EX/candidates/C006/extra-time", {"minutes": 5})
        self.assertEqual((r.status, r.error), (409, "attempt_closed"))

    def test_candidate_csv_import_from_the_web(self):
        hdr = {"Content-Type": "text/csv"}
        bad = "registration_no;name;extra_time_s\nW1;Ana;x\nW2;;0\nC001;Lagi;0\n"
        r = self.admin.request("POST", "/api/v1/staff/exams/EX/candidates", raw=bad.encode(),
                               headers=hdr)
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        errors = r.json["error"]["errors"]
        # Every bad line at once, each with its line and field.
        self.assertEqual([e["line"] for e in errors], [2, 3, 4], errors)
        self.assertEqual(errors[0]["field"], "extra_time_s")
        self.assertNotIn("/tmp/", json.dumps(r.json))
        self.assertEqual(self.w.sql("SELECT count(*) FROM candidates WHERE registration_no='W1'"),
                         [(0,)])
        good = "\ufeffregistration_no;name\r\nW1;Ana Putri\r\nW2;Budi\r\n"
        r = self.admin.request("POST", "/api/v1/staff/exams/EX/candidates",
                               raw=good.encode(), headers=hdr)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["separator"], ";")
        creds = {c["registration_no"]: c for c in r.json["credentials"]}
        self.assertEqual(set(creds), {"W1", "W2"})
        self.assertEqual(creds["W1"]["name"], "Ana Putri")
        # The server picks them up and they can log in with what was shown.
        # (Waiting on the list, not by trying to log in: failed logins count.)
        wait_until(lambda: "W1" in json.dumps(self.admin.get("/api/v1/staff/exams/EX/candidates").json),
                   10, "the server to pick the import up")
        self.assertEqual(self.w.client().login("EX", "W1", creds["W1"]["password"]).status, 200)
        r = self.proctor.request("POST", "/api/v1/staff/exams/EX/candidates", raw=good.encode(),
                                 headers=hdr)
        self.assertEqual((r.status, r.error), (403, "forbidden"))

    def test_csv_errors_in_bahasa_indonesia_on_the_web_english_in_the_cli(self):
        hdr = {"Content-Type": "text/csv"}
        bad = "registration_no;name;extra_time_s\nW5;Ana;x\nW6;;0\nC001;Lagi;0\n"
        unclosed = "registration_no,name\nW7,\"Ana\n"
        r = self.admin.request("POST", "/api/v1/staff/exams/EX/candidates", raw=bad.encode(),
                               headers=hdr)
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        web = {e["line"]: e for e in r.json["error"]["errors"]}
        self.assertEqual(sorted(web), [2, 3, 4], web)
        self.assertEqual(web[2]["field"], "extra_time_s")  # field names stay as in the file
        self.assertRegex(web[2]["message"], r'^"x" harus bilangan bulat detik 0-\d+$')
        self.assertRegex(web[3]["message"], r"^harus 1-\d+ karakter tanpa karakter kendali$")
        self.assertEqual(web[4]["message"], '"C001" sudah terdaftar pada ujian EX')
        # A file the parser refuses: its message is passed on whole, and
        # translated as text.
        r = self.admin.request("POST", "/api/v1/staff/exams/EX/candidates",
                               raw=unclosed.encode(), headers=hdr)
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        self.assertEqual([e["message"] for e in r.json["error"]["errors"]],
                         ["baris 2: tanda kutip pada kolom tidak ditutup"])
        # The same files through the CLI: English, as the operators' docs say.
        with tempfile.TemporaryDirectory() as d:
            for name, text, want in (
                    ("bad.csv", bad, ['line 2 field "extra_time_s": "x" must be a whole number'
                                      ' of seconds 0-',
                                      'line 3 field "name": must be 1-',
                                      'line 4 field "registration_no": "C001" is already'
                                      ' registered for exam EX']),
                    ("unclosed.csv", unclosed, ["line 2: quoted field is not closed"])):
                path = os.path.join(d, name)
                with open(path, "w") as f:
                    f.write(text)
                p = run("candidates", "import", "--db", self.w.db, "--exam", "EX", path,
                        check=False)
                self.assertEqual(p.returncode, 1, p.stderr)
                for w in want:
                    self.assertIn(w, p.stderr)
                self.assertNotIn("harus", p.stderr)
                self.assertNotIn("baris", p.stderr)
        self.assertEqual(self.w.sql("SELECT count(*) FROM candidates WHERE registration_no"
                                    " IN ('W5', 'W6', 'W7')"), [(0,)])

    def test_results_for_the_committee(self):
        pansel, _ = self.w.staff_login("pansel")
        c = self.w.logged_in("C007")
        c.post("/api/v1/attempt/start")
        c.post("/api/v1/attempt/finish")
        r = pansel.get("/api/v1/staff/exams/EX/results")
        self.assertEqual(r.status, 200, r)
        self.assertIn("C007", json.dumps(r.json))
        r = pansel.get("/api/v1/staff/exams/EX/results.csv")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf"))
        self.assertIn(b"C007", r.raw)
        self.assertIn("attachment", r.headers["content-disposition"])
        r = pansel.get("/api/v1/staff/exams/EX/results.csv?sep=%3B&all=1&lang=id")
        self.assertEqual(r.status, 200)
        header = r.raw.decode("utf-8-sig").splitlines()[0]
        self.assertIn(";", header)
        self.assertIn("tidak hadir", r.raw.decode("utf-8-sig"))
        r = pansel.get("/api/v1/staff/exams/EX/results.xlsx?lang=en")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.raw.startswith(b"PK"), r.raw[:10])
        self.assertIn("spreadsheetml", r.headers["content-type"])
        self.assertEqual(pansel.get("/api/v1/staff/exams/EX/results.csv?sep=x").status, 400)
        self.assertEqual(self.proctor.get("/api/v1/staff/exams/EX/results").status, 403)


class CatalogUploadTest(unittest.TestCase):
    """Banks (with their images) and exams from the web: the same import as
    the CLI, its errors shown, nothing changed on error."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=1)
        cls.w.add_staff("penulis", "author")
        cls.w.serve("--max-body", "1048576")
        cls.author, _ = cls.w.staff_login("penulis")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def upload(self, directory, marker, code, images=True):
        path, _ = make_bank(directory, code=code, marker=marker)
        with open(path) as f:
            bank = f.read()
        body = {"bank": bank}
        if images:
            body["images"] = {}
            for name in ("img/fig-%s.svg" % marker, "img/opt-%s.svg" % marker):
                with open(os.path.join(directory, name), "rb") as f:
                    body["images"][name] = base64.b64encode(f.read()).decode()
        return self.author.post("/api/v1/staff/banks", body)

    def test_bank_and_exam_upload(self):
        d = tempfile.mkdtemp(dir=self.w.dir)
        r = self.upload(d, "w1", "WB")
        self.assertEqual(r.status, 201, r)
        self.assertIn("WB", r.json["report"])
        banks = {b["code"]: b for b in self.author.get("/api/v1/staff/banks").json["banks"]}
        self.assertEqual((banks["WB"]["version"], banks["WB"]["items"]), (1, 18))
        # Without its images the bank is refused, naming the missing file.
        r = self.upload(d, "w2", "WB", images=False)
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        self.assertIn("img/fig-w2.svg", json.dumps(r.json["error"]["errors"]))
        # In Bahasa Indonesia, the file's own words (keys, paths) kept.
        missing = r.json["error"]["errors"][0]
        self.assertTrue(missing["item"].startswith('butir soal "SECRETID-'), missing)
        self.assertRegex(missing["message"], r'^gambar ".*img/fig-w2\.svg" tidak dapat dibuka: ')
        self.assertNotIn("/tmp/", json.dumps(r.json))
        self.assertEqual(self.w.sql("SELECT count(*) FROM bank_versions b JOIN banks k ON"
                                    " k.id = b.bank_id WHERE k.code = 'WB'"), [(1,)])
        for bad in ("../x.svg", "/etc/passwd", ".hidden", "a/b/c.svg"):
            r = self.author.post("/api/v1/staff/banks",
                                 {"bank": "{}", "images": {bad: "AAAA"}})
            self.assertEqual((r.status, r.error), (400, "invalid_request"), bad)
        # The bank as its authors see it: keys and points included, images
        # by hash, served to authors only.
        r = self.author.get("/api/v1/staff/banks/WB")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["version"], len(r.json["items"])), (1, 18))
        twk = next(i for i in r.json["items"] if i["section"] == "TWK")
        self.assertEqual(sum(1 for o in twk["options"] if o.get("correct")), 1)
        tkp = next(i for i in r.json["items"] if i["section"] == "TKP")
        self.assertTrue(all("points" in o for o in tkp["options"]))
        fig = next(i for i in r.json["items"] if i.get("images"))
        sha = fig["images"][0].split(":", 1)[1]
        img = self.author.get("/api/v1/staff/assets/" + sha)
        self.assertEqual((img.status, img.headers["content-type"]), (200, "image/svg+xml"))
        self.assertIn("sandbox", img.headers["content-security-policy"])
        self.assertTrue(img.raw.startswith(b"<svg"))
        self.assertEqual(self.author.get("/api/v1/staff/assets/" + "0" * 64).status, 404)
        self.assertEqual(self.author.get("/api/v1/staff/banks/NOPE").status, 404)
        self.assertEqual(self.author.get("/api/v1/staff/banks/WB?version=9").status, 404)
        self.assertEqual(self.author.get("/api/v1/staff/banks/WB?version=x").status, 400)
        exam = json.load(open(make_exam(d, code="WX", bank="WB")))
        r = self.author.request("POST", "/api/v1/staff/exams", raw=json.dumps(exam).encode())
        self.assertEqual(r.status, 201, r)
        wait_until(lambda: any(e["code"] == "WX" for e in
                               self.author.get("/api/v1/staff/exams").json["exams"]),
                   10, "the new exam to be served")
        r = self.author.request("POST", "/api/v1/staff/exams", raw=json.dumps(exam).encode())
        self.assertEqual((r.status, r.error), (400, "invalid_input"))
        self.assertEqual([(e["field"], e["message"]) for e in r.json["error"]["errors"]],
                         [("code", 'ujian "WX" sudah ada')])
        # Recorded by the staff member (without holding up the reply).
        wanted = {"bank_imported", "bank_import_refused", "exam_created", "exam_create_refused"}
        wait_until(lambda: wanted <= {k for (k,) in self.w.sql(
            "SELECT kind FROM events WHERE actor_kind = 'staff'")}, 10, "the upload events")


class ExamEditTest(unittest.TestCase):
    def test_edit_before_any_start_then_archive(self):
        w = World(n_candidates=3)
        try:
            w.add_staff("penulis", "author")
            w.serve()
            a, _ = w.staff_login("penulis")
            # Everything wrong at once, nothing changed.
            r = a.put("/api/v1/staff/exams/EX", {"code": "EY", "duration_s": 5, "bank": "X"})
            self.assertEqual((r.status, r.error), (400, "invalid_input"))
            self.assertEqual({e["field"] for e in r.json["error"]["errors"]}, {"code", "bank"})
            self.assertTrue(all(e["message"].startswith("tidak dapat diubah: ")
                                for e in r.json["error"]["errors"]), r.json)
            r = a.get("/api/v1/staff/exams/EX")
            self.assertEqual(r.status, 200, r)
            self.assertEqual((r.json["definition"]["code"], r.json["exam"]["code"]), ("EX", "EX"))
            self.assertIn("pass_rules", r.json["definition"])
            r = a.put("/api/v1/staff/exams/EX", {"duration_s": 5})
            self.assertEqual((r.status, r.error), (400, "invalid_input"))
            self.assertEqual(r.json["error"]["errors"][0]["field"], "duration_s")
            # jc_int's message, in the staff's language.
            self.assertRegex(r.json["error"]["errors"][0]["message"],
                             r"^harus antara \d+ dan \d+ \(tertulis 5\)$")
            r = a.put("/api/v1/staff/exams/EX", {"title": "Ujian Dinas 2026", "duration_s": 1800,
                                                  "token": "ABC123", "show_score": False})
            self.assertEqual(r.status, 200, r)
            self.assertEqual((r.json["title"], r.json["duration_s"], r.json["token_required"]),
                             ("Ujian Dinas 2026", 1800, True))
            c = w.client()
            r = c.login("EX", "C001", w.password("C001"))
            self.assertEqual((r.status, r.error), (403, "token_required"))
            r = c.login("EX", "C001", w.password("C001"), token="abc123")
            self.assertEqual(r.status, 200, r)
            c.token = r.json["token"]
            r = c.post("/api/v1/attempt/start")
            self.assertTrue(1790 * 1000 < r.json["attempt"]["remaining_ms"] <= 1800 * 1000, r)
            # Once someone started, only archiving is allowed.
            r = a.put("/api/v1/staff/exams/EX", {"duration_s": 3600})
            self.assertEqual((r.status, r.error), (409, "conflict"))
            self.assertLessEqual(c.get("/api/v1/attempt").json["attempt"]["remaining_ms"], 1800 * 1000)
            r = a.put("/api/v1/staff/exams/EX", {"archived": True})
            self.assertEqual((r.status, r.json["archived"]), (200, True))
            self.assertEqual(w.client().get("/api/v1/exams/open").json, [])
            r = w.client().login("EX", "C002", w.password("C002"), token="ABC123")
            self.assertEqual((r.status, r.error), (403, "exam_closed"))
            # The edits are stored: a restart serves them.
            w.server.stop()
            w.server.start()
            exams = w.staff_login("penulis")[0].get("/api/v1/staff/exams").json["exams"]
            self.assertEqual((exams[0]["title"], exams[0]["archived"]), ("Ujian Dinas 2026", True))
            kinds = [k for (k,) in w.sql("SELECT kind FROM events WHERE kind LIKE 'exam_update%'")]
            self.assertEqual(kinds.count("exam_updated"), 2)
            self.assertEqual(kinds.count("exam_update_refused"), 2)
        finally:
            w.close()


class BlueprintChangeTest(unittest.TestCase):
    def test_a_new_blueprint_redraws_every_paper_before_the_first_start(self):
        w = World(n_candidates=4)
        try:
            w.add_staff("penulis", "author")
            w.serve()
            a, _ = w.staff_login("penulis")
            # A candidate logged in (not started) keeps the session across the change.
            cand = w.logged_in("C001")
            seeds = dict(w.sql("SELECT candidate_id, hex(seed) FROM papers"))
            sections = [{"code": "TWK", "draw": 2}, {"code": "TIU", "draw": 3},
                        {"code": "TKP", "draw": 1}]
            # A blueprint the bank cannot meet: refused, nothing changed.
            r = a.put("/api/v1/staff/exams/EX", {"sections": [{"code": "TWK", "draw": 99}]})
            self.assertEqual((r.status, r.error), (400, "invalid_input"), r)
            self.assertEqual(dict(w.sql("SELECT candidate_id, hex(seed) FROM papers")), seeds)
            r = a.put("/api/v1/staff/exams/EX", {"sections": sections, "shuffle_items": False})
            self.assertEqual((r.status, r.json["redrawn"]), (200, 4), r)
            new = dict(w.sql("SELECT candidate_id, hex(seed) FROM papers"))
            self.assertEqual(set(new), set(seeds))
            self.assertTrue(all(new[k] != seeds[k] for k in seeds), "every paper drawn again")
            # The running server serves the new papers at once.
            p = cand.post("/api/v1/attempt/start")
            self.assertEqual(p.status, 200, p)
            self.assertEqual(len(p.json["questions"]), 6)
            self.assertEqual([q["section"] for q in p.json["questions"]],
                             ["TWK"] * 2 + ["TIU"] * 3 + ["TKP"])
            # And so does a restart, from the database; verify agrees.
            other = w.logged_in("C002")
            self.assertEqual(len(other.post("/api/v1/attempt/start").json["questions"]), 6)
            w.server.stop()
            self.assertEqual(run("verify", "--db", w.db, "--exam", "EX").returncode, 0)
            w.server.start()
            c3 = w.logged_in("C003")
            self.assertEqual(len(c3.post("/api/v1/attempt/start").json["questions"]), 6)
            # Now that candidates started, the blueprint is fixed.
            a, _ = w.staff_login("penulis")
            r = a.put("/api/v1/staff/exams/EX", {"sections": sections})
            self.assertEqual((r.status, r.error), (409, "conflict"))
            ev = w.sql("SELECT detail FROM events WHERE kind = 'exam_updated'")
            self.assertEqual(json.loads(ev[-1][0])["redrawn"], 4)
        finally:
            w.close()


class CandidateSessionLifetimeTest(unittest.TestCase):
    def test_a_candidate_token_ends_after_the_finish(self):
        w = World(n_candidates=2)
        try:
            w.serve("--session-after", "1")
            c = w.logged_in("C001")
            c.post("/api/v1/attempt/start")
            self.assertEqual(c.post("/api/v1/attempt/finish").status, 200)
            self.assertEqual(c.get("/api/v1/attempt/result").status, 200)
            # Two minutes later (moved in the database and a restart, which
            # rebuilds RAM from it), the token is no longer accepted.
            w.server.stop()
            w.sql_write("UPDATE attempts SET finished_at = finished_at - 120000")
            w.server.start()
            r = c.get("/api/v1/attempt/result")
            self.assertEqual((r.status, r.error), (401, "session_expired"))
        finally:
            w.close()

    def test_a_running_attempt_keeps_its_session_past_the_close(self):
        """Started just before the close, with the whole duration to go: the
        close (long past) does not end the session of a running attempt; it
        ends that of a candidate who never started."""
        w = World(n_candidates=2)
        try:
            w.serve("--session-after", "1")
            running = w.logged_in("C001")
            self.assertEqual(running.post("/api/v1/attempt/start").status, 200)
            idle = w.logged_in("C002")
            w.server.stop()
            doc = json.loads(w.sql("SELECT definition_json FROM exams WHERE code = 'EX'")[0][0])
            doc["closes_at"] = "2020-01-01T00:00:00Z"
            doc["opens_at"] = "2019-12-31T00:00:00Z"
            w.sql_write("UPDATE exams SET definition_json = ? WHERE code = 'EX'", json.dumps(doc))
            # (the attempt started "now": its deadline is an hour away)
            w.server.start()
            self.assertEqual(running.get("/api/v1/attempt").status, 200)
            r = idle.get("/api/v1/attempt")
            self.assertEqual((r.status, r.error), (401, "session_expired"))
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
