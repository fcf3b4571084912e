"""Candidate API contract (docs/API.md) against the real server."""

import json
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, wait_until, parse_time  # noqa: E402


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=15)
        # An exam drawing every TIU item, so its papers always hold the figure item.
        run("exam", "create", "--db", cls.w.db, harness.make_exam(
            cls.w.dir, code="IMG", sections=[{"code": "TIU", "draw": 6}], pass_rules={}))
        cls.w.add_candidates("IMG", ["I1", "I2"])
        cls.w.serve()

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def fresh(self, regno):
        return self.w.logged_in(regno)

    # --- public routes -----------------------------------------------------

    def test_health(self):
        r = self.w.client().get("/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["status"], "ok")
        self.assertRegex(r.json["version"], r"^\d+\.\d+\.\d+$")

    def test_exams_open_lists_exam_without_token(self):
        r = self.w.client().get("/api/v1/exams/open")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json[0], {"code": "EX", "title": "Ujian EX", "duration_s": 3600,
                                     "token_required": False})
        self.assertEqual([e["code"] for e in r.json], ["EX", "IMG"])

    def test_unknown_route_and_method(self):
        c = self.w.client()
        r = c.get("/api/v1/nope")
        self.assertEqual((r.status, r.error), (404, "not_found"))
        self.assertTrue(r.json["error"]["message"])
        r = c.get("/api/v1/candidate/login")
        self.assertEqual((r.status, r.error), (405, "method_not_allowed"))

    # --- login -------------------------------------------------------------

    def test_login_wrong_password(self):
        r = self.w.client().login("EX", "C002", "salah-sekali")
        self.assertEqual((r.status, r.error), (401, "invalid_credentials"))
        self.assertIn("salah", r.json["error"]["message"])  # Indonesian message

    def test_login_unknown_candidate_and_exam(self):
        c = self.w.client()
        self.assertEqual(c.login("EX", "NOBODY", "whatever1").error, "invalid_credentials")
        self.assertEqual(c.login("NOEXAM", "C002", self.w.password("C002")).error,
                         "invalid_credentials")

    def test_login_body_validation(self):
        c = self.w.client()
        r = c.post("/api/v1/candidate/login", {"exam": "EX", "registration_no": "C002"})
        self.assertEqual((r.status, r.error), (400, "invalid_request"))
        self.assertIn("password", r.json["error"]["message"])
        r = c.post("/api/v1/candidate/login", {"exam": "EX", "registration_no": 5,
                                               "password": "x"})
        self.assertEqual((r.status, r.error), (400, "invalid_request"))
        r = c.post("/api/v1/candidate/login", raw=b'{"exam": "EX", ')
        self.assertEqual((r.status, r.error), (400, "bad_json"))
        r = c.post("/api/v1/candidate/login", raw=b'[1,2]')
        self.assertEqual((r.status, r.error), (400, "bad_json"))
        r = c.post("/api/v1/candidate/login",
                   raw=b'{"exam":"EX","exam":"EX","registration_no":"a","password":"b"}')
        self.assertEqual((r.status, r.error), (400, "bad_json"))

    def test_login_response_shape(self):
        c = self.w.client()
        r = c.login("EX", "C003", self.w.password("C003"))
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json["token"]), 43)
        self.assertEqual(r.json["candidate"], {"registration_no": "C003", "name": "Peserta C003"})
        self.assertEqual(r.json["exam"]["code"], "EX")
        self.assertEqual(r.json["exam"]["duration_s"], 3600)
        self.assertEqual([(s["code"], s["items"]) for s in r.json["exam"]["sections"]],
                         [("TWK", 4), ("TIU", 4), ("TKP", 4)])
        self.assertEqual(r.json["attempt"], {"status": "not_started"})
        self.assertIn("HttpOnly", r.headers["set-cookie"])

    def test_oversized_body(self):
        c = self.w.client()
        big = b'{"exam":"' + b"x" * (70 * 1024) + b'"}'
        r = c.post("/api/v1/candidate/login", raw=big)
        self.assertEqual((r.status, r.error), (413, "body_too_large"))

    def test_huge_body_refused_while_reading(self):
        """Beyond 16 x the limit libevent refuses the body from its
        Content-Length alone (413, connection closed), before reading it;
        the server stays up."""
        import socket
        s = socket.create_connection(("127.0.0.1", self.w.server.port), timeout=10)
        s.sendall(b"POST /api/v1/candidate/login HTTP/1.1\r\nHost: t\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n")
        reply = b""
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        s.close()
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:80])
        self.assertEqual(self.w.client().get("/api/v1/health").status, 200)

    def test_malformed_bytes_on_the_wire(self):
        """Broken HTTP and broken JSON, each on its own connection, get a 4xx
        (libevent's own 400 for what is not HTTP, our JSON error for what is),
        change nothing, and leave the server serving."""
        import random
        import socket
        c = self.fresh("C014")
        c.post("/api/v1/attempt/start")
        auth = b"Authorization: Bearer " + c.token.encode() + b"\r\n"

        def put1(body):
            return (b"PUT /api/v1/attempt/answers/1 HTTP/1.1\r\nHost: t\r\n" + auth +
                    b"Content-Length: %d\r\n\r\n" % len(body) + body)

        junk = bytes(random.Random(7).getrandbits(8) for _ in range(2048)) + b"\r\n\r\n"
        cases = [
            ("random bytes", junk, 400, None),
            ("NUL in the request line",
             b"GET /api/v1/health\x00 HTTP/1.1\r\nHost: t\r\n\r\n", 400, None),
            ("unknown HTTP version", b"GET /api/v1/health HTTP/9.9\r\nHost: t\r\n\r\n",
             400, None),
            ("200 KB header line",
             b"GET / HTTP/1.1\r\nX: " + b"a" * 200000 + b"\r\n\r\n", 400, None),
            ("negative Content-Length", b"POST /api/v1/candidate/login HTTP/1.1\r\n"
             b"Host: t\r\nContent-Length: -5\r\n\r\n", 400, None),
            ("Content-Length not a number", b"POST /api/v1/candidate/login HTTP/1.1\r\n"
             b"Host: t\r\nContent-Length: abc\r\n\r\n", 400, None),
            ("broken chunked body", b"POST /api/v1/candidate/login HTTP/1.1\r\nHost: t\r\n"
             b"Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n", None, None),
            ("invalid UTF-8 in JSON", put1(b'{"option":"A","flagged":false,"rev":1,"x":"\xff"}'),
             400, "bad_json"),
            ("NUL escape in a JSON string", put1(b'{"option":"A\\u0000","flagged":false,"rev":1}'),
             400, "bad_json"),
            ("rev beyond 64 bits",
             put1(b'{"option":"A","flagged":false,"rev":99999999999999999999999}'), 400, "bad_json"),
            ("rev beyond 2^53", put1(b'{"option":"A","flagged":false,"rev":9007199254740993}'),
             400, "invalid_request"),
            ("binary bearer token", b"GET /api/v1/attempt HTTP/1.1\r\nHost: t\r\n"
             b"Authorization: Bearer \xff\xfe\x00abc\r\n\r\n", 401, "unauthorized"),
            # Found by fuzz_http: the parser's complaint quotes the broken
            # bytes; the reply once could not be built and the server aborted.
            ("broken UTF-8 quoted in the JSON error",
             put1(b'{"exam":true,"x":"F00\\u000\xd0\x8c\x8c\x86ord"}'), 400, "bad_json"),
            # An unknown field's name cut to 40 bytes in the middle of a
            # two-byte character (the same abort, through another message).
            ("unknown field cut mid-character",
             put1(b'{"option":"A","flagged":false,"rev":1,"' + b"a" * 39 + "\u00e9".encode() +
                  b'":1}'), 400, "invalid_request"),
        ]
        for what, data, status, code in cases:
            s = socket.create_connection(("127.0.0.1", self.w.server.port), timeout=10)
            try:
                s.sendall(data)
                reply = b""
                while b"\r\n\r\n" not in reply or (code and not reply.endswith(b"}")):
                    try:
                        chunk = s.recv(65536)
                    except socket.timeout:
                        self.fail("%s: no complete reply, got %r" % (what, reply[:200]))
                    if not chunk:
                        break
                    reply += chunk
            finally:
                s.close()
            m = re.match(rb"HTTP/1\.1 (\d{3}) ", reply)
            self.assertTrue(m, "%s: no status line in %r" % (what, reply[:80]))
            got = int(m.group(1))
            if status is None:
                self.assertTrue(400 <= got < 500, "%s: %d" % (what, got))
            else:
                self.assertEqual(got, status, what)
            if code:
                body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
                self.assertEqual(body["error"]["code"], code, what)
        # Nothing was stored, and the server and the session still work.
        self.assertEqual(self.w.sql("SELECT count(*) FROM answers a JOIN candidates c ON "
                                    "c.id = a.candidate_id WHERE registration_no = 'C014'"),
                         [(0,)])
        r = c.answer(1, "B", 1)
        self.assertEqual((r.status, r.json["option"], r.json["rev"]), (200, "B", 1))

    # --- sessions ----------------------------------------------------------

    def test_missing_and_garbage_token(self):
        c = self.w.client()
        r = c.get("/api/v1/attempt")
        self.assertEqual((r.status, r.error), (401, "unauthorized"))
        r = c.get("/api/v1/attempt", token="x" * 43)
        self.assertEqual((r.status, r.error), (401, "unauthorized"))

    def test_new_login_replaces_session(self):
        a = self.fresh("C004")
        old = a.token
        self.assertEqual(a.get("/api/v1/attempt").status, 200)
        b = self.fresh("C004")
        r = a.get("/api/v1/attempt")
        self.assertEqual((r.status, r.error), (401, "session_replaced"))
        self.assertEqual(b.get("/api/v1/attempt").status, 200)
        self.assertNotEqual(old, b.token)
        kinds = [k for (k,) in self.w.sql(
            "SELECT kind FROM events e JOIN candidates c ON c.id = e.candidate_id "
            "WHERE c.registration_no = 'C004' ORDER BY e.id")]
        self.assertEqual(kinds, ["login", "session_replaced", "login"])

    def test_logout(self):
        c = self.fresh("C005")
        tok = c.token
        r = c.post("/api/v1/candidate/logout")
        self.assertEqual(r.status, 204)
        r = c.get("/api/v1/attempt", token=tok)
        self.assertEqual((r.status, r.error), (401, "unauthorized"))
        self.assertEqual(self.w.sql("SELECT state FROM sessions s JOIN candidates c ON "
                                    "c.id = s.candidate_id WHERE registration_no = 'C005'"),
                         [("logged_out",)])

    # --- the attempt -------------------------------------------------------

    def test_attempt_before_start(self):
        c = self.fresh("C006")
        r = c.get("/api/v1/attempt")
        self.assertEqual(r.json["attempt"]["status"], "not_started")
        self.assertEqual(r.json["attempt"]["remaining_ms"], 3600 * 1000)
        self.assertEqual(c.answer(1, "A", 1).error, "not_started")
        self.assertEqual(c.post("/api/v1/attempt/finish").error, "not_started")
        self.assertEqual(c.get("/api/v1/attempt/result").error, "not_finished")

    def test_start_is_idempotent(self):
        c = self.fresh("C007")
        p1 = c.post("/api/v1/attempt/start")
        self.assertEqual(p1.status, 200)
        p2 = c.post("/api/v1/attempt/start")
        self.assertEqual(p2.status, 200)
        self.assertEqual(p1.json["questions"], p2.json["questions"])
        self.assertEqual(p1.json["attempt"]["started_at"], p2.json["attempt"]["started_at"])
        self.assertEqual(p1.json["attempt"]["deadline"], p2.json["attempt"]["deadline"])
        self.assertEqual(parse_time(p1.json["attempt"]["deadline"]) -
                         parse_time(p1.json["attempt"]["started_at"]), 3600)
        # The paper's shape: sections with n ranges, 12 questions numbered 1..12.
        self.assertEqual([(s["code"], s["from"], s["to"]) for s in p1.json["sections"]],
                         [("TWK", 1, 4), ("TIU", 5, 8), ("TKP", 9, 12)])
        self.assertEqual([q["n"] for q in p1.json["questions"]], list(range(1, 13)))
        for q in p1.json["questions"]:
            self.assertEqual([o["label"] for o in q["options"]], list("ABCDE"))
        g = c.get("/api/v1/attempt")
        self.assertEqual(g.json["questions"], p1.json["questions"])
        light = c.get("/api/v1/attempt?view=clock").json
        self.assertEqual(list(light), ["attempt", "notices"])  # notices: proctors' broadcasts
        self.assertEqual(light["attempt"]["deadline"], p1.json["attempt"]["deadline"])
        self.assertLessEqual(light["attempt"]["remaining_ms"], p1.json["attempt"]["remaining_ms"])
        self.assertEqual(c.get("/api/v1/attempt?view=all").error, "invalid_request")

    def test_answers_and_revisions(self):
        c = self.fresh("C008")
        c.post("/api/v1/attempt/start")
        r = c.answer(2, "C", 1, flagged=True)
        self.assertEqual(r.status, 200)
        self.assertEqual({k: r.json[k] for k in ("n", "option", "flagged", "rev")},
                         {"n": 2, "option": "C", "flagged": True, "rev": 1})
        self.assertGreater(r.json["remaining_ms"], 3500 * 1000)
        self.assertIn("server_time", r.json)
        r = c.answer(2, "D", 3)
        self.assertEqual((r.json["option"], r.json["rev"]), ("D", 3))
        # Stale rev: nothing changes, the stored state comes back.
        r = c.answer(2, "A", 2, flagged=True)
        self.assertEqual(r.status, 200)
        self.assertEqual((r.json["option"], r.json["flagged"], r.json["rev"]), ("D", False, 3))
        r = c.answer(2, "A", 3)
        self.assertEqual((r.json["option"], r.json["rev"]), ("D", 3))
        # Clearing an answer.
        r = c.answer(2, None, 4)
        self.assertEqual((r.json["option"], r.json["rev"]), (None, 4))
        stored = self.w.sql("SELECT a.label, a.flagged, a.rev FROM answers a JOIN candidates c "
                            "ON c.id = a.candidate_id WHERE c.registration_no = 'C008' AND n = 2")
        self.assertEqual(stored, [(None, 0, 4)])
        g = c.get("/api/v1/attempt")
        self.assertEqual(g.json["answers"], [{"n": 2, "option": None, "flagged": False, "rev": 4}])
        events = self.w.sql("SELECT n, label, rev FROM events e JOIN candidates c ON "
                            "c.id = e.candidate_id WHERE c.registration_no = 'C008' AND "
                            "kind = 'answer' ORDER BY e.id")
        self.assertEqual(events, [(2, "C", 1), (2, "D", 3), (2, None, 4)])

    def test_position_follows_the_candidate(self):
        c = self.fresh("C013")
        self.assertEqual(c.put("/api/v1/attempt/position", {"n": 3}).error, "not_started")
        p = c.post("/api/v1/attempt/start").json
        self.assertEqual(p["position"], 1)
        r = c.put("/api/v1/attempt/position", {"n": 7})
        self.assertEqual((r.status, r.json), (200, {"n": 7}))
        for bad, code in (({"n": 0}, "no_such_question"), ({"n": 13}, "no_such_question"),
                          ({"n": "7"}, "invalid_request"), ({}, "invalid_request"),
                          ({"n": 2, "x": 1}, "invalid_request")):
            self.assertEqual(c.put("/api/v1/attempt/position", bad).error, code, bad)
        # another PC lands where the candidate was
        other = self.fresh("C013")
        self.assertEqual(other.get("/api/v1/attempt").json["position"], 7)
        self.assertEqual(self.w.sql("SELECT position FROM attempts a JOIN candidates c ON "
                                    "c.id = a.candidate_id WHERE registration_no = 'C013'"),
                         [(7,)])

    def test_answer_validation(self):
        c = self.fresh("C009")
        c.post("/api/v1/attempt/start")
        for path in ("0", "13", "999", "abc", "1x", "", "-1"):
            r = c.put("/api/v1/attempt/answers/" + path, {"option": "A", "flagged": False,
                                                          "rev": 1})
            self.assertEqual((r.status, r.error), (404, "no_such_question"), path)
        for opt in ("F", "Z", "a", "AB", "", 1):
            r = c.put("/api/v1/attempt/answers/1", {"option": opt, "flagged": False, "rev": 1})
            self.assertEqual((r.status, r.error), (400, "invalid_option"), opt)
        r = c.put("/api/v1/attempt/answers/1", {"option": "A", "flagged": False})
        self.assertEqual((r.status, r.error), (400, "invalid_request"))
        self.assertIn("rev", r.json["error"]["message"])
        for rev in (0, -3, 1.5, "2"):
            r = c.put("/api/v1/attempt/answers/1", {"option": "A", "flagged": False, "rev": rev})
            self.assertEqual((r.status, r.error), (400, "invalid_request"), rev)
        r = c.put("/api/v1/attempt/answers/1", {"option": "A", "flagged": "yes", "rev": 1})
        self.assertEqual((r.status, r.error), (400, "invalid_request"))
        r = c.put("/api/v1/attempt/answers/1", {"option": "A", "flagged": False, "rev": 1,
                                                "extra": 1})
        self.assertEqual((r.status, r.error), (400, "invalid_request"))
        r = c.put("/api/v1/attempt/answers/1", raw=b"{not json")
        self.assertEqual((r.status, r.error), (400, "bad_json"))
        # None of the above changed anything.
        self.assertEqual(self.w.sql("SELECT count(*) FROM answers a JOIN candidates c ON "
                                    "c.id = a.candidate_id WHERE registration_no = 'C009'"),
                         [(0,)])

    def test_full_exam_scored(self):
        c = self.fresh("C010")
        paper = c.post("/api/v1/attempt/start").json
        choices = {}
        qs = paper["questions"]
        # best answer on half the questions, worst on some, blank on the rest
        for i, q in enumerate(qs):
            if i % 3 == 0:
                choices[q["n"]] = self.w.best_label(q)
            elif i % 3 == 1:
                choices[q["n"]] = self.w.worst_label(q)
        rev = 1
        for n, label in choices.items():
            # first a different answer, then the final one: the last choice counts
            other = "A" if label != "A" else "B"
            self.assertEqual(c.answer(n, other, rev).status, 200)
            self.assertEqual(c.answer(n, label, rev + 1).status, 200)
            rev += 2
        exp = self.w.expected(paper, choices)
        r = c.post("/api/v1/attempt/finish")
        self.assertEqual(r.status, 200)
        res = r.json
        self.assertEqual(res["status"], "finished")
        self.assertEqual(res["finish_reason"], "submitted")
        got = {s["code"]: s["score"] for s in res["sections"]}
        self.assertEqual(got, exp)
        self.assertEqual(res["total"], sum(exp.values()))
        self.assertEqual([s["max"] for s in res["sections"]], [20, 20, 20])
        self.assertEqual(res["max_total"], 60)
        self.assertEqual(res["passed"], all(v >= 10 for v in exp.values()))
        # idempotent finish and result
        self.assertEqual(c.post("/api/v1/attempt/finish").json, res)
        self.assertEqual(c.get("/api/v1/attempt/result").json, res)
        g = c.get("/api/v1/attempt").json
        self.assertEqual(g["result"], res)
        self.assertEqual(g["attempt"]["status"], "finished")
        # closed for changes
        self.assertEqual(c.answer(1, "A", 1000).error, "attempt_closed")
        self.assertEqual(c.post("/api/v1/attempt/start").error, "attempt_closed")
        row = self.w.sql("SELECT status, finish_reason, total, passed FROM attempts a JOIN "
                         "candidates c ON c.id = a.candidate_id WHERE registration_no = 'C010'")
        self.assertEqual(row, [("finished", "submitted", sum(exp.values()),
                                int(res["passed"]))])
        # The audit log has exactly one finish, with its reason and total,
        # however often finish was called.
        fin = self.w.sql("SELECT detail FROM events e JOIN candidates c ON c.id = "
                         "e.candidate_id WHERE registration_no = 'C010' AND kind = 'finish'")
        self.assertEqual([json.loads(d) for (d,) in fin],
                         [{"reason": "submitted", "total": sum(exp.values())}])

    def test_events_record_who_and_canonical_detail(self):
        """Every event names its actor (here the candidate: login, start,
        answer, finish) and stores its detail in the one canonical encoding
        (compact JSON, keys sorted)."""
        c = self.fresh("C015")
        c.post("/api/v1/attempt/start")
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        self.assertEqual(c.post("/api/v1/attempt/finish").status, 200)
        cid = self.w.sql("SELECT id FROM candidates WHERE registration_no = 'C015'")[0][0]
        rows = self.w.sql("SELECT kind, actor_kind, actor_id, detail FROM events "
                          "WHERE candidate_id = ? ORDER BY id", cid)
        self.assertEqual([r[0] for r in rows], ["login", "start", "answer", "finish"])
        self.assertEqual({(r[1], r[2]) for r in rows}, {("candidate", cid)})
        for kind, _, _, detail in rows:
            if detail is not None:
                self.assertEqual(detail, json.dumps(json.loads(detail), sort_keys=True,
                                                    separators=(",", ":"), ensure_ascii=True),
                                 kind)

    def test_papers_differ_between_candidates(self):
        orders = []
        for regno in ("C011", "C012"):
            c = self.fresh(regno)
            p = c.post("/api/v1/attempt/start").json
            orders.append([(q["text"], tuple(o["text"] for o in q["options"]))
                           for q in p["questions"]])
        self.assertNotEqual(orders[0], orders[1])

    def test_no_keys_or_foreign_items_in_candidate_responses(self):
        c = self.fresh("C001")
        bodies = [c.get("/api/v1/exams/open").raw, c.get("/api/v1/attempt").raw]
        start = c.post("/api/v1/attempt/start")
        bodies.append(start.raw)
        paper = start.json
        bodies.append(c.answer(1, "A", 1).raw)
        bodies.append(c.get("/api/v1/attempt").raw)
        bodies.append(c.post("/api/v1/attempt/finish").raw)
        bodies.append(c.get("/api/v1/attempt/result").raw)
        bodies.append(c.get("/api/v1/attempt").raw)
        mine = {q["text"] for q in paper["questions"]}
        for body in bodies:
            text = body.decode()
            doc = json.loads(text)
            keys = set()

            def walk(v):
                if isinstance(v, dict):
                    for k, x in v.items():
                        keys.add(k)
                        walk(x)
                elif isinstance(v, list):
                    for x in v:
                        walk(x)
            walk(doc)
            for banned in ("correct", "points", "value", "weight", "key", "id", "item_id"):
                self.assertNotIn(banned, keys, text[:200])
            self.assertNotIn("SECRETID", text)
            self.assertNotIn("sha256", text)
            for qtext, item in self.w.info.items():
                if qtext not in mine:
                    self.assertNotIn(json.dumps(qtext)[1:-1], text)
                    for otext in item["points"]:
                        self.assertNotIn(otext, text)

    def test_images_only_for_their_candidate(self):
        a = self.w.logged_in("I1", exam="IMG")
        paper = a.post("/api/v1/attempt/start").json
        q = next(q for q in paper["questions"] if q["images"])
        url = q["images"][0]
        self.assertNotIn("SECRETID", url)
        r = a.get(url)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["content-type"], "image/svg+xml")
        self.assertTrue(r.raw.startswith(b"<svg"))
        self.assertIn("sandbox", r.headers["content-security-policy"])
        opt = next(o for o in q["options"] if "image" in o)
        self.assertEqual(a.get(opt["image"]).status, 200)
        # A plain <img> sends the cookie set at login, not the bearer token.
        r = a.get(url, token="", headers={"Cookie": "ujian_img=" + a.token})
        self.assertEqual(r.status, 200)
        # Nobody else: no credentials, another candidate's token or cookie.
        self.assertEqual(a.get(url, token="").status, 401)
        b = self.w.logged_in("I2", exam="IMG")
        b.post("/api/v1/attempt/start")
        self.assertEqual(b.get(url).status, 404)
        self.assertEqual(b.get(url, token="", headers={"Cookie": "ujian_img=" + b.token}).status,
                         404)
        # A question without images has no image URL to guess.
        plain = next(x for x in paper["questions"] if not x["images"])
        self.assertEqual(a.get(url.rsplit("/", 2)[0] + "/%d/q1" % plain["n"]).status, 404)


class TokenAndWindowTest(unittest.TestCase):
    """Sitting token and the exam window, each on its own exam."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=0)
        d = cls.w.dir
        run("exam", "create", "--db", cls.w.db,
            harness.make_exam(d, code="TOK", token="Ab12Cd"))
        run("exam", "create", "--db", cls.w.db,
            harness.make_exam(d, code="LATER", opens_at="2099-01-01T08:00:00+07:00"))
        run("exam", "create", "--db", cls.w.db,
            harness.make_exam(d, code="PAST", closes_at="2001-01-01T08:00:00+07:00"))
        cls.w.add_candidates("TOK", ["T1", "T2"])
        cls.w.add_candidates("LATER", ["L1"])
        cls.w.add_candidates("PAST", ["P1"])
        cls.w.serve()

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_open_list(self):
        r = self.w.client().get("/api/v1/exams/open").json
        self.assertEqual([e["code"] for e in r], ["EX", "TOK"])
        self.assertTrue(next(e for e in r if e["code"] == "TOK")["token_required"])

    def test_token(self):
        c = self.w.client()
        self.assertEqual(c.login("TOK", "T1", self.w.password("T1")).error, "token_required")
        r = c.login("TOK", "T1", self.w.password("T1"), token="WRONG1")
        self.assertEqual((r.status, r.error), (403, "token_invalid"))
        # proctors read tokens aloud: case does not matter
        self.assertEqual(c.login("TOK", "T1", self.w.password("T1"), token="aB12cD").status, 200)

    def test_window(self):
        c = self.w.client()
        r = c.login("LATER", "L1", self.w.password("L1"))
        self.assertEqual((r.status, r.error), (403, "exam_closed"))
        r = c.login("PAST", "P1", self.w.password("P1"))
        self.assertEqual((r.status, r.error), (403, "exam_closed"))


class RateLimitTest(unittest.TestCase):
    """Each test gets its own server: both limits count per client address,
    and all tests come from 127.0.0.1."""

    def setUp(self):
        self.w = World(n_candidates=8)
        self.w.serve("--addr-limit", "12/60")

    def tearDown(self):
        self.w.close()

    def test_per_registration_number(self):
        c = self.w.client()
        for i in range(6):
            r = c.login("EX", "C001", "wrong-%d" % i)
            self.assertEqual(r.error, "invalid_credentials", i)
        # more than 5 failures within 5 minutes: refused, even the right password
        r = c.login("EX", "C001", self.w.password("C001"))
        self.assertEqual((r.status, r.error), (429, "too_many_attempts"))
        # another candidate on the same PC is not locked out by it
        self.assertEqual(c.login("EX", "C002", self.w.password("C002")).status, 200)
        fails = self.w.sql("SELECT count(*) FROM events e JOIN candidates c ON "
                           "c.id = e.candidate_id WHERE registration_no = 'C001' AND "
                           "kind = 'login_failed'")
        self.assertEqual(fails, [(6,)])

    def test_per_address(self):
        c = self.w.client()
        # failures spread over many registration numbers from one address
        for i in range(6):
            self.assertEqual(c.login("EX", "NOBODY%d" % i, "x" * 10).error,
                             "invalid_credentials")
        successes = 0
        for regno in ("C003", "C004", "C005"):
            successes += c.login("EX", regno, self.w.password(regno)).status == 200
        self.assertEqual(successes, 3)  # successes never count
        codes = [c.login("EX", "NOBODY-B%d" % i, "x" * 10).error for i in range(8)]
        self.assertIn("too_many_attempts", codes)
        r = c.login("EX", "C006", self.w.password("C006"))
        self.assertEqual((r.status, r.error), (429, "too_many_attempts"))


class ServeOptionsTest(unittest.TestCase):
    """The limits `ujian serve` takes from its options are the ones it applies."""

    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=2)
        cls.w.serve("--max-body", "2048", "--login-limit", "2/60", "--idle-timeout", "2")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_max_body(self):
        c = self.w.client()
        small = b'{"exam":"EX","registration_no":"C001","password":"' + b"x" * 1500 + b'"}'
        big = b'{"exam":"EX","registration_no":"C001","password":"' + b"x" * 3000 + b'"}'
        self.assertEqual(c.post("/api/v1/candidate/login", raw=small).error, "invalid_credentials")
        r = c.post("/api/v1/candidate/login", raw=big)
        self.assertEqual((r.status, r.error), (413, "body_too_large"))

    def test_login_limit(self):
        c = self.w.client()
        # "more than 2": three wrong passwords are answered, the fourth attempt is refused
        for i in range(3):
            self.assertEqual(c.login("EX", "C002", "wrong-%d" % i).error, "invalid_credentials")
        r = c.login("EX", "C002", self.w.password("C002"))
        self.assertEqual((r.status, r.error), (429, "too_many_attempts"))

    def test_idle_timeout_closes_keep_alive_connections(self):
        import socket
        s = socket.create_connection(("127.0.0.1", self.w.server.port), timeout=15)
        try:
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n")
            reply = b""
            while b'"status"' not in reply:
                reply += s.recv(4096)
            self.assertTrue(reply.startswith(b"HTTP/1.1 200"), reply[:40])
            t0 = time.monotonic()
            self.assertEqual(s.recv(4096), b"", "the server closes the idle connection")
            idle = time.monotonic() - t0
        finally:
            s.close()
        self.assertGreater(idle, 1.0, "closed too early")
        self.assertLess(idle, 6.0 * harness.SLOW, "not closed after --idle-timeout 2")


class LiveCatalogTest(unittest.TestCase):
    """Exams and candidates added while the server runs."""

    def setUp(self):
        self.w = World(n_candidates=1)
        self.w.serve()

    def tearDown(self):
        self.w.close()

    def test_late_registration_and_new_exam(self):
        c = self.w.client()
        self.assertEqual(c.login("EX", "LATE1", "pw-LATE1-secret").error, "invalid_credentials")
        self.w.add_candidates("EX", ["LATE1"])
        wait_until(lambda: c.login("EX", "LATE1", "pw-LATE1-secret").status == 200, 5,
                   "the late candidate to be able to log in")
        run("exam", "create", "--db", self.w.db, harness.make_exam(self.w.dir, code="NEW"))
        wait_until(lambda: any(e["code"] == "NEW" for e in c.get("/api/v1/exams/open").json),
                   5, "the new exam to be listed")
        self.w.add_candidates("NEW", ["N1"])
        n = self.w.client()
        wait_until(lambda: n.login("NEW", "N1", "pw-N1-secret").status == 200, 5,
                   "a candidate of the new exam to log in")
        self.assertEqual(n.post("/api/v1/attempt/start").status, 200)

    def test_bank_update_keeps_existing_papers(self):
        c = self.w.logged_in("C001")
        before = c.post("/api/v1/attempt/start").json["questions"]
        path, _ = harness.make_bank(self.w.dir, marker="v2")
        out = run("bank", "import", "--db", self.w.db, path).stdout
        self.assertIn("version 2", out)
        self.w.add_candidates("EX", ["V2CAND"])
        n = self.w.client()
        wait_until(lambda: n.login("EX", "V2CAND", "pw-V2CAND-secret").status == 200, 5,
                   "the new candidate")
        newpaper = n.post("/api/v1/attempt/start").json["questions"]
        self.assertTrue(all("(v2)" in q["text"] for q in newpaper))
        self.w.server.stop()
        self.w.server.start()
        c.close()
        after = c.get("/api/v1/attempt").json["questions"]
        self.assertEqual(before, after)
        self.assertTrue(all("(v1)" in q["text"] for q in after))


class StaticFilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=0)
        os.makedirs(os.path.join(cls.w.dir, "web", "sub"))
        with open(os.path.join(cls.w.dir, "web", "index.html"), "w") as f:
            f.write("<!doctype html><title>t</title>")
        with open(os.path.join(cls.w.dir, "web", "sub", "a.js"), "w") as f:
            f.write("export const x = 1;")
        with open(os.path.join(cls.w.dir, "secret.txt"), "w") as f:
            f.write("secret")
        cls.w.serve("--web-root", os.path.join(cls.w.dir, "web"))

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_serves_files(self):
        c = self.w.client()
        r = c.get("/")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.raw, b"<!doctype html><title>t</title>")
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        self.assertIn("default-src 'self'", r.headers["content-security-policy"])
        r = c.get("/sub/a.js")
        self.assertEqual(r.raw, b"export const x = 1;")
        self.assertTrue(r.headers["content-type"].startswith("text/javascript"))

    def test_no_escape_from_web_root(self):
        c = self.w.client()
        for p in ("/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt",
                  "/.hidden", "/nope.html"):
            r = c.get(p)
            self.assertEqual(r.status, 404, p)
            self.assertNotIn(b"secret", r.raw)

    def test_http_strictness(self):
        """No protocol-relative redirect (a path starting with two slashes is
        404, never 301 to //host), an encoded NUL never cuts a name short,
        and two Content-Length headers are refused (400) instead of the
        first one winning."""
        import socket
        c = self.w.client()
        for p in ("/%2fsub", "//sub", "/sub//a.js", "/index.html%00.png", "/sub/a.js%00"):
            r = c.get(p)
            self.assertEqual(r.status, 404, p)
            self.assertNotIn("location", r.headers, p)
        self.assertEqual(c.get("/sub").headers.get("location"), "/sub/")
        body = b'{"exam":"X","registration_no":"Y","password":"z"}'
        req = (b"POST /api/v1/candidate/login HTTP/1.1\r\nHost: t\r\n"
               b"Content-Type: application/json\r\nContent-Length: %d\r\n"
               b"Content-Length: 5\r\nConnection: close\r\n\r\n" % len(body) + body)
        s = socket.create_connection(("127.0.0.1", self.w.server.port), timeout=10)
        try:
            s.sendall(req)
            reply = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        finally:
            s.close()
        self.assertTrue(reply.startswith(b"HTTP/1.1 400 "), reply[:80])
        self.assertIn(b'"invalid_request"', reply)


if __name__ == "__main__":
    harness.main()
