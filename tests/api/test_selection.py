"""Open-bidding JPT selections (seleksi terbuka) over HTTP against the real
server: who may enter what, reasons and the audit trail of every change,
gates, the weighted final score, ranking, tie-break and the proposal (with
numbers worked out by hand in the comments), the PPK's choice, closing,
the applicants CSV, the ranking export, the talent-pool alternative and the
live stream (after a score change and after an exam finish)."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import EventStream, World  # noqa: E402

S = "/api/v1/staff/selections"
MEMBERS = [{"username": "ketua", "role": "chair"}, {"username": "anggota1"},
           {"username": "anggota2", "role": "secretary"}]
NIP_A = "198503122010011002"   # IV/b
NIP_B = "197901152005011003"   # IV/a
NIP_C = "198811202014022001"   # III/d
EMPLOYEES = [(NIP_A, "Budi Santoso", "IV/b"), (NIP_B, "Rina Wulandari", "IV/a"),
             (NIP_C, "Agus Salim", "III/d")]
HEADER = "lowongan;jenis;nip;nik;nama;asal;ujian;no_peserta"


def finish(w, regno, best):
    """Log in, start, answer the first `best` questions best, finish."""
    c = w.logged_in(regno)
    r = c.post("/api/v1/attempt/start")
    assert r.status == 200, r
    for q in r.json["questions"][:best]:
        assert c.answer(q["n"], w.best_label(q), 1).status == 200
    r = c.post("/api/v1/attempt/finish")
    assert r.status == 200, r
    c.close()


class SelectionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.w = World(n_candidates=4)
        cls.w.add_staff("adm", "admin")
        for u in ("ketua", "anggota1", "anggota2", "luar"):
            cls.w.add_staff(u, "committee", name="Pansel " + u)
        for nip, name, grade in EMPLOYEES:
            cls.w.sql_write("INSERT INTO employees (nip, name, grade, position, position_type,"
                            " unit, birth_date, created_at, updated_at) VALUES (?, ?, ?, 'Kepala"
                            " Bidang', 'administrator', 'Dinas Uji', '1980-01-01', 0, 0)",
                            nip, name, grade)
        # internal applicant B's candidate in exam EX carries her NIP
        cls.w.sql_write("UPDATE candidates SET nip = ? WHERE registration_no = 'C002'", NIP_B)
        cls.w.serve()
        cls.c = {}
        for u in ("adm", "ketua", "anggota1", "anggota2", "luar"):
            cls.c[u] = cls.w.staff_login(u)[0]

    @classmethod
    def tearDownClass(cls):
        for c in cls.c.values():
            c.close()
        cls.w.close()

    # -- helpers --------------------------------------------------------------------

    def create(self, code, config=None, vacancies=("V1",), members=MEMBERS):
        body = {"code": code, "name": "Seleksi " + code, "agency": "Pemerintah Kabupaten Uji",
                "members": members,
                "vacancies": [{"code": v, "position": "Kepala Dinas " + v, "unit": "Dinas " + v,
                               "min_grade": "IV/a", "requirements": "S2; pernah menjabat"}
                              for v in vacancies]}
        if config is not None:
            body["config"] = config
        r = self.c["adm"].post(S, body)
        self.assertEqual(r.status, 201, r)
        return r.json

    def applicants(self, sel, rows, expect=201):
        raw = ("\ufeff" + HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode()
        r = self.c["adm"].post("%s/%s/applicants" % (S, sel), raw=raw,
                               headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, expect, r)
        return r

    def vacancy(self, sel, vac, who="ketua"):
        r = self.c[who].get("%s/%s/vacancies/%s" % (S, sel, vac))
        self.assertEqual(r.status, 200, r)
        return r.json

    def ids(self, sel, vac):
        return {a["name"]: a["id"] for a in self.vacancy(sel, vac)["applicants"]}

    def score(self, sel, who, app, stage, score, reason=None, expect=200):
        body = {"applicant": app, "stage": stage, "score": score}
        if reason is not None:
            body["reason"] = reason
        r = self.c[who].put("%s/%s/scores" % (S, sel), body)
        self.assertEqual(r.status, expect, r)
        return r

    def gate(self, sel, who, app, stage, passed, reason=None, expect=200):
        body = {"applicant": app, "stage": stage, "passed": passed}
        if reason is not None:
            body["reason"] = reason
        r = self.c[who].put("%s/%s/gates" % (S, sel), body)
        self.assertEqual(r.status, expect, r)
        return r

    def external(self, vac, nik, name, origin="PT Uji"):
        return "%s;eksternal;;%s;%s;%s;;" % (vac, nik, name, origin)

    def flat(self, sel, app, scores):
        """Every member gives the same score per stage (asesmen, makalah,
        wawancara, rekam_jejak)."""
        for who in ("ketua", "anggota1", "anggota2"):
            for stage, v in zip(("asesmen", "makalah", "wawancara", "rekam_jejak"), scores):
                self.score(sel, who, app, stage, v)

    # -- tests ----------------------------------------------------------------------

    def test_create_lists_every_config_error(self):
        body = {"code": "BAD", "name": "", "members": [{"username": "nobody"},
                                                       {"username": "adm"}],
                "config": {"stages": [{"code": "asesmen", "weight": 30},
                                      {"code": "wawancara", "weight": 30}],
                           "score_rule": "mode", "tie_break": ["makalah"]}}
        r = self.c["adm"].post(S, body)
        self.assertEqual((r.status, r.error), (400, "invalid_input"), r)
        fields = {e["field"] for e in r.json["error"]["errors"]}
        # weights 30 + 30 = 60, not 100; every other problem at the same time
        for f in ("name", "stages", "score_rule", "tie_break[0]"):
            self.assertIn(f, fields, r.json)
        self.assertEqual(self.w.sql("SELECT count(*) FROM selections WHERE code = 'BAD'")[0][0], 0)
        # members are checked too (once the rest is right)
        body = {"code": "BAD", "name": "x", "members": [{"username": "nobody"},
                                                        {"username": "adm"}]}
        r = self.c["adm"].post(S, body)
        self.assertEqual(r.status, 400, r)
        msgs = " ".join(e["message"] for e in r.json["error"]["errors"])
        self.assertIn("nobody", msgs)
        self.assertIn("adm", msgs)
        # a committee account may not create
        r = self.c["ketua"].post(S, {"code": "X"})
        self.assertEqual(r.status, 403, r)

    def test_defaults_filled(self):
        j = self.create("DEF")
        cfg = j["selection"]["config"]
        self.assertEqual([(s["code"], s["weight"], s["gate"]) for s in cfg["stages"]],
                         [("administrasi", 0, True), ("asesmen", 25, False),
                          ("makalah", 20, False), ("wawancara", 35, False),
                          ("rekam_jejak", 20, False)])
        self.assertEqual(cfg["tie_break"], ["asesmen", "wawancara"])
        self.assertEqual(cfg["score_rule"], "mean")
        self.assertEqual(cfg["proposal"], 3)
        self.assertEqual([m["username"] for m in j["selection"]["members"]],
                         ["ketua", "anggota2", "anggota1"])  # chair, secretary, members
        lst = self.c["luar"].get(S).json["selections"]
        row = [s for s in lst if s["code"] == "DEF"][0]
        self.assertFalse(row["member"])
        self.assertTrue([s for s in self.c["ketua"].get(S).json["selections"]
                         if s["code"] == "DEF"][0]["member"])

    def test_member_only_reason_and_audit(self):
        self.create("AUD")
        self.applicants("AUD", [self.external("V1", "3201011203850001", "Sari Dewi"),
                                "V1;internal;%s;;;;;" % NIP_A])
        ids = self.ids("AUD", "V1")
        sari = ids["Sari Dewi"]
        self.assertIn("Budi Santoso", ids)  # an internal applicant's name from the registry
        # a committee member outside this selection, and an admin: not members
        r = self.score("AUD", "luar", sari, "makalah", 70, expect=403)
        self.assertEqual(r.error, "not_member")
        r = self.score("AUD", "adm", sari, "makalah", 70, expect=403)
        self.assertEqual(r.error, "not_member")
        # a member's first entry needs no reason
        r = self.score("AUD", "anggota1", sari, "makalah", 70)
        self.assertEqual(r.json["applicants"][0]["stages"]["makalah"]["entries"][0]["score"], 70)
        # a change needs one; nothing changes without it
        r = self.score("AUD", "anggota1", sari, "makalah", 75, expect=400)
        self.assertEqual(r.json["error"]["errors"][0]["field"], "reason")
        # in Bahasa Indonesia on the web
        self.assertEqual(r.json["error"]["errors"][0]["message"],
                         "wajib diisi untuk mengubah nilai yang sudah dimasukkan (70)")
        self.score("AUD", "anggota1", sari, "makalah", 75, reason="Salah ketik: 75 bukan 70")
        # a second member's own entry is separate
        self.score("AUD", "ketua", sari, "makalah", 80)
        # bad values are refused whole
        r = self.score("AUD", "ketua", sari, "makalah", 101, expect=400)
        r = self.score("AUD", "ketua", sari, "nope", 50, expect=400)
        r = self.score("AUD", "ketua", 999999, "makalah", 50, expect=404)
        r = self.score("AUD", "ketua", sari, "administrasi", 50, expect=400)
        v = self.vacancy("AUD", "V1")
        row = [a for a in v["applicants"] if a["id"] == sari][0]
        # (75 + 80) / 2 = 77.5
        self.assertEqual(row["stages"]["makalah"]["score"], 77.5)
        self.assertFalse(row["stages"]["makalah"]["complete"])  # 2 of 3 members
        audit = self.c["ketua"].get("%s/AUD/audit" % S).json["entries"]
        scores = [e for e in audit if e["kind"] == "score"]
        self.assertEqual([(e["username"], e["old"], e["new"], e["reason"]) for e in scores],
                         [("anggota1", None, 70, ""),
                          ("anggota1", 70, 75, "Salah ketik: 75 bukan 70"),
                          ("ketua", None, 80, "")])
        self.assertTrue(all(e["applicant"] == sari and e["stage"] == "makalah" and e["at"]
                            and e["applicant_name"] == "Sari Dewi" for e in scores))
        # and they are rows of the hash-chained event log, by the staff member
        rows = self.w.sql("SELECT e.actor_kind, s.username FROM events e JOIN staff s"
                          " ON s.id = e.actor_id WHERE e.kind = 'selection_score'"
                          " AND json_extract(e.detail, '$.selection') = 'AUD' ORDER BY e.id")
        self.assertEqual(rows, [("staff", "anggota1"), ("staff", "anggota1"), ("staff", "ketua")])
        r = self.c["adm"].get("/api/v1/staff/audit/verify")
        self.assertEqual(r.status, 200, r)

    def test_gates(self):
        self.create("GAT")
        self.applicants("GAT", [self.external("V1", "3201011203850002", "Dedi"),
                                self.external("V1", "3201011203850003", "Eka")])
        ids = self.ids("GAT", "V1")
        # failing needs a reason
        r = self.gate("GAT", "ketua", ids["Dedi"], "administrasi", False, expect=400)
        self.assertEqual(r.json["error"]["errors"][0]["field"], "reason")
        self.gate("GAT", "ketua", ids["Dedi"], "administrasi", False,
                  reason="Ijazah S2 tidak dilampirkan")
        self.gate("GAT", "anggota1", ids["Eka"], "administrasi", True)
        v = self.vacancy("GAT", "V1")
        dedi = [a for a in v["applicants"] if a["id"] == ids["Dedi"]][0]
        self.assertEqual((dedi["status"], dedi["out_stage"], dedi["out_reason"]),
                         ("out", "administrasi", "Ijazah S2 tidak dilampirkan"))
        self.assertIsNone(dedi["rank"])
        self.assertEqual(v["applicants"][-1]["id"], ids["Dedi"])  # those out come last
        self.assertEqual(v["vacancy"]["active"], 1)
        self.assertEqual(v["vacancy"]["funnel"][0],
                         {"stage": "administrasi", "name": "Seleksi administrasi",
                          "entered": 2, "passed": 1})
        # an applicant out of the pipeline takes no more scores
        r = self.score("GAT", "ketua", ids["Dedi"], "makalah", 80, expect=400)
        self.assertEqual(r.json["error"]["errors"][0]["field"], "applicant")
        # a gate is no scored stage, a scored stage no gate
        self.gate("GAT", "ketua", ids["Eka"], "makalah", True, expect=400)
        # reversing a decision needs a reason
        self.gate("GAT", "ketua", ids["Eka"], "administrasi", False, expect=400)
        self.gate("GAT", "ketua", ids["Dedi"], "administrasi", True, reason="Ijazah menyusul, sah")
        dedi = [a for a in self.vacancy("GAT", "V1")["applicants"] if a["id"] == ids["Dedi"]][0]
        self.assertEqual(dedi["status"], "active")
        gates = [e for e in self.c["ketua"].get("%s/GAT/audit" % S).json["entries"]
                 if e["kind"] == "gate" and e["applicant"] == ids["Dedi"]]
        self.assertEqual([(e["old"], e["new"]) for e in gates], [(None, False), (False, True)])

    def test_weighted_ranking_tiebreak_top3_ppk(self):
        self.create("RNK")
        names = ["A", "B", "C", "D", "E"]
        self.applicants("RNK", [self.external("V1", "32010112038500%02d" % (10 + i), "Pelamar " + n)
                                for i, n in enumerate(names)])
        ids = {n: self.ids("RNK", "V1")["Pelamar " + n] for n in names}
        for n in names:
            self.gate("RNK", "ketua", ids[n], "administrasi", True)
        # A: members differ. asesmen 80 82 84 -> 82; makalah 70 75 77 -> 74;
        # wawancara 88 90 86 -> 88; rekam 80 80 85 -> 81.666.. -> 81.67
        # final = .25*82 + .20*74 + .35*88 + .20*81.67 = 20.5+14.8+30.8+16.334 = 82.434 -> 82.43
        for who, s in zip(("ketua", "anggota1", "anggota2"),
                          ((80, 70, 88, 80), (82, 75, 90, 80), (84, 77, 86, 85))):
            for stage, v in zip(("asesmen", "makalah", "wawancara", "rekam_jejak"), s):
                self.score("RNK", who, ids["A"], stage, v)
        self.flat("RNK", ids["B"], (90, 80, 80, 80))    # 22.5+16+28+16 = 82.5
        self.flat("RNK", ids["C"], (84, 80, 78, 78.5))  # 21+16+27.3+15.7 = 80
        self.flat("RNK", ids["D"], (76, 80, 100, 50))   # 19+16+35+10 = 80, lower asesmen
        self.flat("RNK", ids["E"], (84, 80, 80, 75))    # 21+16+28+15 = 80, asesmen = C, wawancara 80 > 78
        v = self.vacancy("RNK", "V1")
        got = {a["name"][-1]: (a["final"], a["rank"]) for a in v["applicants"]}
        self.assertEqual(got, {"B": (82.5, 1), "A": (82.43, 2), "E": (80, 3), "C": (80, 4),
                               "D": (80, 5)})
        a = [x for x in v["applicants"] if x["id"] == ids["A"]][0]
        self.assertEqual(a["stages"]["rekam_jejak"]["score"], 81.67)
        self.assertEqual(len(a["stages"]["asesmen"]["entries"]), 3)
        self.assertEqual([(p["rank"], p["name"], p["final"]) for p in v["proposal"]],
                         [(1, "Pelamar B", 82.5), (2, "Pelamar A", 82.43), (3, "Pelamar E", 80)])
        # the PPK's choice: rank 2 needs a note; rank 4 was not proposed; only
        # an admin or the chair records it
        url = "%s/RNK/vacancies/V1/ppk" % S
        r = self.c["ketua"].post(url, {"applicant": ids["A"]})
        self.assertEqual((r.status, r.json["error"]["errors"][0]["field"]), (400, "note"))
        r = self.c["ketua"].post(url, {"applicant": ids["C"], "note": "x"})
        self.assertEqual(r.status, 400, r)
        r = self.c["anggota1"].post(url, {"applicant": ids["B"]})
        self.assertEqual((r.status, r.error), (403, "forbidden"))
        r = self.c["ketua"].post(url, {"applicant": ids["A"],
                                       "note": "Pengalaman kewilayahan lebih sesuai"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["ppk"]["applicant"], r.json["ppk"]["rank"], r.json["ppk"]["note"],
                          r.json["ppk"]["by"]),
                         (ids["A"], 2, "Pengalaman kewilayahan lebih sesuai", "ketua"))
        r = self.c["adm"].post(url, {"applicant": ids["B"]})  # rank 1: no note needed
        self.assertEqual(r.status, 200, r)
        ppk = [e for e in self.c["ketua"].get("%s/RNK/audit" % S).json["entries"]
               if e["kind"] == "ppk"]
        self.assertEqual([(e["old"], e["new"]) for e in ppk], [(None, ids["A"]), (ids["A"], ids["B"])])
        # the ranking export: BOM, ';', NIK as text, decimal comma, Indonesian headers
        r = self.c["ketua"].get("%s/RNK/vacancies/V1/ranking.csv?sep=semicolon" % S)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        text = r.raw.decode("utf-8")
        self.assertTrue(text.startswith("\ufeffPeringkat;Jenis;NIP/NIK;Nama;Asal;"), text[:80])
        lines = text.split("\r\n")
        self.assertIn("Nilai akhir", lines[0])
        # the NIK as the formula ="3201011203850011" (a text cell), quoted by RFC 4180
        self.assertTrue(lines[1].startswith('1;Eksternal;"=""3201011203850011""";Pelamar B;'),
                        lines[1])
        self.assertIn(";82,50;Diperingkat", lines[1])
        self.assertIn(";81,67;", lines[2])
        r = self.c["ketua"].get("%s/RNK/vacancies/V1/ranking.csv" % S)
        self.assertIn(",82.50,", r.raw.decode("utf-8").split("\r\n")[1])

    def test_tie_break_configured(self):
        # the tie-break on the interview first: C (78) loses to D (100) then
        self.create("TIE", config={"tie_break": ["wawancara", "asesmen"]})
        self.applicants("TIE", [self.external("V1", "3201011203850030", "C"),
                                self.external("V1", "3201011203850031", "D")])
        ids = self.ids("TIE", "V1")
        for n in ("C", "D"):
            self.gate("TIE", "ketua", ids[n], "administrasi", True)
        self.flat("TIE", ids["C"], (84, 80, 78, 78.5))  # 80
        self.flat("TIE", ids["D"], (76, 80, 100, 50))   # 80
        got = {a["name"]: a["rank"] for a in self.vacancy("TIE", "V1")["applicants"]}
        self.assertEqual(got, {"D": 1, "C": 2})

    def test_close_freezes(self):
        self.create("CLS")
        self.applicants("CLS", [self.external("V1", "3201011203850040", "F")])
        f = self.ids("CLS", "V1")["F"]
        self.score("CLS", "anggota1", f, "makalah", 60)
        r = self.c["anggota1"].post("%s/CLS/close" % S)
        self.assertEqual((r.status, r.error), (403, "forbidden"))
        r = self.c["ketua"].post("%s/CLS/close" % S)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["selection"]["status"], "closed")
        before = self.w.sql("SELECT count(*) FROM events")[0][0]
        self.assertEqual(self.score("CLS", "anggota1", f, "makalah", 65, reason="x",
                                    expect=409).error, "closed")
        self.assertEqual(self.gate("CLS", "ketua", f, "administrasi", True, expect=409).error,
                         "closed")
        r = self.c["adm"].post("%s/CLS/vacancies/V1/ppk" % S, {"applicant": f})
        self.assertEqual(r.status, 409, r)
        r = self.c["adm"].post("%s/CLS/vacancies" % S, {"code": "V9", "position": "x"})
        self.assertEqual(r.status, 409, r)
        self.applicants("CLS", [self.external("V1", "3201011203850041", "G")], expect=409)
        r = self.c["adm"].post("%s/CLS/close" % S)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(self.w.sql("SELECT count(*) FROM events")[0][0], before)
        self.assertEqual(self.w.sql("SELECT score FROM stage_scores WHERE applicant_id = ?", f),
                         [(60.0,)])
        # still readable
        self.assertEqual(self.vacancy("CLS", "V1")["selection"]["status"], "closed")

    def test_applicants_csv_bad_rows(self):
        self.create("CSV", vacancies=("V1", "V2"))
        rows = [self.external("V1", "3201011203850050", "Baik"),          # line 2: fine
                "V3;eksternal;;3201011203850051;Salah Lowongan;PT X;;",  # line 3: no V3
                "V1;internal;198503122010011099;;;;;",                   # line 4: unknown NIP
                "V1;internal;19850312201001100;;;;;",                    # line 5: 17 digits
                "V1;eksternal;;12345;Pendek;PT X;;",                      # line 6: NIK
                "V1;eksternal;;3201011203850052;;;;",                     # line 7: name, origin
                "V1;pegawai;;;;;;",                                       # line 8: kind
                self.external("V1", "3201011203850050", "Ganda"),         # line 9: twice
                "V2;internal;%s;;;;EX;NOPE" % NIP_A]                      # line 10: regno
        r = self.applicants("CSV", rows, expect=400)
        errs = {(e["line"], e["field"]) for e in r.json["error"]["errors"]}
        for want in ((3, "lowongan"), (4, "nip"), (5, "nip"), (6, "nik"), (7, "nama"),
                     (7, "asal"), (8, "jenis"), (9, "nik"), (10, "no_peserta")):
            self.assertIn(want, errs, r.json)
        self.assertNotIn(2, {e[0] for e in errs})
        self.assertEqual(self.w.sql("SELECT count(*) FROM applicants a JOIN vacancies v"
                                    " ON v.id = a.vacancy_id JOIN selections s"
                                    " ON s.id = v.selection_id WHERE s.code = 'CSV'")[0][0], 0)
        r = self.applicants("CSV", [self.external("V1", "3201011203850050", "Baik"),
                                    "V2;internal;%s;;;;EX;C003" % NIP_A])
        self.assertEqual(r.json["created"], 2)
        # the same person again for the same vacancy: refused
        r = self.applicants("CSV", [self.external("V1", "3201011203850050", "Baik")], expect=400)
        self.assertEqual(r.json["error"]["errors"][0]["line"], 2)

    def test_live_score_and_exam_finish(self):
        cfg = {"stages": [{"code": "administrasi"},
                          {"code": "asesmen", "weight": 40,
                           "source": {"exam": "EX", "section": None}},
                          {"code": "wawancara", "weight": 60}]}
        self.create("LIV", config=cfg)
        self.applicants("LIV", ["V1;eksternal;;3201011203850060;Lewat Nomor;PT Y;EX;C001",
                                "V1;internal;%s;;;;;" % NIP_B])
        ids = self.ids("LIV", "V1")
        v = self.vacancy("LIV", "V1")
        for a in v["applicants"]:
            self.assertIsNone(a["stages"]["asesmen"]["score"])
            self.assertEqual(a["stages"]["asesmen"]["source"], "exam")
            self.assertEqual(a["stages"]["asesmen"]["exam_state"], "not_started")
        # a member's entry for the exam-fed stage is refused
        self.score("LIV", "ketua", ids["Lewat Nomor"], "asesmen", 50, expect=400)
        srv = self.w.server
        es = EventStream("127.0.0.1", srv.port, "%s/LIV/events" % S,
                         {"Authorization": "Bearer " + self.c["anggota1"].token})
        try:
            self.assertEqual(es.status, 200)
            _, name, snap = es.next()
            self.assertEqual(name, "snapshot")
            self.assertEqual(snap["selection"]["code"], "LIV")
            # a score change reaches the stream
            self.score("LIV", "ketua", ids["Lewat Nomor"], "wawancara", 77)
            _, name, body = es.until(lambda i, e, d: e == "vacancy", what="a vacancy event")
            row = [a for a in body["applicants"] if a["id"] == ids["Lewat Nomor"]][0]
            self.assertEqual(row["stages"]["wawancara"]["entries"][0]["score"], 77)
            # an exam finish by registration number (C001) and by NIP (C002)
            for regno, who in (("C001", "Lewat Nomor"), ("C002", "Rina Wulandari")):
                finish(self.w, regno, best=6)
                total, sj = self.w.sql("SELECT a.total, a.scores_json FROM attempts a JOIN"
                                       " candidates c ON c.id = a.candidate_id WHERE"
                                       " c.registration_no = ?", regno)[0]
                mx = sum(s["max"] for s in json.loads(sj))
                want = round(total / mx * 100, 2)

                def fed(i, e, d, who=who, want=want):
                    if e != "vacancy":
                        return False
                    r = [a for a in d["applicants"] if a["name"] == who][0]
                    return r["stages"]["asesmen"]["score"] == want
                es.until(fed, timeout=5, what="the exam score of %s" % who)
        finally:
            es.close()
        v = self.vacancy("LIV", "V1")
        row = [a for a in v["applicants"] if a["name"] == "Rina Wulandari"][0]
        self.assertEqual(row["stages"]["asesmen"]["exam_state"], "finished")
        r = self.c["ketua"].get("%s/NOPE/events" % S)
        self.assertEqual(r.status, 404, r)

    def test_talent_alternative(self):
        self.create("TAL")
        self.w.sql_write("INSERT INTO talent_periods (code, name, config_json, created_at)"
                         " VALUES ('PT-T', 'Pemetaan uji', '{}', 1)")
        for nip, pot, box, pool in ((NIP_A, 85.5, 9, 1), (NIP_B, 90.0, 9, 1), (NIP_C, 95.0, 9, 1)):
            self.w.sql_write("INSERT INTO placements (period_id, employee_id, perf, potential,"
                             " pot_level, box, in_pool, detail_json, updated_at) SELECT p.id,"
                             " e.id, 'above', ?, 'high', ?, ?, '{}', 1 FROM talent_periods p,"
                             " employees e WHERE p.code = 'PT-T' AND e.nip = ?",
                             pot, box, pool, nip)
        r = self.c["ketua"].get("%s/TAL/vacancies/V1/talent" % S)
        self.assertEqual(r.status, 200, r)
        # min_grade IV/a: C (III/d) is left out; B's potential 90 before A's 85.5
        self.assertEqual(r.json["period"], "PT-T")
        self.assertEqual([c["nip"] for c in r.json["candidates"]], [NIP_B, NIP_A])
        r = self.c["ketua"].get("%s/TAL/vacancies/NOPE/talent" % S)
        self.assertEqual(r.status, 404, r)


if __name__ == "__main__":
    harness.main()
