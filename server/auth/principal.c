/* principal.c - names of principal kinds and staff roles. */
#include "auth/principal.h"

const char *const principal_kind_names[PRINCIPAL_KIND_MAX] = {
	[PRINCIPAL_ANONYMOUS] = "anonymous",
	[PRINCIPAL_CANDIDATE] = "candidate",
	[PRINCIPAL_STAFF] = "staff",
};

const char *const staff_role_names[PRINCIPAL_ROLES_MAX] = {
	"admin", "author", "proctor", "committee", "observer",
};
