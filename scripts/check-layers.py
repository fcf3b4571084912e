#!/usr/bin/env python3
"""Check that every #include between server folders follows the layer rules
of docs/ARCHITECTURE.md: a folder may include the headers of the folders (or
the single headers) listed for it below, and nothing else. Prints TAP, one
line per folder, naming each include that breaks the rule."""

import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# folder -> what it may include besides its own headers, bounds.h and
# version.h: a folder name allows all its headers, "folder/x.h" one header.
ALLOWED = {
    "core": set(),
    "store": {"core"},
    "exam": {"core", "store", "catalog/bank.h", "catalog/exam.h"},
    "catalog": {"core", "store/db.h", "store/event.h", "store/writer.h", "auth/cred.h", "exam/paper.h", "exam/scoring.h",
                "exam/registry.h", "selection/ident.h"},
    "report": {"core", "store/db.h", "store/chain.h", "catalog", "exam/paper.h", "exam/scoring.h",
               "exam/ranking.h",
               # issue 11: slips are issued with their audit event (report/slip.c)
               "store/event.h", "store/writer.h"},
    "auth": {"core", "store", "exam"},
    "proctor": {"core", "store", "exam", "auth", "catalog/bank.h", "catalog/exam.h", "http/sse.h"},
    "selection": {"core", "store", "auth", "exam", "catalog", "http/sse.h"},
    # issue 14: item and test analysis; pure statistics (istat, tstat, rasch)
    # use core only, the data readers and calibration store use the rest.
    "analysis": {"core", "store", "catalog", "exam"},
    "http": {"core", "auth/principal.h"},
    "api": {"core", "store/db.h", "http", "auth", "exam", "catalog/enrol.h", "catalog/catalog.h", "catalog/sitting.h", "report", "store/chain.h", "proctor", "selection", "analysis"},
    "app": {"core", "store", "exam", "catalog", "auth", "http", "api", "proctor", "selection", "analysis"},
    "cli": {"core", "store", "exam", "catalog", "report", "auth", "http", "api", "app", "proctor", "selection", "analysis"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def files_of(folder):
    for base, ext in (("server", ".c"), ("include", ".h")):
        d = os.path.join(TOP, base, folder)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name.endswith(ext):
                    yield os.path.join(base, folder, name)


def main():
    folders = sorted({d for base in ("server", "include") for d in os.listdir(os.path.join(TOP, base))
                      if os.path.isdir(os.path.join(TOP, base, d))})
    n = failed = 0
    for folder in folders:
        n += 1
        bad = []
        if folder not in ALLOWED:
            bad.append("folder %s has no layer rule in scripts/check-layers.py" % folder)
        allowed = ALLOWED.get(folder, set())
        for path in files_of(folder):
            with open(os.path.join(TOP, path), encoding="utf-8") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                if "/" not in inc:
                    continue  # bounds.h, version.h, or a local header
                dep = inc.split("/", 1)[0]
                if dep == folder or dep in allowed or inc in allowed:
                    continue
                bad.append("%s includes %s" % (path, inc))
        if bad:
            failed += 1
            print("not ok %d - layer %s" % (n, folder))
            for b in bad:
                print("#   " + b)
        else:
            print("ok %d - layer %s" % (n, folder))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
