"""HTTPS: `ujian cert self-signed`, `ujian serve --tls-cert/--tls-key`, the
HTTP->HTTPS redirect front, and refusals at start-up. Clients are Python's
ssl module trusting only the certificate under test."""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import warnings

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, wait_until  # noqa: E402


def make_cert(directory, name="127.0.0.1"):
    """ujian cert self-signed into directory; returns (crt, key)."""
    p = run("cert", "self-signed", "--out", directory, "--name", name)
    crt, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    assert crt in p.stdout and key in p.stdout, p.stdout
    return crt, key


def make_rsa_cert(directory, name="127.0.0.1"):
    """An RSA 2048 certificate made by the openssl command line."""
    crt, key = os.path.join(directory, "rsa.crt"), os.path.join(directory, "rsa.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", crt, "-days", "2", "-subj", "/CN=" + name,
                    "-addext", "subjectAltName=IP:" + name],
                   check=True, capture_output=True)
    return crt, key


def client_ctx(cafile, min_v=None, max_v=None, ciphers=None):
    ctx = ssl.create_default_context(cafile=cafile)
    if min_v:
        ctx.minimum_version = min_v
    if max_v:
        ctx.maximum_version = max_v
    if ciphers:
        ctx.set_ciphers(ciphers)
    return ctx


def tls_connect(port, ctx, session=None):
    """A verified TLS connection to 127.0.0.1:port (handshake done)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=20 * harness.SLOW)
    try:
        return ctx.wrap_socket(raw, server_hostname="127.0.0.1", session=session)
    except BaseException:
        raw.close()
        raise


def get_over(sock, path="/api/v1/health"):
    """One HTTP/1.1 GET on an open TLS socket; returns the raw reply."""
    sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path)
                 .encode())
    out = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return out
        out += chunk


def serve_fails(args):
    """Run `ujian serve ARGS` expecting it to refuse to start."""
    p = subprocess.run([harness.UJIAN, "serve", *args], capture_output=True, text=True,
                       timeout=30 * harness.SLOW)
    return p.returncode, p.stderr


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


class TlsServerTest(unittest.TestCase):
    """One HTTPS server with a self-signed ECDSA certificate for 127.0.0.1
    and a redirect front."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=8)
        cls.w.add_staff("admin", "admin")
        cls.certdir = os.path.join(cls.w.dir, "certs")
        os.mkdir(cls.certdir)
        cls.crt, cls.key = make_cert(cls.certdir)
        cls.ctx = client_ctx(cls.crt)
        cls.srv = cls.w.serve("--tls-cert", cls.crt, "--tls-key", cls.key,
                              "--redirect-http", "127.0.0.1:0", ssl_context=cls.ctx)
        line = cls.srv.proc.stdout.readline()
        m = re.match(r"Redirecting http://127\.0\.0\.1:(\d+)/ to HTTPS", line)
        assert m, line
        cls.redirect_port = int(m.group(1))

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_candidate_path_over_https(self):
        c = self.w.client()
        r = c.login("EX", "C001", self.w.password("C001"))
        self.assertEqual(r.status, 200, r)
        cookie = r.headers["set-cookie"]
        for attr in ("HttpOnly", "SameSite=Strict", "Secure"):
            self.assertIn(attr, cookie)
        self.assertEqual(r.headers["strict-transport-security"], "max-age=31536000")
        p = c.post("/api/v1/attempt/start")
        self.assertEqual(p.status, 200, p)
        self.assertEqual(len(p.json["questions"]), 12)
        a = c.answer(1, "B", 1)
        self.assertEqual((a.status, a.json["option"], a.json["rev"]), (200, "B", 1))
        g = c.get("/api/v1/attempt")
        self.assertEqual(g.status, 200)
        self.assertEqual(self.w.sql("SELECT label, rev FROM answers a JOIN candidates c ON "
                                    "c.id = a.candidate_id WHERE registration_no = 'C001'"),
                         [("B", 1)])
        # Logging out clears the cookie, Secure too.
        o = c.post("/api/v1/candidate/logout")
        self.assertEqual(o.status, 204, o)
        self.assertIn("Max-Age=0", o.headers["set-cookie"])
        self.assertIn("Secure", o.headers["set-cookie"])
        c.close()

    def test_staff_login_over_https(self):
        """A staff session over HTTPS: the cookie is Secure, and a write by
        cookie with its CSRF token works over TLS."""
        c = self.w.client()
        r = c.post("/api/v1/staff/login", {"username": "admin", "password": "pw-admin-staff-secret",
                                           "bearer": True})
        self.assertEqual(r.status, 200, r)
        cookie = r.headers["set-cookie"]
        for attr in ("ujian_staff=", "HttpOnly", "SameSite=Strict", "Secure"):
            self.assertIn(attr, cookie)
        self.assertEqual(r.headers["strict-transport-security"], "max-age=31536000")
        jar = {"Cookie": "ujian_staff=" + r.json["token"], "X-CSRF-Token": r.json["csrf"]}
        u = c.request("POST", "/api/v1/staff/exams/EX/candidates/C008/unlock", headers=jar,
                      token="")
        self.assertEqual(u.status, 200, u)
        o = c.request("POST", "/api/v1/staff/logout", headers=jar, token="")
        self.assertEqual(o.status, 200, o)
        self.assertIn("Secure", o.headers["set-cookie"])
        c.close()

    def test_hsts_on_static_files_and_errors(self):
        c = self.w.client()
        for path in ("/", "/api/v1/nope", "/no-such-file.css"):
            r = c.get(path)
            self.assertEqual(r.headers.get("strict-transport-security"), "max-age=31536000",
                             (path, r.status))
        c.close()

    def test_plain_http_server_has_no_secure_cookie(self):
        """The control: the same database served over HTTP sets no Secure
        attribute and no HSTS (runs its own server on another World)."""
        w = World(n_candidates=1)
        try:
            w.serve()
            r = w.client().login("EX", "C001", w.password("C001"))
            self.assertEqual(r.status, 200)
            self.assertIn("HttpOnly", r.headers["set-cookie"])
            self.assertNotIn("Secure", r.headers["set-cookie"])
            self.assertNotIn("strict-transport-security", r.headers)
        finally:
            w.close()

    def test_versions(self):
        for v in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            s = tls_connect(self.srv.port, client_ctx(self.crt, min_v=v, max_v=v))
            try:
                self.assertEqual(s.version(), {ssl.TLSVersion.TLSv1_2: "TLSv1.2",
                                               ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[v])
                self.assertIn(b"200 OK", get_over(s))
            finally:
                s.close()

    def test_tls11_refused_by_the_server(self):
        # The client is made willing to speak TLS 1.1 (security level 0), so
        # the refusal must come from the server: its protocol_version alert.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx = client_ctx(self.crt, min_v=ssl.TLSVersion.TLSv1,
                             max_v=ssl.TLSVersion.TLSv1_1, ciphers="DEFAULT:@SECLEVEL=0")
        with self.assertRaises(ssl.SSLError) as cm:
            tls_connect(self.srv.port, ctx).close()
        self.assertIn("PROTOCOL_VERSION", str(cm.exception).upper())

    def test_tls12_ciphers_are_aead_with_ecdhe(self):
        s = tls_connect(self.srv.port, client_ctx(self.crt, max_v=ssl.TLSVersion.TLSv1_2))
        try:
            name = s.cipher()[0]
            self.assertTrue(name.startswith("ECDHE-ECDSA-"), name)
            self.assertTrue("GCM" in name or "CHACHA20" in name, name)
        finally:
            s.close()
        # A CBC suite offered alone is refused.
        ctx = client_ctx(self.crt, max_v=ssl.TLSVersion.TLSv1_2, ciphers="ECDHE-ECDSA-AES128-SHA")
        with self.assertRaises(ssl.SSLError):
            tls_connect(self.srv.port, ctx).close()

    def test_session_resumption(self):
        for v in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = client_ctx(self.crt, min_v=v, max_v=v)
            s = tls_connect(self.srv.port, ctx)
            get_over(s)  # TLS 1.3 tickets arrive after the handshake
            sess = s.session
            self.assertFalse(s.session_reused)
            s.close()
            self.assertIsNotNone(sess)
            s2 = tls_connect(self.srv.port, ctx, session=sess)
            try:
                self.assertTrue(s2.session_reused, v)
                self.assertIn(b"200 OK", get_over(s2))
            finally:
                s2.close()

    def test_untrusted_client_refuses_and_plain_http_gets_nothing(self):
        # A client that does not trust the certificate refuses it.
        with self.assertRaises(ssl.SSLCertVerificationError):
            tls_connect(self.srv.port, ssl.create_default_context()).close()
        # Plain HTTP on the HTTPS port is never answered as HTTP.
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=10 * harness.SLOW)
        try:
            conn.request("GET", "/api/v1/health")
            reply = conn.getresponse()
            self.fail("plain HTTP answered with %d" % reply.status)
        except (http.client.HTTPException, ConnectionError, OSError):
            pass
        finally:
            conn.close()

    def redirect(self, method, path, host):
        conn = http.client.HTTPConnection("127.0.0.1", self.redirect_port, timeout=10 * harness.SLOW)
        try:
            conn.putrequest(method, path, skip_host=True)
            if host is not None:
                conn.putheader("Host", host)
            conn.putheader("Content-Length", "0")
            conn.endheaders()
            r = conn.getresponse()
            r.read()
            return r.status, r.getheader("Location")
        finally:
            conn.close()

    def test_redirect_front(self):
        tls = self.srv.port
        self.assertEqual(self.redirect("GET", "/a/b?c=d&e=%20", "exam.example:8080"),
                         (301, "https://exam.example:%d/a/b?c=d&e=%%20" % tls))
        self.assertEqual(self.redirect("POST", "/api/v1/candidate/login", "127.0.0.1"),
                         (301, "https://127.0.0.1:%d/api/v1/candidate/login" % tls))
        self.assertEqual(self.redirect("GET", "/", "[::1]:80"), (301, "https://[::1]:%d/" % tls))
        # The API and the files are not served there, only redirected.
        status, loc = self.redirect("GET", "/api/v1/health", "h")
        self.assertEqual((status, loc), (301, "https://h:%d/api/v1/health" % tls))
        # A Host that could smuggle anything into Location is refused.
        for bad in (None, "", "evil.example/x", "a b", "exam@evil", "[::1"):
            self.assertEqual(self.redirect("GET", "/x", bad)[0], 400, bad)

    def test_no_descriptor_leak(self):
        """Connections closed by the client at every stage (before the
        handshake, mid-handshake, after a request, without close_notify)
        give their descriptors back."""
        pid = self.srv.proc.pid
        c = self.w.client()
        c.get("/api/v1/health")  # the loop is warm
        c.close()
        base = open_fds(pid)
        for i in range(60):
            raw = socket.create_connection(("127.0.0.1", self.srv.port))
            if i % 3 == 0:
                raw.close()  # no ClientHello at all
            elif i % 3 == 1:
                raw.sendall(b"\x16\x03\x01\x00\x05hello")  # a broken record
                raw.close()
            else:
                s = self.ctx.wrap_socket(raw, server_hostname="127.0.0.1")
                s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                s.recv(100)
                raw_fd = s.detach()  # close the TCP socket without close_notify
                os.close(raw_fd)
        wait_until(lambda: open_fds(pid) <= base, 20 * harness.SLOW,
                   "the server's descriptors back to %d" % base)


class TlsStartupTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ujian-tls-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_cert_cli(self):
        crt, key = make_cert(self.dir, "ujian.example")
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(crt).st_mode & 0o777, 0o644)
        text = subprocess.run(["openssl", "x509", "-in", crt, "-noout", "-text"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("DNS:ujian.example", text)
        self.assertIn("ASN1 OID: prime256v1", text)
        self.assertIn("Version: 3", text)
        self.assertIn("CA:FALSE", text)
        dates = subprocess.run(["openssl", "x509", "-in", crt, "-noout", "-startdate",
                                "-enddate", "-dateopt", "iso_8601"],
                               capture_output=True, text=True, check=True).stdout
        start, end = [time.mktime(time.strptime(x.split("=")[1].strip(), "%Y-%m-%d %H:%M:%SZ"))
                      for x in dates.splitlines()]
        self.assertAlmostEqual((end - start) / 86400, 397, delta=0.01)
        # The key matches the certificate (openssl's own check).
        pub_c = subprocess.run(["openssl", "x509", "-in", crt, "-noout", "-pubkey"],
                               capture_output=True, check=True).stdout
        pub_k = subprocess.run(["openssl", "pkey", "-in", key, "-pubout"],
                               capture_output=True, check=True).stdout
        self.assertEqual(pub_c, pub_k)
        # An IP address gets an IP SAN; serials are random.
        crt2, _ = make_cert(self.dir, "10.1.2.3")
        text2 = subprocess.run(["openssl", "x509", "-in", crt2, "-noout", "-text", "-serial"],
                               capture_output=True, text=True, check=True).stdout
        self.assertIn("IP Address:10.1.2.3", text2)
        serial = lambda p: subprocess.run(["openssl", "x509", "-in", p, "-noout", "-serial"],  # noqa
                                          capture_output=True, text=True).stdout
        self.assertNotEqual(serial(crt), serial(crt2))
        # Nothing is overwritten: the files stay as they were.
        before = open(crt, "rb").read(), open(key, "rb").read()
        p = run("cert", "self-signed", "--out", self.dir, "--name", "ujian.example", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("ujian cert self-signed:", p.stderr)
        self.assertIn("exists already", p.stderr)
        self.assertEqual((open(crt, "rb").read(), open(key, "rb").read()), before)
        # Only the key exists: still refused, and no certificate appears.
        os.unlink(crt)
        p = run("cert", "self-signed", "--out", self.dir, "--name", "ujian.example", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertFalse(os.path.exists(crt))

    def test_cert_cli_bad_input(self):
        for args, code, needle in (
                (["cert"], 2, "expected 'self-signed'"),
                (["cert", "self-signed", "--name", "x"], 2, "--out"),
                (["cert", "self-signed", "--out", self.dir], 2, "--name"),
                (["cert", "self-signed", "--out", self.dir, "--name", "bad/name"], 1, "DNS name"),
                (["cert", "self-signed", "--out", self.dir, "--name", "-x.example"], 1, "DNS name"),
                (["cert", "self-signed", "--out", self.dir, "--name", "a..b"], 1, "DNS name"),
                (["cert", "self-signed", "--out", os.path.join(self.dir, "nope"), "--name", "h"],
                 1, "No such file")):
            p = run(*args, check=False)
            self.assertEqual(p.returncode, code, (args, p.stderr))
            self.assertIn(needle, p.stderr, args)
        self.assertEqual(os.listdir(self.dir), [])

    def test_rsa_key_works(self):
        crt, key = make_rsa_cert(self.dir)
        w = World(n_candidates=1)
        try:
            ctx = client_ctx(crt, max_v=ssl.TLSVersion.TLSv1_2)
            w.serve("--tls-cert", crt, "--tls-key", key, ssl_context=ctx)
            c = w.client()
            r = c.login("EX", "C001", w.password("C001"))
            self.assertEqual(r.status, 200)
            self.assertIn("Secure", r.headers["set-cookie"])
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            s = tls_connect(w.server.port, ctx)
            self.assertTrue(s.cipher()[0].startswith("ECDHE-RSA-"), s.cipher())
            s.close()
            s = tls_connect(w.server.port, client_ctx(crt))
            self.assertEqual(s.version(), "TLSv1.3")
            s.close()
        finally:
            w.close()

    def test_bad_cert_or_key_refused_at_startup(self):
        a_crt, a_key = make_cert(self.dir, "a.example")
        b_crt, b_key = make_cert(self.dir, "b.example")
        junk = os.path.join(self.dir, "junk.pem")
        with open(junk, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
        unreadable = os.path.join(self.dir, "secret.key")
        shutil.copy(a_key, unreadable)
        os.chmod(unreadable, 0)
        missing = os.path.join(self.dir, "missing.pem")
        # The database does not even exist: the TLS files are checked first.
        db = os.path.join(self.dir, "none.db")
        cases = [
            ([a_crt, b_key], "does not match the certificate"),
            ([missing, a_key], "--tls-cert %s: No such file or directory" % missing),
            ([a_crt, missing], "--tls-key %s: No such file or directory" % missing),
            ([junk, a_key], "--tls-cert %s: not a PEM certificate" % junk),
            ([a_crt, junk], "--tls-key %s: not an unencrypted PEM private key" % junk),
            ([a_crt, self.dir], "--tls-key %s: not a regular file" % self.dir),
        ]
        if os.geteuid() != 0:  # root reads any file
            cases.append(([a_crt, unreadable], "Permission denied"))
        for (crt, key), needle in cases:
            code, err = serve_fails(["--db", db, "--listen", "127.0.0.1:0", "--tls-cert", crt,
                                     "--tls-key", key])
            self.assertEqual(code, 1, err)
            self.assertIn(needle, err)
            self.assertNotIn("database", err)
        self.assertFalse(os.path.exists(db))
        # Usage errors: one of the pair, or a redirect without HTTPS.
        for args, needle in ((["--tls-cert", a_crt], "--tls-cert and --tls-key go together"),
                             (["--tls-key", a_key], "--tls-cert and --tls-key go together"),
                             (["--redirect-http", "127.0.0.1:0"], "--redirect-http needs --tls-cert")):
            code, err = serve_fails(["--db", db, *args])
            self.assertEqual(code, 2, err)
            self.assertIn("ujian serve: " + needle, err)

    def test_demo_refuses_bad_pair_before_creating_anything(self):
        a_crt, _ = make_cert(self.dir, "a.example")
        _, b_key = make_cert(self.dir, "b.example")
        db = os.path.join(self.dir, "demo.db")
        p = subprocess.run([harness.UJIAN, "demo", "--db", db, "--listen", "127.0.0.1:0",
                            "--tls-cert", a_crt, "--tls-key", b_key],
                           capture_output=True, text=True, timeout=30 * harness.SLOW)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("ujian demo: --tls-key", p.stderr)
        self.assertIn("does not match", p.stderr)
        self.assertFalse(os.path.exists(db))


if __name__ == "__main__":
    harness.main()
