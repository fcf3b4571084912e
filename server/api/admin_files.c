/* admin_files.c - the staff API's imports and uploads (the candidate CSV,
 * banks with their images, exam documents) through the CLI's own importers
 * on a worker with a connection of their own, and a bank as its authors see
 * it (items with keys, images by hash). */
#include "api/admin_job.h"
#include "api/fields.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "catalog/catalog.h"
#include "catalog/enrol.h"
#include "store/db.h"

#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <unistd.h>

/* Import the CSV on a connection of the job's own: the same checks as the
 * CLI ('ujian candidates import'), every problem reported. */
void admin_import_run(struct admin_job *j)
{
	struct enrol_result res;
	sqlite3 *db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err);

	memset(&res, 0, sizeof res);
	if (!db) {
		j->failed = 2;
		return;
	}
	sqlite3_busy_timeout(db, 10000);
	if (enrol_import_data(db, j->a->key, j->exam, j->in, j->in_len, &res, &j->errs)) {
		j->failed = 1;
	} else {
		j->sep = res.sep;
		j->creds = json_array();
		for (size_t i = 0; i < res.n; i++)
			json_array_append_new(j->creds,
					      json_pack("{s:s,s:s,s:s}", "registration_no",
							res.cred[i].regno, "name", res.cred[i].name,
							"password", res.cred[i].password));
	}
	enrol_result_free(&res);
	db_close(db);
}

/* Remove every occurrence of prefix from s (a temporary folder's path in
 * an importer's message: the staff member knows the files by their names). */
static void admin_strip(char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	char *at;
	while ((at = strstr(s, prefix)))
		memmove(at, at + n, strlen(at + n) + 1);
}

/* A path inside an upload: "name" or "dir/name" of [A-Za-z0-9._-], no
 * leading dot (so no "..", no absolute path, no hidden file). */
static int admin_upload_path_ok(const char *p)
{
	int segs = 0;
	for (const char *s = p; *s;) {
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
		if (n == 0 || s[0] == '.' || ++segs > 2 || n > 100)
			return 0;
		s += n;
		if (*s == '/')
			s++;
		else if (*s)
			return 0;
	}
	return segs > 0 && p[strlen(p) - 1] != '/';
}

/* Write the upload's files under dir (made by mkdtemp); the names written
 * go to made[] for the cleanup. 0, or -1 with j->err. */
static int admin_write_files(struct admin_job *j, const char *dir, char made[][160], int *n_made)
{
	const char *name;
	json_t *v;
	json_object_foreach(j->files, name, v) {
		const char *b64 = json_string_value(v);
		size_t len = strlen(b64);
		unsigned char *bin;
		char path[160];
		int n;
		FILE *f;
		if (*n_made >= ADMIN_UPLOAD_FILES_MAX - 1) {
			snprintf(j->err, sizeof j->err, "terlalu banyak berkas (paling banyak %d)",
				 ADMIN_UPLOAD_FILES_MAX);
			return -1;
		}
		if (strchr(name, '/')) { /* one folder level: make it */
			char sub[160];
			snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)(strchr(name, '/') - name), name);
			if (mkdir(sub, 0700) == 0)
				str_copy(made[(*n_made)++], 160, sub);
		}
		bin = xmalloc(len / 4 * 3 + 4);
		n = EVP_DecodeBlock(bin, (const unsigned char *)b64, (int)len);
		if (n < 0) {
			free(bin);
			snprintf(j->err, sizeof j->err, "%s: isi berkas bukan base64 yang sah", name);
			return -1;
		}
		/* EVP_DecodeBlock counts the padding's zero bytes too. */
		if (len >= 1 && b64[len - 1] == '=')
			n--;
		if (len >= 2 && b64[len - 2] == '=')
			n--;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		f = fopen(path, "wx");
		if (!f || fwrite(bin, 1, (size_t)n, f) != (size_t)n) {
			if (f)
				fclose(f);
			free(bin);
			snprintf(j->err, sizeof j->err, "%s: cannot write a temporary file", name);
			j->failed = 2;
			return -1;
		}
		fclose(f);
		free(bin);
		str_copy(made[(*n_made)++], 160, path);
	}
	return 0;
}

/* A bank (with its images) or an exam, through a temporary folder, on a
 * connection of the job's own: the same import as 'ujian bank import' and
 * 'ujian exam create'. */
void admin_catalog_run(struct admin_job *j, FILE *out)
{
	char dir[] = "/tmp/ujian-upload-XXXXXX", main_path[160];
	char made[ADMIN_UPLOAD_FILES_MAX + 2][160];
	int n_made = 0;
	sqlite3 *db = NULL;

	if (!mkdtemp(dir)) {
		snprintf(j->err, sizeof j->err, "cannot make a temporary folder");
		j->failed = 2;
		return;
	}
	snprintf(main_path, sizeof main_path, "%s/%s", dir, j->kind == AJ_BANK ? "bank.json" : "exam.json");
	{
		FILE *f = fopen(main_path, "wx");
		if (!f || fwrite(j->in, 1, j->in_len, f) != j->in_len) {
			if (f)
				fclose(f);
			snprintf(j->err, sizeof j->err, "cannot write a temporary file");
			j->failed = 2;
			goto out;
		}
		fclose(f);
		str_copy(made[n_made++], 160, main_path);
	}
	if (j->files && admin_write_files(j, dir, made, &n_made)) {
		if (!j->failed) {
			j->failed = 1;
			errlist_add(&j->errs, 0, "", "images", "%s", j->err);
		}
		goto out;
	}
	if (!(db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err))) {
		j->failed = 2;
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	if ((j->kind == AJ_BANK ? catalog_bank_import_all : catalog_exam_create_all)(db, main_path,
										     out, &j->errs)) {
		char prefix[sizeof dir + 1];
		j->failed = 1;
		/* The importer names its files by path: here they are the upload's. */
		snprintf(prefix, sizeof prefix, "%s/", dir);
		for (size_t i = 0; i < j->errs.n; i++)
			admin_strip(j->errs.v[i].message, prefix);
	}
out:
	db_close(db);
	/* Files first, then the folders they were in, then the upload folder. */
	for (int i = n_made - 1; i >= 0; i--)
		if (unlink(made[i]) != 0)
			rmdir(made[i]);
	for (int i = 0; i < n_made; i++)
		rmdir(made[i]);
	rmdir(dir);
}

void api_admin_import(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest)
{
	struct api *a = app;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct rt_exam *e;
	struct admin_job *j;

	if (!admin_exam(a, req, p, rest, &e))
		return;
	if (len == 0) {
		http_reply_error(req, 400, "invalid_request", "Berkas CSV peserta kosong.");
		return;
	}
	if (len > a->max_body) {
		http_reply_error(req, 413, "body_too_large", NULL);
		return;
	}
	j = admin_job_new(AJ_IMPORT);
	j->who = p->actor;
	j->exam_id = e->id;
	str_copy(j->exam, sizeof j->exam, e->def.code);
	j->in = xmalloc(len);
	j->in_len = len;
	evbuffer_remove(in, j->in, len);
	admin_submit(a, req, j);
}

void api_admin_banks(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	(void)p;
	(void)rest;
	admin_submit(app, req, admin_job_new(AJ_BANKS));
}

/* The request body as bytes (at most max_body), or a reply and NULL. */
static char *admin_body(struct api *a, struct evhttp_request *req, size_t *len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	char *data;
	*len = evbuffer_get_length(in);
	if (*len > a->max_body) {
		http_reply_error(req, 413, "body_too_large", NULL);
		return NULL;
	}
	data = xmalloc(*len + 1);
	evbuffer_remove(in, data, *len);
	data[*len] = '\0';
	return data;
}

void api_admin_bank_upload(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "bank", AF_STRING, 1, NULL }, { NULL, 0, 0, NULL } };
	struct admin_job *j;
	json_t *body, *images;
	const char *name;
	json_t *v;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	/* images is an object of path -> base64 text, checked by hand. */
	images = json_incref(json_object_get(body, "images"));
	json_object_del(body, "images");
	if (api_fields(req, body, f))
		goto out;
	if (images && !json_is_object(images)) {
		http_reply_error(req, 400, "invalid_request",
				 "Isian \"images\" harus berupa objek {jalur: base64}.");
		goto out;
	}
	if (images && json_object_size(images) > ADMIN_UPLOAD_FILES_MAX - 1) {
		http_reply_error(req, 400, "invalid_request", "Terlalu banyak berkas gambar.");
		goto out;
	}
	json_object_foreach(images, name, v) {
		if (!admin_upload_path_ok(name) || !json_is_string(v) || strcmp(name, "bank.json") == 0) {
			char d[240];
			char safe[120];
			str_copy(safe, sizeof safe, name);
			text_utf8_scrub(safe);
			snprintf(d, sizeof d, "Nama berkas gambar \"%s\" tidak sah (huruf, angka, . _ -; "
					      "paling banyak satu folder).",
				 safe);
			http_reply_error(req, 400, "invalid_request", d);
			goto out;
		}
	}
	j = admin_job_new(AJ_BANK);
	j->who = p->actor;
	j->in_len = strlen(json_string_value(f[0].value));
	j->in = xstrdup(json_string_value(f[0].value));
	j->files = images;
	images = NULL;
	admin_submit(a, req, j);
out:
	json_decref(images);
	json_decref(body);
}

void api_admin_exam_create(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	struct api *a = app;
	struct admin_job *j;
	size_t len;
	char *data = admin_body(a, req, &len);
	(void)rest;
	if (!data)
		return;
	j = admin_job_new(AJ_EXAM);
	j->who = p->actor;
	j->in = data;
	j->in_len = len;
	admin_submit(a, req, j);
}

void api_admin_bank_items(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct admin_job *j;
	struct evkeyvalq q;
	char code[UJ_CODE_MAX + 1];
	const char *v;
	int version = 0, bad = 0;
	(void)p;

	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		bad = 1;
	if (!bad && (v = evhttp_find_header(&q, "version")) && *v) {
		bad = strspn(v, "0123456789") != strlen(v) || strlen(v) > 6;
		version = bad ? 0 : atoi(v);
	}
	evhttp_clear_headers(&q);
	if (bad || route_segment(rest, 0, code, sizeof code)) {
		http_reply_error(req, bad ? 400 : 404, bad ? "invalid_request" : "not_found",
				 bad ? "Versi bank harus berupa angka." : NULL);
		return;
	}
	j = admin_job_new(AJ_BANK_ITEMS);
	j->version = version;
	str_copy(j->exam, sizeof j->exam, code);
	admin_submit(app, req, j);
}

void api_admin_asset(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	struct admin_job *j;
	char sha[65];
	(void)p;
	if (route_segment(rest, 0, sha, sizeof sha) || strlen(sha) != 64 ||
	    strspn(sha, "0123456789abcdef") != 64) {
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	j = admin_job_new(AJ_ASSET);
	str_copy(j->exam, sizeof j->exam, sha);
	admin_submit(app, req, j);
}
