"""Signed result slips against the real server and CLI: the staff and the
candidate slip (one per attempt, 409 before the finish), the public
verification of a code (genuine; a score changed in attempts or in
slips.payload fails), the public key, a slip file verified offline with
`ujian slip verify --key` and with `openssl pkeyutl -verify -rawin`, an
altered file failing, the key file's mode (0600; a 0644 key refused), the
verification URL from --public-url, and the rate limit on unknown codes."""

import base64
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run  # noqa: E402


def canonical(slip):
    """The signed bytes of a slip's content, as the server encodes them:
    compact, keys sorted, non-ASCII as \\uXXXX with upper-case hex."""
    text = json.dumps(slip, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), text).encode()


class SlipTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=6)
        cls.w.add_staff("admin", "admin")
        cls.w.add_staff("pansel", "committee")
        cls.w.add_staff("proktor", "proctor")
        # a name outside ASCII: the canonical text escapes it
        cls.w.sql_write("UPDATE candidates SET name = 'Siti Śaraswati' WHERE registration_no = 'C001'")
        cls.w.serve("--public-url", "https://ujian.example.go.id/")
        for regno in ("C001", "C002", "C003", "C004"):
            c = cls.w.logged_in(regno)
            assert c.post("/api/v1/attempt/start").status == 200
            assert c.answer(1, "A", 1).status == 200
            assert c.post("/api/v1/attempt/finish").status == 200
            c.close()
        cls.admin, _ = cls.w.staff_login("admin")
        cls.pansel, _ = cls.w.staff_login("pansel")

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.pansel.close()
        cls.w.close()

    def staff_slip(self, regno, client=None):
        r = (client or self.pansel).get("/api/v1/staff/exams/EX/candidates/%s/slip" % regno)
        self.assertEqual(r.status, 200, r)
        return r.json

    def verify(self, code):
        c = self.w.client()
        try:
            return c.get("/api/v1/verify/" + code)
        finally:
            c.close()

    def test_staff_slip_content_and_once_per_attempt(self):
        doc = self.staff_slip("C001")
        s = doc["slip"]
        row = self.w.sql("SELECT a.total, a.scores_json, c.name FROM attempts a JOIN candidates c"
                         " ON c.id = a.candidate_id WHERE c.registration_no = 'C001'")[0]
        self.assertEqual(s["total"], row[0])
        self.assertEqual([(x["code"], x["score"], x["max"]) for x in s["sections"]],
                         [(x["code"], x["score"], x["max"]) for x in json.loads(row[1])])
        self.assertEqual(s["name"], "Siti Śaraswati")
        self.assertEqual((s["exam"], s["registration_no"], s["timezone"]), ("EX", "C001", "WIB"))
        self.assertTrue(s["finished_at"].endswith("+07:00"))
        self.assertRegex(doc["code"], r"^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$")
        self.assertEqual(doc["verify_url"],
                         "https://ujian.example.go.id/verify/" + doc["code"].replace("-", ""))
        self.assertTrue(doc["qr_svg"].startswith("<svg "))
        self.assertNotIn("href", doc["qr_svg"])
        self.assertEqual(len(base64.b64decode(doc["signature"])), 64)
        # the same slip again (admin this time), one row, one audit event
        again = self.staff_slip("C001", self.admin)
        self.assertEqual((again["code"], again["signature"]), (doc["code"], doc["signature"]))
        self.assertEqual(self.w.sql("SELECT count(*) FROM slips s JOIN candidates c ON"
                                    " c.id = s.candidate_id WHERE c.registration_no = 'C001'"),
                         [(1,)])
        self.assertEqual(self.w.sql("SELECT count(*) FROM events WHERE kind = 'slip_issued'"
                                    " AND detail LIKE ?", '%' + doc["code"].replace("-", "") + '%'),
                         [(1,)])

    def test_roles_and_unfinished(self):
        c, _ = self.w.staff_login("proktor")
        try:
            r = c.get("/api/v1/staff/exams/EX/candidates/C001/slip")
            self.assertEqual((r.status, r.error), (403, "forbidden"))
        finally:
            c.close()
        r = self.pansel.get("/api/v1/staff/exams/EX/candidates/C006/slip")
        self.assertEqual((r.status, r.error), (409, "not_finished"))
        r = self.pansel.get("/api/v1/staff/exams/EX/candidates/NOPE/slip")
        self.assertEqual(r.status, 404)
        cand = self.w.logged_in("C005")
        try:
            r = cand.get("/api/v1/attempt/slip")
            self.assertEqual((r.status, r.error), (409, "not_finished"))
            self.assertEqual(cand.post("/api/v1/attempt/start").status, 200)
            r = cand.get("/api/v1/attempt/slip")
            self.assertEqual((r.status, r.error), (409, "not_finished"))
        finally:
            cand.close()

    def test_candidate_slip_is_the_same_slip(self):
        cand = self.w.logged_in("C002")
        try:
            r = cand.get("/api/v1/attempt/slip")
            self.assertEqual(r.status, 200, r)
            mine = r.json
        finally:
            cand.close()
        self.assertEqual(mine["slip"]["registration_no"], "C002")
        self.assertEqual(self.staff_slip("C002")["code"], mine["code"])

    def test_verify_genuine_then_tampered_attempt(self):
        doc = self.staff_slip("C003")
        r = self.verify(doc["code"].lower())  # typed in lower case, with the dash
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["valid"], r.json["reason"]), (True, "genuine"))
        self.assertEqual(r.json["slip"], doc["slip"])
        # a score changed in the attempt, after the slip was signed
        self.w.sql_write("UPDATE attempts SET total = total + 5 WHERE candidate_id ="
                         " (SELECT id FROM candidates WHERE registration_no = 'C003')")
        r = self.verify(doc["code"].replace("-", ""))
        self.assertEqual((r.json["valid"], r.json["reason"]), (False, "data_changed"), r.json)
        self.assertIn("total", r.json["detail"])
        self.assertNotIn("sections", r.json["detail"])
        # the CLI says the same, naming the field
        p = run("slip", "verify", "--db", self.w.db, doc["code"], check=False)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("data_changed", p.stdout)
        self.assertIn("total", p.stdout)

    def test_verify_tampered_payload(self):
        doc = self.staff_slip("C004")
        code = doc["code"].replace("-", "")
        p = run("slip", "verify", "--db", self.w.db, code, check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("GENUINE", p.stdout)
        total = doc["slip"]["total"]
        self.w.sql_write("UPDATE slips SET payload = replace(payload, ?, ?) WHERE code = ?",
                         '"total":%d' % total, '"total":%d' % (total + 10), code)
        r = self.verify(code)
        self.assertEqual((r.json["valid"], r.json["reason"]), (False, "bad_signature"), r.json)
        self.assertEqual(r.json["slip"]["total"], total + 10)  # shown, marked not genuine
        p = run("slip", "verify", "--db", self.w.db, code, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("bad_signature", p.stdout)

    def test_offline_file_public_key_and_openssl(self):
        c = self.w.client()
        try:
            r = c.get("/api/v1/slip-key")
        finally:
            c.close()
        self.assertEqual(r.status, 200)
        pem = r.raw.decode()
        self.assertTrue(pem.startswith("-----BEGIN PUBLIC KEY-----"), pem)
        self.assertEqual(run("slip", "key", "--db", self.w.db).stdout, pem)
        keyf = os.path.join(self.w.dir, "pub.pem")
        with open(keyf, "w") as f:
            f.write(pem)
        slipf = os.path.join(self.w.dir, "slip-C001.json")
        run("slip", "show", "--db", self.w.db, "--out", slipf, "EX", "C001")
        with open(slipf) as f:
            doc = json.load(f)
        self.assertEqual(doc["code"], self.staff_slip("C001")["code"])
        # offline: the public key alone, no database
        p = run("slip", "verify", "--key", keyf, slipf, check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("GENUINE", p.stdout)
        # an altered name, an altered score: not genuine, exit 1
        for field, value in (("name", "Siti Saraswati"), ("total", doc["slip"]["total"] + 1)):
            bad = dict(doc, slip=dict(doc["slip"], **{field: value}))
            badf = os.path.join(self.w.dir, "bad-%s.json" % field)
            with open(badf, "w") as f:
                json.dump(bad, f)
            p = run("slip", "verify", "--key", keyf, badf, check=False)
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn("NOT GENUINE (bad_signature)", p.stdout)
        # openssl, with nothing of ujian: the canonical bytes and the signature
        if not shutil.which("openssl"):
            self.skipTest("no openssl command")
        msg = os.path.join(self.w.dir, "msg.bin")
        sig = os.path.join(self.w.dir, "sig.bin")
        with open(msg, "wb") as f:
            f.write(canonical(doc["slip"]))
        with open(sig, "wb") as f:
            f.write(base64.b64decode(doc["signature"]))
        ok = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keyf, "-rawin",
                             "-in", msg, "-sigfile", sig], capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("Signature Verified Successfully", ok.stdout)
        with open(msg, "wb") as f:
            f.write(canonical(dict(doc["slip"], name="Siti Saraswati")))
        bad = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keyf, "-rawin",
                              "-in", msg, "-sigfile", sig], capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)


class SlipLimitTest(unittest.TestCase):
    """Its own server: the limit counts per client address."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=1)
        cls.w.serve()

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    verify = SlipTest.verify

    def test_verify_page_is_served_for_any_code(self):
        """/verify/{CODE} serves the verification page (what a QR code
        opens); the page's own files are served as files."""
        c = self.w.client()
        try:
            r = c.get("/verify/ABCDEFGHJK")
            self.assertEqual(r.status, 200)
            self.assertTrue(r.headers.get("content-type", "").startswith("text/html"))
            self.assertIn(b"/verify/verify.js", r.raw)
            self.assertIn("content-security-policy", r.headers)
            r = c.get("/verify/verify.js")
            self.assertEqual(r.status, 200)
            self.assertTrue(r.headers.get("content-type", "").startswith("text/javascript"))
            self.assertEqual(c.get("/verify/a/b").status, 404)
            self.assertEqual(c.get("/verify/.hidden").status, 404)
        finally:
            c.close()

    def test_unknown_codes_are_404_then_limited(self):
        statuses = [self.verify("ZZZZZ-ZZZZ%s" % ch).status for ch in "23456789"]
        self.assertEqual(statuses, [404] * 8)
        self.assertEqual(self.verify("not-a-code").status, 404)
        # the limit: 20 unknown codes a minute per address, then 429
        seen = [self.verify("YYYYY-YYYY%s" % ch).status for ch in "23456789ABCDEFGH"]
        self.assertIn(429, seen)
        r = self.verify("YYYYY-YYYYZ")
        self.assertEqual((r.status, r.error), (429, "slip_rate_limited"))
        self.assertIn("retry-after", {k.lower() for k in r.headers})


class SlipHiddenScoresTest(unittest.TestCase):
    def test_candidate_gets_no_slip_when_scores_are_hidden(self):
        """An exam that does not show scores: the candidate's slip would show
        them, so it is refused; the committee still gets it."""
        w = World(n_candidates=1, exam_extra={"show_score": False})
        try:
            w.add_staff("admin", "admin")
            w.serve()
            c = w.logged_in("C001")
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            self.assertEqual(c.post("/api/v1/attempt/finish").status, 200)
            r = c.get("/api/v1/attempt/slip")
            self.assertEqual((r.status, r.error), (403, "forbidden"))
            c.close()
            admin, _ = w.staff_login("admin")
            r = admin.get("/api/v1/staff/exams/EX/candidates/C001/slip")
            self.assertEqual(r.status, 200, r)
            admin.close()
        finally:
            w.close()


class SlipKeyFileTest(unittest.TestCase):
    def test_key_mode_and_refusal(self):
        w = World(n_candidates=1)
        try:
            key = w.db + ".slip.key"
            self.assertTrue(os.path.exists(key), "ujian init makes the slip key")
            self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
            with open(key) as f:
                self.assertIn("BEGIN PRIVATE KEY", f.read())
            os.chmod(key, 0o644)
            p = run("slip", "key", "--db", w.db, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("chmod 600", p.stderr)
            srv = harness.Server(w.dir, w.db)
            with self.assertRaises(AssertionError) as cm:
                srv.start(timeout=5)
            srv.proc.wait()
            srv.proc.stdout.close()
            self.assertIn("chmod 600", str(cm.exception))
            os.chmod(key, 0o600)
            # ujian backup copies it beside the copy, private
            out = os.path.join(w.dir, "copy.db")
            p = run("backup", "--db", w.db, "--out", out)
            self.assertIn("slip key %s.slip.key" % out, p.stdout)
            self.assertEqual(stat.S_IMODE(os.stat(out + ".slip.key").st_mode), 0o600)
            with open(key, "rb") as a, open(out + ".slip.key", "rb") as b:
                self.assertEqual(a.read(), b.read())
            # a missing key is made at serve time, private
            os.unlink(key)
            w.serve()
            self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        finally:
            w.close()

    def test_verify_usage(self):
        p = run("slip", "verify", "nonsense!", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("neither a file nor a slip code", p.stderr)
        p = run("slip", "verify", "ABCDE-FGHJK", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--db", p.stderr)


if __name__ == "__main__":
    harness.main()
