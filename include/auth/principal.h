/* principal.h - who a request is: anonymous, a candidate, or a staff member
 * with roles.
 *
 * The route table (http/route.h) states for every route which principal kind
 * (and for staff, which roles) it needs; authentication (auth/session.h)
 * turns a request's credentials into a principal. The staff kind exists as a
 * type now; staff accounts and their sessions come with the staff issue. */
#ifndef UJIAN_PRINCIPAL_H
#define UJIAN_PRINCIPAL_H

#include "bounds.h"
#include "core/actor.h"

#include <stdint.h>

enum principal_kind {
	PRINCIPAL_ANONYMOUS, /* no credentials needed */
	PRINCIPAL_CANDIDATE,
	PRINCIPAL_STAFF,
	PRINCIPAL_KIND_MAX
};

/* Staff roles, combinable: one account may hold several. */
enum staff_role {
	ROLE_ADMIN = 1u << 0,     /* everything, including staff accounts */
	ROLE_AUTHOR = 1u << 1,    /* banks and exams */
	ROLE_PROCTOR = 1u << 2,   /* the sittings assigned to them */
	ROLE_COMMITTEE = 1u << 3, /* results and selection records */
	ROLE_OBSERVER = 1u << 4,  /* read-only view of what a proctor sees */
	ROLE_ALL = (1u << 5) - 1
};

#define PRINCIPAL_ROLES_MAX 5

extern const char *const principal_kind_names[PRINCIPAL_KIND_MAX];
extern const char *const staff_role_names[PRINCIPAL_ROLES_MAX]; /* by bit index */

struct rt_candidate;
struct rt_session;

/* A staff principal's account and session (auth/staffauth.h). */
struct principal_staff {
	char username[UJ_USERNAME_MAX + 1];
	uint8_t session_hash[UJ_HASH_LEN];
	char csrf[UJ_CSRF_LEN + 1]; /* the session's CSRF token */
	int via_cookie;     /* authenticated by cookie: writes need the CSRF header */
	int n_exams;        /* assigned exams (auth/staff.h: scope) */
	int64_t exams[UJ_STAFF_SCOPE_MAX];
};

struct principal {
	enum principal_kind kind;
	unsigned roles;            /* staff only: enum staff_role bits */
	unsigned via_roles;        /* staff only: the roles of the route that admitted it */
	struct actor actor;        /* as recorded with the changes it makes */
	struct rt_candidate *cand; /* candidate only */
	struct rt_session *session;
	struct principal_staff staff; /* staff only */
};

#endif
