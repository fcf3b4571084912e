#!/usr/bin/env python3
"""Crash harness: a load of simulated candidates taking a whole exam while the
server is SIGKILLed at random moments and at crash points compiled into a test
build (after COMMIT before the reply; in the middle of a batch), restarted each
time. Afterwards:

- `ujian verify` checks that every acknowledged answer is stored (rev >= the
  acknowledged one), every finished attempt's score equals a recomputation, and
  every paper loads (every attempt resumable);
- every attempt that was running during an outage was credited the downtime
  (the configured policy: --outage-credit on), within the heartbeat's accuracy;
- a sample of candidates logs in again and reads their attempt.

With --faults N (a server built with -DUJIAN_FAULTS, make fault-build) the
plan also holds N storage faults (issue 12): at a random moment "disk full"
or an I/O error is switched on (store/faultvfs.h: UJIAN_FAULT_FILE) for a
random 0.2 to --fault-max seconds, then off; in about a third of them the
server is SIGKILLed while the disk is out and restarted once it is back.
The server must live through every fault (no abort), the load generator
retries what got 503 storage_unavailable, and the same checks apply: no
acknowledged answer lost, each storage outage credited to the attempts
running through it.

Prints TAP (one line per check) and a JSON summary; exit 0 only if all pass.
Used by `make crash-test` (full) and `make bench-smoke` (short, inside make test).
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
import harness  # noqa: E402
import skd_db  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ujian", required=True, help="server binary built with -DUJIAN_CRASHPOINTS")
    p.add_argument("--bench", required=True, help="ujian-bench binary")
    p.add_argument("--candidates", type=int, default=500)
    p.add_argument("--duration", type=int, default=40, help="exam duration in seconds")
    p.add_argument("--window", type=int, default=5, help="login window (start storm) in seconds")
    p.add_argument("--kills", type=int, default=1, help="random SIGKILLs")
    p.add_argument("--crashpoints", type=int, default=0,
                   help="restarts armed with a compiled-in crash point")
    p.add_argument("--faults", type=int, default=0,
                   help="storage faults (disk full / I/O error) at random moments; needs a "
                        "server built with -DUJIAN_FAULTS")
    p.add_argument("--fault-max", type=float, default=4.0,
                   help="longest storage fault in seconds")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    return p.parse_args()


class Run:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.dir = tempfile.mkdtemp(prefix="ujian-crash-")
        self.port = 0
        self.proc = None
        self.outages = []  # (down_ms, up_ms): the server was not running
        self.storage_outages = []  # (on_ms, off_ms): the disk was out, the server ran
        self.ctl = os.path.join(self.dir, "disk-fault")
        self.fault_alive = []  # per fault: the server was still running at its end
        self.n = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, what), flush=True)
        if not ok:
            self.failed += 1
            for line in str(detail).splitlines()[:40]:
                print("#   " + line, flush=True)

    def setup(self):
        self.db, self.creds, _ = skd_db.prepare(self.a.ujian, self.dir, "CRASH", self.a.duration,
                                                self.a.candidates, "K")

    def start(self, crash=None):
        env = dict(os.environ)
        env.pop("UJIAN_CRASH", None)
        if self.a.faults:
            env["UJIAN_FAULT_FILE"] = self.ctl
        if crash:
            env["UJIAN_CRASH"] = crash
        log = open(os.path.join(self.dir, "server.log"), "a")
        self.proc = subprocess.Popen(
            [self.a.ujian, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
             "--idle-timeout", "30"], stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        log.close()
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError("server did not start: %r" % line)
        self.port = int(line.split("http://")[1].split("/")[0].rsplit(":", 1)[1])

    def down(self):
        """Wait until the armed server kills itself at its crash point; the
        outage starts when it died. If the load has ended and the point is
        never reached, kill it after 20 s. Restart and record when it is back."""
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        t0 = time.time() * 1000
        self.proc.stdout.close()
        self.start()
        self.outages.append((t0, time.time() * 1000))

    def kill9(self):
        t0 = time.time() * 1000
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        # a venue's restart is not instant: 0-1.5 s of downtime
        time.sleep(self.rnd.uniform(0, 1.5))
        self.start()
        self.outages.append((t0, time.time() * 1000))

    def fault(self):
        """Storage out for a random while (disk full or an I/O error), then
        back; now and then the server is SIGKILLed while it is out (the
        operator restarts it once space is back). Writes fail meanwhile
        with 503 storage_unavailable, and the bench retries them."""
        with open(self.ctl, "w") as f:
            f.write(self.rnd.choice(["full", "ioerr"]) + "\n")
        t0 = time.time() * 1000
        time.sleep(self.rnd.uniform(0.2, self.a.fault_max))
        if self.rnd.random() < 0.33:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.proc.stdout.close()
            os.unlink(self.ctl)
            time.sleep(self.rnd.uniform(0, 1.0))
            self.start()
            # as one outage of the server: the last heartbeat came before
            # the disk went out
            self.outages.append((t0, time.time() * 1000))
            return
        self.fault_alive.append(self.proc.poll() is None)
        os.unlink(self.ctl)
        self.storage_outages.append((t0, time.time() * 1000))

    def go(self):
        a = self.a
        self.setup()
        self.start()
        acks = os.path.join(self.dir, "acks")
        summary = os.path.join(self.dir, "bench.json")
        bench = subprocess.Popen(
            [a.bench, "run", "--url", "http://127.0.0.1:%d" % self.port, "--exam", "CRASH",
             "--candidates", self.creds, "--window", str(a.window), "--acks", acks,
             "--out", summary, "--seed", str(self.rnd.randrange(1 << 30)),
             "--max-seconds", str(a.window + a.duration + 90)],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "bench.log"), "w"))
        plan = ["kill"] * a.kills + ["crash"] * a.crashpoints + ["fault"] * a.faults
        self.rnd.shuffle(plan)
        span = a.window + a.duration * 0.8
        times = sorted(self.rnd.uniform(1.0, span) for _ in plan)
        t_start = time.time()
        for what, at in zip(plan, times):
            delay = at - (time.time() - t_start)
            if delay > 0:
                time.sleep(delay)
            if bench.poll() is not None:
                break
            if what == "kill":
                self.kill9()
            elif what == "fault":
                self.fault()
            else:
                # restart armed: the server kills itself at the next few
                # batches, after COMMIT before replying or in mid-batch
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait()
                self.proc.stdout.close()
                point = self.rnd.choice(["after_commit", "mid_batch"])
                self.start(crash="%s:%d" % (point, self.rnd.randint(2, 40)))
                self.down()
        rc = bench.wait()
        self.check(rc == 0, "load generator ran to completion", "exit %d" % rc)
        if a.faults:
            with open(os.path.join(self.dir, "server.log")) as f:
                log = f.read()
            n_down = log.count("writer: storage unavailable (")
            # the writer's fail-stop lines (abort() itself prints nothing)
            stopped = [l for l in log.splitlines()
                       if "writer: cannot commit" in l or "storage probe failed" in l]
            self.check(all(self.fault_alive) and not stopped,
                       "the server lived through %d storage faults (%d outages logged, %d "
                       "with a SIGKILL)" % (a.faults, n_down, a.faults - len(self.fault_alive)),
                       [self.fault_alive, stopped[:3]])
            self.check(n_down > 0, "storage faults were met by the writer (%d)" % n_down)
        # every attempt is now finished or past its deadline: let the server
        # finish the rest, then stop it cleanly
        end = time.time() + a.duration + 60
        while time.time() < end and skd_db.in_progress(self.db) > 0:
            time.sleep(0.2)
        self.check_resumable()
        self.proc.send_signal(signal.SIGTERM)
        self.check(self.proc.wait(timeout=60) == 0, "server stopped cleanly")
        self.proc.stdout.close()
        v = subprocess.run([a.ujian, "verify", "--db", self.db, "--exam", "CRASH", "--acks", acks],
                           capture_output=True, text=True)
        self.check(v.returncode == 0 and "OK: 0 violations" in v.stdout,
                   "verify: acknowledged answers stored, scores recomputed, papers load",
                   v.stdout + v.stderr)
        self.check_credit()
        with open(summary) as f:
            s = json.load(f)
        s["outages"] = len(self.outages)
        s["storage_outages"] = len(self.storage_outages)
        s["outage_spans_ms"] = [[int(a), int(b)] for a, b in self.outages]
        s["storage_outage_spans_ms"] = [[int(a), int(b)] for a, b in self.storage_outages]
        s["verify"] = v.stdout.strip().splitlines()
        acked = s.get("acked_answers", 0)
        self.check(acked > a.candidates, "answers were acknowledged (%d)" % acked)
        print("# " + json.dumps(s))
        return s

    def check_resumable(self):
        """A sample of candidates logs in again and reads their attempt."""
        with open(self.creds) as f:
            rows = [l.strip().split(",") for l in f.readlines()[1:]]
        sample = self.rnd.sample(rows, min(50, len(rows)))
        bad = []
        for regno, _name, pw in sample:
            c = harness.Client("127.0.0.1", self.port)
            r = c.login("CRASH", regno, pw)
            g = c.get("/api/v1/attempt") if r.status == 200 else r
            if g.status != 200 or g.json["attempt"]["status"] not in ("finished", "in_progress",
                                                                       "not_started"):
                bad.append((regno, r.status, g.status))
            c.close()
        self.check(not bad, "every sampled candidate can log in again and read the attempt", bad)

    def check_credit(self):
        """Credit policy: an attempt running through an outage gets that
        downtime back, within the heartbeat accuracy (500 ms) plus slack."""
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT c.registration_no, a.started_at, a.finished_at, a.credit_ms "
                           "FROM attempts a JOIN candidates c ON c.id = a.candidate_id").fetchall()
        con.close()
        bad = []
        for regno, started, finished, credit in rows:
            # outages entirely inside the running attempt
            inside = [(down, up) for down, up in self.outages
                      if down >= started and (finished is None or up <= finished)]
            owed = sum(up - down for down, up in inside)
            k = len(inside)
            lo, hi = owed - 300 * k, owed + 1500 * k + 200
            # storage outages: the server counts from its first failed write
            # (under load at once, else the next heartbeat: <= 0.5 s late)
            # to its probe's success (<= UJ_STORAGE_PROBE_MS after the disk
            # came back); an attempt that started or finished meanwhile is
            # owed part of it, so only those entirely inside are checked
            st_inside = [(on, off) for on, off in self.storage_outages
                         if on >= started and (finished is None or off <= finished)]
            st_any = [(on, off) for on, off in self.storage_outages
                      if finished is None or (on < finished and off > started)]
            if len(st_inside) != len(st_any):
                continue
            owed += sum(off - on for on, off in st_inside)
            lo += sum(off - on for on, off in st_inside) - 700 * len(st_inside)
            hi += sum(off - on for on, off in st_inside) + 1700 * len(st_inside)
            if credit < lo or credit > hi:
                bad.append((regno, credit, int(owed)))
        self.check(not bad, "downtime credited to running attempts (%d outages, %d storage "
                   "outages)" % (len(self.outages), len(self.storage_outages)), bad[:10])

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if not self.a.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print("# kept " + self.dir)


def main():
    a = parse_args()
    r = Run(a)
    try:
        r.go()
    except Exception as e:  # a harness failure is a test failure
        r.check(False, "harness ran", repr(e))
    finally:
        r.close()
    print("1..%d" % r.n)
    sys.exit(1 if r.failed else 0)


if __name__ == "__main__":
    main()
