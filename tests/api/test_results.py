"""Ranked results export: order with ties, tracks, CSV and JSON shape, while
the server is running."""

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, write_csv  # noqa: E402

# regno: (track, name, TWK, TIU, TKP) - TWK/TIU in steps of 5, TKP 0..20
PLAN = {
    "R1": ("umum", "Ani", 15, 15, 15),        # 45, passes
    "R2": ("umum", "Sari, S.E.", 20, 15, 10),  # 45, loses on TKP to R1
    "R3": ("umum", "Budi", 10, 20, 15),       # 45, TKP ties R1, wins on TIU
    "R4": ("umum", "=SUM(A1:A9)", 15, 15, 15),  # fully tied with R1: same rank
    "R5": ("umum", "Dedi", 20, 20, 5),        # 45 but TKP below 10: fails
    "R6": ("umum", "Eka", 20, 20, 20),        # 60, first
    "R7": ("khusus", "Fajar", 0, 10, 20),     # 30, passes the khusus total rule
}
EXPECTED = [("1", "R6"), ("2", "R3"), ("3", "R1"), ("3", "R4"), ("5", "R2"), ("6", "R7"),
            ("7", "R5")]


def choose(w, paper, target):
    """Labels that score exactly target {section: score}."""
    left = dict(target)
    choices = {}
    for q in paper["questions"]:
        item = w.info[q["text"]]
        sec = item["section"]
        want = min(5, left[sec])
        if want == 0:
            continue
        opt = next((o for o in q["options"] if item["points"][o["text"]] == want), None)
        if opt is None:  # right_wrong: 5 or 0
            continue
        choices[q["n"]] = opt["label"]
        left[sec] -= want
    assert all(v == 0 for v in left.values()), left
    return choices


class ResultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = w = World(n_candidates=0)
        rows = ["%s,%s,pw-%s-secret,%s,0" % (r, '"%s"' % p[1] if "," in p[1] else p[1], r, p[0])
                for r, p in PLAN.items()] + ["R8,Belum Selesai,pw-R8-secret,umum,0"]
        run("candidates", "import", "--db", w.db, "--exam", "EX", write_csv(w.dir, "r.csv", rows))
        w.candidates.update({r: "pw-%s-secret" % r for r in list(PLAN) + ["R8"]})
        w.serve()
        for regno, (track, name, twk, tiu, tkp) in PLAN.items():
            c = w.logged_in(regno)
            paper = c.post("/api/v1/attempt/start").json
            for n, label in choose(w, paper, {"TWK": twk, "TIU": tiu, "TKP": tkp}).items():
                assert c.answer(n, label, 1).status == 200
            res = c.post("/api/v1/attempt/finish").json
            assert res["total"] == twk + tiu + tkp, (regno, res)
        w.logged_in("R8").post("/api/v1/attempt/start")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_csv_order_ties_and_columns(self):
        raw = run("results", "export", "--db", self.w.db, "--exam", "EX", "--lang", "en").stdout
        self.assertTrue(raw.startswith("\ufeff"), "UTF-8 byte-order mark for spreadsheets")
        rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
        self.assertEqual(rows[0], ["rank", "registration_no", "name", "track", "TWK", "TIU",
                                   "TKP", "total", "passed", "finish_reason",
                                   "finished_at (WIB)"])
        body = rows[1:]
        self.assertEqual([(r[0], r[1]) for r in body], EXPECTED)
        by = {r[1]: r for r in body}
        for regno, (track, name, twk, tiu, tkp) in PLAN.items():
            r = by[regno]
            self.assertEqual(r[3], track)
            self.assertEqual(r[4:8], [str(twk), str(tiu), str(tkp), str(twk + tiu + tkp)])
            self.assertEqual(r[9], "submitted")
            self.assertRegex(r[10], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertEqual(by["R2"][2], "Sari, S.E.")
        self.assertEqual(by["R4"][2], "'=SUM(A1:A9)", "formula neutralised for spreadsheets")
        self.assertEqual(by["R5"][8], "false")
        self.assertEqual(by["R7"][8], "true")
        self.assertNotIn("R8", by)
        out = os.path.join(self.w.dir, "r.csv")
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--output", out)
        with open(out, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbfPeringkat,"))
        self.assertEqual(data.count(b"\r\n"), len(rows), "CRLF line ends (RFC 4180)")

    def test_json(self):
        out = os.path.join(self.w.dir, "r.json")
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--format", "json",
            "--output", out)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual([(str(d["rank"]), d["registration_no"]) for d in doc], EXPECTED)
        self.assertEqual(list(doc[0].keys()),
                         ["rank", "registration_no", "name", "track", "TWK", "TIU", "TKP",
                          "total", "passed", "disqualified", "finish_reason", "finished_at"])
        self.assertEqual(doc[0]["total"], 60)
        self.assertIs(doc[0]["disqualified"], False)
        self.assertIs(doc[0]["passed"], True)
        self.assertEqual(doc[-1]["registration_no"], "R5")
        self.assertIs(doc[-1]["passed"], False)

    def test_export_errors(self):
        p = run("results", "export", "--db", self.w.db, "--exam", "NOPE", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such exam", p.stderr)
        p = run("results", "export", "--db", self.w.db, "--exam", "EX", "--format", "xls",
                check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("csv, json or xlsx", p.stderr)
        for args, needle in ((["--sep", "|"], "--sep"), (["--sep", ";;"], "--sep"),
                             (["--lang", "fr"], "--lang"), (["--format", "xlsx"], "--output")):
            p = run("results", "export", "--db", self.w.db, "--exam", "EX", *args, check=False)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(needle, p.stderr)
        p = run("results", "export", "--db", self.w.db, "--exam", "NOPE", "--format", "xlsx",
                "--output", os.path.join(self.w.dir, "nope.xlsx"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such exam", p.stderr)

    def test_candidate_sees_scores_but_stored_pass_matches(self):
        c = self.w.logged_in("R5")
        res = c.get("/api/v1/attempt/result").json
        self.assertEqual(res["total"], 45)
        self.assertIs(res["passed"], False)


NIP = "199001012020121001"   # 18 digits, like a civil servant's NIP
ZERO = "0812345"              # a leading zero
HEAD_ID = ["Peringkat", "Nomor Peserta", "Nama", "Jalur", "TWK", "TIU", "TKP", "Total",
           "Keterangan", "Cara Selesai", "Waktu Selesai (WITA)"]


def xlsx_sheet(path):
    """Rows of the first sheet of an xlsx file as lists of (type, value) by
    column letter order, read with zipfile and ElementTree only."""
    import zipfile
    import xml.etree.ElementTree as ET
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter(
                    "{%s}t" % ns["m"])))
        sheet_xml = z.read("xl/worksheets/sheet1.xml")
        styles = z.read("xl/styles.xml")
    root = ET.fromstring(sheet_xml)
    rows = []
    for row in root.find("m:sheetData", ns).findall("m:row", ns):
        cells = {}
        for c in row.findall("m:c", ns):
            col = "".join(ch for ch in c.get("r") if ch.isalpha())
            v = c.find("m:v", ns)
            t = c.get("t", "n")
            if c.find("m:f", ns) is not None:
                t = "formula"
            val = None if v is None else v.text
            if t == "s" and val is not None:
                val = shared[int(val)]
            cells[col] = (t, val, c.get("s"))
        rows.append(cells)
    return rows, sheet_xml.decode(), styles.decode()


class OfficeExportTest(unittest.TestCase):
    """What an Indonesian office opens: BOM, ';' for Excel, headers in Bahasa
    Indonesia, the exam's time zone, 18-digit ids kept as text, absent and
    unfinished candidates with --all, and a real xlsx."""

    @classmethod
    def setUpClass(cls):
        cls.w = w = World(n_candidates=0, exam_extra={"timezone": "WITA"})
        rows = [NIP + ",Nip Panjang,pw-nip-secret,umum,0",
                ZERO + ',"Nol; Depan, S.Kom",pw-zero-secret,umum,0',
                "C003,Absen Saja,pw-C003-secret,umum,0",
                "C004,Hadir Belum Mulai,pw-C004-secret,umum,0",
                "C005,Belum Selesai,pw-C005-secret,umum,0"]
        run("candidates", "import", "--db", w.db, "--exam", "EX", write_csv(w.dir, "o.csv", rows))
        w.candidates.update({NIP: "pw-nip-secret", ZERO: "pw-zero-secret",
                             "C003": "pw-C003-secret", "C004": "pw-C004-secret",
                             "C005": "pw-C005-secret"})
        w.serve()
        for regno, best in ((NIP, True), (ZERO, False)):
            c = w.logged_in(regno)
            paper = c.post("/api/v1/attempt/start").json
            for q in paper["questions"]:
                label = w.best_label(q) if best else w.worst_label(q)
                assert c.answer(q["n"], label, 1).status == 200
            assert c.post("/api/v1/attempt/finish").status == 200
        w.logged_in("C004")
        w.logged_in("C005").post("/api/v1/attempt/start")

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def export(self, *args):
        return run("results", "export", "--db", self.w.db, "--exam", "EX", *args).stdout

    def finished_at_wita(self, regno):
        import datetime
        ms = self.w.sql("SELECT a.finished_at FROM attempts a JOIN candidates c ON c.id ="
                        " a.candidate_id WHERE c.registration_no = ?", regno)[0][0]
        t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
        return (t + datetime.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")

    def test_csv_for_excel_with_indonesian_settings(self):
        raw = self.export("--sep", ";")
        self.assertTrue(raw.startswith("\ufeff"), "BOM so Excel reads UTF-8")
        rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))
        self.assertEqual(rows[0], HEAD_ID)
        self.assertEqual(len(rows), 3, "finished attempts only without --all")
        self.assertTrue(all(len(r) == len(HEAD_ID) for r in rows))
        by = {r[1]: r for r in rows[1:]}
        self.assertIn('="%s"' % NIP, by, "18 digits kept as text for Excel, not 1.99E+17")
        self.assertIn('="%s"' % ZERO, by, "leading zero kept")
        nip = by['="%s"' % NIP]
        self.assertEqual(nip[0], "1")
        self.assertEqual(nip[8], "lulus")
        self.assertEqual(nip[9], "dikumpulkan")
        self.assertEqual(nip[10], self.finished_at_wita(NIP), "time in WITA (UTC+8)")
        zero = by['="%s"' % ZERO]
        self.assertEqual(zero[2], "Nol; Depan, S.Kom")
        self.assertEqual(zero[8], "tidak lulus")
        # the separator inside a name is quoted (RFC 4180), the comma is not
        self.assertIn('"Nol; Depan, S.Kom"', raw)
        comma = self.export()
        self.assertIn('"Nol; Depan, S.Kom"', comma)
        self.assertEqual(list(csv.reader(io.StringIO(comma[1:])))[0], HEAD_ID)

    def test_all_lists_absent_and_unfinished_with_status(self):
        rows = list(csv.reader(io.StringIO(self.export("--all")[1:])))
        self.assertEqual(rows[0], HEAD_ID[:9] + ["Status"] + HEAD_ID[9:])
        status = {r[1]: r[9] for r in rows[1:]}
        self.assertEqual(status, {'="%s"' % NIP: "selesai", '="%s"' % ZERO: "selesai",
                                  "C005": "belum selesai", "C004": "belum mulai",
                                  "C003": "tidak hadir"})
        self.assertEqual([r[1] for r in rows[3:]], ["C005", "C004", "C003"],
                         "after the ranked rows: unfinished, not started, absent")
        for r in rows[3:]:
            self.assertEqual(r[0], "", "no rank without a finished attempt")
            self.assertEqual(r[4:9], ["", "", "", "", ""])
        en = list(csv.reader(io.StringIO(self.export("--all", "--lang", "en")[1:])))
        self.assertEqual(en[0][-3:], ["status", "finish_reason", "finished_at (WITA)"])
        self.assertEqual([r[9] for r in en[1:]],
                         ["finished", "finished", "unfinished", "not started", "absent"])
        doc = json.loads(self.export("--all", "--format", "json"))
        self.assertEqual([d["status"] for d in doc],
                         ["finished", "finished", "in_progress", "not_started", "absent"])
        self.assertEqual(doc[0]["registration_no"], NIP, "JSON keeps the id as a string")
        self.assertTrue(doc[0]["finished_at"].endswith("+08:00"))
        self.assertIsNone(doc[4]["rank"])
        self.assertIsNone(doc[4]["total"])

    def test_xlsx(self):
        out = os.path.join(self.w.dir, "hasil.xlsx")
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--format", "xlsx",
            "--all", "--output", out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(2), b"PK", "an xlsx is a zip file")
        rows, sheet, styles = xlsx_sheet(out)
        head = [rows[0][c][1] for c in sorted(rows[0])]
        self.assertEqual(head, HEAD_ID[:9] + ["Status"] + HEAD_ID[9:])
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows[1]["B"][:2], ("s", NIP), "the NIP is a text cell, all 18 digits")
        self.assertEqual(rows[2]["B"][:2], ("s", ZERO))
        self.assertEqual(rows[1]["A"][:2], ("n", "1"), "rank is a number")
        self.assertEqual(rows[1]["H"][0], "n", "total is a number")
        self.assertEqual(rows[1]["J"][1], "selesai")
        self.assertEqual(rows[5]["J"][1], "tidak hadir")
        self.assertEqual(rows[5]["B"][1], "C003")
        self.assertNotIn("A", rows[5], "no rank for an absent candidate")
        self.assertNotIn("formula", [c[0] for r in rows for c in r.values()])
        self.assertIn('state="frozen"', sheet, "header row frozen")
        self.assertRegex(sheet, r'<pane [^>]*ySplit="1"')
        self.assertIn("<cols>", sheet, "column widths")
        self.assertIn("<b/>", styles, "a bold format for the header")
        # the time cell is a date-time number whose value matches WITA
        import datetime
        serial = float(rows[1]["L"][1])
        t = datetime.datetime(1899, 12, 30) + datetime.timedelta(seconds=round(serial * 86400))
        self.assertEqual(t.strftime("%Y-%m-%d %H:%M:%S"), self.finished_at_wita(NIP))


    @unittest.skipUnless(shutil.which("soffice"), "LibreOffice (soffice) is not installed")
    def test_libreoffice_reads_ids_as_text(self):
        """Where LibreOffice is installed (libreoffice-calc-nogui), let it
        open the ';' CSV and the xlsx headless and save what it shows: the
        ids come back whole, as the digits; plain digits would not."""
        home = os.path.join(self.w.dir, "lo-home")
        os.makedirs(home, exist_ok=True)
        semi = os.path.join(self.w.dir, "lo.csv")
        xlsx = os.path.join(self.w.dir, "lo.xlsx")
        plain = os.path.join(self.w.dir, "plain.csv")
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--sep", ";",
            "--output", semi)
        run("results", "export", "--db", self.w.db, "--exam", "EX", "--format", "xlsx",
            "--output", xlsx)
        with open(plain, "w") as f:
            f.write("a;b\r\n%s;%s\r\n" % (NIP, ZERO))

        def shown(path, infilter):
            out = os.path.join(self.w.dir, "lo-out")
            args = ["soffice", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true",
                    "--outdir", out, path]
            if infilter:
                args[2:2] = ["--infilter=CSV:" + infilter]
            subprocess.run(args, env=dict(os.environ, HOME=home), capture_output=True,
                           timeout=300, check=True)
            name = os.path.splitext(os.path.basename(path))[0] + ".csv"
            with open(os.path.join(out, name), encoding="utf-8") as f:
                return list(csv.reader(f))

        for rows in (shown(semi, "59,34,76,1"), shown(xlsx, None)):
            ids = [r[1] for r in rows[1:]]
            self.assertIn(NIP, ids)
            self.assertIn(ZERO, ids)
        self.assertNotEqual(shown(plain, "59,34,76,1")[1], [NIP, ZERO],
                            "plain digits are mangled (the reason for the ids' encoding)")


class VerifyTest(unittest.TestCase):
    """ujian verify recomputes what the server stored and finds tampering."""

    def test_verify_clean_then_tampered(self):
        w = World(n_candidates=3)
        try:
            w.serve()
            acks = os.path.join(w.dir, "acks")
            os.makedirs(acks)
            lines = []
            for regno in ("C001", "C002"):
                c = w.logged_in(regno)
                paper = c.post("/api/v1/attempt/start").json
                for q in paper["questions"][:5]:
                    r = c.answer(q["n"], w.best_label(q), 1)
                    lines.append("%s %d %d %s" % (regno, q["n"], r.json["rev"], r.json["option"]))
                if regno == "C001":
                    c.post("/api/v1/attempt/finish")
            with open(os.path.join(acks, "acks-0.log"), "w") as f:
                f.write("\n".join(lines) + "\n")
            ok = run("verify", "--db", w.db, "--exam", "EX", "--acks", acks)
            self.assertIn("10 acknowledged answers checked", ok.stdout)
            self.assertIn("attempts: 2 (1 finished", ok.stdout)
            self.assertIn("OK: 0 violations", ok.stdout)
            w.server.stop()
            # tamper: a stored score, a lost answer, a credit without ledger entry
            con = sqlite3.connect(w.db)
            cid = con.execute("SELECT id FROM candidates WHERE registration_no='C001'").fetchone()[0]
            con.execute("UPDATE attempts SET total = total + 5 WHERE candidate_id = ?", (cid,))
            first = lines[5].split()
            con.execute("DELETE FROM answers WHERE n = ? AND candidate_id = (SELECT id FROM "
                        "candidates WHERE registration_no = ?)", (int(first[1]), first[0]))
            con.execute("UPDATE attempts SET credit_ms = 1234 WHERE candidate_id <> ?", (cid,))
            con.commit()
            con.close()
            bad = run("verify", "--db", w.db, "--exam", "EX", "--acks", acks, check=False)
            self.assertEqual(bad.returncode, 1)
            self.assertIn("C001: stored total", bad.stdout)
            self.assertIn("acknowledged answer lost: %s question %s" % (first[0], first[1]),
                          bad.stdout)
            self.assertIn("time credit 1234 ms but the ledger sums to 0 ms", bad.stdout)
            self.assertIn("FAILED: 3 violations", bad.stdout)
        finally:
            w.close()


class HiddenScoreTest(unittest.TestCase):
    def test_show_score_false_hides_scores(self):
        w = World(n_candidates=1, exam_extra={"show_score": False})
        try:
            w.serve()
            c = w.logged_in("C001")
            c.post("/api/v1/attempt/start")
            res = c.post("/api/v1/attempt/finish").json
            self.assertEqual(set(res), {"status", "finished_at", "finish_reason", "timezone"})
            self.assertEqual(res["finish_reason"], "submitted")
            # the committee still gets the scores
            out = run("results", "export", "--db", w.db, "--exam", "EX").stdout
            self.assertIn("C001", out)
        finally:
            w.close()


if __name__ == "__main__":
    harness.main()
