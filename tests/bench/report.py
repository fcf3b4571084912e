#!/usr/bin/env python3
"""Turn run_bench.py's JSON into the Markdown tables of docs/BENCHMARKS.md
(medians over the repeated runs, with the range in brackets)."""

import json
import statistics
import sys


def val(run, path):
    v = run
    for p in path.split("."):
        if not isinstance(v, dict):
            return None
        v = v.get(p)
    return v


def med(runs, path, fmt="%.0f"):
    vals = [val(r, path) for r in runs]
    vals = [v for v in vals if isinstance(v, (int, float))]
    if not vals:
        return "—"
    m = statistics.median(vals)
    if len(vals) > 1 and min(vals) != max(vals):
        return (fmt + " (" + fmt + "–" + fmt + ")") % (m, min(vals), max(vals))
    return fmt % m


def errors(runs):
    out = []
    for r in runs:
        bad = [e for e in r.get("errors", []) if e.get("code") != "attempt_closed"]
        out.append(sum(e["count"] for e in bad))
    return "%d" % max(out) if out else "—"


def verdicts(runs):
    """The distinct `ujian verify` verdicts of the runs."""
    return "; ".join(sorted({r.get("verify", "?") for r in runs}))


def main():
    rep = json.load(open(sys.argv[1]))
    m = rep["machine"]
    sc = rep["scenarios"]
    print("Machine: %s, %d cores, %.0f GB RAM, kernel %s, disk %s; open files per process "
          "%s; run %s.\n" % (m["cpu"], m["cores"], m["memory_gb"], m["kernel"], m["disk"],
                             m["nofile"], m["date"]))
    if "ceiling" in sc and "saturate" in sc:
        ceil = [r["requests_per_s"] for r in sc["ceiling"] if r.get("requests_per_s")]
        sat = [r.get("answers_peak_per_s") for r in sc["saturate"] if r.get("answers_peak_per_s")]
        print("| measure | median (range) |")
        print("|---|---|")
        print("| raw ceiling: `GET /api/v1/_bench/ping`, 200 keep-alive connections, req/s | %s |"
              % med(sc["ceiling"], "requests_per_s"))
        print("| durable answer saves/s at saturation (peak second) | %s |"
              % med(sc["saturate"], "answers_peak_per_s"))
        print("| durable answer saves/s at saturation (whole run, storm included) | %s |"
              % med(sc["saturate"], "answers_per_s"))
        if ceil and sat:
            print("| ratio of saves at saturation (peak) to the ceiling | %.0f%% |"
                  % (100 * statistics.median(sat) / statistics.median(ceil)))
        print("| answer latency at saturation p50 / p99, ms | %s / %s |"
              % (med(sc["saturate"], "ops.answer.p50_ms", "%.1f"),
                 med(sc["saturate"], "ops.answer.p99_ms", "%.1f")))
        print("| `ujian verify` after the saturation runs | %s |\n" % verdicts(sc["saturate"]))
    sizes = [k for k in sc if k.isdigit()]
    if sizes:
        print("| candidates | %s |" % " | ".join("{:,}".format(int(k)) for k in sizes))
        print("|---|" + "---|" * len(sizes))
        rows = [
            ("start storm (all logged in and started), s", "start_storm_s", "%.1f"),
            ("login p99, ms", "ops.login.p99_ms", "%.1f"),
            ("start p99, ms", "ops.start.p99_ms", "%.1f"),
            ("start p50, ms", "ops.start.p50_ms", "%.1f"),
            ("answers acknowledged", "acked_answers", "%.0f"),
            ("answer-save p50, ms", "ops.answer.p50_ms", "%.1f"),
            ("answer-save p99, ms", "ops.answer.p99_ms", "%.1f"),
            ("answer-save max, ms", "ops.answer.max_ms", "%.0f"),
            ("server CPU, s", "server_cpu_s", "%.1f"),
            ("server peak RSS, MB", "server_peak_rss_mb", "%.0f"),
            ("server peak open descriptors", "server_peak_fds", "%.0f"),
            ("server start-up with this database, s", "server_startup_s", "%.2f"),
            ("candidate import (papers drawn), s", "import_s", "%.1f"),
        ]
        for label, path, fmt in rows:
            print("| %s | %s |" % (label, " | ".join(med(sc[k], path, fmt) for k in sizes)))
        print("| errors (other than `attempt_closed` after the deadline), worst run | %s |"
              % " | ".join(errors(sc[k]) for k in sizes))
        print("| `ujian verify` | %s |\n" % " | ".join(verdicts(sc[k]) for k in sizes))
    tls = [k for k in sc if k.startswith("tls-")]
    if tls:
        cols = []
        for k in tls:
            if k[4:] in sc:
                cols.append(("HTTP, " + "{:,}".format(int(k[4:])), sc[k[4:]]))
            cols.append(("HTTPS, " + "{:,}".format(int(k[4:])), sc[k]))
        print("| candidates | %s |" % " | ".join(c[0] for c in cols))
        print("|---|" + "---|" * len(cols))
        for label, path, fmt in (
                ("login p50 / p99, ms", ("ops.login.p50_ms", "ops.login.p99_ms"), "%.1f"),
                ("start p50 / p99, ms", ("ops.start.p50_ms", "ops.start.p99_ms"), "%.1f"),
                ("answer-save p50 / p99, ms", ("ops.answer.p50_ms", "ops.answer.p99_ms"), "%.1f"),
                ("server CPU, s", ("server_cpu_s",), "%.1f"),
                ("server peak RSS, MB", ("server_peak_rss_mb",), "%.0f"),
                ("server peak open descriptors", ("server_peak_fds",), "%.0f"),
                ("answers acknowledged", ("acked_answers",), "%.0f")):
            print("| %s | %s |" % (label, " | ".join(
                " / ".join(med(c[1], p, fmt) for p in path) for c in cols)))
        print("| errors (other than `attempt_closed`), worst run | %s |"
              % " | ".join(errors(c[1]) for c in cols))
        print("| `ujian verify` | %s |\n" % " | ".join(verdicts(c[1]) for c in cols))
    syncs = [k for k in sc if k.startswith("sync-")]
    for k in syncs:
        runs = sc[k]
        print("Shared start and deadline, %s candidates (%d runs):\n" % (
            "{:,}".format(int(k[5:])), len(runs)))
        print("| measure | median (range) |")
        print("|---|---|")
        print("| start burst: start p50 / p99, ms | %s / %s |" % (
            med(runs, "ops.start.p50_ms", "%.0f"), med(runs, "ops.start.p99_ms", "%.0f")))
        print("| spread of the stored start times, s | %s |" % med(runs, "start_spread_s", "%.2f"))
        print("| finish storm: last deadline → every attempt scored and durable, s | %s |"
              % med(runs, "finish_storm_s", "%.2f"))
        print("| … counted from the first deadline, s | %s |"
              % med(runs, "finish_storm_from_first_deadline_s", "%.2f"))
        print("| attempts finished by the server at the deadline | %s |"
              % med(runs, "time_up_finishes", "%.0f"))
        print("| server peak RSS, MB | %s |" % med(runs, "server_peak_rss_mb", "%.0f"))
        print("| errors (other than `attempt_closed`), worst run | %s |" % errors(runs))
        print("| `ujian verify` | %s |\n" % verdicts(runs))
    for k in [k for k in sc if k.startswith("poll-") or k.startswith("dash-")]:
        paired(k, sc[k])


def poll_errors(runs, op):
    return "%d" % max(sum(e["count"] for e in r.get("errors", []) if e.get("op") == op)
                      for r in runs)


def paired(name, runs):
    """A poll-N or dash-N scenario: the N run without and with the feature."""
    n = "{:,}".format(int(name.split("-")[1]))
    wo = [r["without"] for r in runs]
    wi = [r["with"] for r in runs]
    dash = name.startswith("dash-")
    feature = ("%s live dashboards" % med(wi, "dashboards.count")) if dash else \
        ("the poll every %s ms" % med(wi, "poll_ms"))
    print("%s candidates, without and with %s (%d run%s each):\n"
          % (n, feature, len(runs), "" if len(runs) == 1 else "s"))
    print("| measure | without | with |")
    print("|---|---|---|")

    def row(label, path, fmt, both=True):
        print("| %s | %s | %s |" % (label, med(wo, path, fmt) if both else "—", med(wi, path, fmt)))

    row("server idle timeout, s", "idle_timeout_s", "%.0f")
    if dash:
        row("sittings", "sittings", "%.0f")
    row("login p99, ms", "ops.login.p99_ms", "%.1f")
    row("start p99, ms", "ops.start.p99_ms", "%.1f")
    row("answer-save p50, ms", "ops.answer.p50_ms", "%.2f")
    row("**answer-save p99, ms**", "ops.answer.p99_ms", "%.1f")
    row("answer-save max, ms", "ops.answer.max_ms", "%.0f")
    print("| answer-save p99, with / without | | %s |" % med(runs, "answer_p99_ratio", "%.2f"))
    row("answers acknowledged", "acked_answers", "%.0f")
    if dash:
        row("**lag, acknowledgement → row on a dashboard: p50, ms**", "dashboards.lag.p50_ms",
            "%.0f", False)
        row("**… p99, ms**", "dashboards.lag.p99_ms", "%.0f", False)
        row("… max, ms", "dashboards.lag.max_ms", "%.0f", False)
        row("lag samples", "dashboards.lag.count", "%.0f", False)
        row("rows received (all dashboards)", "dashboards.rows", "%.0f", False)
        row("`rows` events received", "dashboards.events", "%.0f", False)
        print("| streams opened / reconnects | — | %s / %s |" % (
            med(wi, "dashboards.streams_opened"), med(wi, "dashboards.reconnects")))
        row("answers whose row came before their acknowledgement", "dashboards.rows_before_ack",
            "%.0f", False)
        row("acknowledgements never seen on a dashboard", "dashboards.acks_unseen", "%.0f", False)
        print("| dashboard errors, worst run | — | %s |" % poll_errors(wi, "dashboard"))
    else:
        row("polls answered", "polls.ok", "%.0f", False)
        row("poll p50, ms", "ops.poll.p50_ms", "%.2f", False)
        row("poll p99, ms", "ops.poll.p99_ms", "%.1f", False)
        row("polls skipped (previous one unanswered)", "polls.skipped", "%.0f", False)
        print("| poll errors, worst run | — | %s |" % poll_errors(wi, "poll"))
    row("server CPU, s", "server_cpu_s", "%.1f")
    row("server peak RSS, MB", "server_peak_rss_mb", "%.0f")
    row("server peak open descriptors", "server_peak_fds", "%.0f")
    row("generator CPU, s", "bench_cpu_s", "%.1f")
    print("| load average at start (other jobs on the machine) | %s | %s |" % (
        "; ".join(r.get("loadavg_start_end", [["?"]])[0][0] for r in wo),
        "; ".join(r.get("loadavg_start_end", [["?"]])[0][0] for r in wi)))
    print("| errors other than `attempt_closed` (candidate ops), worst run | %s | %s |"
          % (errors_ops(wo), errors_ops(wi)))
    print("| `ujian verify` | %s | %s |\n" % (verdicts(wo), verdicts(wi)))


def errors_ops(runs):
    out = []
    for r in runs:
        out.append(sum(e["count"] for e in r.get("errors", [])
                       if e.get("code") != "attempt_closed" and e.get("op") not in ("poll", "dashboard")))
    return "%d" % max(out) if out else "—"


if __name__ == "__main__":
    main()
