/* errtext_id.c - English -> Bahasa Indonesia for validation messages.
 *
 * Each row is an English printf format exactly as the importers write it
 * (server/catalog/bank.c, exam.c, enrol.c, catalog.c, server/core/jcheck.c,
 * csv.c) and its Indonesian twin with the same conversions in the same
 * order. Field names, JSON keys and value lists (easy, medium, hard; WIB ...)
 * stay as they are in the file the user wrote. */
#include "core/errtext_id.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct errtext_id_pair errtext_id_rows[] = {
	/* issue 11: talent mapping (server/selection/ninebox_config.c, talent.c) */
	{"unknown key \"%s\"",
	 "kunci \"%s\" tidak dikenal"},
	{"must be 1-%d characters of A-Z a-z 0-9 _ -",
	 "harus 1-%d karakter A-Z a-z 0-9 _ -"},
	{"must be \"exam\" or \"entered\"",
	 "harus \"exam\" atau \"entered\""},
	{"must be a number above 0 and at most 100",
	 "harus bilangan lebih dari 0 dan paling besar 100"},
	{"must name an exam (its code)",
	 "harus menyebut ujian (kodenya)"},
	{"must be a section code or null",
	 "harus kode subtes atau null"},
	{"is only for components of kind \"%s\"",
	 "hanya untuk komponen berjenis \"%s\""},
	{"must be a number above 0",
	 "harus bilangan lebih dari 0"},
	{"must be a list of 1-%d components",
	 "harus berupa daftar 1-%d komponen"},
	{"component code \"%s\" appears twice",
	 "kode komponen \"%s\" muncul dua kali"},
	{"the weights must sum to 100, not %g",
	 "jumlah bobot harus 100, bukan %g"},
	{"must be a number %g-%g",
	 "harus bilangan %g-%g"},
	{"must be a whole number %d-%d",
	 "harus bilangan bulat %d-%d"},
	{"medium (%g) must be below high (%g)",
	 "medium (%g) harus di bawah high (%g)"},
	{"unknown predikat \"%s\" (sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang)",
	 "predikat \"%s\" tidak dikenal (sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang)"},
	{"must be one of above, meets, below",
	 "harus salah satu dari above, meets, below"},
	{"must be a list of three box numbers 1-9 (low, medium, high)",
	 "harus berupa daftar tiga nomor kotak 1-9 (low, medium, high)"},
	{"box %d is used %d times (each of 1-9 exactly once)",
	 "kotak %d dipakai %d kali (setiap nomor 1-9 tepat sekali)"},
	{"\"%s\" is not a box number 1-9",
	 "\"%s\" bukan nomor kotak 1-9"},
	{"must be a list of distinct box numbers 1-9",
	 "harus berupa daftar nomor kotak 1-9 yang berbeda"},
	{"must be a list of distinct levels light, moderate, heavy",
	 "harus berupa daftar tingkat yang berbeda: light, moderate, heavy"},
	{"must be \"potential\" or \"performance\"",
	 "harus \"potential\" atau \"performance\""},
	{"x and y must be different axes",
	 "x dan y harus sumbu yang berbeda"},
	{"must be a date YYYY-MM-DD",
	 "harus tanggal TTTT-BB-HH"},
	{"exam %s has no section \"%s\"",
	 "ujian %s tidak memiliki subtes \"%s\""},
	{"a talent-mapping period \"%s\" already exists",
	 "periode pemetaan talenta \"%s\" sudah ada"},
	{"at most %d talent-mapping periods",
	 "paling banyak %d periode pemetaan talenta"},
	{"no employee with NIP \"%s\"",
	 "tidak ada pegawai dengan NIP \"%s\""},
	{"no entered component \"%s\" in this period",
	 "tidak ada komponen isian \"%s\" pada periode ini"},
	{"must be a number 0-%g",
	 "harus bilangan 0-%g"},
	{"NIP \"%s\" and component \"%s\" appear twice",
	 "NIP \"%s\" dan komponen \"%s\" muncul dua kali"},
	{"expected 3 columns (nip;component;value), found %d",
	 "seharusnya 3 kolom (nip;component;value), ada %d"},
	{"no such period \"%s\"",
	 "periode \"%s\" tidak ada"},
	{"no values given",
	 "tidak ada nilai"},
	{"must be 1-%d bytes of text without control characters",
	 "harus 1-%d byte teks tanpa karakter kendali"},
	/* issue 11: open-bidding selections (server/selection/rank.c, bidding*.c) */
	{"%s is not among the %d names proposed to the PPK",
	 "%s tidak termasuk %d nama yang diusulkan kepada PPK"},
	{"\"%s\" is a gate: it has no score",
	 "\"%s\" adalah tahap lulus/tidak lulus: tidak bernilai"},
	{"\"%s\" is a pass/fail stage: record a decision (gates), not a score",
	 "\"%s\" adalah tahap lulus/tidak lulus: catat keputusan, bukan nilai"},
	{"\"%s\" is a scored stage, not a pass/fail gate",
	 "\"%s\" adalah tahap bernilai, bukan tahap lulus/tidak lulus"},
	{"\"%s\" is fed from exam %s: its score is not entered",
	 "nilai \"%s\" diambil dari ujian %s: tidak diisi manual"},
	{"\"%s\" is listed twice",
	 "\"%s\" tercantum dua kali"},
	{"\"%s\" is not a stage of this selection",
	 "\"%s\" bukan tahap seleksi ini"},
	{"a gate (pass/fail) stage has no weight: give 0 or leave it out",
	 "tahap lulus/tidak lulus tidak berbobot: isi 0 atau kosongkan"},
	{"a gate stage cannot be fed from an exam",
	 "tahap lulus/tidak lulus tidak dapat diambil dari ujian"},
	{"a selection \"%s\" exists already",
	 "seleksi \"%s\" sudah ada"},
	{"a selection has at most %d vacancies",
	 "satu seleksi paling banyak %d lowongan"},
	{"a selection has at most one chair",
	 "satu seleksi hanya memiliki satu ketua"},
	{"a vacancy has at most %d applicants",
	 "satu lowongan paling banyak %d pelamar"},
	{"an external applicant is named by NIK, not NIP",
	 "pelamar eksternal dikenali dengan NIK, bukan NIP"},
	{"an internal applicant is named by NIP, not NIK",
	 "pelamar internal dikenali dengan NIP, bukan NIK"},
	{"at least one stage must have a weight",
	 "paling sedikit satu tahap harus berbobot"},
	{"column given twice",
	 "kolom tercantum dua kali"},
	{"exam %s has no candidate \"%s\"",
	 "ujian %s tidak memiliki peserta \"%s\""},
	{"exam must be an exam code",
	 "exam harus berupa kode ujian"},
	{"is required (a vacancy code)",
	 "wajib diisi (kode lowongan)"},
	{"is required (the position's name)",
	 "wajib diisi (nama jabatan)"},
	{"is required for an external applicant",
	 "wajib diisi untuk pelamar eksternal"},
	{"is required for an external applicant (agency or company)",
	 "wajib diisi untuk pelamar eksternal (instansi atau perusahaan)"},
	{"is required for an internal applicant",
	 "wajib diisi untuk pelamar internal"},
	{"is required to change a decision already made",
	 "wajib diisi untuk mengubah keputusan yang sudah dibuat"},
	{"is required to change a score already entered (%g)",
	 "wajib diisi untuk mengubah nilai yang sudah dimasukkan (%g)"},
	{"is required when an applicant does not pass",
	 "wajib diisi bila pelamar tidak lulus"},
	{"is required when the PPK chooses rank %d instead of rank 1",
	 "wajib diisi bila PPK memilih peringkat %d, bukan peringkat 1"},
	{"is required: 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
	 "wajib diisi: 1-%d karakter A-Z a-z 0-9 . _ - diawali huruf atau angka"},
	{"is required: 1-%d characters of a-z 0-9 _ - starting with a letter or digit",
	 "wajib diisi: 1-%d karakter a-z 0-9 _ - diawali huruf atau angka"},
	{"is required: a list of 1-%d {\"username\", \"role\"}",
	 "wajib diisi: daftar 1-%d {\"username\", \"role\"}"},
	{"is required: a stage code of this selection",
	 "wajib diisi: kode tahap seleksi ini"},
	{"is required: the applicant's id",
	 "wajib diisi: id pelamar"},
	{"is required: the chosen applicant's id",
	 "wajib diisi: id pelamar yang dipilih"},
	{"is required: true or false",
	 "wajib diisi: true atau false"},
	{"must be 1-%d bytes of text",
	 "harus teks 1-%d byte"},
	{"must be \"chair\", \"secretary\" or \"member\"",
	 "harus \"chair\", \"secretary\" atau \"member\""},
	{"must be \"mean\" or \"median\"",
	 "harus \"mean\" atau \"median\""},
	{"must be a golongan/ruang such as \"IV/a\"",
	 "harus golongan/ruang seperti \"IV/a\""},
	{"must be a list of 1-%d stages",
	 "harus daftar 1-%d tahap"},
	{"must be a list of at most %d vacancies",
	 "harus daftar paling banyak %d lowongan"},
	{"must be a list of stage codes",
	 "harus daftar kode tahap"},
	{"must be a number 0-%d",
	 "harus angka 0-%d"},
	{"must be a number 0-100",
	 "harus angka 0-100"},
	{"must be a whole number 1-%d",
	 "harus bilangan bulat 1-%d"},
	{"must be a whole number 1-100",
	 "harus bilangan bulat 1-100"},
	{"must be an object {\"code\", \"name\", \"gate\", \"weight\", \"source\"}",
	 "harus objek {\"code\", \"name\", \"gate\", \"weight\", \"source\"}"},
	{"must be internal or eksternal, not \"%s\"",
	 "harus internal atau eksternal, bukan \"%s\""},
	{"must be null (every member) or a whole number 1-%d",
	 "harus null (semua anggota) atau bilangan bulat 1-%d"},
	{"must be null or {\"exam\": CODE, \"section\": CODE|null}",
	 "harus null atau {\"exam\": KODE, \"section\": KODE|null}"},
	{"must be text of at most %d bytes",
	 "harus teks paling panjang %d byte"},
	{"must be text of at most %zu bytes",
	 "harus teks paling panjang %zu byte"},
	{"must be {\"username\", \"role\"}",
	 "harus {\"username\", \"role\"}"},
	{"must have at most 2 decimals",
	 "paling banyak 2 angka desimal"},
	{"no applicant %lld in vacancy %s",
	 "tidak ada pelamar %lld pada lowongan %s"},
	{"no employee with NIP %s in the registry",
	 "tidak ada pegawai dengan NIP %s di data pegawai"},
	{"no exam to look it up in: give ujian, or feed a stage from an exam",
	 "tidak ada ujian untuk mencarinya: isi kolom ujian, atau ambil nilai tahap dari ujian"},
	{"section must be a section code or null (the total)",
	 "section harus kode subtes atau null (nilai total)"},
	{"selection %s has no vacancy \"%s\"",
	 "seleksi %s tidak memiliki lowongan \"%s\""},
	{"staff account \"%s\" does not have the committee role",
	 "akun staf \"%s\" tidak berperan panitia"},
	{"stage \"%s\" is given twice",
	 "tahap \"%s\" tercantum dua kali"},
	{"the applicant left the selection at stage \"%s\": no more scores",
	 "pelamar sudah gugur pada tahap \"%s\": tidak dapat dinilai lagi"},
	{"the applicant left the selection at stage \"%s\"",
	 "pelamar sudah gugur pada tahap \"%s\""},
	{"the header needs a column jenis (internal/eksternal)",
	 "baris judul memerlukan kolom jenis (internal/eksternal)"},
	{"the header needs a column lowongan (vacancy)",
	 "baris judul memerlukan kolom lowongan"},
	{"the weights sum to %g, not 100",
	 "jumlah bobot %g, bukan 100"},
	{"this applicant is already registered for vacancy %s",
	 "pelamar ini sudah terdaftar pada lowongan %s"},
	{"this applicant is listed twice for vacancy %s",
	 "pelamar ini tercantum dua kali untuk lowongan %s"},
	{"this selection already has a vacancy \"%s\"",
	 "seleksi ini sudah memiliki lowongan \"%s\""},
	{"unknown column",
	 "kolom tidak dikenal"},
	{"unknown field \"%.24s\"",
	 "kolom \"%.24s\" tidak dikenal"},
	/* end of issue 11: open-bidding selections */
	{"must be a list of 1-%d registration numbers",
	 "harus berupa daftar 1-%d nomor peserta"},
	{"must be at most %d bytes of text without control characters",
	 "paling banyak %d byte teks tanpa karakter kendali"},
	{"must be a whole number of minutes 0-%d",
	 "harus bilangan bulat menit 0-%d"},
	{"must be an RFC 3339 time",
	 "harus berupa waktu RFC 3339"},
	{"\"%s\" is not a staff username",
	 "\"%s\" bukan nama pengguna staf"},
	{"the body must be a JSON object",
	 "isi permintaan harus berupa objek JSON"},
	{"must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
	 "harus 1-%d karakter A-Z a-z 0-9 . _ - dan diawali huruf atau angka"},
	{"must be a list of at most %d staff usernames",
	 "harus berupa daftar paling banyak %d nama pengguna staf"},
	{"no such exam \"%s\"",
	 "ujian \"%s\" tidak ada"},
	{"no staff account \"%s\"",
	 "akun staf \"%s\" tidak ada"},
	{"staff account \"%s\" has neither the proctor nor the admin role",
	 "akun staf \"%s\" tidak berperan pengawas maupun admin"},
	{"staff account \"%s\" is disabled",
	 "akun staf \"%s\" dinonaktifkan"},
	{"\"%s\" is not a proctor of this sitting",
	 "\"%s\" bukan pengawas sesi ini"},
	{"a sitting has at most %d proctors",
	 "satu sesi paling banyak %d pengawas"},
	{"exam %s already has a sitting \"%s\"",
	 "ujian %s sudah memiliki sesi \"%s\""},
	{"an exam has at most %d sittings",
	 "satu ujian paling banyak %d sesi"},
	{"exam %s has no sitting \"%s\"",
	 "ujian %s tidak memiliki sesi \"%s\""},
	{"no registration numbers given",
	 "tidak ada nomor peserta"},
	{"\"%s\" appears twice in the list",
	 "\"%s\" muncul dua kali dalam daftar"},
	{"\"%s\" is not a candidate of exam %s",
	 "\"%s\" bukan peserta ujian %s"},
	{"SVG contains a backslash, which in CSS can hide an external reference; write the characters themselves",
	 "SVG memuat garis miring terbalik (\\), yang dalam CSS dapat menyembunyikan rujukan ke luar; tulis karakternya langsung"},
	{"SVG contains a CSS @import; external references are not allowed",
	 "SVG memuat @import CSS; rujukan ke luar gambar tidak diperbolehkan"},
	{"SVG contains a CSS url() that does not point inside the image (#id); external references are not allowed",
	 "SVG memuat url() CSS yang tidak menunjuk ke dalam gambar (#id); rujukan ke luar gambar tidak diperbolehkan"},
	{"SVG contains a processing instruction (<?...?>) other than the XML declaration, which is not allowed",
	 "SVG memuat instruksi pemrosesan (<?...?>) selain deklarasi XML, dan itu tidak diperbolehkan"},
	{"must be an object",
	 "harus berupa objek"},
	{"\"%s\" must be 1-%d characters of A-Z, 0-9, _",
	 "\"%s\" harus 1-%d karakter A-Z, 0-9, _"},
	{"duplicate section code \"%s\"",
	 "kode bagian \"%s\" ganda"},
	{"longer than %d characters",
	 "lebih dari %d karakter"},
	{"must be \"right_wrong\" or \"weighted\" (got \"%s\")",
	 "harus \"right_wrong\" atau \"weighted\" (tertulis \"%s\")"},
	{"stored image reference is malformed",
	 "rujukan gambar tersimpan tidak sah"},
	{"\"%s\" must be a relative path inside the bank folder (letters, digits, . _ - /; no \"..\")",
	 "\"%s\" harus berupa path relatif di dalam folder bank soal (huruf, angka, . _ - /; tanpa \"..\")"},
	{"\"%s\" must end in .png, .jpg, .jpeg or .svg",
	 "\"%s\" harus berakhiran .png, .jpg, .jpeg atau .svg"},
	{"\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
	 "\"%s\" harus 1-%d karakter A-Z a-z 0-9 . _ - dan diawali huruf atau angka"},
	{"unknown section \"%s\"",
	 "bagian \"%s\" tidak dikenal"},
	{"\"%s\" must be 1-%d characters of a-z 0-9 _ -",
	 "\"%s\" harus 1-%d karakter a-z 0-9 _ -"},
	{"must be easy, medium or hard (got \"%s\")",
	 "harus easy, medium atau hard (tertulis \"%s\")"},
	{"must be a string",
	 "harus berupa teks"},
	{"not allowed: section \"%s\" is scored right_wrong (mark the key with \"correct\": true)",
	 "tidak diperbolehkan: bagian \"%s\" dinilai right_wrong (tandai kunci jawaban dengan \"correct\": true)"},
	{"not allowed: section \"%s\" is scored weighted (give every option \"points\")",
	 "tidak diperbolehkan: bagian \"%s\" dinilai weighted (beri setiap pilihan \"points\")"},
	{"exactly one option must have \"correct\": true (found %d)",
	 "harus tepat satu pilihan dengan \"correct\": true (ditemukan %d)"},
	{"the bank must be a JSON object",
	 "bank soal harus berupa objek JSON"},
	{"\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ -",
	 "\"%s\" harus 1-%d karakter A-Z a-z 0-9 . _ -"},
	{"duplicate id (first used by items[%zu])",
	 "id ganda (sudah dipakai oleh items[%zu])"},
	{"SVG has an event attribute \"%s\" (on...=); scripts are not allowed",
	 "SVG memuat atribut event \"%s\" (on...=); skrip tidak diperbolehkan"},
	{"SVG attribute \"%s\" uses a character reference (&#...;), which can hide a javascript: link; write the character itself",
	 "atribut SVG \"%s\" memakai rujukan karakter (&#...;) yang dapat menyembunyikan tautan javascript:; tulis karakternya langsung"},
	{"SVG attribute \"%s\" holds a javascript: (or similar) link",
	 "atribut SVG \"%s\" memuat tautan javascript: (atau sejenisnya)"},
	{"SVG attribute \"%s\" must point inside the image (#id); external references are not allowed",
	 "atribut SVG \"%s\" harus merujuk ke dalam gambar (#id); rujukan ke luar tidak diperbolehkan"},
	{"SVG contains a script element <%s>",
	 "SVG memuat elemen skrip <%s>"},
	{"SVG contains a foreignObject element (embedded HTML)",
	 "SVG memuat elemen foreignObject (HTML tertanam)"},
	{"SVG has an unterminated comment",
	 "SVG memuat komentar yang tidak ditutup"},
	{"SVG contains a declaration (<!DOCTYPE, <!ENTITY or CDATA), which is not allowed",
	 "SVG memuat deklarasi (<!DOCTYPE, <!ENTITY atau CDATA) yang tidak diperbolehkan"},
	{"SVG has an unterminated tag",
	 "SVG memuat tag yang tidak ditutup"},
	{"image file is empty",
	 "berkas gambar kosong"},
	{"image file is %zu bytes; at most %d allowed",
	 "berkas gambar berukuran %zu bita; paling besar %d bita"},
	{"not a PNG file (bad signature)",
	 "bukan berkas PNG (tanda tangan berkas salah)"},
	{"not a JPEG file (bad signature)",
	 "bukan berkas JPEG (tanda tangan berkas salah)"},
	{"SVG file is not UTF-8 text",
	 "berkas SVG bukan teks UTF-8"},
	{"not an SVG file (no <svg> element)",
	 "bukan berkas SVG (tidak ada elemen <svg>)"},
	{"unsupported image type (use .png, .jpg, .jpeg or .svg)",
	 "jenis gambar tidak didukung (gunakan .png, .jpg, .jpeg atau .svg)"},
	{"count for \"%s\" must be an integer 0-%d",
	 "jumlah untuk \"%s\" harus bilangan bulat 0-%d"},
	{"counts add up to %lld but \"draw\" is %d",
	 "jumlah seluruhnya %lld, tetapi \"draw\" bernilai %d"},
	{"\"%s\" is not a section code (A-Z, 0-9, _)",
	 "\"%s\" bukan kode bagian (A-Z, 0-9, _)"},
	{"section \"%s\" is listed twice",
	 "bagian \"%s\" tercantum dua kali"},
	{"must name 1 to %d topics",
	 "harus menyebut 1 sampai %d topik"},
	{"\"%s\" is not a topic name (a-z 0-9 _ -)",
	 "\"%s\" bukan nama topik (a-z 0-9 _ -)"},
	{"\"%s\" is not a difficulty (easy, medium, hard)",
	 "\"%s\" bukan tingkat kesulitan (easy, medium, hard)"},
	{"\"%s\" is not a track name (a-z 0-9 _ -, 1-%d)",
	 "\"%s\" bukan nama jalur (a-z 0-9 _ -, 1-%d)"},
	{"\"%s\" is not a section of this exam",
	 "\"%s\" bukan bagian dari ujian ini"},
	{"minimum for \"%s\" must be an integer",
	 "nilai minimum untuk \"%s\" harus bilangan bulat"},
	{"a rule needs \"total\" and/or \"sections\" minimums",
	 "aturan harus memuat nilai minimum \"total\" dan/atau \"sections\""},
	{"the exam must be a JSON object",
	 "ujian harus berupa objek JSON"},
	{"\"%s\" is not a bank code",
	 "\"%s\" bukan kode bank soal"},
	{"\"%s\" is not an RFC 3339 time such as 2026-11-23T08:00:00+07:00",
	 "\"%s\" bukan waktu RFC 3339 seperti 2026-11-23T08:00:00+07:00"},
	{"\"%s\" is not an RFC 3339 time such as 2026-11-23T12:00:00+07:00",
	 "\"%s\" bukan waktu RFC 3339 seperti 2026-11-23T12:00:00+07:00"},
	{"must be later than opens_at",
	 "harus lebih lambat dari opens_at"},
	{"must be %d-%d letters or digits",
	 "harus %d-%d huruf atau angka"},
	{"must be WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9) (got \"%s\")",
	 "harus WIB (UTC+7), WITA (UTC+8) atau WIT (UTC+9) (tertulis \"%s\")"},
	{"at most %d tracks",
	 "paling banyak %d jalur"},
	{"entry %zu is not a section code of this exam",
	 "isian ke-%zu bukan kode bagian ujian ini"},
	{"bank \"%s\" has no section \"%s\"",
	 "bank soal \"%s\" tidak memiliki bagian \"%s\""},
	{"column \"%s\" appears twice",
	 "kolom \"%s\" muncul dua kali"},
	{"the header must start with registration_no,name",
	 "baris judul harus diawali registration_no,name"},
	{"has %d fields; the header has %d",
	 "berisi %d kolom; baris judul berisi %d"},
	{"must be 1-%d characters without control characters",
	 "harus 1-%d karakter tanpa karakter kendali"},
	{"must be %d-%d printable ASCII characters without spaces (or empty to have one issued)",
	 "harus %d-%d karakter ASCII cetak tanpa spasi (atau kosongkan agar dibuatkan)"},
	{"\"%s\" is not a track name (a-z 0-9 _ -)",
	 "\"%s\" bukan nama jalur (a-z 0-9 _ -)"},
	{"exam %s has no pass rule for track \"%s\" (tracks: %s)",
	 "ujian %s tidak memiliki aturan kelulusan untuk jalur \"%s\" (jalur: %s)"},
	{"\"%s\" must be a whole number of seconds 0-%d",
	 "\"%s\" harus bilangan bulat detik 0-%d"},
	{"empty file (expected a header line)",
	 "berkas kosong (seharusnya ada baris judul)"},
	{"no candidates after the header",
	 "tidak ada peserta setelah baris judul"},
	{"\"%s\" appears twice in the file",
	 "\"%s\" muncul dua kali dalam berkas"},
	{"\"%s\" is already registered for exam %s",
	 "\"%s\" sudah terdaftar pada ujian %s"},
	{"cannot open: %s",
	 "tidak dapat dibuka: %s"},
	{"larger than %d bytes",
	 "lebih besar dari %d bita"},
	{"database error: %s",
	 "kesalahan basis data: %s"},
	{"--exam %s: %s",
	 "--exam %s: %s"},
	{"exam %s: the bank's current version cannot satisfy the blueprint: %s",
	 "ujian %s: versi bank soal yang berlaku tidak dapat memenuhi kisi-kisi: %s"},
	{"exam %s: drawing a paper failed",
	 "ujian %s: penyusunan naskah soal gagal"},
	{"no bank with code \"%s\" (import it first)",
	 "tidak ada bank soal dengan kode \"%s\" (impor terlebih dahulu)"},
	{"an exam \"%s\" already exists",
	 "ujian \"%s\" sudah ada"},
	{"cannot be changed: it names the exam or its bank (create a new exam instead)",
	 "tidak dapat diubah: isian ini menentukan ujian atau bank soalnya (buat ujian baru)"},
	{"no exam \"%s\"",
	 "tidak ada ujian \"%s\""},
	{"%d candidate(s) have started: the exam can no longer be changed",
	 "%d peserta sudah mulai mengerjakan: ujian tidak dapat diubah lagi"},
	{"cannot open \"%s\": %s",
	 "\"%s\" tidak dapat dibuka: %s"},
	{"\"%s\" is larger than %zu bytes",
	 "\"%s\" lebih besar dari %zu bita"},
	{"image %s",
	 "gambar %s"},
	{"image \"%s\": %s",
	 "gambar \"%s\": %s"},
	{"stored exam \"%s\" is unreadable: %s",
	 "ujian tersimpan \"%s\" tidak dapat dibaca: %s"},
	{"refused: exam \"%s\" uses this bank and would break: %s",
	 "ditolak: ujian \"%s\" memakai bank soal ini dan akan rusak: %s"},
	{"refused: exam \"%s\" uses this bank and its blueprint could no longer be met: %s",
	 "ditolak: ujian \"%s\" memakai bank soal ini dan kisi-kisinya tidak dapat dipenuhi lagi: %s"},
	{"bank version %lld not found",
	 "versi bank soal %lld tidak ditemukan"},
	{"stored bank version %lld: %s",
	 "versi bank soal tersimpan %lld: %s"},
	{"stored item %lld: %s",
	 "butir soal tersimpan %lld: %s"},
	{"no such exam \"%s\" (see 'ujian exam list')",
	 "ujian \"%s\" tidak ada (lihat 'ujian exam list')"},
	{"bank \"%s\" cannot satisfy this blueprint: %s",
	 "bank soal \"%s\" tidak dapat memenuhi kisi-kisi ini: %s"},
	{"the bank's current version cannot satisfy this blueprint: %s",
	 "versi bank soal yang berlaku tidak dapat memenuhi kisi-kisi ini: %s"},
	{"drawing a paper failed",
	 "penyusunan naskah soal gagal"},
	{"unknown field",
	 "isian tidak dikenal"},
	{"is required",
	 "wajib diisi"},
	{"contains a NUL character",
	 "memuat karakter NUL"},
	{"must not be empty",
	 "wajib diisi"},
	{"is %zu bytes long; at most %zu allowed",
	 "panjangnya %zu bita; paling banyak %zu bita"},
	{"contains a control character",
	 "memuat karakter kendali"},
	{"must be an integer",
	 "harus bilangan bulat"},
	{"must be between %lld and %lld (got %lld)",
	 "harus antara %lld dan %lld (tertulis %lld)"},
	{"must be true or false",
	 "harus true atau false"},
	{"must be an array",
	 "harus berupa daftar (array)"},
	{"must have %zu to %zu entries (has %zu)",
	 "harus berisi %zu sampai %zu entri (berisi %zu)"},
	{"line %d column %d: %s",
	 "baris %d kolom %d: %s"},
	{"%s: cannot open: %s",
	 "%s: tidak dapat dibuka: %s"},
	{"%s: larger than %zu bytes",
	 "%s: lebih besar dari %zu bita"},
	{"%s: read error",
	 "%s: gagal dibaca"},
	{"%s: not valid JSON: %s",
	 "%s: bukan JSON yang sah: %s"},
	{"line %d: contains a NUL byte (not a text file?)",
	 "baris %d: memuat bita NUL (bukan berkas teks?)"},
	{"line %d: not valid UTF-8 (save the file as UTF-8)",
	 "baris %d: bukan UTF-8 yang sah (simpan berkas sebagai UTF-8)"},
	{"line %d: quoted field is not closed",
	 "baris %d: tanda kutip pada kolom tidak ditutup"},
	{"line %d: unexpected character after a closing quote",
	 "baris %d: ada karakter tak terduga setelah tanda kutip penutup"},
	{"line %d: a quote inside an unquoted field (quote the whole field and double the quote)",
	 "baris %d: ada tanda kutip di dalam kolom tanpa kutip (kutip seluruh kolom dan gandakan tanda kutipnya)"},
	{"line %d: record longer than %zu bytes",
	 "baris %d: rekaman lebih dari %zu bita"},
	{"line %d: more than %zu records",
	 "baris %d: lebih dari %zu rekaman"},
	{"import failed",
	 "impor gagal"},
	{"exam create failed",
	 "pembuatan ujian gagal"},
	{"exam update failed",
	 "perubahan ujian gagal"},
	{"section \"%s\" (sections[%zu])",
	 "bagian \"%s\" (sections[%zu])"},
	{"%s scoring",
	 "%s scoring"},
	{"item \"%s\" (items[%zu])",
	 "butir soal \"%s\" (items[%zu])"},
	{"%s options[%zu]",
	 "%s options[%zu]"},
	{"item \"%s\" (items[%d])",
	 "butir soal \"%s\" (items[%d])"},
	{"item \"%s\" (items[%d]) options[%d]",
	 "butir soal \"%s\" (items[%d]) options[%d]"},
	/* issue 11: employees (server/selection/pcsv.c, employee.c, personnel.c) */
	{"unknown column \"%s\"",
	 "kolom \"%s\" tidak dikenal"},
	{"required column \"%s\" (or \"%s\") is missing",
	 "kolom wajib \"%s\" (atau \"%s\") tidak ada"},
	{"no records after the header",
	 "tidak ada data setelah baris judul"},
	{"NIP \"%s\": %s",
	 "NIP \"%s\": %s"},
	{"NIP %s is also given to %s in the file",
	 "NIP %s juga diberikan kepada %s dalam berkas"},
	{"NIP %s is already candidate %s of exam %s",
	 "NIP %s sudah menjadi peserta %s ujian %s"},
	{"\"%s\" is not a golongan/ruang (I/a ... IV/e)",
	 "\"%s\" bukan golongan/ruang (I/a ... IV/e)"},
	{"\"%s\" is not a position type (jpt, administrator, pengawas, fungsional, pelaksana)",
	 "\"%s\" bukan jenis jabatan (jpt, administrator, pengawas, fungsional, pelaksana)"},
	{"must be at most %d characters without control characters",
	 "paling banyak %d karakter tanpa karakter kendali"},
	{"\"%s\" is not a date (YYYY-MM-DD or DD/MM/YYYY)",
	 "\"%s\" bukan tanggal (TTTT-BB-HH atau HH/BB/TTTT)"},
	{"%s does not match the birth date in the NIP (%s)",
	 "%s tidak sama dengan tanggal lahir dalam NIP (%s)"},
	{"NIP %s appears twice in the file (line %d)",
	 "NIP %s muncul dua kali dalam berkas (baris %d)"},
	{"\"%s\" is not a sanction level (ringan, sedang, berat or light, moderate, heavy)",
	 "\"%s\" bukan tingkat hukuman disiplin (ringan, sedang, berat)"},
	{"no employee with NIP %s in the registry (import the employees first)",
	 "tidak ada pegawai dengan NIP %s di data pegawai (impor data pegawai lebih dulu)"},
	{"\"%s\" is not a year %d-%d",
	 "\"%s\" bukan tahun %d-%d"},
	{"\"%d\" is not a year %d-%d",
	 "\"%d\" bukan tahun %d-%d"},
	{"\"%s\" is not an SKP predikat (Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)",
	 "\"%s\" bukan predikat SKP (Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)"},
	{"NIP %s year %d appears twice in the file (line %d)",
	 "NIP %s tahun %d muncul dua kali dalam berkas (baris %d)"},
	{"the same sanction appears twice in the file (line %d)",
	 "hukuman disiplin yang sama muncul dua kali dalam berkas (baris %d)"},
	{"unknown column \"%s\" (expected registration_no,name[,password][,track][,extra_time_s][,sitting][,nip])",
	 "kolom \"%s\" tidak dikenal (yang diharapkan registration_no,name[,password][,track][,extra_time_s][,sitting][,nip])"},
};

#define ERRTEXT_ID_N (sizeof errtext_id_rows / sizeof *errtext_id_rows)
/* Conversions one format may hold, and the depth of nested translation. */
#define ERRTEXT_ID_CONV_MAX 8
#define ERRTEXT_ID_DEPTH 1

const struct errtext_id_pair *errtext_id_table(size_t *n)
{
	*n = ERRTEXT_ID_N;
	return errtext_id_rows;
}

const char *errtext_id_lookup(const char *fmt)
{
	for (size_t i = 0; i < ERRTEXT_ID_N; i++)
		if (strcmp(errtext_id_rows[i].en, fmt) == 0)
			return errtext_id_rows[i].id;
	return NULL;
}

/* Length of the conversion specification at f (f[0] == '%'), and in *conv its
 * final character ('%' for "%%"). */
static size_t errtext_id_spec(const char *f, char *conv)
{
	size_t k = 1;
	while (f[k] && strchr("-+ #0", f[k]))
		k++;
	while (isdigit((unsigned char)f[k]) || f[k] == '*')
		k++;
	if (f[k] == '.') {
		k++;
		while (isdigit((unsigned char)f[k]) || f[k] == '*')
			k++;
	}
	while (f[k] && strchr("hlLqjzt", f[k]))
		k++;
	*conv = f[k];
	return f[k] ? k + 1 : k;
}

struct errtext_id_span {
	const char *p;
	size_t len;
};

/* Does text match fmt entirely? Conversions capture into caps[*ncap...]. */
static int errtext_id_match(const char *fmt, const char *text, struct errtext_id_span *caps,
			    int ncap)
{
	while (*fmt) {
		char conv;
		size_t k;
		if (*fmt != '%') {
			if (*fmt++ != *text++)
				return 0;
			continue;
		}
		k = errtext_id_spec(fmt, &conv);
		if (conv == '%') {
			if (*text++ != '%')
				return 0;
			fmt += k;
			continue;
		}
		if (ncap >= ERRTEXT_ID_CONV_MAX || conv == '\0')
			return 0;
		if (conv == 's') {
			/* Shortest first; the rest of the format decides. */
			for (size_t len = 0;; len++) {
				caps[ncap].p = text;
				caps[ncap].len = len;
				if (errtext_id_match(fmt + k, text + len, caps, ncap + 1))
					return 1;
				if (!text[len])
					return 0;
			}
		}
		if (strchr("diu", conv)) {
			size_t len = *text == '-' ? 1 : 0;
			size_t digits = 0;
			while (isdigit((unsigned char)text[len + digits]))
				digits++;
			if (!digits)
				return 0;
			caps[ncap].p = text;
			caps[ncap].len = len + digits;
			return errtext_id_match(fmt + k, text + len + digits, caps, ncap + 1);
		}
		return 0; /* a conversion the importers do not use */
	}
	return *text == '\0';
}

/* Literal characters of a format: how specific a row is. */
static size_t errtext_id_literals(const char *fmt)
{
	size_t n = 0;
	while (*fmt) {
		char conv;
		if (*fmt == '%') {
			fmt += errtext_id_spec(fmt, &conv);
			n += conv == '%';
		} else {
			fmt++;
			n++;
		}
	}
	return n;
}

static int errtext_id_text_depth(const char *text, char *out, size_t n, int depth)
{
	struct errtext_id_span caps[ERRTEXT_ID_CONV_MAX], best_caps[ERRTEXT_ID_CONV_MAX];
	const struct errtext_id_pair *best = NULL;
	size_t best_lit = 0, k = 0;
	int c = 0;

	assert(n > 0);
	for (size_t i = 0; i < ERRTEXT_ID_N; i++) {
		size_t lit = errtext_id_literals(errtext_id_rows[i].en);
		if (best && lit <= best_lit)
			continue;
		if (errtext_id_match(errtext_id_rows[i].en, text, caps, 0)) {
			best = &errtext_id_rows[i];
			best_lit = lit;
			memcpy(best_caps, caps, sizeof caps);
		}
	}
	if (!best)
		return -1;
	/* The Indonesian format with each conversion replaced by its capture. */
	for (const char *f = best->id; *f && k + 1 < n;) {
		char conv, sub[512];
		const char *piece;
		size_t plen, adv;
		if (*f != '%') {
			out[k++] = *f++;
			continue;
		}
		adv = errtext_id_spec(f, &conv);
		f += adv;
		if (conv == '%') {
			out[k++] = '%';
			continue;
		}
		assert(c < ERRTEXT_ID_CONV_MAX);
		piece = best_caps[c].p;
		plen = best_caps[c].len;
		c++;
		if (conv == 's' && depth < ERRTEXT_ID_DEPTH && plen < sizeof sub) {
			char inner[512];
			memcpy(inner, piece, plen);
			inner[plen] = '\0';
			if (errtext_id_text_depth(inner, sub, sizeof sub, depth + 1) == 0) {
				piece = sub;
				plen = strlen(sub);
			}
		}
		if (plen > n - 1 - k)
			plen = n - 1 - k;
		memcpy(out + k, piece, plen);
		k += plen;
	}
	out[k] = '\0';
	return 0;
}

int errtext_id_text(const char *text, char *out, size_t n)
{
	return errtext_id_text_depth(text, out, n, 0);
}
