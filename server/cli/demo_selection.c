/* demo_selection.c - the demo's open-bidding selection "JPT-2026" (see
 * cli/demo_selection.h).
 *
 * Three vacancies at different points of the pipeline:
 *   KADIS-PUPR  fully scored: two applicants out at administration (with
 *               the reason), six ranked, the top three proposed and the
 *               PPK's choice recorded (rank 2, with a note);
 *   KADIS-KES   fully scored and ranked, one out at administration, the
 *               PPK has not chosen yet;
 *   SEKWAN      still in the interview stage: the paper is scored, the
 *               interview only partly, the track record not yet.
 *
 * The assessment stage (asesmen) is fed from exam DEMO_SELECTION_EXAM
 * (internal applicants by NIP) when that exam exists and enough employees
 * have finished it; otherwise it is a stage the members enter, so the demo
 * works whichever parts of the issue are present. Internal applicants come
 * from the employee registry (a few demo employees are added when it holds
 * too few of rank IV/a or above). Every score and decision goes through
 * selection/bidding.c as the member who gives it, so the audit log shows
 * the committee at work. */
#include "cli/demo_selection.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/mem.h"
#include "selection/bidding.h"
#include "selection/ident.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DS_SEL "JPT-2026"
#define DS_INTERNAL 14 /* internal applicants wanted */

/* Demo employees added only when the registry has too few senior ones. */
static const struct {
	const char *nip, *name, *grade, *position, *unit;
} ds_fallback[] = {
	{ "197203141998031004", "Ir. Bambang Hartono, M.T.", "IV/c", "Kepala Bidang Bina Marga", "Dinas PUPR" },
	{ "197506212000031002", "Dra. Sri Rahayu, M.Si.", "IV/b", "Sekretaris Dinas", "Dinas PUPR" },
	{ "197809112003121003", "Agus Setiawan, S.T., M.M.", "IV/a", "Kepala Bidang Cipta Karya", "Dinas PUPR" },
	{ "197011051995032001", "Ir. Endang Susilowati", "IV/c", "Kepala Bidang Tata Ruang", "Dinas PUPR" },
	{ "198002172005011005", "Hendra Gunawan, S.T., M.T.", "IV/a", "Kepala Bidang Sumber Daya Air", "Dinas PUPR" },
	{ "197404301999032002", "Yuliana Pertiwi, S.E., M.Si.", "IV/b", "Kepala Bagian Perencanaan", "Setda" },
	{ "197612082001121001", "dr. Ahmad Fauzi, M.Kes.", "IV/b", "Kepala Bidang Pelayanan Kesehatan", "Dinas Kesehatan" },
	{ "197901252004122002", "dr. Nurul Hidayah, M.P.H.", "IV/a", "Kepala Bidang Kesehatan Masyarakat", "Dinas Kesehatan" },
	{ "197305161998031003", "drg. Wahyu Nugroho, M.M.", "IV/c", "Sekretaris Dinas", "Dinas Kesehatan" },
	{ "198108302006042001", "Ns. Ratna Sari, S.Kep., M.Kep.", "IV/a", "Direktur RSUD", "RSUD" },
	{ "197710102002121002", "Drs. Joko Prasetyo, M.Si.", "IV/b", "Kepala Bagian Umum", "Sekretariat DPRD" },
	{ "197208241997032003", "Siti Aminah, S.H., M.H.", "IV/c", "Kepala Bagian Hukum", "Setda" },
	{ "198004142005011002", "Rudi Hermawan, S.Sos., M.AP.", "IV/a", "Kepala Bagian Persidangan", "Sekretariat DPRD" },
	{ "197603182001122004", "Dewi Lestari, S.IP., M.Si.", "IV/b", "Kepala Bagian Keuangan", "Sekretariat DPRD" },
};

#define DS_N_FALLBACK (sizeof ds_fallback / sizeof *ds_fallback)

/* External applicants: NIK, name, origin. */
static const struct {
	const char *nik, *name, *origin;
} ds_external[] = {
	{ "3374011505780003", "Dr. Ir. Hadi Santoso, M.T.", "Universitas Diponegoro" },
	{ "3171024407820005", "Maya Anggraini, S.T., M.Sc.", "PT Wijaya Karya (Persero) Tbk" },
	{ "3273012809750001", "Fajar Ramadhan, S.T.", "Kementerian PUPR" },
	{ "3578015002800004", "dr. Lina Marlina, Sp.KM", "RSUD Dr. Soetomo" },
	{ "3471031210790002", "Dr. Andi Wijaya, S.KM., M.Kes.", "Universitas Gadjah Mada" },
	{ "3204051703810006", "Teguh Santoso, S.H., M.H.", "Pemerintah Provinsi Jawa Barat" },
	{ "3507012601770003", "Rina Kartika, S.Sos., M.Si.", "Sekretariat DPRD Provinsi" },
};

/* Committee members: who they are in the demo. */
static const char *const ds_members[] = { "pansel", "pansel2", "pansel3" };

/* An applicant of the demo: where it goes and how far it got. */
enum ds_stage { DS_OUT_ADMIN, DS_FULL, DS_INTERVIEW };

struct ds_app {
	const char *vac;
	int internal; /* index into the chosen employees, or -1: external index */
	int ext;
	enum ds_stage stage;
	double base; /* the level of its scores */
	const char *out_reason;
};

static const struct ds_app ds_apps[] = {
	{ "KADIS-PUPR", 1, 0, DS_FULL, 86, NULL },
	{ "KADIS-PUPR", 1, 1, DS_FULL, 83, NULL },
	{ "KADIS-PUPR", 0, 0, DS_FULL, 84.5, NULL },
	{ "KADIS-PUPR", 1, 2, DS_FULL, 79, NULL },
	{ "KADIS-PUPR", 1, 3, DS_FULL, 76.5, NULL },
	{ "KADIS-PUPR", 0, 1, DS_FULL, 74, NULL },
	{ "KADIS-PUPR", 0, 2, DS_OUT_ADMIN, 0,
	  "Belum memenuhi syarat pangkat minimal Pembina (IV/a) / setara" },
	{ "KADIS-PUPR", 1, 4, DS_OUT_ADMIN, 0,
	  "Surat rekomendasi dari Pejabat Pembina Kepegawaian tidak dilampirkan" },
	{ "KADIS-KES", 1, 5, DS_FULL, 85, NULL },
	{ "KADIS-KES", 0, 3, DS_FULL, 82, NULL },
	{ "KADIS-KES", 1, 6, DS_FULL, 80.5, NULL },
	{ "KADIS-KES", 0, 4, DS_FULL, 78, NULL },
	{ "KADIS-KES", 1, 7, DS_FULL, 77, NULL },
	{ "KADIS-KES", 1, 8, DS_FULL, 73.5, NULL },
	{ "KADIS-KES", 1, 9, DS_OUT_ADMIN, 0, "Ijazah S2 belum dilegalisir" },
	{ "SEKWAN", 1, 10, DS_INTERVIEW, 82, NULL },
	{ "SEKWAN", 1, 11, DS_INTERVIEW, 79, NULL },
	{ "SEKWAN", 0, 5, DS_INTERVIEW, 81, NULL },
	{ "SEKWAN", 1, 12, DS_INTERVIEW, 76, NULL },
	{ "SEKWAN", 0, 6, DS_INTERVIEW, 74, NULL },
	{ "SEKWAN", 1, 13, DS_INTERVIEW, 71, NULL },
};

#define DS_N_APPS (sizeof ds_apps / sizeof *ds_apps)

struct ds_emp {
	char nip[24];
	char name[UJ_SEL_NAME_MAX + 1];
	int finished; /* has a finished, not disqualified attempt in the exam */
};

/* The employees the internal applicants are (ranked IV/a or above), those
 * who finished the feeding exam first. Returns the count. */
static int ds_employees(sqlite3 *db, const char *exam, struct ds_emp *out, int max)
{
	sqlite3_stmt *st = NULL;
	int n = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT e.nip, e.name, e.grade, EXISTS (SELECT 1 FROM candidates c"
			       " JOIN exams x ON x.id = c.exam_id JOIN attempts a"
			       " ON a.candidate_id = c.id WHERE x.code = ? AND c.nip = e.nip"
			       " AND a.status = 'finished' AND a.finish_reason <> 'disqualified')"
			       " FROM employees e ORDER BY 4 DESC, e.grade DESC, e.nip",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, exam, -1, SQLITE_STATIC);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		if (grade_ord((const char *)sqlite3_column_text(st, 2)) < grade_ord("IV/a"))
			continue;
		str_copy(out[n].nip, sizeof out[n].nip, (const char *)sqlite3_column_text(st, 0));
		str_copy(out[n].name, sizeof out[n].name, (const char *)sqlite3_column_text(st, 1));
		out[n].finished = sqlite3_column_int(st, 3);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

/* Add the fallback employees that are not there yet. */
static int ds_add_fallback(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "INSERT OR IGNORE INTO employees (nip, name, grade, position,"
				      " position_type, unit, agency, education, birth_date, created_at,"
				      " updated_at) VALUES (?, ?, ?, ?, 'administrator', ?,"
				      " 'Pemerintah Kabupaten Sukamaju', 'S2', ?, ?, ?)",
				      err, errlen);
	int64_t now = clock_now_ms();
	if (!st)
		return -1;
	for (size_t i = 0; i < DS_N_FALLBACK; i++) {
		char bd[11];
		if (nip_check(ds_fallback[i].nip, NULL, 0) != NIP_OK)
			continue; /* (a typo in the table: never a bad row in the registry) */
		nip_birth_date(ds_fallback[i].nip, bd);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, ds_fallback[i].nip, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ds_fallback[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, ds_fallback[i].grade, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, ds_fallback[i].position, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, ds_fallback[i].unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, bd, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 7, now);
		sqlite3_bind_int64(st, 8, now);
		if (sqlite3_step(st) != SQLITE_DONE) {
			snprintf(err, errlen, "demo employees: %s", sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* 1 if exam exists. */
static int ds_exam_exists(sqlite3 *db, const char *exam)
{
	sqlite3_stmt *st = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM exams WHERE code = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, exam, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

static int64_t ds_staff_id(sqlite3 *db, const char *username)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM staff WHERE username = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return id;
}

/* Report a failed write into err; returns -1 (0 when r is fine). */
static int ds_check(const struct bid_result *r, const char *what, char *err, size_t errlen)
{
	char first[256];
	if (r->status == BID_OK)
		return 0;
	errlist_first(r->errs, first, sizeof first);
	snprintf(err, errlen, "demo selection, %s: %s", what,
		 first[0] ? first : r->err[0] ? r->err : bid_status_code(r->status));
	return -1;
}

/* A member's score around base: each member a little different, each
 * stage its own offset, rounded to halves. */
static double ds_score(double base, int member, int stage, int app)
{
	static const double mo[] = { 0, 1.5, -1 }, so[] = { 0, 1, -2, 2, -1 };
	double v = base + mo[member] + so[stage] + (double)((app * 7 + stage * 3 + member) % 5) * 0.5 - 1;
	if (v > 100)
		v = 100;
	return (double)(long)(v * 2 + 0.5) / 2;
}

static int ds_put_score(sqlite3 *db, const struct bid_who *who, int64_t app, const char *stage,
			double v, struct errlist *errs, char *err, size_t errlen)
{
	json_t *b = json_pack("{s:I,s:s,s:f}", "applicant", (json_int_t)app, "stage", stage, "score", v);
	struct bid_result r = { .errs = errs };
	bid_score(db, DS_SEL, b, who, clock_now_ms(), &r);
	json_decref(b);
	return ds_check(&r, "score", err, errlen);
}

static int ds_put_gate(sqlite3 *db, const struct bid_who *who, int64_t app, int passed,
		       const char *reason, struct errlist *errs, char *err, size_t errlen)
{
	json_t *b = json_pack("{s:I,s:s,s:b,s:s}", "applicant", (json_int_t)app, "stage",
			      "administrasi", "passed", passed, "reason", reason ? reason : "");
	struct bid_result r = { .errs = errs };
	bid_gate(db, DS_SEL, b, who, clock_now_ms(), &r);
	json_decref(b);
	return ds_check(&r, "administration", err, errlen);
}

/* The applicant id of row i (by its NIP or NIK), 0 if none. */
static int64_t ds_app_id(sqlite3 *db, const char *vac, const char *nip, const char *nik)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT a.id FROM applicants a JOIN vacancies v ON v.id = a.vacancy_id"
			       " JOIN selections s ON s.id = v.selection_id LEFT JOIN employees e"
			       " ON e.id = a.employee_id WHERE s.code = ? AND v.code = ?"
			       " AND (e.nip = ? OR a.nik = ?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, DS_SEL, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, vac, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, nip ? nip : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, nik ? nik : "", -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return id;
}

/* The selection with its vacancies and members. */
static int ds_create(sqlite3 *db, int fed, struct errlist *errs, char *err, size_t errlen)
{
	static const struct bid_who system = { { ACTOR_SYSTEM, 0 }, BID_ROLE_ADMIN };
	json_t *ases = fed ? json_pack("{s:s,s:s,s:i,s:{s:s,s:n}}", "code", "asesmen", "name",
				       "Asesmen kompetensi (CAT)", "weight", 25, "source", "exam",
				       DEMO_SELECTION_EXAM, "section")
			   : json_pack("{s:s,s:s,s:i}", "code", "asesmen", "name",
				       "Asesmen kompetensi", "weight", 25);
	json_t *body = json_pack(
		"{s:s,s:s,s:s,s:{s:[{s:s},o,{s:s},{s:s},{s:s},{s:s,s:b}],s:[s,s],s:s},"
		"s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}],s:[{s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s,s:s},"
		"{s:s,s:s,s:s,s:s,s:s}]}",
		"code", DS_SEL, "name", "Seleksi Terbuka JPT Pratama 2026", "agency",
		"Pemerintah Kabupaten Sukamaju", "config", "stages", "code", "administrasi", ases, "code",
		"makalah", "code", "wawancara", "code", "rekam_jejak", "code", "kesehatan", "gate", 1,
		"tie_break", "asesmen", "wawancara", "score_rule", "mean", "members", "username",
		"pansel", "role", "chair", "username", "pansel2", "role", "secretary", "username",
		"pansel3", "role", "member", "vacancies", "code", "KADIS-PUPR", "position",
		"Kepala Dinas Pekerjaan Umum dan Penataan Ruang", "unit", "Dinas PUPR", "min_grade",
		"IV/a", "requirements",
		"S2 teknik/perencanaan; pangkat minimal Pembina (IV/a); pernah menduduki jabatan "
		"administrator paling singkat 5 tahun",
		"code", "KADIS-KES", "position", "Kepala Dinas Kesehatan", "unit", "Dinas Kesehatan",
		"min_grade", "IV/a", "requirements",
		"S2 kesehatan masyarakat/kedokteran; pangkat minimal Pembina (IV/a)", "code", "SEKWAN",
		"position", "Sekretaris DPRD", "unit", "Sekretariat DPRD", "min_grade", "IV/a",
		"requirements", "S2 semua jurusan; pangkat minimal Pembina (IV/a)");
	struct bid_result r = { .errs = errs };
	bid_selection_create(db, body, &system, clock_now_ms(), &r);
	json_decref(body);
	return ds_check(&r, "create", err, errlen);
}

int demo_selection_build(sqlite3 *db, char *err, size_t errlen)
{
	static const struct bid_who system = { { ACTOR_SYSTEM, 0 }, BID_ROLE_ADMIN };
	static const char *const stages[] = { "asesmen", "makalah", "wawancara", "rekam_jejak" };
	struct ds_emp emp[DS_INTERNAL];
	struct bid_who who[3];
	struct errlist errs;
	struct bid_result r = { .errs = &errs };
	char *csv = NULL;
	size_t len = 0;
	FILE *f;
	int n, fed = 0, rc = -1;

	errlist_init(&errs, 4);
	for (int m = 0; m < 3; m++) {
		who[m].actor.kind = ACTOR_STAFF;
		who[m].actor.id = ds_staff_id(db, ds_members[m]);
		who[m].roles = BID_ROLE_COMMITTEE;
		if (!who[m].actor.id) {
			snprintf(err, errlen, "demo selection: no staff account %s", ds_members[m]);
			goto out;
		}
	}
	/* fed from the exam when enough senior employees finished it */
	if (ds_exam_exists(db, DEMO_SELECTION_EXAM)) {
		n = ds_employees(db, DEMO_SELECTION_EXAM, emp, DS_INTERNAL);
		fed = n == DS_INTERNAL && emp[DS_INTERNAL - 1].finished == 1;
	}
	n = ds_employees(db, DEMO_SELECTION_EXAM, emp, DS_INTERNAL);
	if (n < DS_INTERNAL) {
		if (ds_add_fallback(db, err, errlen))
			goto out;
		n = ds_employees(db, DEMO_SELECTION_EXAM, emp, DS_INTERNAL);
	}
	if (n < DS_INTERNAL) {
		snprintf(err, errlen, "demo selection: only %d employees of rank IV/a or above", n);
		goto out;
	}
	if (ds_create(db, fed, &errs, err, errlen))
		goto out;
	/* the applicants, as an admin imports them */
	if (!(f = open_memstream(&csv, &len)))
		goto out;
	fputs("lowongan;jenis;nip;nik;nama;asal;ujian;no_peserta\n", f);
	for (size_t i = 0; i < DS_N_APPS; i++) {
		const struct ds_app *a = &ds_apps[i];
		if (a->internal)
			fprintf(f, "%s;internal;%s;;;Pemerintah Kabupaten Sukamaju;;\n", a->vac,
				emp[a->ext].nip);
		else
			fprintf(f, "%s;eksternal;;%s;%s;%s;;\n", a->vac, ds_external[a->ext].nik,
				ds_external[a->ext].name, ds_external[a->ext].origin);
	}
	fclose(f);
	bid_applicants_import(db, DS_SEL, csv, len, &system, clock_now_ms(), &r);
	if (ds_check(&r, "applicants", err, errlen))
		goto out;
	/* the committee at work */
	for (size_t i = 0; i < DS_N_APPS; i++) {
		const struct ds_app *a = &ds_apps[i];
		int64_t id = ds_app_id(db, a->vac, a->internal ? emp[a->ext].nip : NULL,
				       a->internal ? NULL : ds_external[a->ext].nik);
		int last = a->stage == DS_FULL ? 4 : 3; /* stages scored */
		if (!id) {
			snprintf(err, errlen, "demo selection: applicant %zu not found", i);
			goto out;
		}
		if (ds_put_gate(db, &who[i % 3], id, a->stage != DS_OUT_ADMIN, a->out_reason, &errs,
				err, errlen))
			goto out;
		if (a->stage == DS_OUT_ADMIN)
			continue;
		for (int s = 0; s < last; s++) {
			if (s == 0 && fed)
				continue; /* the exam gives it */
			for (int m = 0; m < 3; m++) {
				/* the interview stage: only the chair has scored the interview */
				if (a->stage == DS_INTERVIEW && s == 2 && m > 0)
					continue;
				if (ds_put_score(db, &who[m], id, stages[s], ds_score(a->base, m, s, (int)i),
						 &errs, err, errlen))
					goto out;
			}
		}
		if (a->stage == DS_FULL) {
			json_t *b = json_pack("{s:I,s:s,s:b}", "applicant", (json_int_t)id, "stage",
					      "kesehatan", "passed", 1);
			struct bid_result g = { .errs = &errs };
			bid_gate(db, DS_SEL, b, &who[0], clock_now_ms(), &g);
			json_decref(b);
			if (ds_check(&g, "health", err, errlen))
				goto out;
		}
	}
	/* one changed score, with its reason, so the audit shows old -> new */
	{
		int64_t id = ds_app_id(db, "KADIS-PUPR", emp[0].nip, NULL);
		json_t *b = json_pack("{s:I,s:s,s:f,s:s}", "applicant", (json_int_t)id, "stage",
				      "makalah", "score", ds_score(86, 1, 1, 0) + 1.5, "reason",
				      "Koreksi: nilai aspek orisinalitas belum dijumlahkan");
		struct bid_result c = { .errs = &errs };
		bid_score(db, DS_SEL, b, &who[1], clock_now_ms(), &c);
		json_decref(b);
		if (ds_check(&c, "score change", err, errlen))
			goto out;
	}
	/* the PPK chose rank 2 for KADIS-PUPR, with the note it needs */
	{
		enum bid_status st;
		json_t *v = bid_vacancy_json(db, DS_SEL, "KADIS-PUPR", 0, &st, err, errlen), *p, *b;
		struct bid_result c = { .errs = &errs };
		if (!v)
			goto out;
		p = json_array_get(json_object_get(v, "proposal"), 1);
		b = json_pack("{s:O,s:s}", "applicant", json_object_get(p, "applicant"), "note",
			      "Dipilih peringkat 2: pengalaman memimpin proyek strategis daerah "
			      "lebih sesuai dengan prioritas RPJMD");
		bid_ppk(db, DS_SEL, "KADIS-PUPR", b, &who[0], clock_now_ms(), &c);
		json_decref(b);
		json_decref(v);
		if (ds_check(&c, "PPK", err, errlen))
			goto out;
	}
	rc = 0;
out:
	free(csv);
	errlist_free(&errs);
	return rc;
}
