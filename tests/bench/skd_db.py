"""Databases for the load runs (run_bench.py, crash_harness.py): the shipped
SKD sample bank and demo exam, under another code and duration, with N
generated candidates and their issued credentials."""

import json
import os
import sqlite3
import subprocess
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(TOP, "question-bank", "skd-sample")


def prepare(ujian, directory, code, duration, n, prefix):
    """Create directory/<code>.db holding the sample bank, the demo exam as
    `code` lasting `duration` seconds, and n candidates <prefix>000001...
    Returns (db path, credentials CSV path, seconds the candidate import took:
    it draws every paper). Raises CalledProcessError if a command fails."""
    db = os.path.join(directory, code.lower() + ".db")

    def run(*args, stdout=subprocess.PIPE):
        subprocess.run([ujian, *args], check=True, stdout=stdout, stderr=subprocess.PIPE)

    run("init", "--db", db)
    run("bank", "import", "--db", db, os.path.join(SAMPLE, "bank.json"))
    with open(os.path.join(SAMPLE, "exam-skd-demo.json")) as f:
        exam = json.load(f)
    exam.update(code=code, duration_s=duration)
    path = os.path.join(directory, "exam.json")
    with open(path, "w") as f:
        json.dump(exam, f)
    run("exam", "create", "--db", db, path)
    cands = os.path.join(directory, "candidates.csv")
    with open(cands, "w") as f:
        f.write("registration_no,name\n")
        for i in range(n):
            f.write("%s%06d,Peserta %d\n" % (prefix, i + 1, i + 1))
    creds = os.path.join(directory, "creds.csv")
    t = time.time()
    with open(creds, "w") as out:
        run("candidates", "import", "--db", db, "--exam", code, cands, stdout=out)
    return db, creds, time.time() - t


def in_progress(db):
    """Attempts still running in db (read without disturbing the server)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM attempts WHERE status = 'in_progress'").fetchone()[0]
    finally:
        con.close()


PROCTOR = "pengawas"
PROCTOR_PASSWORD = "bench-pengawas-rahasia-1"


def add_sittings(ujian, db, code, regnos, per_sitting):
    """Split regnos (in order) into sittings S01, S02, ... of per_sitting
    candidates each, all proctored by the staff account PROCTOR (created
    here with role proctor and PROCTOR_PASSWORD). Returns the number of
    sittings. Raises CalledProcessError if a command fails."""

    def run(*args, stdin=None):
        subprocess.run([ujian, *args], check=True, input=stdin, capture_output=True, text=True)

    run("staff", "add", "--db", db, "--username", PROCTOR, "--role", "proctor",
        "--password-stdin", stdin=PROCTOR_PASSWORD + "\n")
    n = 0
    for i in range(0, len(regnos), per_sitting):
        n += 1
        sc = "S%02d" % n
        run("sitting", "add", "--db", db, "--exam", code, "--code", sc, "--proctor", PROCTOR)
        run("sitting", "assign", "--db", db, "--exam", code, "--code", sc, "-",
            stdin="".join(r + "\n" for r in regnos[i:i + per_sitting]))
    return n


def regnos(creds):
    """Registration numbers of a credentials CSV, in order."""
    with open(creds) as f:
        return [line.split(",", 1)[0] for line in f.read().splitlines()[1:] if line]
