/* actor.h - who caused a change: the system, a candidate or a staff member.
 *
 * The smallest identity every layer may name: the writer records it as the
 * owner of an operation and the event log stores it with each event. The
 * richer request identity (roles, session) is auth/principal.h. */
#ifndef UJIAN_ACTOR_H
#define UJIAN_ACTOR_H

#include <stdint.h>

enum actor_kind {
	ACTOR_SYSTEM,    /* the server itself (deadline timer, recovery) */
	ACTOR_CANDIDATE, /* id = candidates.id */
	ACTOR_STAFF,     /* id = staff account id (staff issue) */
	ACTOR_KIND_MAX
};

struct actor {
	enum actor_kind kind;
	int64_t id; /* 0 for the system */
};

extern const char *const actor_kind_names[ACTOR_KIND_MAX];

static inline struct actor actor_system(void)
{
	struct actor a = { ACTOR_SYSTEM, 0 };
	return a;
}

static inline struct actor actor_candidate(int64_t id)
{
	struct actor a = { ACTOR_CANDIDATE, id };
	return a;
}

#endif
