/* routes.c - the API's route table, and how a request's credentials become a
 * principal. */
#include "api/api.h"
#include "bounds.h"
#include "core/clock.h"
#include "exam/render.h"

#include <event2/keyvalq_struct.h>
#include <string.h>
#include <strings.h>

#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST
#define PUT EVHTTP_REQ_PUT
#define ANYONE PRINCIPAL_ANONYMOUS
#define CANDIDATE PRINCIPAL_CANDIDATE
#define STAFF PRINCIPAL_STAFF
#define EXACT ROUTE_EXACT
#define PATTERN ROUTE_PATTERN
#define ADMIN ROLE_ADMIN
#define AUTHOR ROLE_AUTHOR
#define PROCTOR ROLE_PROCTOR
#define COMMITTEE ROLE_COMMITTEE
#define OBSERVER ROLE_OBSERVER
#define ANYROLE ROLE_ALL
#define S "/api/v1/staff"

/* method, path, match, principal, staff roles, cookie, queues, handler */
static const struct route api_rows[] = {
	{ GET, "/api/v1/health", ROUTE_EXACT, ANYONE, 0, 0, 0, api_health },
	{ GET, "/api/v1/_bench/ping", ROUTE_EXACT, ANYONE, 0, 0, 0, api_bench_ping },
	{ GET, "/api/v1/exams/open", ROUTE_EXACT, ANYONE, 0, 0, 0, api_exams_open },
	{ POST, "/api/v1/candidate/login", ROUTE_EXACT, ANYONE, 0, 0, 1, api_login },
	{ POST, "/api/v1/candidate/logout", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_logout },
	{ POST, "/api/v1/attempt/start", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_start },
	{ GET, "/api/v1/attempt", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_attempt },
	{ PUT, "/api/v1/attempt/answers/", ROUTE_PREFIX, CANDIDATE, 0, 0, 1, api_answer },
	{ PUT, "/api/v1/attempt/position", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_position },
	{ POST, "/api/v1/attempt/finish", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_finish },
	{ GET, "/api/v1/attempt/result", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_result },
	{ GET, RENDER_IMAGE_PREFIX, ROUTE_PREFIX, CANDIDATE, 0, 1, 0, api_image },
	{ POST, "/api/v1/attempt/incidents", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_incidents },
	/* the public scoreboard (api/board.c) */
	{ GET, "/api/v1/board/*", PATTERN, ANYONE, 0, 0, 0, api_board },
	{ GET, "/api/v1/board/*/events", PATTERN, ANYONE, 0, 0, 0, api_board_events },
	/* staff (api/staff.c): sessions and accounts */
	{ POST, S "/login", EXACT, ANYONE, 0, 0, 1, api_staff_login },
	{ POST, S "/logout", EXACT, STAFF, ANYROLE, 1, 1, api_staff_logout },
	{ GET, S "/me", EXACT, STAFF, ANYROLE, 1, 0, api_staff_me },
	{ POST, S "/me/password", EXACT, STAFF, ANYROLE, 1, 1, api_staff_password },
	{ GET, S "/sessions", EXACT, STAFF, ANYROLE, 1, 0, api_staff_sessions },
	{ POST, S "/sessions/logout-all", EXACT, STAFF, ANYROLE, 1, 1, api_staff_logout_all },
	{ GET, S "/accounts", EXACT, STAFF, ADMIN, 1, 0, api_staff_accounts },
	{ POST, S "/accounts", EXACT, STAFF, ADMIN, 1, 1, api_staff_account_add },
	{ PUT, S "/accounts/*", PATTERN, STAFF, ADMIN, 1, 1, api_staff_account_edit },
	{ POST, S "/accounts/*/password", PATTERN, STAFF, ADMIN, 1, 1, api_staff_account_password },
	/* staff (api/admin.c): exams, candidates, results */
	{ GET, S "/exams", EXACT, STAFF, ANYROLE, 1, 0, api_admin_exams },
	{ POST, S "/exams", EXACT, STAFF, ADMIN | AUTHOR, 1, 1, api_admin_exam_create },
	{ GET, S "/exams/*", PATTERN, STAFF, ADMIN | AUTHOR, 1, 0, api_admin_exam_get },
	{ PUT, S "/exams/*", PATTERN, STAFF, ADMIN | AUTHOR, 1, 1, api_admin_exam_edit },
	{ GET, S "/banks", EXACT, STAFF, ADMIN | AUTHOR, 1, 0, api_admin_banks },
	{ POST, S "/banks", EXACT, STAFF, ADMIN | AUTHOR, 1, 1, api_admin_bank_upload },
	{ GET, S "/banks/*", PATTERN, STAFF, ADMIN | AUTHOR, 1, 0, api_admin_bank_items },
	/* issue 14: Rasch calibrations (api/analysis_calib.c) */
	{ GET, S "/banks/*/calibrations", PATTERN, STAFF, ADMIN | AUTHOR, 1, 0, api_calibrations },
	{ POST, S "/banks/*/calibrations", PATTERN, STAFF, ADMIN | AUTHOR, 1, 1,
	  api_calibration_create },
	{ GET, S "/banks/*/calibrations/*", PATTERN, STAFF, ADMIN | AUTHOR, 1, 0, api_calibration },
	{ GET, S "/assets/*", PATTERN, STAFF, ADMIN | AUTHOR, 1, 0, api_admin_asset },
	{ GET, S "/exams/*/candidates", PATTERN, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0,
	  api_admin_candidates },
	{ POST, S "/exams/*/candidates", PATTERN, STAFF, ADMIN, 1, 1, api_admin_import },
	{ POST, S "/exams/*/candidates/*/password", PATTERN, STAFF, ADMIN, 1, 1,
	  api_admin_cand_password },
	{ POST, S "/exams/*/candidates/*/unlock", PATTERN, STAFF, ADMIN | PROCTOR, 1, 1,
	  api_admin_cand_unlock },
	{ PUT, S "/exams/*/candidates/*/extra-time", PATTERN, STAFF, ADMIN | PROCTOR, 1, 1,
	  api_admin_cand_extra },
	{ GET, S "/exams/*/results", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_admin_results },
	{ GET, S "/exams/*/results.csv", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_admin_results_csv },
	{ GET, S "/audit", EXACT, STAFF, ADMIN, 1, 0, api_admin_audit },
	{ GET, S "/audit/verify", EXACT, STAFF, ADMIN, 1, 0, api_admin_audit_verify },
	{ GET, S "/exams/*/results.xlsx", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_admin_results_xlsx },
	/* staff (api/analysis.c): item and test analysis (issue 14) */
	{ GET, S "/exams/*/analysis", PATTERN, STAFF, ADMIN | AUTHOR | COMMITTEE, 1, 0,
	  api_analysis_exam },
	{ GET, S "/exams/*/analysis.csv", PATTERN, STAFF, ADMIN | AUTHOR | COMMITTEE, 1, 0,
	  api_analysis_exam_csv },
	{ GET, S "/banks/*/analysis", PATTERN, STAFF, ADMIN | AUTHOR, 1, 0, api_analysis_bank },
	/* staff (api/admin_sittings.c): the sittings of an exam */
	{ GET, S "/exams/*/sittings", PATTERN, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0,
	  api_admin_sittings },
	{ POST, S "/exams/*/sittings", PATTERN, STAFF, ADMIN, 1, 1, api_admin_sitting_create },
	{ PUT, S "/exams/*/sittings/*", PATTERN, STAFF, ADMIN, 1, 1, api_admin_sitting_edit },
	{ PUT, S "/exams/*/sittings/*/candidates", PATTERN, STAFF, ADMIN, 1, 1,
	  api_admin_sitting_assign },
	/* staff (api/proctor.c): sittings, the live dashboard, actions */
	{ GET, S "/sittings", EXACT, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0, api_proctor_sittings },
	{ GET, S "/sittings/*", PATTERN, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0,
	  api_proctor_sitting },
	{ GET, S "/sittings/*/events", PATTERN, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0,
	  api_proctor_events },
	{ GET, S "/sittings/*/log", PATTERN, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0,
	  api_proctor_log },
	{ GET, S "/sittings/*/report", PATTERN, STAFF, ADMIN | PROCTOR | OBSERVER, 1, 0,
	  api_proctor_report },
	{ POST, S "/sittings/*/actions", PATTERN, STAFF, ADMIN | PROCTOR, 1, 1, api_proctor_action },
	/* staff (api/talent.c): talent mapping */
	{ GET, S "/talent/periods", EXACT, STAFF, ADMIN | COMMITTEE, 1, 0, api_talent_periods },
	{ POST, S "/talent/periods", EXACT, STAFF, ADMIN | COMMITTEE, 1, 1, api_talent_period_create },
	{ GET, S "/talent/periods/*", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_talent_period },
	{ PUT, S "/talent/periods/*", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 1, api_talent_period_edit },
	{ GET, S "/talent/periods/*/events", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_talent_events },
	{ GET, S "/talent/periods/*/pool", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_talent_pool },
	{ GET, S "/talent/periods/*/succession", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_talent_succession },
	{ PUT, S "/talent/periods/*/scores", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 1,
	  api_talent_scores },
	{ GET, S "/talent/periods/*/export.csv", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_talent_export },
	/* staff (api/employees.c): the employee registry, SKP ratings, sanctions */
	{ GET, S "/employees", EXACT, STAFF, ADMIN | COMMITTEE, 1, 0, api_employees },
	{ POST, S "/employees", EXACT, STAFF, ADMIN, 1, 1, api_employees_import },
	{ GET, S "/employees/export.csv", EXACT, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_employees_export },
	{ POST, S "/employees/skp", EXACT, STAFF, ADMIN, 1, 1, api_employees_skp },
	{ POST, S "/employees/sanctions", EXACT, STAFF, ADMIN, 1, 1, api_employees_sanctions },
	{ GET, S "/employees/*", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_employee },
	{ PUT, S "/employees/*/skp/*", PATTERN, STAFF, ADMIN, 1, 1, api_employee_skp_set },
	{ POST, S "/employees/*/sanctions", PATTERN, STAFF, ADMIN, 1, 1, api_employee_sanction_add },
	/* staff (api/selection.c): open-bidding selections (issue 11); membership,
	 * the chair and "closed" are checked by the domain */
	{ GET, S "/selections", EXACT, STAFF, ADMIN | COMMITTEE, 1, 0, api_sel_list },
	{ POST, S "/selections", EXACT, STAFF, ADMIN, 1, 1, api_sel_create },
	{ GET, S "/selections/*", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_sel_get },
	{ POST, S "/selections/*/vacancies", PATTERN, STAFF, ADMIN, 1, 1, api_sel_vacancy_add },
	{ POST, S "/selections/*/applicants", PATTERN, STAFF, ADMIN, 1, 1, api_sel_applicants },
	{ GET, S "/selections/*/vacancies/*", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_sel_vacancy },
	{ GET, S "/selections/*/events", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_sel_events },
	{ PUT, S "/selections/*/scores", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 1, api_sel_score },
	{ PUT, S "/selections/*/gates", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 1, api_sel_gate },
	{ POST, S "/selections/*/vacancies/*/ppk", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 1,
	  api_sel_ppk },
	{ POST, S "/selections/*/close", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 1, api_sel_close },
	{ GET, S "/selections/*/vacancies/*/ranking.csv", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_sel_ranking_csv },
	{ GET, S "/selections/*/vacancies/*/talent", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_sel_talent },
	{ GET, S "/selections/*/audit", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0, api_sel_audit },
	/* issue 11: signed result slips (api/slip.c) */
	{ GET, S "/exams/*/candidates/*/slip", PATTERN, STAFF, ADMIN | COMMITTEE, 1, 0,
	  api_staff_slip },
	{ GET, "/api/v1/attempt/slip", EXACT, CANDIDATE, 0, 0, 1, api_attempt_slip },
	{ GET, "/api/v1/verify/*", PATTERN, ANYONE, 0, 0, 0, api_verify_slip },
	{ GET, "/api/v1/slip-key", EXACT, ANYONE, 0, 0, 0, api_slip_key },
};

_Static_assert(sizeof api_rows / sizeof *api_rows <= UJ_ROUTES_MAX, "route table within bounds");

/* The presented session token: "Authorization: Bearer <t>", or where the
 * route allows it the named cookie. Returns its length (0 if none); *bearer
 * tells which it was. */
static size_t api_presented_token(struct evhttp_request *req, const char *cookie,
				  const char **tok, int *bearer)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	const char *a = evhttp_find_header(h, "Authorization");
	size_t clen = cookie ? strlen(cookie) : 0;
	*bearer = 0;
	if (a && strncasecmp(a, "Bearer ", 7) == 0) {
		*tok = a + 7;
		*bearer = 1;
		while (**tok == ' ')
			(*tok)++;
		return strcspn(*tok, " \t");
	}
	const char *ck = cookie ? evhttp_find_header(h, "Cookie") : NULL;
	while (ck && *ck) {
		while (*ck == ' ' || *ck == ';')
			ck++;
		if (strncmp(ck, cookie, clen) == 0 && ck[clen] == '=') {
			*tok = ck + clen + 1;
			return strcspn(*tok, "; ");
		}
		ck = strchr(ck, ';');
	}
	return 0;
}

const char api_broken_detail[] = "Silakan hubungi pengawas.";

static const struct route_refusal api_unauthorized = { 401, "unauthorized", NULL };
static const struct route_refusal api_replaced = { 401, "session_replaced", NULL };
static const struct route_refusal api_reset = { 401, "session_reset", NULL };
static const struct route_refusal api_expired = { 401, "session_expired", NULL };
static const struct route_refusal api_broken = { 500, "internal", api_broken_detail };
static const struct route_refusal api_csrf = { 403, "csrf", NULL };

/* A staff session: by Bearer header, or on staff rows by its cookie, in
 * which case a write must carry the session's CSRF token. */
static const struct route_refusal *api_auth_staff(struct api *a, struct evhttp_request *req,
						  const char *tok, size_t len, int bearer,
						  struct principal *p)
{
	const char *refused = staffauth_authenticate(a->staff, tok, len, !bearer, clock_now_ms(), p);
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	if (refused)
		return strcmp(refused, "session_expired") == 0 ? &api_expired : &api_unauthorized;
	if (!bearer && m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD &&
	    !staffauth_csrf_ok(p, evhttp_find_header(evhttp_request_get_input_headers(req),
						     "X-CSRF-Token")))
		return &api_csrf;
	return NULL;
}

/* A candidate's request arrived: the dashboard's "online" and "last
 * activity". Observers hear only of a return from offline (the proctor
 * domain's timer notices the opposite), so the hot path stays cheap. */
static void api_seen(struct api *a, struct rt_candidate *c)
{
	int64_t now = clock_now_ms();
	int was_offline = now - c->last_seen > UJ_ONLINE_GRACE_MS;
	c->last_seen = now;
	if (was_offline)
		attempt_notify(a->x, c, EXC_SEEN);
}

static const struct route_refusal *api_authenticate(void *app, struct evhttp_request *req,
						    const struct route *r, struct principal *p)
{
	struct api *a = app;
	const char *tok = NULL, *refused;
	const char *cookie = r->need == PRINCIPAL_STAFF ? STAFF_COOKIE : r->cookie ? API_COOKIE : NULL;
	int bearer;
	size_t len = api_presented_token(req, cookie, &tok, &bearer);
	if (len == 0)
		return &api_unauthorized;
	if (!bearer && r->need == PRINCIPAL_STAFF)
		return api_auth_staff(a, req, tok, len, 0, p);
	refused = session_authenticate(a->auth, tok, len, p);
	/* Not a candidate's token: perhaps a staff member's (Bearer). */
	if (refused && strcmp(refused, "unauthorized") == 0 && bearer && a->staff)
		return api_auth_staff(a, req, tok, len, 1, p);
	if (refused)
		return strcmp(refused, "session_replaced") == 0	 ? &api_replaced
		       : strcmp(refused, "session_reset") == 0	 ? &api_reset
		       : strcmp(refused, "session_expired") == 0 ? &api_expired
								 : &api_unauthorized;
	/* A candidate whose write was left out is served nothing until a
	 * restart (exam/registry.h: broken). */
	if (p->kind == PRINCIPAL_CANDIDATE && p->cand->broken)
		return &api_broken;
	if (p->kind == PRINCIPAL_CANDIDATE)
		api_seen(a, p->cand);
	return NULL;
}

static int api_room(void *app)
{
	struct api *a = app;
	if (!writer_storage_ok(a->x->w))
		return -1;
	return writer_room(a->x->w);
}

/* Replies per route by status class (the metrics endpoint reads them). */
static struct route_stats api_stats[sizeof api_rows / sizeof *api_rows + 1];

const struct route_table api_table = {
	api_rows, sizeof api_rows / sizeof *api_rows, api_authenticate, api_room, api_stats,
};

void api_dispatch(void *app, struct evhttp_request *req, const char *path)
{
	route_dispatch(&api_table, app, req, path);
}
