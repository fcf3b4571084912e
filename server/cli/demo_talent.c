/* demo_talent.c - the demo agency of 'ujian demo' (issue 11): about 300
 * employees of a regency government across eight units, every grade and
 * position type, two years of SKP ratings, a few sanctions, the competency
 * test TALENTA-DEMO with finished attempts for most employees, and the
 * talent-mapping periods PT-2025 (previous, closed) and PT-2026 fed by it.
 *
 * Everything goes in through the real paths: the employee, SKP and
 * sanction CSV imports (selection/), the candidate import with the nip
 * column (catalog/enrol.c), and for the attempts the runtime's own
 * operations (exam/attempt.h attempt_replay: RAM scoring and the writer's
 * apply functions with their events), so 'ujian verify --exam TALENTA-DEMO'
 * recomputes every stored score. The data is pseudo-random from a fixed
 * seed (the same agency every time; only the papers' draws differ). Some
 * candidates are left unstarted, so a newcomer can log in as one, finish
 * the test and watch the nine-box grid move. */
#include "cli/demo_talent.h"
#include "bounds.h"
#include "catalog/catalog.h"
#include "catalog/enrol.h"
#include "catalog/loader.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/mem.h"
#include "exam/attempt.h"
#include "exam/registry.h"
#include "selection/employee.h"
#include "selection/ident.h"
#include "selection/personnel.h"
#include "selection/talent.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DT_EXAM "TALENTA-DEMO"
#define DT_AGENCY "Pemerintah Kabupaten Sukamaju"
#define DT_DAY_MS 86400000LL

/* ---- a fixed pseudo-random sequence (splitmix64) ------------------------- */

static uint64_t dt_state;

static uint64_t dt_next(void)
{
	uint64_t z = (dt_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int dt_below(int n)
{
	return (int)(dt_next() % (uint64_t)n);
}

/* Uniform in [0, 1). */
static double dt_unit(void)
{
	return (double)(dt_next() >> 11) / 9007199254740992.0;
}

/* ---- the agency ----------------------------------------------------------- */

static const struct dt_unit {
	const char *name, *head, *bid[2], *func[3];
} dt_units[] = {
	{ "Sekretariat Daerah", "Sekretaris Daerah", { "Bagian Organisasi", "Bagian Hukum" },
	  { "Analis Hukum", "Perancang Peraturan Perundang-undangan", "Analis Kebijakan" } },
	{ "Badan Kepegawaian dan Pengembangan SDM", "Kepala Badan Kepegawaian dan Pengembangan SDM",
	  { "Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi" },
	  { "Analis SDM Aparatur", "Asesor SDM Aparatur", "Widyaiswara" } },
	{ "Badan Perencanaan Pembangunan Daerah", "Kepala Badan Perencanaan Pembangunan Daerah",
	  { "Bidang Perencanaan Ekonomi", "Bidang Perencanaan Infrastruktur" },
	  { "Perencana", "Statistisi", "Analis Kebijakan" } },
	{ "Badan Pengelolaan Keuangan dan Aset Daerah", "Kepala Badan Pengelolaan Keuangan dan Aset Daerah",
	  { "Bidang Anggaran", "Bidang Aset" },
	  { "Analis Keuangan Pusat dan Daerah", "Pengelola Pengadaan Barang/Jasa", "Auditor" } },
	{ "Dinas Pendidikan", "Kepala Dinas Pendidikan", { "Bidang Pendidikan Dasar", "Bidang Ketenagaan" },
	  { "Guru", "Pengawas Sekolah", "Pamong Belajar" } },
	{ "Dinas Kesehatan", "Kepala Dinas Kesehatan", { "Bidang Pelayanan Kesehatan", "Bidang Pencegahan Penyakit" },
	  { "Dokter", "Perawat", "Epidemiolog Kesehatan" } },
	{ "Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
	  { "Bidang Bina Marga", "Bidang Penataan Ruang" },
	  { "Teknik Jalan dan Jembatan", "Penata Ruang", "Teknik Pengairan" } },
	{ "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas Kependudukan dan Pencatatan Sipil",
	  { "Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pemanfaatan Data" },
	  { "Administrator Database Kependudukan", "Pranata Komputer", "Analis Kebijakan" } },
};
#define DT_UNITS ((int)(sizeof dt_units / sizeof *dt_units))

static const char *const dt_male[] = {
	"Ahmad", "Budi", "Agus", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Kurniawan",
	"Lukman", "Muhammad", "Nur", "Rahmat", "Rudi", "Slamet", "Teguh", "Wahyu", "Yusuf", "Zainal",
	"Arief", "Bambang", "Dimas", "Gilang", "Hadi", "Imam", "Made", "Putu", "Rizky", "Sigit",
};
static const char *const dt_female[] = {
	"Ani", "Ayu", "Dewi", "Endang", "Fitri", "Indah", "Kartika", "Lestari", "Maya", "Nining",
	"Nur", "Putri", "Ratna", "Rina", "Sari", "Siti", "Sri", "Tri", "Wulan", "Yuliana",
	"Anisa", "Diah", "Erna", "Hana", "Intan", "Kadek", "Novi", "Rahayu", "Susanti", "Wahyuni",
};
static const char *const dt_last[] = {
	"Santoso", "Wibowo", "Pratama", "Hidayat", "Saputra", "Nugroho", "Kusuma", "Setiawan",
	"Rahman", "Siregar", "Nasution", "Hutapea", "Lubis", "Simanjuntak", "Harahap", "Wijaya",
	"Gunawan", "Purnomo", "Susilo", "Hasibuan", "Permana", "Syahputra", "Ramadhan", "Firmansyah",
	"Suharto", "Sembiring", "Tarigan", "Manurung", "Pohan", "Daulay", "Effendi", "Hakim",
	"Iskandar", "Junaidi", "Mahendra", "Prasetyo",
};
/* family names that are women's names */
static const char *const dt_last_f[] = {
	"Suryani", "Handayani", "Maharani", "Anggraini", "Puspitasari", "Rahmawati", "Wulandari",
	"Utami", "Safitri", "Lestari", "Kurniasih",
};
#define DT_N(a) ((int)(sizeof a / sizeof *a))

static const char *const dt_pengawas[] = {
	"Kepala Subbagian Umum dan Kepegawaian", "Kepala Subbagian Keuangan",
	"Kepala Subbagian Perencanaan dan Pelaporan", "Kepala Seksi Pelayanan",
	"Kepala Seksi Pembinaan", "Kepala Seksi Pengendalian", "Kepala Seksi Data dan Informasi",
	"Kepala Seksi Evaluasi",
};
static const char *const dt_pelaksana[] = {
	"Pengadministrasi Perkantoran", "Pengelola Keuangan", "Pengolah Data dan Informasi",
	"Penata Layanan Operasional", "Pengelola Layanan Operasional", "Operator Layanan Operasional",
};

/* Per unit: 1 JPT, 3 administrators, 8 supervisors, 13 functional, 12
 * staff (37; eight units make 296), plus four older staff of grade I. */
enum { DT_PER_UNIT = 37, DT_EXTRA = 4, DT_EMPLOYEES = DT_UNITS * DT_PER_UNIT + DT_EXTRA };

struct dt_emp {
	char nip[19];
	char name[160];
	int type;    /* enum emp_type */
	int grade;   /* grade_ord */
	char position[160];
	int unit;
	const char *edu;
	double pot;  /* latent potential 0..1 */
	double perf; /* latent performance 0..1 */
	int regno;   /* candidate number, 0 = none */
};

/* A grade between lo and hi (ordinals), inclusive. */
static int dt_grade(int lo, int hi)
{
	return lo + dt_below(hi - lo + 1);
}

static const char *dt_level(int grade)
{
	return grade >= 13 ? "Ahli Madya" : grade >= 11 ? "Ahli Muda" : "Ahli Pertama";
}

/* The name with the academic titles of edu (and a doctor's "dr."). */
static void dt_name(struct dt_emp *e, int female, const char *family)
{
	static const char *const s1[] = { "S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.Pd.", "S.T.", "S.IP." };
	static const char *const s2[] = { "M.Si.", "M.M.", "M.A.P.", "M.T.", "M.Pd." };
	const char *first = female ? dt_female[dt_below(DT_N(dt_female))] : dt_male[dt_below(DT_N(dt_male))];
	int k = dt_below(DT_N(dt_last) + (female ? DT_N(dt_last_f) : 0));
	const char *last = k < DT_N(dt_last) ? dt_last[k] : dt_last_f[k - DT_N(dt_last)];
	int doctor = family && strcmp(family, "Dokter") == 0;
	const char *pre = strcmp(e->edu, "S3") == 0 ? "Dr. " : doctor ? "dr. " : "";
	char t[48] = "";
	if (strcmp(e->edu, "D3") == 0)
		snprintf(t, sizeof t, ", A.Md.");
	else if (strcmp(e->edu, "D4") == 0)
		snprintf(t, sizeof t, ", S.Tr.A.P.");
	else if (strcmp(e->edu, "S1") == 0 && !doctor)
		snprintf(t, sizeof t, ", %s", s1[dt_below(DT_N(s1))]);
	else if (strcmp(e->edu, "S2") == 0 || strcmp(e->edu, "S3") == 0)
		snprintf(t, sizeof t, "%s%s, %s", doctor ? "" : ", ", doctor ? "" : s1[dt_below(DT_N(s1))],
			 s2[dt_below(DT_N(s2))]);
	snprintf(e->name, sizeof e->name, "%s%s %s%s", pre, first, last, t);
}

/* The NIP: birth date and appointment (TMT CPNS) fitting the grade, the
 * sex, and sequence seq (unique). */
static void dt_nip(struct dt_emp *e, int female, int seq)
{
	static const int tmt_month[] = { 1, 3, 4, 12 };
	int service = (e->grade >= 9 ? (e->grade - 9) * 3 : e->grade >= 5 ? (e->grade - 5) * 3 : 0) +
		      2 + dt_below(6);
	int ty = 2025 - service, by = ty - 22 - dt_below(10), bm = 1 + dt_below(12);
	int bd = 1 + dt_below(28);
	if (e->grade <= 4)
		ty = 1990 + dt_below(6), by = ty - 19 - dt_below(4);
	if (by < 1967)
		by = 1967 + dt_below(3);
	if (ty < by + 19)
		ty = by + 19;
	snprintf(e->nip, sizeof e->nip, "%04u%02u%02u%04u%02u%c%03u", (unsigned)by % 10000u,
		 (unsigned)bm % 100u, (unsigned)bd % 100u, (unsigned)ty % 10000u,
		 (unsigned)tmt_month[dt_below(4)] % 100u, female ? '2' : '1', (unsigned)seq % 1000u);
}

static void dt_make(struct dt_emp *e, int unit, int type, int grade, const char *edu,
		    const char *position, const char *family, int seq)
{
	int female = dt_below(100) < 45;
	memset(e, 0, sizeof *e);
	e->unit = unit;
	e->type = type;
	e->grade = grade;
	e->edu = edu;
	snprintf(e->position, sizeof e->position, "%s", position);
	/* the mean of two uniforms: most in the middle, fewer at the ends */
	e->pot = (dt_unit() + dt_unit()) / 2;
	e->perf = (dt_unit() + dt_unit() + e->pot) / 3;
	dt_name(e, female, family);
	dt_nip(e, female, seq);
}

static struct dt_emp *dt_agency(void)
{
	static const char *const pel_edu[] = { "SMA", "SMA", "D3", "D3", "S1" };
	struct dt_emp *v = xcalloc(DT_EMPLOYEES, sizeof *v);
	char pos[160];
	int n = 0;

	dt_state = 0x11A2026; /* the same agency every time */
	for (int u = 0; u < DT_UNITS; u++) {
		const struct dt_unit *U = &dt_units[u];
		dt_make(&v[n], u, EMP_JPT, u == 0 ? 17 : dt_grade(15, 16), dt_below(4) ? "S2" : "S3",
			U->head, NULL, n + 1);
		n++;
		for (int k = 0; k < 3; k++, n++) {
			if (k == 0)
				snprintf(pos, sizeof pos, "Sekretaris %s", u == 0 ? "Daerah (Asisten Administrasi)" : U->name);
			else
				snprintf(pos, sizeof pos, "Kepala %s", U->bid[k - 1]);
			dt_make(&v[n], u, EMP_ADMINISTRATOR, dt_grade(12, 14), dt_below(3) ? "S2" : "S1",
				pos, NULL, n + 1);
		}
		for (int k = 0; k < 8; k++, n++)
			dt_make(&v[n], u, EMP_PENGAWAS, dt_grade(10, 13), dt_below(3) ? "S1" : "S2",
				dt_pengawas[k], NULL, n + 1);
		for (int k = 0; k < 13; k++, n++) {
			const char *fam = U->func[k % 3];
			int g = dt_grade(9, 15);
			int nurse = strcmp(fam, "Perawat") == 0;
			if (nurse && g > 12)
				g = 12;
			snprintf(pos, sizeof pos, "%s %s", fam, nurse && g <= 10 ? "Terampil" : dt_level(g));
			dt_make(&v[n], u, EMP_FUNGSIONAL, g, g >= 13 && dt_below(2) ? "S2" : nurse ? "D4" : "S1",
				pos, fam, n + 1);
		}
		for (int k = 0; k < 12; k++, n++) {
			int g = dt_grade(5, 10);
			dt_make(&v[n], u, EMP_PELAKSANA, g, g >= 9 ? "S1" : pel_edu[dt_below(5)],
				dt_pelaksana[k % DT_N(dt_pelaksana)], NULL, n + 1);
		}
	}
	/* Grade I: older staff (drivers, office helpers) in four units. */
	for (int k = 0; k < DT_EXTRA; k++, n++)
		dt_make(&v[n], k, EMP_PELAKSANA, 1 + k, "SMA",
			k % 2 ? "Pengemudi" : "Pengelola Sarana dan Prasarana", NULL, n + 1);
	return v;
}

/* ---- imports ---------------------------------------------------------------- */

/* Run an import of the CSV in buf; -1 with err (the first problem). */
static int dt_import(sqlite3 *db, int kind, char *buf, size_t len, int64_t now, char *err,
		     size_t errlen)
{
	struct errlist errs;
	struct emp_import_result er;
	struct personnel_result pr;
	int rc;
	errlist_init(&errs, 1);
	if (kind == 0)
		rc = employee_import(db, buf, len, actor_system(), now, &er, &errs);
	else if (kind == 1)
		rc = skp_import(db, buf, len, actor_system(), now, &pr, &errs);
	else
		rc = sanction_import(db, buf, len, actor_system(), now, &pr, &errs);
	if (rc)
		errlist_first(&errs, err, errlen);
	errlist_free(&errs);
	return rc;
}

/* The SKP predikat of latent performance x (with noise). */
static const char *dt_predikat(double x)
{
	x += (dt_unit() - 0.5) * 0.25;
	return x > 0.66 ? "Sangat Baik" : x > 0.34 ? "Baik" : x > 0.26 ? "Butuh Perbaikan" : x > 0.17 ? "Kurang" : "Sangat Kurang";
}

static int dt_personnel(sqlite3 *db, const struct dt_emp *v, int64_t now, char *err, size_t errlen)
{
	static const struct {
		int emp;
		const char *type, *level, *date, *note;
	} sanctions[] = {
		{ 17, "Teguran lisan", "ringan", "2025-03-11", "Terlambat masuk kerja berulang" },
		{ 45, "Pernyataan tidak puas secara tertulis", "ringan", "2026-02-02", "" },
		{ 63, "Pemotongan tunjangan kinerja 25% selama 6 bulan", "sedang", "2025-09-15",
		  "Tidak masuk kerja tanpa alasan sah 12 hari" },
		{ 88, "Penundaan kenaikan pangkat 1 tahun", "sedang", "2026-04-20", "Laporan keuangan terlambat" },
		{ 121, "Penurunan jabatan setingkat lebih rendah selama 12 bulan", "berat", "2025-06-30",
		  "Penyalahgunaan wewenang" },
		{ 150, "Teguran tertulis", "ringan", "2026-07-08", "" },
		{ 199, "Pemotongan tunjangan kinerja 25% selama 9 bulan", "sedang", "2022-05-10",
		  "Sudah lebih dari dua tahun" },
		{ 230, "Pembebasan dari jabatan menjadi pelaksana selama 12 bulan", "berat", "2026-01-14", "" },
		{ 262, "Teguran lisan", "ringan", "2024-11-04", "" },
		{ 277, "Penundaan kenaikan gaji berkala 1 tahun", "sedang", "2023-02-21", "" },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = -1;

	fputs("nip;nama;golongan;jabatan;jenis_jabatan;unit;instansi;pendidikan\n", f);
	for (int i = 0; i < DT_EMPLOYEES; i++)
		fprintf(f, "%s;%s;%s;%s;%s;%s;%s;%s\n", v[i].nip, v[i].name, grade_name(v[i].grade),
			v[i].position, emp_type_codes[v[i].type], dt_units[v[i].unit].name, DT_AGENCY,
			v[i].edu);
	fclose(f);
	if (dt_import(db, 0, buf, len, now, err, errlen))
		goto out;
	free(buf);
	/* SKP 2025 and 2026; a few new employees have only one year or none */
	f = open_memstream(&buf, &len);
	fputs("nip,tahun,predikat\n", f);
	for (int i = 0; i < DT_EMPLOYEES; i++) {
		int skip = i % 53 == 7 ? 2 : i % 41 == 11 ? 1 : 0; /* 2: none, 1: only 2026 */
		if (skip < 1)
			fprintf(f, "%s,2025,%s\n", v[i].nip, dt_predikat(v[i].perf));
		if (skip < 2)
			fprintf(f, "%s,2026,%s\n", v[i].nip, dt_predikat(v[i].perf));
	}
	fclose(f);
	if (dt_import(db, 1, buf, len, now, err, errlen))
		goto out;
	free(buf);
	f = open_memstream(&buf, &len);
	fputs("nip,jenis,tingkat,tanggal,keterangan\n", f);
	for (size_t k = 0; k < sizeof sanctions / sizeof *sanctions; k++)
		fprintf(f, "%s,%s,%s,%s,\"%s\"\n", v[sanctions[k].emp].nip, sanctions[k].type,
			sanctions[k].level, sanctions[k].date, sanctions[k].note);
	fclose(f);
	rc = dt_import(db, 2, buf, len, now, err, errlen);
out:
	free(buf);
	return rc;
}

/* ---- the competency test and its attempts ---------------------------------- */

/* Candidate number k (1-based) and its password. */
static void dt_regno(int k, char *regno, size_t n)
{
	snprintf(regno, n, "T2026%04d", k % 10000);
}

static void dt_password(int k, char *pw, size_t n)
{
	snprintf(pw, n, "talenta%04d", k % 10000);
}

/* 1 if candidate k is left unstarted (for a live try; about one in 12). */
static int dt_unstarted(int k)
{
	return k % 12 == 3;
}

static int dt_candidates(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], struct dt_emp *v,
			 char *err, size_t errlen)
{
	struct enrol_result res;
	struct errlist errs;
	char *buf = NULL, regno[16], pw[16];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int k = 0, rc;

	fputs("registration_no,name,password,track,extra_time_s,sitting,nip\n", f);
	for (int i = 0; i < DT_EMPLOYEES; i++) {
		if (i % 24 == 5)
			continue; /* no test result (one in 24): unmapped, no potential */
		v[i].regno = ++k;
		dt_regno(k, regno, sizeof regno);
		dt_password(k, pw, sizeof pw);
		fprintf(f, "%s,\"%s\",%s,umum,0,,%s\n", regno, v[i].name, pw, v[i].nip);
	}
	fclose(f);
	errlist_init(&errs, 1);
	rc = enrol_import_data(db, key, DT_EXAM, buf, len, &res, &errs);
	if (rc)
		errlist_first(&errs, err, errlen);
	else
		enrol_result_free(&res);
	errlist_free(&errs);
	free(buf);
	return rc;
}

/* The label (as shown) of question q that scores most. */
static int dt_best(const struct rt_question *q)
{
	int best = 0;
	for (int l = 1; l < q->n_options; l++)
		if (q->item->value[q->perm[l]] > q->item->value[q->perm[best]])
			best = l;
	return best;
}

/* Finish most candidates' attempts with answers that follow each
 * employee's ability, through the runtime's own operations, in one
 * transaction. */
static int dt_attempts(sqlite3 *db, const struct dt_emp *v, int64_t now, char *err, size_t errlen)
{
	struct registry reg;
	struct loader L;
	struct load_batch b;
	struct wr_op *ops = NULL, **tail = &ops;
	struct rt_exam *e;
	int8_t labels[UJ_PAPER_MAX];
	char regno[16];
	int rc = -1;

	registry_init(&reg);
	loader_init(&L);
	if (loader_load(&L, db, &b, err, errlen)) {
		loader_merge(&reg, &b);
		goto out;
	}
	loader_merge(&reg, &b);
	if (!(e = registry_exam(&reg, DT_EXAM))) {
		snprintf(err, errlen, "exam %s was not loaded", DT_EXAM);
		goto out;
	}
	for (int i = 0; i < DT_EMPLOYEES; i++) {
		struct rt_candidate *c;
		double p = 0.35 + 0.6 * v[i].pot;
		int64_t start, end;
		enum finish_reason why = FINISH_SUBMITTED;
		if (!v[i].regno || dt_unstarted(v[i].regno))
			continue;
		dt_regno(v[i].regno, regno, sizeof regno);
		if (!(c = registry_candidate(e, regno)) || c->n > UJ_PAPER_MAX) {
			snprintf(err, errlen, "candidate %s was not loaded", regno);
			goto out;
		}
		for (int q = 0; q < c->n; q++) {
			int r = dt_below(1000);
			labels[q] = r < 25 ? -1 : r < 25 + (int)(975 * p) ? (int8_t)dt_best(&c->q[q])
								      : (int8_t)dt_below(c->q[q].n_options);
		}
		/* sessions over the last three weeks, mornings from 08:00 WIB */
		start = now - (2 + v[i].regno % 19) * DT_DAY_MS;
		start -= start % DT_DAY_MS;
		start += (1 + v[i].regno % 3) * 3600000LL + (v[i].regno % 5) * 60000LL;
		end = start + (20 + dt_below(24)) * 60000LL;
		if (v[i].regno % 23 == 4) {
			why = FINISH_TIME_UP;
			end = start + (int64_t)e->def.duration_s * 1000;
		}
		if (v[i].regno == 50)
			why = FINISH_DISQUALIFIED;
		attempt_replay(c, labels, start, end, why,
			       why == FINISH_DISQUALIFIED ? "Menggunakan joki (contoh demo)" : NULL, &tail);
	}
	if (wr_apply_now(db, ops, err, errlen))
		goto out;
	ops = NULL;
	rc = 0;
out:
	while (ops) { /* not applied: release them as the writer would */
		struct wr_op *next = ops->next;
		if (ops->release)
			ops->release(ops);
		else
			free(ops);
		ops = next;
	}
	registry_free(&reg);
	loader_free(&L);
	return rc;
}

/* ---- the talent-mapping periods ---------------------------------------------- */

/* The configuration of docs/SELECTION.md (labels and recommendations: the
 * defaults). PT-2025 had no competency test yet: entered components only. */
static const char dt_config_2026[] =
	"{\"components\":[{\"code\":\"cat\",\"name\":\"Tes kompetensi\",\"kind\":\"exam\","
	"\"exam\":\"" DT_EXAM "\",\"section\":null,\"weight\":60},"
	"{\"code\":\"jpm\",\"name\":\"Assessment center (JPM %)\",\"kind\":\"entered\",\"weight\":30,"
	"\"max\":100},{\"code\":\"rekam\",\"name\":\"Rekam jejak\",\"kind\":\"entered\",\"weight\":10,"
	"\"max\":100}],\"cutoffs\":{\"high\":80,\"medium\":68},"
	"\"performance\":{\"map\":{\"sangat_baik\":\"above\",\"baik\":\"meets\","
	"\"butuh_perbaikan\":\"below\",\"kurang\":\"below\",\"sangat_kurang\":\"below\"},"
	"\"years\":2,\"until_year\":2026},\"boxes\":{\"above\":[4,7,9],\"meets\":[2,5,8],"
	"\"below\":[1,3,6]},\"pool\":[7,8,9],\"sanctions\":{\"levels\":[\"moderate\",\"heavy\"],"
	"\"years\":2},\"orientation\":{\"x\":\"potential\",\"y\":\"performance\"}}";
static const char dt_config_2025[] =
	"{\"components\":[{\"code\":\"jpm\",\"name\":\"Assessment center (JPM %)\",\"kind\":\"entered\","
	"\"weight\":70,\"max\":100},{\"code\":\"rekam\",\"name\":\"Rekam jejak\",\"kind\":\"entered\","
	"\"weight\":30,\"max\":100}],\"cutoffs\":{\"high\":80,\"medium\":68},"
	"\"performance\":{\"map\":{\"sangat_baik\":\"above\",\"baik\":\"meets\","
	"\"butuh_perbaikan\":\"below\",\"kurang\":\"below\",\"sangat_kurang\":\"below\"},"
	"\"years\":2,\"until_year\":2025},\"boxes\":{\"above\":[4,7,9],\"meets\":[2,5,8],"
	"\"below\":[1,3,6]},\"pool\":[7,8,9],\"sanctions\":{\"levels\":[\"moderate\",\"heavy\"],"
	"\"years\":2},\"orientation\":{\"x\":\"potential\",\"y\":\"performance\"}}";

struct dt_period_op {
	struct wr_op op;
	const struct dt_emp *v;
	int64_t id[2]; /* PT-2025, PT-2026 */
};

static const char sql_period[] = "INSERT INTO talent_periods (code, name, config_json, created_at)"
				 " VALUES (?, ?, ?, ?)";
static const char sql_score[] = "INSERT INTO talent_scores (period_id, employee_id, component,"
				" value, staff_id, at) SELECT ?, id, ?, ?, NULL, ? FROM employees"
				" WHERE nip = ?";

static int dt_score(struct wr_tx *tx, int64_t period, const char *nip, const char *comp,
		    double value, int64_t at)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_score);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, period);
	sqlite3_bind_text(st, 2, comp, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, (double)(int)(value * 10 + 0.5) / 10); /* one decimal */
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_text(st, 5, nip, -1, SQLITE_STATIC);
	return wr_step(st);
}

static int dt_period_apply(struct wr_tx *tx, struct wr_op *op)
{
	static const char *const code[2] = { "PT-2025", "PT-2026" };
	static const char *const name[2] = { "Pemetaan Talenta 2025", "Pemetaan Talenta 2026" };
	static const char *const config[2] = { dt_config_2025, dt_config_2026 };
	struct dt_period_op *s = (struct dt_period_op *)op;
	for (int p = 0; p < 2; p++) {
		int64_t at = op->at - (p ? 30 : 395) * DT_DAY_MS;
		struct event_rec e = { .at = at, .actor = actor_system(), .kind = "talent_period_created",
				       .label = -1 };
		sqlite3_stmt *st = wr_stmt(tx, sql_period);
		int n = 0, rc;
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, code[p], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name[p], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, config[p], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, at);
		if (wr_step(st))
			return -1;
		s->id[p] = wr_last_id(tx);
		/* entered components for most employees: the JPM % of the
		 * assessment centre follows the latent potential, track record
		 * points spread wider */
		for (int i = 0; i < DT_EMPLOYEES; i++) {
			const struct dt_emp *x = &s->v[i];
			double jpm = 52 + 42 * x->pot + (dt_unit() - 0.5) * 12 - (p ? 0 : 3);
			double rek = 55 + 40 * dt_unit();
			if (i % 23 == 9)
				continue; /* not assessed in this period (one in 23) */
			if (dt_score(tx, s->id[p], x->nip, "jpm", jpm > 99 ? 99 : jpm, at) ||
			    dt_score(tx, s->id[p], x->nip, "rekam", rek, at))
				return -1;
			n++;
		}
		e.detail = json_pack("{s:s,s:s,s:i}", "period", code[p], "by", "demo", "scored", n);
		rc = event_append(tx, &e);
		json_decref(e.detail);
		if (rc)
			return -1;
	}
	return 0;
}

static void dt_period_release(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

static int dt_periods(sqlite3 *db, const struct dt_emp *v, int64_t now, char *err, size_t errlen)
{
	struct dt_period_op s;
	char sql[160];
	memset(&s, 0, sizeof s);
	wr_op_init(&s.op, dt_period_apply, actor_system(), now);
	s.op.release = dt_period_release;
	s.v = v;
	if (wr_apply_now(db, &s.op, err, errlen))
		return -1;
	/* The previous period is mapped with its own rules, then closed, so
	 * its placements stay as they were; the current one follows every
	 * change from now on. */
	if (talent_recompute(db, s.id[0], 0, now, err, errlen) < 0)
		return -1;
	snprintf(sql, sizeof sql, "UPDATE talent_periods SET closed_at = %lld WHERE id = %lld",
		 (long long)(now - 300 * DT_DAY_MS), (long long)s.id[0]);
	if (db_exec(db, sql, err, errlen))
		return -1;
	return talent_recompute(db, 0, 0, now, err, errlen) < 0 ? -1 : 0;
}

/* ---- the entry points ----------------------------------------------------------- */

int demo_talent_build(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *sample_dir,
		      char *err, size_t errlen)
{
	char *exam = xasprintf("%s/exam-talenta-demo.json", sample_dir), inner[1024];
	FILE *devnull = fopen("/dev/null", "w");
	struct dt_emp *v = dt_agency();
	int64_t now = clock_now_ms();
	int rc = -1;

	inner[0] = '\0';
	if (!devnull)
		goto out;
	if (dt_personnel(db, v, now, inner, sizeof inner) ||
	    catalog_exam_create(db, exam, devnull, inner, sizeof inner) ||
	    dt_candidates(db, key, v, inner, sizeof inner) || dt_attempts(db, v, now, inner, sizeof inner) ||
	    dt_periods(db, v, now, inner, sizeof inner))
		goto out;
	rc = 0;
out:
	if (rc)
		snprintf(err, errlen, "demo agency: %s", inner[0] ? inner : "cannot open /dev/null");
	if (devnull)
		fclose(devnull);
	free(exam);
	free(v);
	return rc;
}

void demo_talent_print(const char *dbp, const char *base)
{
	char err[256];
	sqlite3 *db = db_open(dbp, DB_OPEN_READONLY, err, sizeof err);
	sqlite3_stmt *st = NULL;
	int shown = 0;

	if (!db)
		return;
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM employees),"
			       " (SELECT count(*) FROM attempts a JOIN candidates c ON c.id = a.candidate_id"
			       " JOIN exams e ON e.id = c.exam_id WHERE e.code = '" DT_EXAM "'"
			       " AND a.status = 'finished')",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0) {
		printf("Talent management (committee pages, log in as pansel or admin):\n");
		printf("  %s/committee/#/talenta   nine-box grid of \"Pemetaan Talenta 2026\" (PT-2026;\n"
		       "      %d employees, %d finished attempts of %s), movement since PT-2025\n",
		       base, sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), DT_EXAM);
		printf("  %s/committee/#/seleksi   open-bidding selections; %s/admin/#/pegawai the registry\n",
		       base, base);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT c.registration_no, c.name FROM candidates c JOIN exams e ON"
			       " e.id = c.exam_id LEFT JOIN attempts a ON a.candidate_id = c.id"
			       " WHERE e.code = '" DT_EXAM "' AND a.candidate_id IS NULL"
			       " ORDER BY c.registration_no LIMIT 3",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *regno = (const char *)sqlite3_column_text(st, 0);
			char pw[16];
			if (!shown++)
				printf("  Watch a dot move: finish %s as one of these employees (candidate page):\n",
				       DT_EXAM);
			dt_password(atoi(regno + 5), pw, sizeof pw);
			printf("    nomor peserta %-10s kata sandi %-12s (%s)\n", regno, pw,
			       (const char *)sqlite3_column_text(st, 1));
		}
	}
	sqlite3_finalize(st);
	db_close(db);
}
