/* actor.c - names of the actor kinds, as stored in events.actor_kind. */
#include "core/actor.h"

const char *const actor_kind_names[ACTOR_KIND_MAX] = {
	[ACTOR_SYSTEM] = "system",
	[ACTOR_CANDIDATE] = "candidate",
	[ACTOR_STAFF] = "staff",
};
