/* api.h - the HTTP API (docs/API.md): the route table and its handlers,
 * one file per audience (public.c, candidate.c; staff next).
 *
 * Handlers parse the request, call their domain (exam/, auth/) and reply.
 * They never write SQL, fill a writer operation or change another module's
 * state; what they may do is in the route table (routes.c). */
#ifndef UJIAN_API_H
#define UJIAN_API_H

#include "auth/session.h"
#include "auth/staffauth.h"
#include "exam/attempt.h"
#include "http/route.h"
#include "proctor/board.h"
#include "proctor/proctor.h"
#include "selection/bidding_live.h"

struct talent_live;

#include <event2/http.h>

/* What the handlers work on (loop thread). */
struct slip_rt;

struct api {
	struct exam_rt *x;
	struct auth_rt *auth;
	struct staff_rt *staff;   /* staff accounts and sessions */
	struct worker_pool *pool; /* slow work: hashing, heavy reads (tctx: sqlite3 *) */
	struct worker_pool *analysis_pool; /* issue 14: one thread, lowest priority (tctx: sqlite3 *) */
	struct proctor *pr;       /* sittings, dashboards, proctor actions */
	struct sse_hub *sse;      /* the event streams (dashboards, scoreboards) */
	struct board *board;      /* the public live scoreboards */
	struct talent_live *talent; /* talent mapping's live feed (selection/talent_live.h) */
	struct bid_live *bidlive; /* open-bidding selections' live streams (issue 11) */
	const char *db_path;      /* for the candidate import's own connection */
	/* Reload an exam into RAM after its papers were redrawn (the catalog
	 * watcher does it), then fn(arg, ok) on the loop; NULL when the server
	 * runs without a watcher (blueprint changes are then refused). */
	void (*reload_exam)(void *ctx, int64_t exam_id, void (*fn)(void *arg, int ok), void *arg);
	/* Load what changed in the catalog (a sitting change) into RAM now,
	 * then fn(arg, ok) on the loop; NULL without a watcher (the change
	 * then shows after a restart). Same ctx as reload_exam. */
	void (*catalog_sync)(void *ctx, void (*fn)(void *arg, int ok), void *arg);
	void *reload_ctx;
	uint8_t key[CRED_KEY_LEN]; /* server key: candidate passwords at import */
	size_t max_body;
	int bench_route; /* serve GET /api/v1/_bench/ping (benchmarks only) */
	struct slip_rt *slip; /* issue 11: result slips (api/slip.c) */
};

/* The route table: every API route and what it needs. */
extern const struct route_table api_table;

/* httpd_dispatch_fn: route one /api/ request of app (a struct api). */
void api_dispatch(void *app, struct evhttp_request *req, const char *path);

/* Handlers (rows of api_table). */
void api_health(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_bench_ping(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_exams_open(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_login(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_logout(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_start(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_attempt(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_answer(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_position(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest);
void api_finish(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_result(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_image(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);

/* The public scoreboard (api/board.c). */
void api_board(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_board_events(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest);

/* Staff handlers: api/staff.c (sessions, accounts), api/admin.c (exams,
 * candidates, results). */
void api_staff_login(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_staff_logout(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest);
void api_staff_me(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_staff_password(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_staff_sessions(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_staff_logout_all(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_staff_accounts(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_staff_account_add(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_staff_account_edit(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest);
void api_staff_account_password(void *app, struct evhttp_request *req, const struct principal *p,
				const char *rest);
void api_admin_exams(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_admin_candidates(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_admin_import(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest);
void api_admin_cand_password(void *app, struct evhttp_request *req, const struct principal *p,
			     const char *rest);
void api_admin_cand_unlock(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_admin_cand_extra(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_admin_results_xlsx(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest);
void api_admin_audit(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_admin_audit_verify(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest);
void api_admin_bank_items(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_admin_asset(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_admin_exam_get(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_admin_exam_edit(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest);
void api_admin_banks(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_admin_bank_upload(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_admin_exam_create(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_admin_results(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
void api_admin_results_csv(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_admin_sittings(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_admin_sitting_create(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest);
void api_admin_sitting_edit(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest);
void api_admin_sitting_assign(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest);

/* Proctoring (api/proctor.c). */
extern const struct errtext_table proctor_errors;
void api_proctor_sittings(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_proctor_sitting(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest);
void api_proctor_events(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_proctor_log(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_proctor_report(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_proctor_action(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_incidents(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest);

/* Talent mapping (api/talent.c). */
extern const struct errtext_table talent_errors;
void api_talent_periods(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_talent_period_create(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest);
void api_talent_period(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
void api_talent_period_edit(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest);
void api_talent_events(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
void api_talent_pool(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_talent_succession(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_talent_scores(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
void api_talent_export(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
/* Open-bidding selections (api/selection.c; issue 11). */
extern const struct errtext_table selection_errors;
void api_sel_list(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest);
void api_sel_create(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_sel_get(void *app, struct evhttp_request *req, const struct principal *p,
		 const char *rest);
void api_sel_vacancy_add(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest);
void api_sel_applicants(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest);
void api_sel_vacancy(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_sel_events(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_sel_score(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest);
void api_sel_gate(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest);
void api_sel_ppk(void *app, struct evhttp_request *req, const struct principal *p,
		 const char *rest);
void api_sel_close(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest);
void api_sel_ranking_csv(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest);
void api_sel_talent(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_sel_audit(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest);
/* issue 11: signed result slips (api/slip.c). api_slip_open makes the
 * signing key <db>.slip.key when missing and loads it (refusing one others
 * may read); public_url (NULL: the request's Host) is the origin of the
 * verification links; tls: the server speaks HTTPS. NULL with err. */
struct slip_rt *api_slip_open(const char *db_path, const char *public_url, int tls, char *err,
			      size_t errlen);
void api_slip_close(struct slip_rt *r);
void api_staff_slip(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_attempt_slip(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest);
void api_verify_slip(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);
void api_slip_key(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest);

/* issue 14: Rasch calibrations of a bank (api/analysis_calib.c). */
extern const struct errtext_table calib_errors;
void api_calibrations(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest);
void api_calibration_create(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest);
void api_calibration(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest);

/* Reply 400 invalid_input with errors ([{"line"?, "field", "message"}],
 * stolen): every problem of a body or file at once. */
void api_staff_reply_invalid(struct evhttp_request *req, json_t *errors);

/* The detail of the 500 a broken candidate gets (exam/registry.h). */
extern const char api_broken_detail[];

/* The session cookie that authorizes image requests. */
#define API_COOKIE "ujian_img"

/* The employee registry (api/employees.c, issue 11). */
void api_employees(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest);
void api_employees_import(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_employees_export(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_employees_skp(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
void api_employees_sanctions(void *app, struct evhttp_request *req, const struct principal *p,
			     const char *rest);
void api_employee(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest);
void api_employee_skp_set(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest);
void api_employee_sanction_add(void *app, struct evhttp_request *req, const struct principal *p,
			       const char *rest);

/* issue 14: item and test analysis (api/analysis.c). The analysis pool's
 * thread init (arg: the database path): the thread drops to the lowest CPU
 * priority and opens its read-only connection (its tctx; NULL on failure). */
void *api_analysis_thread_init(void *db_path);
void api_analysis_exam(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);
void api_analysis_exam_csv(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest);
void api_analysis_bank(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest);

#endif
