#!/usr/bin/env python3
"""The capacity benchmark (make bench): the real server and ujian-bench on this
machine, on the 110-item SKD demo exam.

Scenarios, each repeated (medians are reported):
  ceiling    the server's event loop answering a fixed small JSON without
             storage (--bench-route), driven by ujian-bench ping;
  saturate   candidates answering back to back: durable saves per second at
             saturation, and its ratio to the ceiling;
  N (1,000 / 5,000 / 10,000 / 25,000)
             a 60-second login+start storm of N candidates, then answers at the
             real SKD rate (110 items in 100 minutes: one per 54.5 s per
             candidate) in a shortened exam, finished at the deadline or
             submitted;
  recover-N  N attempts whose deadlines all pass while the server is down,
             finished together when it restarts (--outage-credit off): the
             same-second finish storm;
  sync-N     the same N logging in during the window but pressing Start
             together (a proctor's "mulai"), so they share one deadline: the
             finish storm;
  tls-N      the N scenario over HTTPS (`ujian serve --tls-cert` with a
             self-signed ECDSA P-256 certificate, ujian-bench with an https://
             URL: a full TLS handshake for every connection), to compare with
             the plain-HTTP N.
  poll-N     the N scenario twice in a row, without and with the candidate's
             light poll (ujian-bench --poll-ms, GET /api/v1/attempt?view=clock
             every 4 s), the server's idle timeout --poll-idle-timeout in both:
             the poll's cost on answer saves;
  flood      (issue 12) --flood-slow slowloris connections from 127.0.0.1
             (ujian-bench slow: one header byte a second each, reconnecting
             when closed, at most --flood-rate attempts a second) while --flood-candidates candidates from
             127.0.0.2-5 log in and answer: answer-save latency under the
             flood with the connection guard's defaults, then without it
             (--max-conns-per-ip 0, --request-timeout 600) for contrast, at
             the raised descriptor limit and at --flood-nofile;
  dash-N     the N scenario twice in a row on a database whose candidates sit
             in sittings of --sitting-size with one proctor account, without
             and with --dashboards live dashboards (one SSE stream per
             sitting): lag from an answer's acknowledgement to its row on the
             dashboard, and the dashboards' cost on answer saves.
  analysis   (issue 14) a database that also holds --analysis-n finished
             attempts of a 110-item exam (tests/bench/analysis_db.py): the
             time of `ujian analysis` on it, then the --analysis-load
             scenario twice in a row (the same database copied back), without
             and with the exam's analysis requested over the API back to
             back for the whole run: the analysis's time under load and its
             cost on answer saves (p99).

For each run: the generator's latencies and errors, and from /proc the server's
CPU time, peak RSS and peak open file descriptors (connections). The finish
storm is measured by polling the database after the shared deadline until no
attempt is in progress. Writes JSON (--out; report.py turns it into the
Markdown tables) and prints the number of runs per scenario.
"""

import argparse
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import analysis_db
import skd_db

TOP = skd_db.TOP
CLK = os.sysconf("SC_CLK_TCK")
REAL_THINK_MS = 6000 * 1000 / 110  # SKD: 110 items in 100 minutes


def args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ujian", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--sizes", default="1000,5000,10000,25000")
    p.add_argument("--sync-sizes", default="25000")
    p.add_argument("--tls-sizes", default="25000")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--duration", type=int, default=120, help="shortened exam, seconds")
    p.add_argument("--window", type=int, default=60)
    p.add_argument("--idle-timeout", type=int, default=20)
    p.add_argument("--poll-sizes", default="25000")
    p.add_argument("--poll-ms", type=int, default=4000, help="the candidate poll (UJ_CAND_POLL_MS)")
    p.add_argument("--poll-idle-timeout", type=int, default=2,
                   help="server idle timeout in the poll scenario: below the poll interval, "
                        "so that a polling candidate does not hold a descriptor for good")
    p.add_argument("--dash-sizes", default="25000")
    p.add_argument("--dashboards", type=int, default=50)
    p.add_argument("--sitting-size", type=int, default=500)
    p.add_argument("--analysis-n", type=int, default=25000,
                   help="finished attempts the analysis scenario analyses")
    p.add_argument("--analysis-load", type=int, default=5000,
                   help="candidates answering meanwhile")
    p.add_argument("--flood-slow", type=int, default=10000)
    p.add_argument("--flood-candidates", type=int, default=1000)
    p.add_argument("--flood-seconds", type=int, default=60)
    p.add_argument("--flood-rate", type=int, default=1000,
                   help="the slow connections' attempts per second (0: no limit)")
    p.add_argument("--flood-nofile", type=int, default=8192,
                   help="a second, lower descriptor limit for the server in the flood contrast")
    p.add_argument("--flood-variants",
                   default="flood-baseline,flood,flood-unguarded,flood-nofile,"
                           "flood-nofile-unguarded")
    p.add_argument("--skip", default="",
                   help="comma list of: ceiling,saturate,sizes,recover,sync,tls,poll,dash,"
                        "analysis,flood")
    p.add_argument("--out", default=os.path.join(TOP, "docs", "bench-results.json"))
    return p.parse_args()


class Sampler(threading.Thread):
    """Samples a process's CPU time, RSS peak and open descriptors."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop_ev = threading.Event()
        self.peak_fds = 0
        self.cpu0 = self.cpu()
        self.last_cpu = self.cpu0
        self.last_hwm = self.hwm_mb()

    def cpu(self):
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK

    def hwm_mb(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0

    def run(self):
        while not self.stop_ev.wait(0.25):
            try:
                self.peak_fds = max(self.peak_fds, len(os.listdir("/proc/%d/fd" % self.pid)))
                self.last_cpu = self.cpu()
                self.last_hwm = self.hwm_mb()
            except OSError:
                return

    def finish(self):
        self.stop_ev.set()
        self.join()
        return {"server_cpu_s": round(self.last_cpu - self.cpu0, 2),
                "server_peak_rss_mb": round(self.last_hwm, 1),
                "server_peak_fds": self.peak_fds}


class World:
    def __init__(self, a, n, duration, code="BENCH"):
        self.a = a
        self.dir = tempfile.mkdtemp(prefix="ujian-bench-")
        self.db, self.creds, self.import_s = skd_db.prepare(a.ujian, self.dir, code, duration, n,
                                                            "B")

    def serve(self, *extra, tls=False, idle=None, nofile=None):
        if tls:
            crt, key = (os.path.join(self.dir, "127.0.0.1." + x) for x in ("crt", "key"))
            if not os.path.exists(crt):
                subprocess.run([self.a.ujian, "cert", "self-signed", "--out", self.dir, "--name",
                                "127.0.0.1"], check=True, capture_output=True)
            extra = ("--tls-cert", crt, "--tls-key", key) + extra
        scheme = "https://" if tls else "http://"
        t = time.time()
        self.proc = subprocess.Popen(
            [self.a.ujian, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--idle-timeout",
             str(idle or self.a.idle_timeout), *extra], stdout=subprocess.PIPE,
            stderr=open(os.path.join(self.dir, "server.log"), "w"), text=True,
            preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile)))
            if nofile else None)
        line = self.proc.stdout.readline()
        self.startup_s = time.time() - t
        self.url = scheme + line.split(scheme)[1].split("/")[0]
        return Sampler(self.proc.pid)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=120)
        self.proc.stdout.close()

    def verify(self):
        """Last line of `ujian verify` over this run's acknowledged answers."""
        v = subprocess.run([self.a.ujian, "verify", "--db", self.db, "--exam", "BENCH", "--acks",
                            os.path.join(self.dir, "acks")], capture_output=True, text=True)
        return v.stdout.strip().splitlines()[-1]

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def bench(a, *argv):
    out = tempfile.mktemp(prefix="bench-", suffix=".json")
    p = subprocess.run([a.bench, *argv, "--out", out], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("ujian-bench failed: " + p.stderr[-2000:])
    with open(out) as f:
        r = json.load(f)
    os.unlink(out)
    return r


def run_ceiling(a):
    w = World(a, 1, 600)
    s = w.serve("--bench-route")
    s.start()
    r = bench(a, "ping", "--url", w.url + "/api/v1/_bench/ping", "--conns", "200",
              "--seconds", "15", "--workers", "2")
    r.update(s.finish())
    w.stop()
    w.close()
    return {"requests_per_s": r.get("requests_per_s"), "raw": r}


def run_saturate(a):
    w = World(a, 2000, 600)
    s = w.serve()
    s.start()
    r = bench(a, "run", "--url", w.url, "--exam", "BENCH", "--candidates", w.creds,
              "--window", "2", "--think-mean", "1", "--change-share", "0", "--read-share", "0",
              "--submit-share", "0", "--max-seconds", "30", "--workers", "2",
              "--acks", os.path.join(w.dir, "acks"))
    r.update(s.finish())
    w.stop()
    r["verify"] = w.verify()
    w.close()
    return r


def workers_for(n):
    """Generator processes for n candidates: at most 6,000 connections each
    (under the 20,000-descriptor limit with room), at least two."""
    return max(2, (n + 5999) // 6000)


def finish_storm(db, limit_s):
    """Poll for up to limit_s until no attempt is in progress. Returns (the
    time that was seen, (latest start, earliest start, attempts, attempts
    finished at the deadline)), or (None, None) on time-out."""
    end = time.time() + limit_s
    while time.time() < end:
        if skd_db.in_progress(db) == 0:
            t = time.time()
            con = sqlite3.connect(db, timeout=30)
            row = con.execute("SELECT max(started_at), min(started_at), count(*), "
                              "sum(finish_reason = 'time_up') FROM attempts").fetchone()
            con.close()
            return t, row
        time.sleep(0.05)
    return None, None


def run_size(a, n, sync, tls=False, poll_ms=0, idle=None, sittings=False, dashboards=0):
    """The N scenario (sync: the shared start). poll_ms: the candidates'
    light poll; idle: the server's idle timeout; sittings: candidates in
    sittings of --sitting-size with a proctor; dashboards: that many live
    dashboards connected."""
    w = World(a, n, a.duration)
    if sittings:
        sittings = skd_db.add_sittings(a.ujian, w.db, "BENCH", skd_db.regnos(w.creds),
                                       a.sitting_size)
    s = w.serve(tls=tls, idle=idle)
    s.start()
    # Stop 15 s after the last deadline: by then the server has finished
    # every attempt; candidates still thinking are simply cut off.
    argv = ["run", "--url", w.url, "--exam", "BENCH", "--candidates", w.creds,
            "--window", str(a.window), "--think-mean", str(int(REAL_THINK_MS)),
            "--workers", str(workers_for(n)), "--acks", os.path.join(w.dir, "acks"),
            "--max-seconds", str(a.window + a.duration + 15)]
    if sync:
        argv += ["--start-at", str(a.window), "--submit-share", "0"]
    if poll_ms:
        argv += ["--poll-ms", str(poll_ms)]
    if dashboards:
        argv += ["--dashboards", str(dashboards), "--dashboard-staff",
                 "%s:%s" % (skd_db.PROCTOR, skd_db.PROCTOR_PASSWORD)]
    result = {}
    load0 = open("/proc/loadavg").read().split()[:3]
    th = threading.Thread(target=lambda: result.update(bench(a, *argv)))
    th.start()
    storm = {}
    if sync:
        # wait for the deadline region, then time the finish storm
        time.sleep(a.window + a.duration - 5)
        t_done, row = finish_storm(w.db, 120)
        if t_done:
            last_deadline = (row[0] / 1000) + a.duration
            first_deadline = (row[1] / 1000) + a.duration
            storm = {"finish_storm_s": round(t_done - last_deadline, 3),
                     "finish_storm_from_first_deadline_s": round(t_done - first_deadline, 3),
                     "start_spread_s": round((row[0] - row[1]) / 1000, 3),
                     "time_up_finishes": row[3]}
    th.join()
    if not result:
        raise RuntimeError("bench produced no result")
    result.update(s.finish())
    result.update(storm)
    result["server_startup_s"] = round(w.startup_s, 2)
    result["idle_timeout_s"] = idle or a.idle_timeout
    result["loadavg_start_end"] = [load0, open("/proc/loadavg").read().split()[:3]]
    result["sittings"] = int(sittings)
    result["import_s"] = round(w.import_s, 1)
    w.stop()
    result["verify"] = w.verify()
    w.close()
    return result


def paired(a, n, with_kw, base_kw):
    """The N scenario without, then with, one feature, in the same session:
    {"without": run, "with": run, "answer_p99_ratio": with / without}."""
    r0 = run_size(a, n, False, **base_kw)
    r1 = run_size(a, n, False, **with_kw)
    p0, p1 = r0["ops"]["answer"]["p99_ms"], r1["ops"]["answer"]["p99_ms"]
    return {"without": r0, "with": r1,
            "answer_p99_ratio": round(p1 / p0, 3) if p0 else None}


def run_recover(a, n):
    """25,000 deadlines at once: N candidates start during the window, the
    server is SIGKILLed, every deadline passes while it is down, and it is
    restarted with --outage-credit off: start-up scores and commits all the
    attempts whose time is up, in one go. Measures that start-up."""
    duration = 60
    w = World(a, n, duration)
    s = w.serve()
    s.start()
    bench(a, "run", "--url", w.url, "--exam", "BENCH", "--candidates", w.creds,
          "--window", "30", "--think-mean", "20000", "--max-seconds", "45",
          "--workers", str(workers_for(n)), "--acks", os.path.join(w.dir, "acks"))
    s.finish()
    con = sqlite3.connect(w.db)
    last = con.execute("SELECT max(started_at) FROM attempts").fetchone()[0] / 1000 + duration
    con.close()
    running = skd_db.in_progress(w.db)
    w.proc.kill()
    w.proc.wait()
    w.proc.stdout.close()
    while time.time() < last + 1:
        time.sleep(0.2)
    s = w.serve("--outage-credit", "off")
    s.start()
    startup = w.startup_s
    s.finish()
    w.stop()
    left = skd_db.in_progress(w.db)
    con = sqlite3.connect(w.db)
    timeup = con.execute("SELECT count(*) FROM attempts WHERE finish_reason = 'time_up'").fetchone()[0]
    con.close()
    verdict = w.verify()
    w.close()
    return {"running_at_kill": running, "finished_at_restart_s": round(startup, 2),
            "still_running": left, "time_up_total": timeup, "verify": verdict}


ANALYST = "analis"
ANALYST_PASSWORD = "bench-analis-rahasia-1"


def staff_token(url, username, password):
    """A Bearer token of a staff session (plain HTTP)."""
    import http.client
    host, port = url.split("//")[1].split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    c.request("POST", "/api/v1/staff/login", body=json.dumps(
        {"username": username, "password": password, "bearer": True}),
        headers={"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    c.close()
    if r.status != 200:
        raise RuntimeError("staff login: %d %s" % (r.status, body))
    return body["token"]


def analysis_calls(url, token, path, stop):
    """GET path back to back until stop is set: [(seconds, status, bytes)]."""
    import http.client
    host, port = url.split("//")[1].split(":")
    out = []
    while not stop.is_set():
        c = http.client.HTTPConnection(host, int(port), timeout=300)
        t = time.time()
        c.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = c.getresponse()
        body = r.read()
        out.append((round(time.time() - t, 3), r.status, len(body)))
        c.close()
    return out


def run_analysis(a):
    """The analysis of --analysis-n finished attempts: by the CLI alone, then
    over the API back to back while --analysis-load candidates answer, with
    the answers' latencies compared to the same load without it."""
    w = World(a, a.analysis_load, a.duration)
    t = time.time()
    analysis_db.create_exam(a.ujian, w.db, "ANALISIS", w.dir)
    analysis_db.generate(w.db, "ANALISIS", a.analysis_n)
    gen_s = time.time() - t
    subprocess.run([a.ujian, "staff", "add", "--db", w.db, "--username", ANALYST, "--role",
                    "admin", "--password-stdin"], input=ANALYST_PASSWORD + "\n", text=True,
                   check=True, capture_output=True)
    fresh = os.path.join(w.dir, "fresh.db")
    shutil.copyfile(w.db, fresh)
    cli = []
    for _ in range(3):
        t = time.time()
        subprocess.run([a.ujian, "analysis", "--db", w.db, "--exam", "ANALISIS", "--format",
                        "json"], check=True, stdout=subprocess.DEVNULL)
        cli.append(round(time.time() - t, 3))
    report = {"analysis_n": a.analysis_n, "analysis_load": a.analysis_load,
              "generate_s": round(gen_s, 1), "cli_s": cli,
              "db_mb": round(os.path.getsize(w.db) / 1e6, 1)}
    for phase in ("without", "with"):
        shutil.copyfile(fresh, w.db)
        for ext in ("-wal", "-shm"):
            if os.path.exists(w.db + ext):
                os.unlink(w.db + ext)
        s = w.serve()
        s.start()
        argv = ["run", "--url", w.url, "--exam", "BENCH", "--candidates", w.creds,
                "--window", str(a.window), "--think-mean", str(int(REAL_THINK_MS)),
                "--workers", str(workers_for(a.analysis_load)), "--acks",
                os.path.join(w.dir, "acks-" + phase),
                "--max-seconds", str(a.window + a.duration + 15)]
        result = {}
        th = threading.Thread(target=lambda: result.update(bench(a, *argv)))
        th.start()
        calls = []
        if phase == "with":
            stop = threading.Event()
            token = staff_token(w.url, ANALYST, ANALYST_PASSWORD)
            time.sleep(5)  # the login storm is under way
            ct = threading.Thread(target=lambda: calls.extend(analysis_calls(
                w.url, token, "/api/v1/staff/exams/ANALISIS/analysis", stop)))
            ct.start()
        th.join()
        if phase == "with":
            stop.set()
            ct.join()
        result.update(s.finish())
        w.stop()
        ok = sorted(c[0] for c in calls if c[1] == 200)
        report[phase] = {"answer": result.get("ops", {}).get("answer"),
                         "errors": result.get("errors"), "server_cpu_s": result.get("server_cpu_s"),
                         "server_peak_rss_mb": result.get("server_peak_rss_mb")}
        if phase == "with":
            report[phase]["analysis_calls"] = len(calls)
            report[phase]["analysis_failed"] = len(calls) - len(ok)
            report[phase]["analysis_s_median"] = ok[len(ok) // 2] if ok else None
            report[phase]["analysis_s_max"] = ok[-1] if ok else None
            report[phase]["analysis_bytes"] = calls[0][2] if calls else None
    p0 = (report["without"]["answer"] or {}).get("p99_ms")
    p1 = (report["with"]["answer"] or {}).get("p99_ms")
    report["answer_p99_ratio"] = round(p1 / p0, 3) if p0 and p1 else None
    w.close()
    return report
def metrics(port):
    """The server's /metrics as {name{labels}: value}; {} when it does not
    answer within 10 s (its descriptors used up, say)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", "/metrics")
        text = c.getresponse().read().decode()
    except OSError:
        return {}
    finally:
        c.close()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            k, v = line.rsplit(" ", 1)
            out[k] = float(v)
    return out


def run_flood(a, guard, nofile=None, flood=True):
    """Slowloris connections from 127.0.0.1 while candidates from 127.0.0.2-5
    answer (think time 2 s, so that every run has tens of thousands of
    saves). guard False: no per-address cap and a 600 s request deadline
    (as before issue 12). nofile: the server's descriptor limit (default:
    the raised hard limit). flood False: the same run without the slow
    connections (the baseline on the machine as loaded at the time)."""
    n, seconds = a.flood_candidates, a.flood_seconds
    w = World(a, n, 3600)
    extra = ["--metrics-listen", "127.0.0.1:0"]
    if not guard:
        extra += ["--max-conns-per-ip", "0", "--request-timeout", "600"]
    s = w.serve(*extra, nofile=nofile)
    with open(os.path.join(w.dir, "server.log")) as f:
        mport = int(re.search(r"metrics on http://127\.0\.0\.1:(\d+)/", f.read()).group(1))
    s.start()
    slow_out = os.path.join(w.dir, "slow.json")
    load0 = open("/proc/loadavg").read().split()[:3]
    slow = subprocess.Popen([a.bench, "slow", "--url", w.url,
                             "--conns", str(a.flood_slow if flood else 1),
                             "--seconds", str(seconds + 15), "--out", slow_out,
                             "--rate", str(a.flood_rate)],
                            stderr=subprocess.PIPE, text=True,
                            # it stands for other machines: its own CPU (and the
                            # kernel's work for its connects, charged to it on
                            # loopback) must not starve the server of the 2 cores
                            preexec_fn=lambda: os.nice(19))
    # The flood first: until the server holds as many as it will (the cap,
    # or all of them), at most 30 s.
    want = 0 if not flood else min(a.flood_slow, 2000) if guard else a.flood_slow
    end = time.time() + 30
    m = {}
    while time.time() < end:
        m = metrics(mport)
        if m.get("ujian_connections_open", 0) >= want * 0.95:
            break
        time.sleep(0.25)
    held_before = m.get("ujian_connections_open")
    try:
        r = bench(a, "run", "--url", w.url, "--exam", "BENCH", "--candidates", w.creds,
                  "--window", "10", "--think-mean", "2000", "--submit-share", "0",
                  "--max-seconds", str(seconds), "--workers", "4", "--source-addrs", "4",
                  "--acks", os.path.join(w.dir, "acks"))
    except RuntimeError as e:  # the server did not even answer the generator's setup
        r = {"failed": str(e)[-300:]}
    m = metrics(mport)
    slow.wait(timeout=120)
    with open(slow_out) as f:
        r["slow"] = json.load(f)
    r.update(s.finish())
    r["guard"] = guard
    r["flood"] = flood
    r["loadavg_start_end"] = [load0, open("/proc/loadavg").read().split()[:3]]
    r["server_nofile"] = nofile or int(machine()["nofile"])
    r["held_when_candidates_began"] = held_before
    r["refused"] = {k.split('"')[1]: v for k, v in m.items()
                    if k.startswith("ujian_connections_refused_total")}
    r["metrics_answered"] = bool(m)
    w.stop()
    r["verify"] = w.verify() if "failed" not in r else "(no answers)"
    w.close()
    return r


def machine():
    mem = open("/proc/meminfo").readline().split()[1]
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    df = subprocess.run(["df", "-hT", TOP], capture_output=True, text=True).stdout.splitlines()[-1]
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": os.cpu_count(), "cpu": cpu,
            "memory_gb": round(int(mem) / 1024 / 1024, 1), "kernel": platform.release(),
            "disk": " ".join(df.split()[:3]), "nofile": subprocess.run(
                ["sh", "-c", "ulimit -Hn"], capture_output=True, text=True).stdout.strip()}


def main():
    a = args()
    skip = set(filter(None, a.skip.split(",")))
    report = {"machine": machine(), "params": vars(a).copy(), "scenarios": {}}
    del report["params"]["ujian"], report["params"]["bench"]

    def save():
        with open(a.out, "w") as f:
            json.dump(report, f, indent=1)

    def scenario(name, fn):
        runs = []
        for i in range(a.repeats):
            print("# %s run %d/%d" % (name, i + 1, a.repeats), file=sys.stderr, flush=True)
            runs.append(fn())
            report["scenarios"][name] = runs
            save()
        return runs

    if "ceiling" not in skip:
        scenario("ceiling", lambda: run_ceiling(a))
    if "saturate" not in skip:
        scenario("saturate", lambda: run_saturate(a))
    if "sizes" not in skip:
        for n in [int(x) for x in a.sizes.split(",") if x]:
            scenario(str(n), lambda n=n: run_size(a, n, False))
    if "tls" not in skip:
        for n in [int(x) for x in a.tls_sizes.split(",") if x]:
            scenario("tls-%d" % n, lambda n=n: run_size(a, n, False, tls=True))
    if "recover" not in skip:
        for n in [int(x) for x in a.sync_sizes.split(",") if x]:
            scenario("recover-%d" % n, lambda n=n: run_recover(a, n))
    if "sync" not in skip:
        for n in [int(x) for x in a.sync_sizes.split(",") if x]:
            scenario("sync-%d" % n, lambda n=n: run_size(a, n, True))
    if "poll" not in skip:
        for n in [int(x) for x in a.poll_sizes.split(",") if x]:
            scenario("poll-%d" % n, lambda n=n: paired(
                a, n, {"poll_ms": a.poll_ms, "idle": a.poll_idle_timeout},
                {"idle": a.poll_idle_timeout}))
    if "flood" not in skip:
        variants = {"flood": (True, None), "flood-unguarded": (False, None),
                    "flood-baseline": (True, None, False),
                    "flood-nofile": (True, a.flood_nofile),
                    "flood-nofile-unguarded": (False, a.flood_nofile)}
        for name in a.flood_variants.split(","):
            scenario(name, lambda v=variants[name]: run_flood(a, *v))
    if "dash" not in skip:
        for n in [int(x) for x in a.dash_sizes.split(",") if x]:
            scenario("dash-%d" % n, lambda n=n: paired(
                a, n, {"sittings": True,
                       "dashboards": min(a.dashboards, -(-n // a.sitting_size))},
                {"sittings": True}))
    if "analysis" not in skip:
        scenario("analysis", lambda: run_analysis(a))
    save()
    print(json.dumps({k: {"runs": len(v)} for k, v in report["scenarios"].items()}))


if __name__ == "__main__":
    main()
