"""Connection floods (issue 12, item 3): a per-address connection cap
(--max-conns-per-ip) checked at accept, and a deadline for receiving a
request's headers and body (--request-timeout), with the refusals counted
on /metrics."""
import errno
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW, UJIAN, World, main, wait_until  # noqa: E402
from test_metrics import parse  # noqa: E402

CAP = 5
DEADLINE = 2  # --request-timeout in these tests (idle timeout stays 30 s)
TRICKLE = 0.3  # seconds between trickled bytes


def closed_by_peer(s):
    """True once the server closed s (EOF or reset), without blocking."""
    prev = s.gettimeout()
    s.settimeout(0)  # a timeout would make Python wait for data first
    try:
        return s.recv(4096, socket.MSG_PEEK) == b""
    except (BlockingIOError, TimeoutError):
        return False
    except ConnectionError:
        return True
    finally:
        s.settimeout(prev)


def connect(port, source="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


class FloodTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=3)
        cls.w.serve("--metrics-listen", "127.0.0.1:0", "--max-conns-per-ip", str(CAP),
                    "--request-timeout", str(DEADLINE), "--idle-timeout", "30")
        log = cls.w.server.read_log()
        cls.mport = int(re.search(r"metrics on http://127\.0\.0\.1:(\d+)/metrics", log).group(1))
        cls.port = cls.w.server.port

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def metrics(self):
        c = http.client.HTTPConnection("127.0.0.1", self.mport, timeout=10 * SLOW)
        try:
            c.request("GET", "/metrics")
            return parse(c.getresponse().read().decode())
        finally:
            c.close()

    def refused(self, reason):
        return self.metrics()[("ujian_connections_refused_total", 'reason="%s"' % reason)]

    def login_from(self, source, regno="C002"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10 * SLOW,
                                       source_address=(source, 0))
        try:
            body = json.dumps({"exam": "EX", "registration_no": regno,
                               "password": self.w.password(regno)})
            c.request("POST", "/api/v1/candidate/login", body=body,
                      headers={"Content-Type": "application/json"})
            return c.getresponse().status
        finally:
            c.close()

    def keepalive(self):
        """A connection from 127.0.0.1 that had one request answered and
        stays open (keep-alive), as a candidate's browser holds one."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10 * SLOW)
        c.request("GET", "/api/v1/no-such-route")
        r = c.getresponse()
        r.read()
        self.assertEqual(r.status, 404)
        return c

    def trickle_until_closed(self, s, data):
        """Send data one byte every TRICKLE s until the server closes s;
        returns (seconds from the first byte, bytes sent)."""
        start = time.monotonic()
        sent = 0
        limit = start + (DEADLINE + 5) * SLOW
        while time.monotonic() < limit:
            if closed_by_peer(s):
                return time.monotonic() - start, sent
            try:
                s.send(data[sent % len(data):sent % len(data) + 1])
                sent += 1
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - start, sent
            time.sleep(TRICKLE)
        self.fail("the server kept a trickling connection open for %.1f s" %
                  (time.monotonic() - start))

    def test_cap_per_address_spares_other_addresses(self):
        base_open = self.metrics()[("ujian_connections_open", "")]
        before = self.refused("per_address_cap")
        held = [self.keepalive() for _ in range(CAP)]
        extra = []
        try:
            wait_until(lambda: self.metrics()[("ujian_connections_open", "")] >= base_open + CAP,
                       5, "the held connections to be counted")
            extra = [connect(self.port) for _ in range(3)]
            # Over the cap: closed at once, before any request.
            for s in extra:
                wait_until(lambda s=s: closed_by_peer(s), 5, "an over-cap connection to close")
            wait_until(lambda: self.refused("per_address_cap") == before + 3, 5,
                       "three refusals on /metrics")
            # Another address is served meanwhile.
            self.assertEqual(self.login_from("127.0.0.2"), 200)
            # The held ones are still open (not refused after the fact).
            self.assertFalse(any(closed_by_peer(c.sock) for c in held))
            self.assertIn("over the per-address connection cap", self.w.server.read_log())
        finally:
            for c in held:
                c.close()
            for s in extra:
                s.close()
        # Room again once they are gone.
        wait_until(lambda: self.metrics()[("ujian_connections_open", "")] <= base_open, 5,
                   "the closed connections to be uncounted")
        self.assertEqual(self.login_from("127.0.0.1"), 200)

    def test_header_trickle_closed_by_deadline(self):
        before = self.refused("request_deadline")
        s = connect(self.port)
        try:
            took, sent = self.trickle_until_closed(
                s, b"GET /api/v1/candidate/me HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200)
        finally:
            s.close()
        # Each byte came well within the idle timeout (30 s): only the
        # deadline can have closed it, and not before it.
        self.assertGreaterEqual(took, DEADLINE - 2 * TRICKLE)
        self.assertLess(took, DEADLINE + 2 * SLOW)
        self.assertGreater(sent, 3)
        wait_until(lambda: self.refused("request_deadline") >= before + 1, 5,
                   "the deadline close on /metrics")

    def test_body_trickle_closed_by_deadline(self):
        before = self.refused("request_deadline")
        s = connect(self.port)
        try:
            s.sendall(b"POST /api/v1/candidate/login HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n")
            took, sent = self.trickle_until_closed(s, b" " * 500)
        finally:
            s.close()
        self.assertLess(took, DEADLINE + 2 * SLOW)
        self.assertGreater(sent, 3)
        wait_until(lambda: self.refused("request_deadline") >= before + 1, 5,
                   "the deadline close on /metrics")

    def test_keepalive_candidate_unaffected(self):
        """A candidate's keep-alive connection idles between requests for
        longer than the request deadline and keeps being served on the same
        socket; a request in flight is not cut by the deadline either."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10 * SLOW)
        try:
            body = json.dumps({"exam": "EX", "registration_no": "C003",
                               "password": self.w.password("C003")})
            c.request("POST", "/api/v1/candidate/login", body=body,
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            token = json.loads(r.read())["token"]
            self.assertEqual(r.status, 200)
            sock = c.sock
            for _ in range(3):
                # Idle past the deadline (well within the idle timeout).
                wait_until(lambda t=time.monotonic(): time.monotonic() - t > DEADLINE + 0.5,
                           DEADLINE + 2, "the idle pause")
                self.assertFalse(closed_by_peer(sock))
                c.request("GET", "/api/v1/attempt", headers={"Authorization": "Bearer " + token})
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, 200)
                self.assertIs(c.sock, sock, "the keep-alive connection was replaced")
        finally:
            c.close()

    def test_slow_flood_smoke(self):
        """The `make bench` flood in small (docs/BENCHMARKS.md): 300 slow
        connections from 127.0.0.1 (ujian-bench slow) against a cap of 5,
        while a candidate from 127.0.0.2 logs in and answers throughout."""
        bench = os.path.join(os.path.dirname(UJIAN), "ujian-bench")
        before = self.refused("per_address_cap")
        p = subprocess.Popen([bench, "slow", "--url", "http://127.0.0.1:%d" % self.port,
                              "--conns", "300", "--seconds", "6", "--reconnect-ms", "500"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: self.refused("per_address_cap") >= before + 250, 10,
                       "the flood to meet the cap")
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10 * SLOW,
                                           source_address=("127.0.0.2", 0))
            body = json.dumps({"exam": "EX", "registration_no": "C001",
                               "password": self.w.password("C001")})
            c.request("POST", "/api/v1/candidate/login", body=body,
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            token = json.loads(r.read())["token"]
            self.assertEqual(r.status, 200)
            slowest, most_open = 0, 0
            while p.poll() is None:
                most_open = max(most_open, self.metrics()[("ujian_connections_open", "")])
                t = time.monotonic()
                c.request("GET", "/api/v1/attempt", headers={"Authorization": "Bearer " + token})
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, 200)
                slowest = max(slowest, time.monotonic() - t)
            self.assertLess(slowest, 2 * SLOW, "a candidate waited behind the flood")
            c.close()
        finally:
            out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        summary = json.loads(out)
        self.assertGreaterEqual(summary["refused_at_once"], 250)
        # The flood's address never held more than the cap (+1: the candidate).
        self.assertLessEqual(most_open, CAP + 1)


if __name__ == "__main__":
    main()  # TAP for scripts/run-tests.sh
