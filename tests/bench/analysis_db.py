"""A finished exam for the analysis benchmark (run_bench.py, scenario
"analysis"; tests/api/test_analysis.py runs a small one): n candidates who
took the 110-item SKD demo exam on the shipped sample bank, generated
directly with SQL (fast: no server, no paper draw of the import), as the
server would have stored them:

  papers     per exam section its draw of the section's items (a random
             sample, in random order), each item's options in a random order;
  answers    a right/wrong item is answered right with the Rasch probability
             of the candidate's ability and the item's difficulty, else a
             random distractor, 2% left blank; a weighted item's option
             chosen with odds growing with its points and the ability;
  attempts   finished, with section scores, maxima, total and pass flag
             computed from those answers by the exam's scoring (the analysis
             checks them: n_rescored must be 0);
  events     per candidate a start, a position event at each move to the next
             question and an answer event at each answer (dwell times with
             an item-dependent mean), about one revisit in ten candidates,
             a finish.

The rows have no hash chain (prev and hash are NULL): `ujian audit verify`
names them; the analysis does not read the chain.

    python3 tests/bench/analysis_db.py --ujian build/ujian --db F --n 25000
"""

import argparse
import json
import math
import os
import random
import sqlite3
import subprocess
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(TOP, "question-bank", "skd-sample")
T0 = 1796000000000  # ms: 2026-11-29


def create_exam(ujian, db, code, directory):
    """The SKD demo exam as `code` on the sample bank (imported when the
    database has none)."""
    con = sqlite3.connect(db)
    has_bank = con.execute("SELECT count(*) FROM banks WHERE code = 'SKD-SAMPLE'").fetchone()[0]
    con.close()
    if not has_bank:
        subprocess.run([ujian, "bank", "import", "--db", db, os.path.join(SAMPLE, "bank.json")],
                       check=True, capture_output=True)
    with open(os.path.join(SAMPLE, "exam-skd-demo.json")) as f:
        exam = json.load(f)
    exam.update(code=code, title="Analisis %s" % code, scoreboard=False)
    path = os.path.join(directory, "exam-%s.json" % code)
    with open(path, "w") as f:
        json.dump(exam, f)
    subprocess.run([ujian, "exam", "create", "--db", db, path], check=True, capture_output=True)
    return exam


def generate(db, code, n, seed=14, regno_prefix="A"):
    """Add n finished attempts of exam `code` (created before) to db."""
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys=OFF")
    exam_id, definition = con.execute("SELECT id, definition_json FROM exams WHERE code = ?",
                                      (code,)).fetchone()
    exam = json.loads(definition)
    vid, sections_json = con.execute(
        "SELECT v.id, v.sections_json FROM banks b JOIN bank_versions v ON"
        " v.id = b.current_version_id WHERE b.code = ?", (exam["bank"],)).fetchone()
    rules = {s["code"]: s for s in json.loads(sections_json)}
    pools = {s["code"]: [] for s in exam["sections"]}
    for item_id, content in con.execute(
            "SELECT i.id, i.content_json FROM bank_version_items v JOIN items i ON"
            " i.id = v.item_id WHERE v.bank_version_id = ? ORDER BY v.ord", (vid,)):
        it = json.loads(content)
        if it["section"] not in pools:
            continue
        sc = rules[it["section"]]["scoring"]
        if sc["type"] == "right_wrong":
            pts = [sc["correct"] if o.get("correct") else sc["wrong"] for o in it["options"]]
            blank = sc["blank"]
        else:
            pts = [o["points"] for o in it["options"]]
            blank = sc.get("blank", 0)
        pools[it["section"]].append({
            "id": item_id, "rw": sc["type"] == "right_wrong",
            "key": next((k for k, o in enumerate(it["options"]) if o.get("correct")), -1),
            "pts": pts, "blank": blank, "b": rng.gauss(0, 1),
            "dwell": rng.uniform(20000, 70000)})
    rule = exam["pass_rules"]["umum"]
    first_id = (con.execute("SELECT coalesce(max(id), 0) FROM candidates").fetchone()[0]) + 1
    now = int(time.time() * 1000)
    cands, papers, attempts, answers, events = [], [], [], [], []

    def flush():
        con.executemany("INSERT INTO candidates (id, exam_id, registration_no, name, track,"
                        " extra_time_s, pw_hash, created_at) VALUES (?,?,?,?,'umum',0,zeroblob(32),?)",
                        cands)
        con.executemany("INSERT INTO papers (candidate_id, bank_version_id, seed, layout_json,"
                        " created_at) VALUES (?,?,?,?,?)", papers)
        con.executemany("INSERT INTO attempts (candidate_id, status, started_at, credit_ms,"
                        " finished_at, finish_reason, scores_json, total, passed, position)"
                        " VALUES (?,'finished',?,0,?,'submitted',?,?,?,?)", attempts)
        con.executemany("INSERT INTO answers (candidate_id, n, label, flagged, rev, updated_at)"
                        " VALUES (?,?,?,0,1,?)", answers)
        con.executemany("INSERT INTO events (at, candidate_id, kind, n, label, flagged, rev,"
                        " detail, actor_kind, actor_id) VALUES (?,?,?,?,?,?,?,?,?,?)", events)
        for v in (cands, papers, attempts, answers, events):
            v.clear()

    for c in range(n):
        cid = first_id + c
        theta = rng.gauss(0, 1)
        layout, qs = [], []
        for si, s in enumerate(exam["sections"]):
            for it in rng.sample(pools[s["code"]], s["draw"]):
                perm = list(range(len(it["pts"])))
                rng.shuffle(perm)
                layout.append([it["id"], perm, si])
                qs.append((s["code"], it, perm))
        score = {s["code"]: 0 for s in exam["sections"]}
        maxs = dict(score)
        t = T0 + c * 997
        start = t
        events.append((t, cid, "start", None, None, None, None, None, "candidate", cid))
        for n_q, (sec, it, perm) in enumerate(qs, start=1):
            if n_q > 1:
                events.append((t, cid, "position", n_q, None, None, None, None, "candidate", cid))
            t += int(it["dwell"] * rng.lognormvariate(0, 0.4) * (1.2 - 0.1 * theta))
            maxs[sec] += max(max(it["pts"]), it["blank"])
            if rng.random() < 0.02:
                score[sec] += it["blank"]
                continue
            if it["rw"]:
                p = 1 / (1 + math.exp(it["b"] - theta))
                if rng.random() < p:
                    opt = it["key"]
                else:
                    opt = rng.choice([k for k in range(len(it["pts"])) if k != it["key"]])
            else:
                w = [math.exp(0.6 * (1 + theta) * x) for x in it["pts"]]
                opt = rng.choices(range(len(w)), weights=w)[0]
            label = perm.index(opt)
            score[sec] += it["pts"][opt]
            letter = "ABCDEF"[label]
            answers.append((cid, n_q, letter, t))
            events.append((t, cid, "answer", n_q, letter, 0, 1, None, "candidate", cid))
        if rng.random() < 0.1:  # a look back at an earlier question
            back = rng.randint(1, len(qs))
            events.append((t, cid, "position", back, None, None, None, None, "candidate", cid))
            t += rng.randint(5000, 60000)
        total = sum(score.values())
        passed = int(all(score.get(k, 0) >= v for k, v in rule.get("sections", {}).items())
                     and total >= rule.get("total", 0))
        events.append((t, cid, "finish", None, None, None, None,
                       json.dumps({"reason": "submitted", "total": total}, separators=(",", ":")),
                       "candidate", cid))
        scores_json = json.dumps([{"code": s["code"], "score": score[s["code"]],
                                   "max": maxs[s["code"]]} for s in exam["sections"]],
                                 separators=(",", ":"))
        cands.append((cid, exam_id, "%s%06d" % (regno_prefix, c + 1), "Peserta %d" % (c + 1), now))
        papers.append((cid, vid, rng.randbytes(32), json.dumps(layout, separators=(",", ":")), now))
        attempts.append((cid, start, t, scores_json, total, passed, len(qs)))
        if len(cands) >= 1000:
            flush()
    flush()
    con.execute("UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'")
    con.commit()
    con.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ujian", required=True)
    p.add_argument("--db", required=True, help="created with `ujian init` when missing")
    p.add_argument("--code", default="ANALISIS")
    p.add_argument("--n", type=int, default=25000)
    a = p.parse_args()
    if not os.path.exists(a.db):
        subprocess.run([a.ujian, "init", "--db", a.db], check=True, capture_output=True)
    t = time.time()
    create_exam(a.ujian, a.db, a.code, os.path.dirname(os.path.abspath(a.db)))
    generate(a.db, a.code, a.n)
    print("%d finished attempts of %s in %.1f s" % (a.n, a.code, time.time() - t))


if __name__ == "__main__":
    main()
