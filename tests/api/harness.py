"""Test harness for the API and CLI suites: builds temporary databases with the
real `ujian` binary, starts and kills the real server, speaks HTTP/JSON, and
prints TAP so scripts/run-tests.sh can count results.

Standard library only (python3 from Debian)."""

import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import unittest

UJIAN = os.environ.get("UJIAN_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "ujian")
UJIAN = os.path.abspath(UJIAN)
SANITIZED = os.environ.get("UJIAN_SANITIZED") == "1"
# Sanitized binaries are slower; give waits more room (never used as a
# correctness margin, only as an upper bound on polling).
SLOW = 4 if SANITIZED else 1


def run(*args, check=True, stdin=None):
    """Run `ujian ARGS`; returns CompletedProcess with text output."""
    p = subprocess.run([UJIAN, *args], capture_output=True, text=True, input=stdin)
    if check and p.returncode != 0:
        raise AssertionError("ujian %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


# ---------------------------------------------------------------------------
# A small bank whose keys the tests know.

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
       '<rect width="40" height="40" fill="#fff"/><circle cx="20" cy="20" r="%d" '
       'stroke="#000" stroke-width="2" fill="none"/></svg>')


def make_bank(directory, code="TB", n_per_section=6, marker="v1"):
    """Write a bank with sections TWK/TIU (right_wrong 5/0/0) and TKP
    (weighted) into directory; returns (path, info) where info maps each item's
    text to its section and option text -> points."""
    os.makedirs(os.path.join(directory, "img"), exist_ok=True)
    items, info = [], {}
    for sec in ("TWK", "TIU", "TKP"):
        for i in range(1, n_per_section + 1):
            item_id = "SECRETID-%s-%02d" % (sec, i)
            text = "Soal %s nomor %d (%s) <b>bukan html</b> & **tebal**" % (sec, i, marker)
            opts, points = [], {}
            for k in range(5):
                otext = "%s-%d jawaban %d %s" % (sec, i, k, marker)
                if sec == "TKP":
                    pts = ((k + i) % 5) + 1
                    opts.append({"text": otext, "points": pts})
                    points[otext] = pts
                else:
                    correct = k == (i % 5)
                    o = {"text": otext}
                    if correct:
                        o["correct"] = True
                    opts.append(o)
                    points[otext] = 5 if correct else 0
            item = {"id": item_id, "section": sec, "topic": "t%d" % (i % 2),
                    "difficulty": ["easy", "medium", "hard"][i % 3], "text": text,
                    "options": opts}
            if sec == "TIU" and i == 1:
                fname = "img/fig-%s.svg" % marker
                with open(os.path.join(directory, fname), "w") as f:
                    f.write(SVG % 10)
                ofname = "img/opt-%s.svg" % marker
                with open(os.path.join(directory, ofname), "w") as f:
                    f.write(SVG % 15)
                item["images"] = [fname]
                item["options"][2]["image"] = ofname
            items.append(item)
            info[text] = {"section": sec, "points": points, "id": item_id}
    bank = {"code": code, "title": "Bank uji", "sections": [
        {"code": "TWK", "title": "Wawasan", "scoring": {"type": "right_wrong", "correct": 5,
                                                        "wrong": 0, "blank": 0}},
        {"code": "TIU", "title": "Intelegensia", "scoring": {"type": "right_wrong",
                                                             "correct": 5, "wrong": 0,
                                                             "blank": 0}},
        {"code": "TKP", "title": "Karakter", "scoring": {"type": "weighted", "blank": 0}}],
        "items": items}
    path = os.path.join(directory, "bank-%s.json" % marker)
    with open(path, "w") as f:
        json.dump(bank, f, ensure_ascii=False)
    return path, info


def make_exam(directory, code="EX", bank="TB", duration_s=3600, draw=4, **extra):
    exam = {"code": code, "title": "Ujian %s" % code, "bank": bank, "duration_s": duration_s,
            "sections": [{"code": "TWK", "draw": draw}, {"code": "TIU", "draw": draw},
                         {"code": "TKP", "draw": draw}],
            "pass_rules": {"umum": {"sections": {"TWK": 10, "TIU": 10, "TKP": 10}},
                           "khusus": {"total": 30}}}
    exam.update(extra)
    path = os.path.join(directory, "exam-%s.json" % code)
    with open(path, "w") as f:
        json.dump(exam, f)
    return path


def write_csv(directory, name, rows, header="registration_no,name,password,track,extra_time_s"):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(r + "\n")
    return path


# ---------------------------------------------------------------------------
# The server process.

class Server:
    """A real `ujian serve` on a loopback port with a temporary database."""

    def __init__(self, workdir, db, extra_args=(), nofile=None, ssl_context=None, env=None):
        self.workdir = workdir
        self.env = env  # extra environment variables of the server process (libfaketime)
        self.db = db
        self.extra_args = list(extra_args)
        self.nofile = nofile  # hard limit on open files for the server process
        self.ssl_context = ssl_context  # clients speak HTTPS with it (--tls-cert)
        self.proc = None
        self.port = None
        self.log = os.path.join(workdir, "server.log")

    def start(self, timeout=10):
        args = [UJIAN, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % (self.port or 0),
                "--catalog-poll-ms", "200", *self.extra_args]
        logf = open(self.log, "a")
        limit = None
        if self.nofile:
            import resource
            n = self.nofile
            limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))  # noqa: E731
        env = dict(os.environ, **self.env) if self.env else None
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=logf, text=True,
                                     preexec_fn=limit, env=env)
        logf.close()
        line = self.proc.stdout.readline()
        scheme = "https://" if self.ssl_context else "http://"
        if "listening on " + scheme not in line:
            self.proc.kill()
            raise AssertionError("server did not start: %r\n%s" % (line, self.read_log()))
        addr = line.split(scheme)[1].split("/")[0]
        self.port = int(addr.rsplit(":", 1)[1])
        return self

    def read_log(self):
        with open(self.log) as f:
            return f.read()

    def kill9(self):
        """SIGKILL: no cleanup, no last heartbeat."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        self.proc = None

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=20 * SLOW)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("server did not stop on SIGTERM")
            self.proc.stdout.close()
            self.proc = None
            if rc != 0:
                raise AssertionError("server exited with %d:\n%s" % (rc, self.read_log()))

    def client(self):
        return Client("127.0.0.1", self.port, ssl_context=self.ssl_context)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        self.json = None
        ctype = headers.get("content-type", "")
        if body and ctype.startswith("application/json"):
            self.json = json.loads(body)

    @property
    def error(self):
        return self.json["error"]["code"] if self.json and "error" in self.json else None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.raw[:300])


class Client:
    """One keep-alive connection, like a browser tab."""

    def __init__(self, host, port, token=None, ssl_context=None):
        self.host, self.port, self.token = host, port, token
        self.ssl_context = ssl_context  # HTTPS when given
        self.conn = None

    def request(self, method, path, body=None, raw=None, headers=None, token=None):
        hdrs = dict(headers or {})
        tok = token if token is not None else self.token
        if tok:
            hdrs["Authorization"] = "Bearer " + tok
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        for attempt in range(2):
            if self.conn is None and self.ssl_context:
                self.conn = http.client.HTTPSConnection(self.host, self.port, timeout=30 * SLOW,
                                                        context=self.ssl_context)
            elif self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30 * SLOW)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                r = self.conn.getresponse()
                payload = r.read()
                resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, payload)
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def login(self, exam, regno, password, token=None):
        body = {"exam": exam, "registration_no": regno, "password": password}
        if token is not None:
            body["token"] = token
        r = self.post("/api/v1/candidate/login", body, token="")
        if r.status == 200:
            self.token = r.json["token"]
        return r

    def answer(self, n, option, rev, flagged=False):
        return self.put("/api/v1/attempt/answers/%d" % n,
                        {"option": option, "flagged": flagged, "rev": rev})


# ---------------------------------------------------------------------------
# A ready-made world: a database with bank TB, exam EX and candidates.

class World:
    """Temporary directory + database with the test bank, exam(s) and
    candidates. Candidate i has registration number C%03d and password
    pw-C%03d-secret."""

    def __init__(self, n_candidates=6, exam_extra=None, duration_s=3600):
        self.dir = tempfile.mkdtemp(prefix="ujian-test-")
        self.db = os.path.join(self.dir, "t.db")
        run("init", "--db", self.db)
        self.bank_path, self.info = make_bank(self.dir)
        run("bank", "import", "--db", self.db, self.bank_path)
        self.exam_path = make_exam(self.dir, duration_s=duration_s, **(exam_extra or {}))
        run("exam", "create", "--db", self.db, self.exam_path)
        self.candidates = {}
        if n_candidates:
            self.add_candidates("EX", ["C%03d" % i for i in range(1, n_candidates + 1)])
        self.server = None

    def add_candidates(self, exam, regnos, track="umum", extra=0):
        rows = ["%s,Peserta %s,pw-%s-secret,%s,%d" % (r, r, r, track, extra) for r in regnos]
        path = write_csv(self.dir, "cand-%s-%d.csv" % (exam, len(self.candidates)), rows)
        out = run("candidates", "import", "--db", self.db, "--exam", exam, path).stdout
        for r in regnos:
            self.candidates[r] = "pw-%s-secret" % r
        return out

    def password(self, regno):
        return self.candidates[regno]

    def add_staff(self, username, roles, exams=None, password=None, name=None):
        """A staff account made with the CLI; returns its password."""
        password = password or "pw-%s-staff-secret" % username
        args = ["staff", "add", "--db", self.db, "--username", username, "--role", roles,
                "--password-stdin"]
        if exams is not None:
            args += ["--exam", exams]
        if name:
            args += ["--name", name]
        run(*args, stdin=password + "\n")
        return password

    def staff_login(self, username, password=None):
        """(client, login JSON) of a fresh staff session; the client sends its
        Bearer token."""
        c = self.client()
        r = c.post("/api/v1/staff/login",
                   {"username": username, "password": password or "pw-%s-staff-secret" % username,
                    "bearer": True})
        assert r.status == 200, r
        c.token = r.json["token"]
        return c, r.json

    def serve(self, *extra_args, ssl_context=None, env=None):
        self.server = Server(self.dir, self.db, extra_args, ssl_context=ssl_context,
                             env=env).start()
        return self.server

    def client(self):
        return self.server.client()

    def logged_in(self, regno, exam="EX"):
        c = self.client()
        r = c.login(exam, regno, self.password(regno))
        assert r.status == 200, r
        return c

    def sql(self, query, *params):
        """Read the database directly (a separate connection, like an auditor)."""
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def sql_write(self, query, *params):
        """Change the database directly (a tamperer, or a test moving time)."""
        con = sqlite3.connect(self.db, timeout=30)
        try:
            con.execute(query, params)
            con.commit()
        finally:
            con.close()

    def close(self):
        if self.server and self.server.proc:
            self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # scoring the way the tests understand the bank
    def expected(self, paper, choices):
        """Per-section expected scores for choices {n: label or None}."""
        scores = {"TWK": 0, "TIU": 0, "TKP": 0}
        for q in paper["questions"]:
            label = choices.get(q["n"])
            if label is None:
                continue
            item = self.info[q["text"]]
            text = next(o["text"] for o in q["options"] if o["label"] == label)
            scores[item["section"]] += item["points"][text]
        return scores

    def best_label(self, q):
        item = self.info[q["text"]]
        return max(q["options"], key=lambda o: item["points"][o["text"]])["label"]

    def worst_label(self, q):
        item = self.info[q["text"]]
        return min(q["options"], key=lambda o: item["points"][o["text"]])["label"]


def wait_until(predicate, timeout, what):
    """Poll predicate every 50 ms until it returns a truthy value or timeout
    seconds pass (an upper bound, not a sleep the test relies on)."""
    end = time.monotonic() + timeout * SLOW
    while True:
        v = predicate()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def parse_time(s):
    """RFC 3339 with milliseconds and Z -> epoch seconds (float)."""
    import datetime
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()



# ---------------------------------------------------------------------------
# Server-Sent Events: a raw stream reader

class EventStream:
    """One text/event-stream response read from a raw socket: the status,
    then events as (id, event, data) with data parsed as JSON when it is.
    Comments (heartbeats) are counted, not returned."""

    def __init__(self, host, port, path, headers=None):
        import socket
        self.sock = socket.create_connection((host, port), timeout=10 * SLOW)
        lines = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (host, port),
                 "Accept: text/event-stream"]
        lines += ["%s: %s" % kv for kv in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        self.comments = 0
        head = self._until(b"\r\n\r\n", 10)
        first = head.split(b"\r\n")[0].decode()
        self.status = int(first.split()[1])
        self.headers = {}
        for ln in head.split(b"\r\n")[1:]:
            k, _, v = ln.decode().partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "")
        self.body = b""  # de-chunked bytes not yet parsed into events
        if self.status != 200:
            self.sock.settimeout(2 * SLOW)
            try:
                while True:
                    d = self.sock.recv(65536)
                    if not d:
                        break
                    self.buf += d
            except OSError:
                pass

    def _until(self, marker, timeout):
        end = time.monotonic() + timeout * SLOW
        while marker not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("stream: timed out")
            self.sock.settimeout(left)
            d = self.sock.recv(65536)
            if not d:
                raise AssertionError("stream: closed")
            self.buf += d
        i = self.buf.index(marker)
        out, self.buf = self.buf[:i], self.buf[i + len(marker):]
        return out

    def _feed(self, timeout):
        """Move at least one more chunk of payload into self.body."""
        if not self.chunked:
            if not self.buf:
                end = time.monotonic() + timeout
                self.sock.settimeout(max(end - time.monotonic(), 0.01))
                d = self.sock.recv(65536)
                if not d:
                    raise AssertionError("stream: closed")
                self.buf += d
            self.body, self.buf = self.body + self.buf, b""
            return
        size = int(self._until(b"\r\n", timeout).split(b";")[0], 16)
        if size == 0:
            raise AssertionError("stream: ended")
        while len(self.buf) < size + 2:
            self.sock.settimeout(timeout)
            d = self.sock.recv(65536)
            if not d:
                raise AssertionError("stream: closed")
            self.buf += d
        self.body += self.buf[:size]
        self.buf = self.buf[size + 2:]

    def next(self, timeout=10):
        """The next event (id, event, data), or AssertionError on timeout."""
        end = time.monotonic() + timeout * SLOW
        while True:
            while b"\n\n" in self.body:
                block, self.body = self.body.split(b"\n\n", 1)
                ev = {"id": None, "event": "message", "data": []}
                only_comments = True
                for ln in block.decode().split("\n"):
                    if ln.startswith(":"):
                        continue
                    only_comments = False
                    k, _, v = ln.partition(":")
                    v = v[1:] if v.startswith(" ") else v
                    if k == "data":
                        ev["data"].append(v)
                    elif k in ("id", "event"):
                        ev[k] = v
                if only_comments:
                    self.comments += 1
                    continue
                data = "\n".join(ev["data"])
                try:
                    data = json.loads(data)
                except ValueError:
                    pass
                return ev["id"], ev["event"], data
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("stream: no event in time")
            self._feed(left)

    def until(self, pred, timeout=10, what="an event"):
        """Read events until pred(id, event, data) holds; return that one."""
        end = time.monotonic() + timeout * SLOW
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("stream: timed out waiting for " + what)
            ev = self.next(left / SLOW)
            if pred(*ev):
                return ev

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

# ---------------------------------------------------------------------------
# TAP output

class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.n = 0

    def _line(self, ok, test, detail=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, test.id().split(".", 1)[-1]),
              flush=True)
        if detail:
            for line in detail.rstrip().splitlines():
                print("#   " + line, flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test, "".join(traceback.format_exception(*err)))

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test, "".join(traceback.format_exception(*err)))

    def addSubTest(self, test, subtest, err):
        # A failing subTest must show as "not ok" too (unittest reports it
        # here, not through addFailure).
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._line(False, subtest, "".join(traceback.format_exception(*err)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, "skipped: " + reason)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    result = TapResult()
    suite.run(result)
    print("1..%d" % result.n)
    sys.exit(0 if result.wasSuccessful() else 1)
