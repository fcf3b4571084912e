"""Least privilege (issue 12): `serve --user NAME` binds and opens as root,
then runs as NAME for good; as root without it the server warns; a
database that is not NAME's, or an unknown NAME, is refused before serving.
Needs root (skipped otherwise)."""
import os
import pwd
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import UJIAN, World, main  # noqa: E402

NOBODY = "nobody"


def uids_of(pid):
    """(real, effective, saved, fs) user ids of a process."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Uid:"):
                return tuple(int(x) for x in line.split()[1:5])
    raise AssertionError("no Uid line")


def chown_tree(top, uid, gid):
    os.chown(top, uid, gid)
    for base, dirs, files in os.walk(top):
        for n in dirs + files:
            os.chown(os.path.join(base, n), uid, gid)


@unittest.skipUnless(os.geteuid() == 0, "dropping privileges needs root")
class PrivilegeTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=2)
        self.pw = pwd.getpwnam(NOBODY)

    def tearDown(self):
        if self.w.server and self.w.server.proc:
            self.w.server.stop()

    def test_runs_as_the_user_and_still_writes(self):
        chown_tree(self.w.dir, self.pw.pw_uid, self.pw.pw_gid)
        self.w.serve("--user", NOBODY)
        self.assertEqual(uids_of(self.w.server.proc.pid), (self.pw.pw_uid,) * 4)
        c = self.w.logged_in("C001")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.answer(1, "A", 1).status, 200)
        self.assertEqual(self.w.sql("SELECT label FROM answers"), [("A",)])
        log = self.w.server.read_log()
        self.assertIn("running as user nobody", log)
        self.assertNotIn("running as root", log)
        # The files it created beside the database are the user's too.
        for suffix in ("-wal", "-shm"):
            p = self.w.db + suffix
            if os.path.exists(p):
                self.assertEqual(os.stat(p).st_uid, self.pw.pw_uid, p)
        self.w.server.stop()  # the clean stop's checkpoint works as the user

    def test_root_without_user_warns(self):
        self.w.serve()
        self.assertIn("running as root", self.w.server.read_log())
        self.assertIn("--user NAME", self.w.server.read_log())

    def refused(self, *args):
        p = subprocess.run([UJIAN, "serve", "--db", self.w.db, "--listen", "127.0.0.1:0",
                            *args], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        return p.stdout + p.stderr

    def test_database_not_the_users_is_refused(self):
        out = self.refused("--user", NOBODY)
        self.assertIn("must belong to nobody", out)
        self.assertIn("chown", out)
        self.assertNotIn("listening", out.split("must belong")[1])

    def test_unknown_user_and_root_are_refused(self):
        self.assertIn("no such user", self.refused("--user", "no-such-user-here"))
        self.assertIn("that is root", self.refused("--user", "root"))


class SystemdUnitTest(unittest.TestCase):
    """scripts/ujian.service runs as a dedicated user with the usual
    hardening, and its ExecStart is a command line ujian accepts."""

    UNIT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "ujian.service")

    def settings(self):
        out = {}
        with open(self.UNIT) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith(("#", "[")):
                    k, v = line.split("=", 1)
                    out[k] = v
        return out

    def test_hardening(self):
        s = self.settings()
        self.assertEqual(s["User"], "ujian")
        for k, v in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                     ("PrivateTmp", "yes"), ("ProtectHome", "yes"), ("UMask", "0077"),
                     ("ReadWritePaths", "/var/lib/ujian")):
            self.assertEqual(s.get(k), v, k)

    def test_exec_start_is_accepted(self):
        w = World(n_candidates=1)
        argv = self.settings()["ExecStart"].split()
        self.assertEqual(argv[1], "serve")
        # the unit's own options, on a test database, a free port, this web root
        args = []
        it = iter(argv[2:])
        for opt in it:
            val = next(it)
            if opt == "--db":
                val = w.db
            elif opt == "--listen":
                val = "127.0.0.1:0"
            elif opt == "--web-root":
                val = os.path.join(os.path.dirname(__file__), "..", "..", "client-web")
            args += [opt, val]
        p = subprocess.Popen([UJIAN, "serve", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            self.assertIn("listening on http://", p.stdout.readline())
        finally:
            p.terminate()
            p.wait(timeout=30)
            p.stdout.close()
            p.stderr.close()


if __name__ == "__main__":
    main()  # TAP for scripts/run-tests.sh
