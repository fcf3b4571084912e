/* registry.h - the server's in-RAM state: exams, candidates, papers,
 * attempts, answers, sessions.
 *
 * Everything the hot path reads lives here; SQLite is only written (by the
 * store thread) and read at start-up and when the catalog changes. Items,
 * assets and bank versions are immutable once loaded and shared by papers.
 * Exams, candidates and sessions are owned by the loop thread. */
#ifndef UJIAN_REGISTRY_H
#define UJIAN_REGISTRY_H

#include "catalog/bank.h"
#include "bounds.h"
#include "catalog/exam.h"
#include "core/hmap.h"

#include <event2/event.h>
#include <stddef.h>
#include <stdint.h>

struct rt_asset {
	int64_t id;
	char sha[65];
	char mime[24];
	unsigned char *data;
	size_t len;
};

/* One stored item revision, ready to serve: texts pre-encoded as JSON. */
struct rt_item {
	int64_t id;
	char section[UJ_SECTION_CODE_MAX + 1];
	char *text_json;
	size_t text_json_len;
	int n_images;
	struct rt_asset *images[UJ_ITEM_IMAGES_MAX];
	int n_options;
	char *opt_text_json[UJ_OPTIONS_MAX];
	size_t opt_text_json_len[UJ_OPTIONS_MAX];
	struct rt_asset *opt_image[UJ_OPTIONS_MAX];
	int value[UJ_OPTIONS_MAX]; /* points (weighted) or 1 = correct */
};

struct rt_bank_version {
	int64_t id;
	int n_sections;
	struct section_rule sec[UJ_SECTIONS_MAX];
};

struct rt_exam {
	int64_t id;
	struct exam_def def;
	char *title_json;
	char *section_title[UJ_SECTIONS_MAX]; /* from the bank's current version */
	int paper_len;
	int section_from[UJ_SECTIONS_MAX]; /* 1-based first n of each section */
	struct hmap candidates;            /* registration_no -> rt_candidate */
	int editing; /* a staff edit of the definition is being stored: no starts */
	struct rt_sitting *sittings;       /* the exam's sittings (sesi), a list */
};

/* A sitting (sesi): a room's group of candidates of one exam, with its
 * proctors and its token. Loaded by the catalog (catalog/loader.c); the
 * proctor domain (proctor/) owns the live parts. */
struct rt_sitting {
	int64_t id;
	struct rt_exam *exam;
	char code[UJ_CODE_MAX + 1];
	char room[UJ_ROOM_MAX + 1];
	int64_t starts_at;  /* scheduled start, ms; 0 = not given */
	int rotate_min;     /* token rotated every this many minutes; 0 = by hand */
	int start_together; /* attempts start when a proctor presses Mulai */
	char token[UJ_SITTING_TOKEN_LEN + 1];
	char prev_token[UJ_SITTING_TOKEN_LEN + 1]; /* accepted for a grace period */
	int64_t token_at;   /* when token was issued */
	int64_t started_at; /* Mulai pressed; 0 = not yet */
	int64_t closed_at;  /* the proctor closed it (report frozen); 0 = open */
	int n_proctors;
	int64_t proctor[UJ_SITTING_PROCTORS_MAX]; /* staff ids */
	char proctor_name[UJ_SITTING_PROCTORS_MAX][UJ_USERNAME_MAX + 1]; /* their usernames */
	int n_candidates;
	void *live;         /* the proctor domain's state (streams, timers) */
	struct rt_sitting *next;
};

struct rt_question {
	struct rt_item *item;
	const struct section_rule *rule; /* from the paper's bank version */
	uint8_t section;
	uint8_t n_options;
	uint8_t perm[UJ_OPTIONS_MAX];
};

struct rt_answer {
	int8_t label; /* -1 = none */
	uint8_t flagged;
	uint32_t rev; /* 0 = never answered */
};

enum attempt_status { ATT_NOT_STARTED, ATT_IN_PROGRESS, ATT_FINISHED, ATT_STATUS_MAX };
enum finish_reason {
	FINISH_NONE,
	FINISH_SUBMITTED,    /* the candidate */
	FINISH_TIME_UP,      /* the deadline */
	FINISH_PROCTOR,      /* ended by a proctor, scored */
	FINISH_DISQUALIFIED, /* ended by a proctor, scores kept, never passing */
	FINISH_REASON_MAX
};

extern const char *const attempt_status_names[ATT_STATUS_MAX];
extern const char *const finish_reason_names[FINISH_REASON_MAX];

enum session_state { SES_ACTIVE, SES_REPLACED, SES_RESET /* ended by a proctor */ };

struct rt_session {
	uint8_t hash[UJ_HASH_LEN];
	struct rt_candidate *cand;
	enum session_state state;
	int64_t created;
	struct rt_session *older; /* replaced sessions of the same candidate */
};

struct rt_candidate {
	int64_t id;
	struct rt_exam *exam;
	char regno[UJ_REGNO_MAX + 1];
	char *name;
	char track[UJ_TRACK_MAX + 1];
	int extra_s;
	uint8_t pw_hash[UJ_HASH_LEN];
	const struct pass_rule *rule; /* NULL: exam without pass rules */
	int n;
	struct rt_question *q;
	struct rt_answer *ans;
	/* attempt */
	enum attempt_status status;
	enum finish_reason reason;
	int64_t started_at, credit_ms, finished_at;
	int position; /* 1-based question the candidate is on */
	int score[UJ_SECTIONS_MAX], max[UJ_SECTIONS_MAX];
	int total, max_total, passed;
	struct event *deadline_ev;
	int pending; /* writer ops submitted and not yet completed */
	/* A write for this candidate was left out by the writer (it failed on
	 * its own): RAM may now disagree with the database, so nothing more is
	 * served or acknowledged for this candidate until a restart rebuilds RAM
	 * from the database. */
	int broken;
	/* A write for this candidate failed for the storage (disk full, I/O
	 * error; store/writer.h): RAM holds a change the database does not.
	 * Once no write of the candidate is in flight, exam/attempt.c reloads
	 * its attempt from the database and clears this. */
	int stale;
	/* Storage-outage credit whose write failed (the disk went out again
	 * before it was stored): added to the next outage's credit. */
	int64_t owed_ms;
	int64_t paused_at;  /* paused by a proctor since (ms); 0 = running */
	char *pause_reason; /* while paused */
	/* proctoring (proctor/): where and how the candidate is seen */
	struct rt_sitting *sitting; /* NULL: not in a sitting */
	int64_t last_seen;          /* last request, ms; 0 = never */
	int64_t logged_in_at;       /* last login, ms; 0 = never */
	char seat_addr[UJ_PEER_MAX + 1];
	char seat_fp[UJ_SEAT_FP_MAX + 1];
	int incidents;
	void *live;                 /* the proctor domain's per-candidate state */
	/* sessions */
	struct rt_session *session; /* active, or NULL */
	struct rt_session *replaced; /* newest first */
	int n_replaced;
	struct rt_candidate *all_next;
};

struct registry {
	/* Called on the loop after the catalog changed RAM (new exams,
	 * candidates, sittings, a reloaded exam): the proctor domain attaches
	 * its state. NULL: nobody listens. */
	void (*changed)(void *arg);
	void *changed_arg;
	struct hmap exams;    /* code -> rt_exam */
	struct hmap sessions; /* token hash -> rt_session */
	struct rt_candidate *all; /* every candidate */
	size_t n_candidates;
};

void registry_init(struct registry *r);
/* Free exams, candidates and sessions (not items/assets: see loader). */
void registry_free(struct registry *r);

struct rt_exam *registry_exam(const struct registry *r, const char *code);
struct rt_candidate *registry_candidate(const struct rt_exam *e, const char *regno);
struct rt_session *registry_session(const struct registry *r, const uint8_t hash[UJ_HASH_LEN]);

/* Add a session for cand (the new active one; any active one becomes
 * replaced; replaced sessions beyond UJ_SESSIONS_KEPT are forgotten).
 * Returns the new session. */
struct rt_session *registry_session_add(struct registry *r, struct rt_candidate *cand,
					const uint8_t hash[UJ_HASH_LEN], int64_t created,
					enum session_state state);
/* Remove the candidate's active session (logout). */
void registry_session_end(struct registry *r, struct rt_candidate *cand);
/* End the candidate's active session by a proctor: it is kept among the
 * replaced ones with state SES_RESET, so its holder is told why. */
void registry_session_reset(struct registry *r, struct rt_candidate *cand);

/* Replace e's definition by def (same code, bank and sections: papers are
 * unchanged) and re-resolve every candidate's pass rule (loop thread). */
void registry_exam_redefine(struct rt_exam *e, const struct exam_def *def);

/* Tell the registry's listener (if any) that the catalog changed it. */
void registry_changed(struct registry *r);

/* Deadline of a started attempt. */
int64_t registry_deadline(const struct rt_candidate *c);

#endif
