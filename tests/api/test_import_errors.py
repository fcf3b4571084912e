"""Imports report every error of a file at once (capped at 50, then
"... and N more errors"), each naming the file, the line or item, the field
and what is wrong, and apply nothing; candidate CSV files saved by Excel under
Indonesian settings (';', BOM, CRLF) are read, and the separator is named."""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import make_bank, make_exam, run, write_csv  # noqa: E402

CAP = 50  # UJ_ERRORS_MAX in include/bounds.h


class ImportErrorsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ujian-errs-")
        self.db = os.path.join(self.dir, "e.db")
        run("init", "--db", self.db)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def count(self, table):
        con = sqlite3.connect(self.db)
        try:
            return con.execute("SELECT count(*) FROM " + table).fetchone()[0]
        finally:
            con.close()

    def write_json(self, name, doc):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def fails(self, *args):
        p = run(*args, check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        return p.stderr.splitlines()

    def with_exam(self):
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        run("exam", "create", "--db", self.db, make_exam(self.dir))

    def test_bank_reports_every_error(self):
        path, _ = make_bank(self.dir)
        with open(path) as f:
            doc = json.load(f)
        doc["items"][0]["difficulty"] = "sedang"
        doc["items"][4]["topic"] = "Topik Besar"
        del doc["items"][7]["text"]
        doc["items"][7]["section"] = "XYZ"
        doc["sections"][2]["scoring"]["blank"] = "nol"
        doc["items"][9]["id"] = doc["items"][8]["id"]
        bad = self.write_json("bad.json", doc)
        lines = self.fails("bank", "import", "--db", self.db, bad)
        prefix = "ujian bank import: %s: " % bad
        self.assertTrue(all(line.startswith(prefix) for line in lines), lines)
        want = [
            'section "TKP" (sections[2]) scoring field "blank": must be an integer',
            'item "SECRETID-TWK-01" (items[0]) field "difficulty": must be easy, medium or hard',
            'item "SECRETID-TWK-05" (items[4]) field "topic": "Topik Besar"',
            'item "SECRETID-TIU-02" (items[7]) field "section": unknown section "XYZ"',
            'item "SECRETID-TIU-02" (items[7]) field "text": is required',
            'item "SECRETID-TIU-03" (items[9]) field "id": duplicate id (first used by items[8])',
        ]
        self.assertEqual(len(lines), len(want), lines)
        for line, w in zip(lines, want):
            self.assertIn(w, line)
        self.assertEqual(self.count("banks"), 0)
        self.assertEqual(self.count("items"), 0)

    def test_bank_image_errors_all_reported(self):
        path, _ = make_bank(self.dir)
        with open(path) as f:
            doc = json.load(f)
        doc["items"][0]["images"] = ["img/hilang1.png"]
        doc["items"][2]["options"][0]["image"] = "img/hilang2.svg"
        bad = self.write_json("img.json", doc)
        lines = self.fails("bank", "import", "--db", self.db, bad)
        self.assertEqual(len(lines), 2, lines)
        self.assertIn('(items[0]) field "images[0]"', lines[0])
        self.assertIn("hilang1.png", lines[0])
        self.assertIn('(items[2]) options[0] field "image"', lines[1])
        self.assertEqual(self.count("assets"), 0)

    def test_exam_reports_every_error_and_timezone(self):
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        exam = make_exam(self.dir, duration_s=5, token="a b", timezone="PST",
                         tie_break=["TWK", "NOPE"])
        with open(exam) as f:
            doc = json.load(f)
        doc["sections"][1]["draw"] = 0
        doc["pass_rules"]["umum"]["sections"]["TIU"] = "sepuluh"
        path = self.write_json("exam-bad.json", doc)
        lines = self.fails("exam", "create", "--db", self.db, path)
        text = "\n".join(lines)
        for needle in ('field "duration_s": must be between 10', 'field "token"',
                       'field "timezone": must be WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9)',
                       'sections[1] ("TIU") field "draw"',
                       'field "tie_break": entry 1 is not a section code'):
            self.assertIn(needle, text)
        self.assertEqual(len(lines), 5, lines)
        self.assertEqual(self.count("exams"), 0)
        # a listed section with its own error is not reported again where referenced
        self.assertNotIn("pass_rules.umum", text)
        for zone in ("WIB", "WITA", "WIT"):
            ok = make_exam(self.dir, code="EX-" + zone, timezone=zone)
            run("exam", "create", "--db", self.db, ok)
        self.assertEqual(self.count("exams"), 3)

    def test_exam_sections_missing_from_bank_all_named(self):
        run("bank", "import", "--db", self.db, make_bank(self.dir)[0])
        doc = json.load(open(make_exam(self.dir)))
        doc["sections"] = [{"code": "TWK", "draw": 2}, {"code": "ABC", "draw": 2},
                           {"code": "XYZ", "draw": 2}]
        del doc["pass_rules"]
        lines = self.fails("exam", "create", "--db", self.db, self.write_json("e.json", doc))
        self.assertEqual(len(lines), 2, lines)
        self.assertIn('sections[1] field "code": bank "TB" has no section "ABC"', lines[0])
        self.assertIn('sections[2] field "code": bank "TB" has no section "XYZ"', lines[1])

    def test_csv_errors_on_lines_2_and_5_both_reported_nothing_imported(self):
        self.with_exam()
        rows = ["A1,Satu,short,umum,0",            # line 2: password too short
                "A2,Dua,password2,umum,0",
                "A3,Tiga,password3,umum,0",
                "A4,,password4,vip,x"]             # line 5: name, track, extra time
        csv = write_csv(self.dir, "c.csv", rows)
        lines = self.fails("candidates", "import", "--db", self.db, "--exam", "EX", csv)
        prefix = "ujian candidates import: %s: " % csv
        self.assertEqual(lines, [
            prefix + 'line 2 field "password": must be 8-64 printable ASCII characters without'
                     ' spaces (or empty to have one issued)',
            prefix + 'line 5 field "name": must be 1-200 characters without control characters',
            prefix + 'line 5 field "track": exam EX has no pass rule for track "vip"'
                     ' (tracks: umum, khusus)',
            prefix + 'line 5 field "extra_time_s": "x" must be a whole number of seconds'
                     ' 0-86400',
        ])
        self.assertEqual(self.count("candidates"), 0)
        self.assertEqual(self.count("papers"), 0)

    def test_csv_duplicates_and_existing_all_reported(self):
        self.with_exam()
        run("candidates", "import", "--db", self.db, "--exam", "EX",
            write_csv(self.dir, "old.csv", ["OLD1,Lama,password1,umum,0"]))
        csv = write_csv(self.dir, "d.csv", ["B1,Satu,,umum,0", "OLD1,Lagi,,umum,0",
                                            "B1,Dua,,umum,0", "B2,Empat,,umum"])
        lines = self.fails("candidates", "import", "--db", self.db, "--exam", "EX", csv)
        self.assertEqual(len(lines), 3, lines)
        self.assertIn('line 3 field "registration_no": "OLD1" is already registered', lines[0])
        self.assertIn('line 4 field "registration_no": "B1" appears twice', lines[1])
        self.assertIn("line 5: has 4 fields; the header has 5", lines[2])
        self.assertEqual(self.count("candidates"), 1)

    def test_csv_header_errors_all_reported(self):
        self.with_exam()
        csv = write_csv(self.dir, "h.csv", ["X1,Satu"], header="registration_no,nama,kelas,nama")
        lines = self.fails("candidates", "import", "--db", self.db, "--exam", "EX", csv)
        self.assertEqual(len(lines), 3, lines)
        self.assertIn('line 1: unknown column "nama"', lines[0])
        self.assertIn('line 1: unknown column "kelas"', lines[1])

    def test_cap_applied_with_and_n_more(self):
        self.with_exam()
        csv = write_csv(self.dir, "many.csv",
                        ["M%03d,,password1,umum,0" % i for i in range(120)])
        lines = self.fails("candidates", "import", "--db", self.db, "--exam", "EX", csv)
        self.assertEqual(len(lines), CAP + 1)
        self.assertIn('line 2 field "name"', lines[0])
        self.assertIn('line %d field "name"' % (CAP + 1), lines[CAP - 1])
        self.assertTrue(lines[-1].endswith("... and %d more errors" % (120 - CAP)), lines[-1])
        self.assertEqual(self.count("candidates"), 0)

    def test_semicolon_bom_crlf_csv_from_excel(self):
        self.with_exam()
        path = os.path.join(self.dir, "excel.csv")
        with open(path, "wb") as f:
            f.write("\ufeffregistration_no;name;password;track;extra_time_s\r\n"
                    "199001012020121001;Nip Panjang;password1;umum;0\r\n"
                    "S2;\"Titik; Koma, S.E.\";;khusus;600\r\n".encode("utf-8"))
        p = run("candidates", "import", "--db", self.db, "--exam", "EX", path)
        self.assertIn("separator ';' detected", p.stderr)
        out = p.stdout.splitlines()
        self.assertEqual(out[0], "registration_no,name,password")
        self.assertEqual(out[1], "199001012020121001,Nip Panjang,password1")
        self.assertTrue(out[2].startswith('S2,"Titik; Koma, S.E.",'), out[2])
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute("SELECT registration_no, name, track, extra_time_s FROM candidates"
                               " ORDER BY id").fetchall()
        finally:
            con.close()
        self.assertEqual(rows, [("199001012020121001", "Nip Panjang", "umum", 0),
                                ("S2", "Titik; Koma, S.E.", "khusus", 600)])
        # errors in a ';' file name their lines too, after the note
        bad = os.path.join(self.dir, "excel-bad.csv")
        with open(bad, "wb") as f:
            f.write(b"registration_no;name\r\nS3;\r\nS4;Empat\r\n")
        lines = self.fails("candidates", "import", "--db", self.db, "--exam", "EX", bad)
        self.assertIn("separator ';' detected", lines[0])
        self.assertIn('line 2 field "name"', lines[1])
        self.assertEqual(len(lines), 2)
        # a comma file says nothing about its separator
        p = run("candidates", "import", "--db", self.db, "--exam", "EX",
                write_csv(self.dir, "comma.csv", ["K1,Koma,password1,umum,0"]))
        self.assertNotIn("separator", p.stderr)


if __name__ == "__main__":
    harness.main()
