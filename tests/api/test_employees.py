"""The employee registry (issue 11) through the staff API and the CLI:
imports of employees, SKP ratings and sanctions report every bad line with
its field and apply nothing; an import upserts by NIP; single SKP and
sanction entries; the profile with the exam results of candidates carrying
the employee's NIP (the candidate CSV's nip column); the export for Excel
(BOM, ';', NIP as ="..." text); every change in the audit log by its staff
member."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import World, run, write_csv  # noqa: E402

S = "/api/v1/staff"
E1 = "198503122010011002"
E2 = "199602292020122001"
E3 = "197001011995031001"
HDR = "nip;nama;golongan;jabatan;jenis_jabatan;unit;instansi;pendidikan;tanggal_lahir"
GOOD = "\r\n".join([
    "\ufeff" + HDR,
    E1 + ";Budi Santoso;III/c;Analis SDM;Fungsional;BKPSDM;Pemkab Contoh;S1;",
    E2 + ";Siti Aminah;IV/a;Kepala Bidang Mutasi;administrator;BKPSDM;Pemkab Contoh;S2;29/02/1996",
    E3 + ";Agus Wibowo;II/b;Pengadministrasi Umum;pelaksana;Sekretariat;Pemkab Contoh;SMA;",
]) + "\r\n"


def csv_bytes(text):
    return text.encode("utf-8")


class EmployeesApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=2)
        cls.w.add_staff("admin", "admin")
        cls.w.add_staff("pansel", "committee")
        cls.w.add_staff("penulis", "author")
        cls.w.serve()
        cls.admin, _ = cls.w.staff_login("admin")
        cls.pansel, _ = cls.w.staff_login("pansel")

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.pansel.close()
        cls.w.close()

    def post_csv(self, path, text, client=None):
        return (client or self.admin).post(path, raw=csv_bytes(text),
                                           headers={"Content-Type": "text/csv"})

    def count(self, table):
        return self.w.sql("SELECT count(*) FROM " + table)[0][0]

    def test_1_bad_rows_every_one_with_line_and_field_nothing_applied(self):
        bad = "\n".join([
            "nip,nama,golongan,jabatan,jenis_jabatan,unit,instansi,pendidikan,tanggal_lahir",
            E1 + ",Budi,III/c,,fungsional,,,,",                  # 2: fine
            "198502302010011002,Ani,III/a,,pelaksana,,,,",       # 3: 30 Feb
            "198503122010013002,Ana,V/a,,kepala,,,,",            # 4: sex, grade, type
            E2 + ",Siti,IV/a,,pengawas,,,,1996-03-01",           # 5: birth date
            E1 + ",Budi lagi,III/c,,fungsional,,,,",             # 6: twice
        ]) + "\n"
        events = self.count("events")
        r = self.post_csv(S + "/employees", bad)
        self.assertEqual((r.status, r.error), (400, "invalid_input"), r)
        errs = r.json["error"]["errors"]
        got = {(e["line"], e["field"]) for e in errs}
        self.assertEqual(got, {(3, "nip"), (4, "nip"), (4, "golongan"), (4, "jenis_jabatan"),
                               (5, "tanggal_lahir"), (6, "nip")})
        by = {(e["line"], e["field"]): e["message"] for e in errs}
        self.assertIn("tanggal lahir", by[(3, "nip")])    # Indonesian: the wrong part named
        self.assertIn("jenis kelamin", by[(4, "nip")])
        self.assertIn("1996-02-29", by[(5, "tanggal_lahir")])
        self.assertIn("baris 2", by[(6, "nip")])
        self.assertEqual(self.count("employees"), 0)
        self.assertEqual(self.count("events"), events)

    def test_2_import_upsert_list_profile(self):
        r = self.post_csv(S + "/employees", GOOD)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"created": 3, "updated": 0, "unchanged": 0})
        ev = self.w.sql("SELECT e.actor_kind, s.username FROM events e JOIN staff s"
                        " ON s.id = e.actor_id WHERE e.kind = 'employees_imported'")
        self.assertEqual(ev, [("staff", "admin")])
        # again with one change: upsert by NIP
        changed = GOOD.replace("Analis SDM;Fungsional", "Analis SDM Ahli Muda;Fungsional")
        r = self.post_csv(S + "/employees", changed)
        self.assertEqual(r.json, {"created": 0, "updated": 1, "unchanged": 2})
        self.assertEqual(self.count("employees"), 3)
        # the committee reads
        r = self.pansel.get(S + "/employees")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["employees"]), 3)
        self.assertEqual(r.json["units"], ["BKPSDM", "Sekretariat"])
        row = [e for e in r.json["employees"] if e["nip"] == E2][0]
        self.assertEqual((row["grade"], row["position_type"], row["birth_date"]),
                         ("IV/a", "administrator", "1996-02-29"))
        r = self.pansel.get(S + "/employees?unit=BKPSDM&type=Fungsional")
        self.assertEqual([e["nip"] for e in r.json["employees"]], [E1])
        r = self.pansel.get(S + "/employees?q=aminah")
        self.assertEqual([e["nip"] for e in r.json["employees"]], [E2])
        self.assertEqual(self.pansel.get(S + "/employees?type=kepala").status, 400)
        r = self.pansel.get(S + "/employees/" + E1)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["employee"]["position"], "Analis SDM Ahli Muda")
        for k in ("skp", "sanctions", "results", "placements"):
            self.assertEqual(r.json[k], [], k)
        self.assertEqual(self.pansel.get(S + "/employees/199001012015011001").status, 404)
        self.assertEqual(self.pansel.get(S + "/employees/12345").status, 404)
        # the committee cannot write, an author cannot read
        self.assertEqual(self.post_csv(S + "/employees", GOOD, self.pansel).status, 403)
        c, _ = self.w.staff_login("penulis")
        self.assertEqual(c.get(S + "/employees").status, 403)
        c.close()

    def test_3_skp_import_and_entry(self):
        self.test_2_import_upsert_list_profile() if not self.count("employees") else None
        r = self.post_csv(S + "/employees/skp",
                          "NIP,Year,Rating\n%s,2025,Sangat Baik\n%s,2026,baik\n%s,2026,Kurang\n"
                          % (E1, E1, E2))
        self.assertEqual((r.status, r.json), (200, {"created": 3, "updated": 0, "unchanged": 0}))
        bad = "nip;tahun;predikat\n%s;2025;Bagus\n%s;1990;Baik\n%s;2026;Baik\n" % (E1, E2, E3)
        r = self.post_csv(S + "/employees/skp", bad)
        self.assertEqual(r.status, 400, r)
        self.assertEqual({(e["line"], e["field"]) for e in r.json["error"]["errors"]},
                         {(2, "predikat"), (3, "tahun")})
        # well formed, but an NIP not in the registry: refused whole
        r = self.post_csv(S + "/employees/skp",
                          "nip;tahun;predikat\n%s;2026;Baik\n199001012015011001;2026;Baik\n" % E3)
        self.assertEqual(r.status, 400, r)
        self.assertEqual([(e["line"], e["field"]) for e in r.json["error"]["errors"]],
                         [(3, "nip")])
        self.assertEqual(self.w.sql("SELECT count(*) FROM skp s JOIN employees e ON e.id ="
                                    " s.employee_id WHERE e.nip = ?", E3)[0][0], 0)
        # single entry
        r = self.admin.put(S + "/employees/%s/skp/2026" % E2, {"predikat": "Butuh Perbaikan"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["predikat"], "butuh_perbaikan")
        self.assertTrue(r.json["changed"])
        r = self.admin.put(S + "/employees/%s/skp/2026" % E2, {"predikat": "amat baik"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.admin.put(S + "/employees/199001012015011001/skp/2026",
                                        {"predikat": "Baik"}).status, 404)
        r = self.pansel.get(S + "/employees/" + E1)
        self.assertEqual(r.json["skp"], [{"year": 2026, "predikat": "baik"},
                                         {"year": 2025, "predikat": "sangat_baik"}])

    def test_4_sanctions(self):
        self.test_2_import_upsert_list_profile() if not self.count("employees") else None
        csv = ("nip,jenis,tingkat,tanggal,keterangan\n"
               "%s,Penurunan jabatan,berat,15/01/2025,\"SK Bupati, nomor 12\"\n" % E3)
        r = self.post_csv(S + "/employees/sanctions", csv)
        self.assertEqual((r.status, r.json), (200, {"created": 1, "updated": 0, "unchanged": 0}))
        r = self.post_csv(S + "/employees/sanctions", csv)  # the same again: not twice
        self.assertEqual(r.json["unchanged"], 1)
        bad = "nip,jenis,tingkat,tanggal\n%s,,sedang,2025-01-01\n%s,Teguran,keras,2025-02-30\n" % (
            E3, E3)
        r = self.post_csv(S + "/employees/sanctions", bad)
        self.assertEqual({(e["line"], e["field"]) for e in r.json["error"]["errors"]},
                         {(2, "jenis"), (3, "tingkat"), (3, "tanggal")})
        r = self.admin.post(S + "/employees/%s/sanctions" % E3,
                            {"type": "Teguran tertulis", "level": "ringan", "date": "2026-02-01"})
        self.assertEqual((r.status, r.json["created"]), (201, 1), r)
        r = self.admin.post(S + "/employees/%s/sanctions" % E3, {"type": "X", "level": "parah",
                                                                 "date": "kemarin"})
        self.assertEqual({e["field"] for e in r.json["error"]["errors"]}, {"level", "date"})
        self.assertEqual(self.admin.post(S + "/employees/%s/sanctions" % E3,
                                         {"type": "X", "grade": "y"}).status, 400)
        r = self.pansel.get(S + "/employees/" + E3)
        self.assertEqual([(s["type"], s["level"], s["date"]) for s in r.json["sanctions"]],
                         [("Teguran tertulis", "light", "2026-02-01"),
                          ("Penurunan jabatan", "heavy", "2025-01-15")])
        self.assertEqual(r.json["sanctions"][1]["note"], "SK Bupati, nomor 12")

    def test_5_export_for_excel(self):
        self.test_2_import_upsert_list_profile() if not self.count("employees") else None
        r = self.pansel.get(S + "/employees/export.csv?sep=semicolon")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        self.assertIn("pegawai.csv", r.headers["content-disposition"])
        text = r.raw.decode("utf-8")
        self.assertTrue(text.startswith("\ufeffnip;nama;golongan;jabatan;jenis_jabatan;"))
        lines = text[1:].split("\r\n")
        self.assertIn('"=""%s""";Siti Aminah;IV/a;' % E2, text)
        self.assertEqual(len([x for x in lines if x]), 4)
        self.assertEqual(self.pansel.get(S + "/employees/export.csv?sep=tab").status, 400)
        r = self.pansel.get(S + "/employees/export.csv?lang=en")
        self.assertTrue(r.raw.decode("utf-8").startswith("\ufeffnip,name,grade,position,"))
        # the export imports again unchanged
        r = self.post_csv(S + "/employees", text)
        self.assertEqual(r.json["created"], 0)
        self.assertEqual(r.json["updated"], 0)

    def test_6_candidate_nip_results_in_profile(self):
        self.test_2_import_upsert_list_profile() if not self.count("employees") else None
        path = write_csv(self.w.dir, "nip.csv",
                         ["N01,Budi Santoso,pw-N01-secret,umum,0,," + E1],
                         header="registration_no,name,password,track,extra_time_s,sitting,nip")
        run("candidates", "import", "--db", self.w.db, "--exam", "EX", path)
        self.assertEqual(self.w.sql("SELECT nip FROM candidates WHERE registration_no = 'N01'"),
                         [(E1,)])
        # a bad NIP, and the same NIP again in the same exam: every line named
        path = write_csv(self.w.dir, "nip2.csv",
                         ["N02,A,pw-N02-secret,umum,0,,198503122010011000",
                          "N03,B,pw-N03-secret,umum,0,," + E1],
                         header="registration_no,name,password,track,extra_time_s,sitting,nip")
        p = run("candidates", "import", "--db", self.w.db, "--exam", "EX", path, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("line 2 field \"nip\"", p.stderr)
        self.assertIn("sequence", p.stderr)
        self.assertIn("line 3 field \"nip\"", p.stderr)
        self.assertIn("N01", p.stderr)
        # the same through the staff web's upload: every line named, in Indonesian
        r = self.post_csv(S + "/exams/EX/candidates",
                          "registration_no,name,nip\nN04,A,198503122010011000\nN05,B,%s\n" % E1)
        self.assertEqual(r.status, 400, r)
        errs = {(e["line"], e["field"]): e["message"] for e in r.json["error"]["errors"]}
        self.assertEqual(set(errs), {(2, "nip"), (3, "nip")})
        self.assertIn("nomor urut", errs[(2, "nip")])
        self.assertIn("N01", errs[(3, "nip")])
        # the candidate finishes: the result is in the employee's profile
        self.w.candidates["N01"] = "pw-N01-secret"
        c = self.w.client()
        harness.wait_until(lambda: c.login("EX", "N01", "pw-N01-secret").status == 200,
                           10, "the server loads N01")
        self.assertEqual(c.post("/api/v1/attempt/start").status, 200)
        self.assertEqual(c.post("/api/v1/attempt/finish").status, 200)
        c.close()

        def finished():
            r = self.pansel.get(S + "/employees/" + E1)
            res = r.json["results"]
            return res and res[0]["status"] == "finished" and res[0]
        harness.wait_until(finished, 10, "the result in the profile")
        res = finished()
        self.assertEqual((res["exam"], res["registration_no"], res["finish_reason"]),
                         ("EX", "N01", "submitted"))
        self.assertEqual(res["total"], 0)
        self.assertGreater(res["max_total"], 0)
        self.assertEqual(sum(s["max"] for s in res["sections"]), res["max_total"])


class EmployeesCliTest(unittest.TestCase):
    def setUp(self):
        self.w = World(n_candidates=0)

    def tearDown(self):
        self.w.close()

    def test_import_list_export_and_errors(self):
        path = os.path.join(self.w.dir, "pegawai.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(GOOD)
        p = run("employee", "import", "--db", self.w.db, path)
        self.assertIn("3 created", p.stdout)
        p = run("employee", "list", "--db", self.w.db, "--type", "pelaksana")
        self.assertIn(E3, p.stdout)
        self.assertNotIn(E1, p.stdout)
        out = os.path.join(self.w.dir, "out.csv")
        run("employee", "export", "--db", self.w.db, "--sep", ";", "--output", out)
        with open(out, encoding="utf-8") as f:
            self.assertIn('"=""%s"""' % E1, f.read())
        skp = os.path.join(self.w.dir, "skp.csv")
        with open(skp, "w") as f:
            f.write("nip,tahun,predikat\n%s,2025,Baik\n%s,2026,hebat\n12,2026,Baik\n" % (E1, E1))
        p = run("skp", "import", "--db", self.w.db, skp, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("line 3 field \"predikat\"", p.stderr)
        self.assertIn("line 4 field \"nip\"", p.stderr)
        self.assertEqual(self.w.sql("SELECT count(*) FROM skp")[0][0], 0)
        san = os.path.join(self.w.dir, "san.csv")
        with open(san, "w") as f:
            f.write("nip,jenis,tingkat,tanggal\n%s,Teguran,sedang,2025-05-05\n" % E2)
        p = run("sanction", "import", "--db", self.w.db, san)
        self.assertIn("1 created", p.stdout)
        self.assertEqual(self.w.sql("SELECT actor_kind FROM events WHERE kind ="
                                    " 'sanctions_recorded'"), [("system",)])
        self.assertEqual(run("employee", "frob", "--db", self.w.db, check=False).returncode, 2)


if __name__ == "__main__":
    harness.main()
