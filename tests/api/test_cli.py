"""The ujian command line: every subcommand validates its input completely,
names the file/line/item and field, exits non-zero and changes nothing."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import make_bank, make_exam, run, write_csv  # noqa: E402

# The database schema version of this ujian (include/store/db.h).
SCHEMA = 8


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ujian-cli-")
        self.db = os.path.join(self.dir, "c.db")
        run("init", "--db", self.db)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def count(self, table):
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            return con.execute("SELECT count(*) FROM " + table).fetchone()[0]
        finally:
            con.close()

    def bank_doc(self):
        path, _ = make_bank(self.dir)
        with open(path) as f:
            return path, json.load(f)

    def write_json(self, name, doc):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def assert_fails(self, args, *needles, code=1):
        p = run(*args, check=False)
        self.assertEqual(p.returncode, code, p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)
        return p

    # --- general -----------------------------------------------------------

    def test_help_on_every_command_and_none(self):
        """`ujian` alone is a usage error (usage on stderr, exit 2); --help or
        -h after any command prints that command's usage (exit 0) and does
        nothing else."""
        p = run(check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: ujian COMMAND", p.stderr)
        self.assertEqual(p.stdout, "")
        for cmd in ("init", "bank", "exam", "candidates", "results", "verify", "serve", "demo",
                    "routes", "staff", "audit", "cert"):
            for flag in ("--help", "-h"):
                with self.subTest(cmd=cmd, flag=flag):
                    p = run(cmd, flag, check=False)
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertTrue(p.stdout.startswith("usage: ujian %s" % cmd), p.stdout)
                    self.assertIn("\n  " + cmd, p.stdout)
        self.assertIn("--writer-queue", run("serve", "--help").stdout)  # the server options
        self.assertNotIn("staff add", run("bank", "import", "--help").stdout)
        # Help never runs the command: no database is made.
        run("init", "--db", os.path.join(self.dir, "never.db"), "--help")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "never.db")))

    def test_bom_in_a_bank_or_exam_file_is_accepted(self):
        bank, _ = make_bank(self.dir)
        exam = make_exam(self.dir)
        for path in (bank, exam):
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(b"\xef\xbb\xbf" + data)
        run("bank", "import", "--db", self.db, bank)
        run("exam", "create", "--db", self.db, exam)
        self.assertEqual(self.count("exams"), 1)

    def test_an_unknown_section_is_named_as_such(self):
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        path = make_exam(self.dir)
        with open(path) as f:
            exam = json.load(f)
        exam["sections"][0]["code"] = "TWX"  # a typo of TWK
        with open(path, "w") as f:
            json.dump(exam, f)
        p = self.assert_fails(["exam", "create", "--db", self.db, path],
                              'sections[0] field "code": bank "TB" has no section "TWX"')
        self.assertEqual(self.count("exams"), 0)

    def test_help_and_usage_errors(self):
        p = run("help")
        for cmd in ("init", "bank import", "bank list", "exam create", "exam list",
                    "candidates import", "results export", "serve", "demo"):
            self.assertIn(cmd, p.stdout)
        self.assert_fails(["frobnicate"], "unknown command", code=2)
        self.assert_fails(["bank", "list"], "--db is required", code=2)
        self.assert_fails(["bank", "list", "--db", self.db, "--nope"], "unknown option --nope",
                          code=2)
        self.assert_fails(["serve", "--db", self.db, "--max-body", "12"], "--max-body", code=2)
        self.assert_fails(["serve", "--db", self.db, "--outage-credit", "maybe"],
                          "--outage-credit", code=2)
        self.assert_fails(["serve", "--db", self.db, "--login-limit", "5"], "N/SECONDS", code=2)
        self.assert_fails(["bank", "list", "--db", os.path.join(self.dir, "missing.db")],
                          "no such database")

    def test_init_is_idempotent_and_creates_private_key(self):
        p = run("init", "--db", self.db)
        self.assertIn("schema version %d" % SCHEMA, p.stdout)
        self.assertEqual(os.stat(self.db + ".key").st_mode & 0o777, 0o600)

    def test_schema_version_guard(self):
        import sqlite3
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
        self.assert_fails(["bank", "list", "--db", self.db], "schema version 99 is newer")
        self.assert_fails(["init", "--db", self.db], "newer than this ujian")
        old = os.path.join(self.dir, "old.db")
        sqlite3.connect(old).close()  # an empty file: schema version 0
        self.assert_fails(["bank", "list", "--db", old], "older than %d" % SCHEMA, "ujian init")
        self.assertIn("schema version %d" % SCHEMA, run("init", "--db", old).stdout)
        self.assertIn("CODE", run("bank", "list", "--db", old).stdout)

    def test_forward_migration_keeps_data(self):
        """A version-1 database (before attempts.position, the events'
        actor columns and the staff tables) with a running attempt and an event is migrated by
        ujian init; both keep their data."""
        import sqlite3
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        run("exam", "create", "--db", self.db, make_exam(self.dir))
        run("candidates", "import", "--db", self.db, "--exam", "EX",
            write_csv(self.dir, "m.csv", ["M1,Satu,password1,umum,0"]))
        con = sqlite3.connect(self.db)
        cid = con.execute("SELECT id FROM candidates").fetchone()[0]
        con.execute("INSERT INTO attempts (candidate_id, status, started_at) VALUES (?, "
                    "'in_progress', 1700000000000)", (cid,))
        con.execute("INSERT INTO events (at, candidate_id, kind) VALUES (1700000000000, ?, "
                    "'start')", (cid,))
        con.execute("DROP TABLE calibrations")  # version 8
        for t in ("slips", "stage_gates", "stage_scores", "applicants", "vacancies",
                  "selection_members", "selections", "placements", "talent_scores",
                  "talent_periods", "skp", "sanctions", "employees"):  # version 7
            con.execute("DROP TABLE %s" % t)
        con.execute("DROP INDEX candidates_nip")
        con.execute("ALTER TABLE candidates DROP COLUMN nip")
        for t in ("sittings", "sitting_proctors", "notices"):  # version 6
            con.execute("DROP TABLE %s" % t)
        con.execute("DROP INDEX events_staff")
        con.execute("DROP INDEX events_incident")
        con.execute("ALTER TABLE candidates DROP COLUMN sitting_id")
        con.execute("ALTER TABLE attempts DROP COLUMN paused_at")
        con.execute("ALTER TABLE attempts DROP COLUMN pause_reason")
        con.execute("ALTER TABLE attempts DROP COLUMN position")
        con.execute("ALTER TABLE events DROP COLUMN actor_kind")
        con.execute("ALTER TABLE events DROP COLUMN actor_id")
        con.execute("ALTER TABLE events DROP COLUMN prev")
        con.execute("ALTER TABLE events DROP COLUMN hash")
        for t in ("staff_sessions", "staff_scope", "staff"):  # version 4
            con.execute("DROP TABLE %s" % t)
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.close()
        self.assert_fails(["exam", "list", "--db", self.db], "older than %d" % SCHEMA)
        self.assertIn("schema version %d" % SCHEMA, run("init", "--db", self.db).stdout)
        con = sqlite3.connect(self.db)
        row = con.execute("SELECT status, started_at, position FROM attempts").fetchone()
        ev = con.execute("SELECT kind, actor_kind, actor_id FROM events").fetchall()
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.close()
        self.assertEqual(row, ("in_progress", 1700000000000, 1))
        self.assertEqual(ev, [("start", None, None)])  # who: unknown before version 3
        self.assertEqual(version, SCHEMA)

    # --- banks -------------------------------------------------------------

    def test_bank_import_and_reimport(self):
        path, _ = make_bank(self.dir)
        p = run("bank", "import", "--db", self.db, path)
        self.assertIn("bank TB version 1 imported: 18 items", p.stdout)
        self.assertIn("2 images", p.stdout)
        p = run("bank", "import", "--db", self.db, path)
        self.assertIn("unchanged", p.stdout)
        self.assertIn("TB", run("bank", "list", "--db", self.db).stdout)
        self.assertEqual(self.count("bank_versions"), 1)

    def test_bank_rejections_name_item_and_field(self):
        path, doc = self.bank_doc()
        cases = []
        d = json.loads(json.dumps(doc))
        d["items"][3]["id"] = d["items"][1]["id"]
        cases.append((d, ['item "SECRETID-TWK-02" (items[3])', 'field "id"', "duplicate"]))
        d = json.loads(json.dumps(doc))
        d["items"][2]["section"] = "XYZ"
        cases.append((d, ["items[2]", 'field "section"', "unknown section"]))
        d = json.loads(json.dumps(doc))
        d["items"][0]["options"] = d["items"][0]["options"][:1]
        cases.append((d, ["items[0]", 'field "options"', "2 to 6"]))
        d = json.loads(json.dumps(doc))
        for o in d["items"][0]["options"]:
            o["correct"] = True
        cases.append((d, ["items[0]", "exactly one option", "found 5"]))
        d = json.loads(json.dumps(doc))
        del d["items"][14]["options"][1]["points"]
        cases.append((d, ['item "SECRETID-TKP-03" (items[14]) options[1]', 'field "points"',
                          "required"]))
        d = json.loads(json.dumps(doc))
        d["items"][0]["corect"] = True
        cases.append((d, ["items[0]", 'field "corect"', "unknown field"]))
        d = json.loads(json.dumps(doc))
        d["items"][0]["text"] = "x" * 10001
        cases.append((d, ["items[0]", 'field "text"', "10001 bytes"]))
        d = json.loads(json.dumps(doc))
        d["items"][0]["images"] = ["img/missing.png"]
        cases.append((d, ["items[0]", 'field "images[0]"', "missing.png"]))
        d = json.loads(json.dumps(doc))
        d["items"][0]["images"] = ["../etc/passwd.png"]
        cases.append((d, ["items[0]", 'field "images[0]"', "relative path"]))
        for i, (bad, needles) in enumerate(cases):
            p = self.write_json("bad%d.json" % i, bad)
            self.assert_fails(["bank", "import", "--db", self.db, p], p + ":", *needles)
        self.assert_fails(["bank", "import", "--db", self.db,
                           self.write_json("x.json", [1])], "must be a JSON object")
        with open(os.path.join(self.dir, "broken.json"), "w") as f:
            f.write('{"code": "TB",\n "title": }')
        self.assert_fails(["bank", "import", "--db", self.db,
                           os.path.join(self.dir, "broken.json")], "line 2", "not valid JSON")
        # nothing was stored by any of them
        self.assertEqual(self.count("banks"), 0)
        self.assertEqual(self.count("items"), 0)
        self.assertEqual(self.count("assets"), 0)

    def test_svg_with_script_rejected(self):
        path, doc = self.bank_doc()
        with open(os.path.join(self.dir, "img", "evil.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
        doc["items"][0]["images"] = ["img/evil.svg"]
        p = self.write_json("evil.json", doc)
        self.assert_fails(["bank", "import", "--db", self.db, p], "script")

    def test_svg_external_references_in_css_rejected(self):
        """The CSS ways out of an SVG are refused (issue 12, item 5): url() to
        anything but #id in a presentation attribute, a style attribute or a
        <style> element, @import, CSS escapes, <?xml-stylesheet?>; a gradient
        by fragment and the XML declaration stay fine."""
        svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">%s</svg>'
        bad = {
            "fill": '<rect width="5" height="5" fill="url(http://evil.example/x)"/>',
            "style attr": '<rect width="5" height="5" style="fill: URL( \'//evil.example/x\')"/>',
            "style element": '<style>rect { fill: url("https://evil.example/p.svg#a") }</style>',
            "import": '<style>@IMPORT "https://evil.example/x.css";</style>',
            "escape": '<style>rect { fill: u\\72 l(https://evil.example) }</style>',
        }
        ok = ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
              '<rect width="5" height="5" fill="url(#g)" style="stroke: url( \'#g\')"/>')
        cases = [(k, svg % v, "external reference" if k != "escape" else "backslash")
                 for k, v in bad.items()]
        cases.append(("stylesheet PI", '<?xml-stylesheet href="https://evil.example/x.css"?>' +
                      svg % "", "processing instruction"))
        for name, text, needle in cases:
            with self.subTest(case=name):
                path, doc = self.bank_doc()
                with open(os.path.join(self.dir, "img", "css.svg"), "w") as f:
                    f.write(text)
                doc["items"][0]["images"] = ["img/css.svg"]
                p = self.write_json("css.json", doc)
                self.assert_fails(["bank", "import", "--db", self.db, p], needle)
        path, doc = self.bank_doc()
        with open(os.path.join(self.dir, "img", "fine.svg"), "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>' + svg % ok)
        doc["items"][0]["images"] = ["img/fine.svg"]
        run("bank", "import", "--db", self.db, self.write_json("fine.json", doc))

    # --- exams -------------------------------------------------------------

    def test_exam_create_errors(self):
        e = make_exam(self.dir)
        self.assert_fails(["exam", "create", "--db", self.db, e], 'field "bank"', "no bank")
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        run("exam", "create", "--db", self.db, e)
        self.assert_fails(["exam", "create", "--db", self.db, e], "already exists")
        big = make_exam(self.dir, code="BIG", draw=7)
        self.assert_fails(["exam", "create", "--db", self.db, big], 'section "TWK"',
                          "draws 7 items but the bank has 6")
        topic = make_exam(self.dir, code="TOP", sections=[
            {"code": "TWK", "draw": 4, "topics": {"t0": 4}}], pass_rules={})
        self.assert_fails(["exam", "create", "--db", self.db, topic], 'topic "t0" needs 4',
                          "has 3")
        sums = make_exam(self.dir, code="SUM", sections=[
            {"code": "TWK", "draw": 4, "topics": {"t0": 1, "t1": 1}}], pass_rules={})
        self.assert_fails(["exam", "create", "--db", self.db, sums], 'field "topics"',
                          "add up to 2")
        nosec = make_exam(self.dir, code="NOSEC", sections=[{"code": "ABC", "draw": 1}],
                          pass_rules={})
        self.assert_fails(["exam", "create", "--db", self.db, nosec], 'no section "ABC"')
        short = make_exam(self.dir, code="SHORT", duration_s=9)
        self.assert_fails(["exam", "create", "--db", self.db, short], 'field "duration_s"')
        when = make_exam(self.dir, code="WHEN", opens_at="tomorrow")
        self.assert_fails(["exam", "create", "--db", self.db, when], 'field "opens_at"')
        self.assertEqual(self.count("exams"), 1)
        self.assertIn("EX", run("exam", "list", "--db", self.db).stdout)

    def test_bank_update_refused_if_it_breaks_an_exam(self):
        path, doc = self.bank_doc()
        run("bank", "import", "--db", self.db, path)
        run("exam", "create", "--db", self.db, make_exam(self.dir, draw=6))
        doc["items"] = [i for i in doc["items"] if i["id"] != "SECRETID-TIU-03"]
        p = self.write_json("smaller.json", doc)
        self.assert_fails(["bank", "import", "--db", self.db, p], 'exam "EX"',
                          'section "TIU"')
        self.assertEqual(self.count("bank_versions"), 1)

    # --- candidates --------------------------------------------------------

    def with_exam(self):
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        run("exam", "create", "--db", self.db, make_exam(self.dir))

    def test_candidates_import_issues_passwords(self):
        self.with_exam()
        csv = write_csv(self.dir, "c.csv", ['A1,"Siti, S.Pd."', "A2,Budi Santoso"],
                        header="registration_no,name")
        p = run("candidates", "import", "--db", self.db, "--exam", "EX", csv)
        lines = p.stdout.strip().split("\n")
        self.assertEqual(lines[0], "registration_no,name,password")
        self.assertTrue(lines[1].startswith('A1,"Siti, S.Pd.",'))
        pws = [l.rsplit(",", 1)[1] for l in lines[1:]]
        for pw in pws:
            self.assertRegex(pw, r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$")
        self.assertNotEqual(pws[0], pws[1])
        self.assertEqual(self.count("candidates"), 2)
        self.assertEqual(self.count("papers"), 2)
        # the password printed is the one that works
        w = harness.Server(self.dir, self.db).start()
        try:
            c = w.client()
            self.assertEqual(c.login("EX", "A2", pws[1]).status, 200)
        finally:
            w.stop()
        # the password is not stored anywhere in the database
        with open(self.db, "rb") as f:
            self.assertNotIn(pws[1].encode(), f.read())

    def test_candidates_import_rejections(self):
        self.with_exam()
        run("candidates", "import", "--db", self.db, "--exam", "EX",
            write_csv(self.dir, "ok.csv", ["OLD1,Lama,password1,umum,0"]))
        cases = [
            ("registration_no,nama", [], ["line 1", 'unknown column "nama"']),
            ("name,registration_no", [], ["line 1", "must start with registration_no,name"]),
            (None, ["B1,Satu,password1,umum,0", "B1,Dua,password2,umum,0"],
             ["line 3", 'field "registration_no"', "twice"]),
            (None, ["OLD1,Lagi,password1,umum,0"], ["line 2", "already registered"]),
            (None, ["B2,Dua,password1,vip,0"], ["line 2", 'field "track"', '"vip"']),
            (None, ["B3,Tiga,short,umum,0"], ["line 2", 'field "password"']),
            (None, ["B4,Empat,password1,umum,-5"], ["line 2", 'field "extra_time_s"']),
            (None, ["B5,Lima,password1,umum"], ["line 2", "has 4 fields"]),
            (None, ["B 6,Enam,password1,umum,0"], ["line 2", 'field "registration_no"']),
            (None, ['B7,"Tujuh,password1,umum,0'], ["line 2", "not closed"]),
        ]
        for i, (header, rows, needles) in enumerate(cases):
            csv = write_csv(self.dir, "bad%d.csv" % i, rows,
                            header=header or "registration_no,name,password,track,extra_time_s")
            self.assert_fails(["candidates", "import", "--db", self.db, "--exam", "EX", csv],
                              csv + ":", *needles)
        self.assert_fails(["candidates", "import", "--db", self.db, "--exam", "NOPE",
                           write_csv(self.dir, "n.csv", ["Z1,Z,password1,umum,0"])],
                          "--exam NOPE")
        self.assertEqual(self.count("candidates"), 1)
        self.assertEqual(self.count("papers"), 1)

    def test_candidates_import_latin1_file_rejected(self):
        self.with_exam()
        path = os.path.join(self.dir, "latin1.csv")
        with open(path, "wb") as f:
            f.write(b"registration_no,name\nL1,Jos\xe9\n")
        self.assert_fails(["candidates", "import", "--db", self.db, "--exam", "EX", path],
                          "line 2", "UTF-8")

    def test_paper_reproducible_from_stored_seed(self):
        """Two candidates imported together get different papers, each drawn
        exactly per blueprint (4 items per section)."""
        self.with_exam()
        run("candidates", "import", "--db", self.db, "--exam", "EX",
            write_csv(self.dir, "p.csv", ["P1,Satu,password1,umum,0",
                                          "P2,Dua,password1,umum,0"]))
        import sqlite3
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT seed, layout_json FROM papers").fetchall()
        con.close()
        self.assertEqual(len(rows[0][0]), 32)
        self.assertNotEqual(rows[0][0], rows[1][0])
        layouts = [json.loads(r[1]) for r in rows]
        self.assertNotEqual(layouts[0], layouts[1])
        for lay in layouts:
            self.assertEqual([q[2] for q in lay], [0] * 4 + [1] * 4 + [2] * 4)
            self.assertEqual(len({q[0] for q in lay}), 12)
            for q in lay:
                self.assertEqual(sorted(q[1]), [0, 1, 2, 3, 4])


class DemoTest(unittest.TestCase):
    def test_sample_bank_and_demo_exam_import(self):
        """The shipped SKD sample bank imports and satisfies SKD-DEMO."""
        d = tempfile.mkdtemp(prefix="ujian-demo-")
        try:
            db = os.path.join(d, "d.db")
            top = os.path.join(os.path.dirname(__file__), "..", "..", "question-bank",
                               "skd-sample")
            run("init", "--db", db)
            out = run("bank", "import", "--db", db, os.path.join(top, "bank.json")).stdout
            m = re.search(r"(\d+) items", out)
            self.assertEqual(int(m.group(1)), 220)
            with open(os.path.join(top, "bank.json")) as f:
                bank = json.load(f)
            per = {}
            for it in bank["items"]:
                per[it["section"]] = per.get(it["section"], 0) + 1
                if it["section"] == "TIU" and it["topic"] == "figural":
                    self.assertTrue(it.get("images"))
            self.assertGreaterEqual(per["TWK"], 60)
            self.assertGreaterEqual(per["TIU"], 70)
            self.assertGreaterEqual(per["TKP"], 90)
            figures = [i for i in bank["items"] if i["section"] == "TIU" and i.get("images")]
            self.assertGreaterEqual(len(figures), 5)
            out = run("exam", "create", "--db", db,
                      os.path.join(top, "exam-skd-demo.json")).stdout
            self.assertIn("110 items per paper, 6000 s", out)
            out = run("candidates", "import", "--db", db, "--exam", "SKD-DEMO",
                      os.path.join(top, "candidates-demo.csv")).stdout
            self.assertEqual(len(out.strip().split("\n")), 51)
        finally:
            shutil.rmtree(d, ignore_errors=True)


class FilePrivacyTest(unittest.TestCase):
    def test_files_are_private_and_a_shared_key_is_refused(self):
        """Everything ujian creates is mode 0600 whatever the caller's umask
        (database, WAL, shared memory, lock, key, the demo's credentials);
        a key file others may read is refused with the fix in the message."""
        old = os.umask(0o022)
        w = harness.World(n_candidates=1)
        try:
            w.serve()
            c = w.logged_in("C001")
            self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
            for suffix in ("", "-wal", "-shm", ".lock", ".key"):
                self.assertEqual(os.stat(w.db + suffix).st_mode & 0o777, 0o600, suffix)
            w.server.stop()
            os.chmod(w.db + ".key", 0o644)
            p = harness.run("serve", "--db", w.db, "--listen", "127.0.0.1:0", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("may be read or changed by others (mode 644)", p.stderr)
            self.assertIn("chmod 600", p.stderr)
            demo = os.path.join(w.dir, "demo.db")
            p = subprocess.Popen([harness.UJIAN, "demo", "--db", demo, "--listen", "127.0.0.1:0"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                for line in p.stdout:
                    if "listening on http://" in line:
                        break
                for f in (demo, demo + ".key", demo + ".credentials.csv", demo + ".lock"):
                    self.assertEqual(os.stat(f).st_mode & 0o777, 0o600, f)
            finally:
                p.terminate()
                p.wait(timeout=30)
                p.stdout.close()
                p.stderr.close()
        finally:
            os.umask(old)
            w.close()


if __name__ == "__main__":
    harness.main()
