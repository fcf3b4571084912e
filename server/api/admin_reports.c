/* admin_reports.c - the staff API's reads for offices and auditors: an
 * exam's results (JSON, CSV, xlsx, with the office options) and the audit
 * log (pages with filters and the head, the chain's verdict). */
#include "api/admin_job.h"
#include "api/fields.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "auth/cred.h"

#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

/* The audit page with the head (AJ_AUDIT), or the chain's verdict. */
void admin_audit_run(struct admin_job *j, sqlite3 *rdb, FILE *out)
{
	json_t *doc = NULL;
	if (!rdb) {
		j->failed = 2;
		return;
	}
	if (j->kind == AJ_AUDIT_VERIFY) {
		struct audit_report r;
		if (audit_verify(rdb, NULL, &r, j->err, sizeof j->err) == 0)
			doc = audit_report_json(&r);
	} else {
		struct audit_head h;
		char hex[2 * CHAIN_HASH_LEN + 1];
		if (audit_filter_check(&j->filter, j->err, sizeof j->err)) {
			j->bad_filter = 1;
			return;
		}
		if (audit_head(rdb, &h, j->err, sizeof j->err) == 0 &&
		    (doc = audit_query(rdb, &j->filter, j->err, sizeof j->err))) {
			cred_hex(h.hash, CHAIN_HASH_LEN, hex);
			json_object_set_new(doc, "head",
					    json_pack("{s:I,s:I,s:s}", "count", (json_int_t)h.count,
						      "id", (json_int_t)h.id, "hash", hex));
		}
	}
	if (!doc || json_dumpf(doc, out, JSON_COMPACT) != 0)
		j->failed = 2;
	json_decref(doc);
}

/* Download options from the query: sep=; (or ,), lang=en (or id), all=1. */
static int admin_results_opts(struct evhttp_request *req, struct results_opts *o)
{
	struct evkeyvalq q;
	const char *v;
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	int rc = 0;

	results_opts_default(o);
	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		return -1;
	if ((v = evhttp_find_header(&q, "sep"))) {
		if (strcmp(v, ";") == 0 || strcmp(v, ",") == 0)
			o->sep = v[0];
		else
			rc = -1;
	}
	if ((v = evhttp_find_header(&q, "lang"))) {
		if (strcmp(v, "en") == 0)
			o->lang = RESULTS_LANG_EN;
		else if (strcmp(v, "id") != 0)
			rc = -1;
	}
	if ((v = evhttp_find_header(&q, "all")))
		o->all = strcmp(v, "1") == 0;
	evhttp_clear_headers(&q);
	return rc;
}

static void admin_results(struct api *a, struct evhttp_request *req, const struct principal *p,
			  const char *rest, enum admin_job_kind kind)
{
	struct rt_exam *e;
	struct admin_job *j;
	if (!admin_exam(a, req, p, rest, &e))
		return;
	j = admin_job_new(kind);
	if (admin_results_opts(req, &j->opts)) {
		admin_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "Pilihan unduhan: sep=, atau sep=; lang=id atau lang=en, all=1.");
		return;
	}
	j->opts.format = kind == AJ_RESULTS_JSON ? RESULTS_JSON : RESULTS_CSV;
	str_copy(j->exam, sizeof j->exam, e->def.code);
	admin_submit(a, req, j);
}

void api_admin_results(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	admin_results(app, req, p, rest, AJ_RESULTS_JSON);
}

void api_admin_results_csv(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	admin_results(app, req, p, rest, AJ_RESULTS_CSV);
}

void api_admin_results_xlsx(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	admin_results(app, req, p, rest, AJ_RESULTS_XLSX);
}

void api_admin_audit(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	const char *names[] = { "exam", "actor", "candidate" };
	struct admin_job *j = admin_job_new(AJ_AUDIT);
	struct evkeyvalq q;
	const char *v;
	int bad = 0;
	(void)p;
	(void)rest;

	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		bad = 1;
	for (int i = 0; i < 3 && !bad; i++) {
		v = evhttp_find_header(&q, names[i]);
		if (!v || !*v)
			continue;
		if (strlen(v) >= sizeof j->fstore[i])
			bad = 1;
		else
			str_copy(j->fstore[i], sizeof j->fstore[i], v);
	}
	j->filter.exam = j->fstore[0][0] ? j->fstore[0] : NULL;
	j->filter.actor = j->fstore[1][0] ? j->fstore[1] : NULL;
	j->filter.candidate = j->fstore[2][0] ? j->fstore[2] : NULL;
	if (!bad && (v = evhttp_find_header(&q, "since")) && *v &&
	    audit_parse_time(v, &j->filter.since_ms))
		bad = 1;
	if (!bad && (v = evhttp_find_header(&q, "limit")) && *v) {
		bad = strspn(v, "0123456789") != strlen(v) || strlen(v) > 9;
		j->filter.limit = bad ? 0 : strtol(v, NULL, 10);
		bad |= j->filter.limit == 0;
	}
	if (!bad && (v = evhttp_find_header(&q, "before")) && *v) {
		bad = strspn(v, "0123456789") != strlen(v) || strlen(v) > 18;
		j->filter.before_id = bad ? 0 : strtoll(v, NULL, 10);
	}
	evhttp_clear_headers(&q);
	if (bad) {
		admin_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "Saringan log audit tidak valid (exam, actor, candidate, since "
				 "YYYY-MM-DD, limit, before).");
		return;
	}
	admin_submit(app, req, j);
}

void api_admin_audit_verify(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	(void)p;
	(void)rest;
	admin_submit(app, req, admin_job_new(AJ_AUDIT_VERIFY));
}
