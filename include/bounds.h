/* bounds.h - every named limit of Ujian in one place.
 *
 * A limit is the largest value accepted; inputs beyond it are rejected with a
 * defined error, never truncated silently. */
#ifndef UJIAN_BOUNDS_H
#define UJIAN_BOUNDS_H

/* Codes and names. Buffers hold the limit plus a NUL. */
#define UJ_CODE_MAX          32     /* bank, exam codes */
#define UJ_SECTION_CODE_MAX  16     /* section codes (TWK, TIU ...) */
#define UJ_ITEM_ID_MAX       64     /* item ids in a bank */
#define UJ_TOPIC_MAX         40     /* topic names */
#define UJ_TRACK_MAX         32     /* candidate track names */
#define UJ_REGNO_MAX         32     /* registration numbers */
#define UJ_TITLE_MAX         200    /* titles, candidate names (characters) */
#define UJ_TOKEN_MIN         4      /* sitting token length */
#define UJ_TOKEN_MAX         32

/* Digests: SHA-256 / HMAC-SHA-256 (password hashes, session token hashes). */
#define UJ_HASH_LEN          32

/* Bank shape. */
#define UJ_SECTIONS_MAX      16     /* sections per bank or exam */
#define UJ_ITEMS_MAX         20000  /* items per bank */
#define UJ_OPTIONS_MIN       2
#define UJ_OPTIONS_MAX       6      /* labels A..F */
#define UJ_ITEM_IMAGES_MAX   4
#define UJ_TEXT_MAX          10000  /* item text, bytes */
#define UJ_OPTION_TEXT_MAX   2000   /* option text, bytes */
#define UJ_IMAGE_BYTES_MAX   (1024 * 1024)
#define UJ_POINTS_ABS_MAX    1000
#define UJ_TOPICS_MAX        64     /* distinct topics in one section draw */
#define UJ_DRAW_MAX          1000   /* items drawn from one section */
#define UJ_PAPER_MAX         (UJ_SECTIONS_MAX * UJ_DRAW_MAX)
#define UJ_TRACKS_MAX        32     /* pass rules per exam */

/* Exam clock. */
#define UJ_DURATION_MIN_S    10
#define UJ_DURATION_MAX_S    86400
#define UJ_EXTRA_TIME_MAX_S  86400

/* Candidate import. */
#define UJ_CSV_LINE_MAX      4096   /* bytes in one CSV record */
#define UJ_CSV_ROWS_MAX      200000 /* candidates in one import */
#define UJ_CSV_FILE_MAX      (32 * 1024 * 1024)
#define UJ_PASSWORD_MIN      8
#define UJ_PASSWORD_MAX      64
#define UJ_PASSWORD_GEN_LEN  10     /* issued passwords */

/* Validation: errors of one file or body reported at once (more are counted). */
#define UJ_ERRORS_MAX        50

/* Files read by the CLI. */
#define UJ_JSON_FILE_MAX     (64 * 1024 * 1024)

/* HTTP. */
#define UJ_BODY_DEFAULT      (64 * 1024)  /* --max-body default */
#define UJ_BODY_HARD_FACTOR  16           /* evhttp reads at most this x max-body */
#define UJ_HEADERS_MAX       (16 * 1024)
#define UJ_STATIC_FILE_MAX   (16 * 1024 * 1024)
#define UJ_PEER_MAX          63     /* a client address as text (IPv6 fits in 45) */
#define UJ_LISTEN_MAX        127    /* --listen "ADDR:PORT" */
#define UJ_URL_PATH_MAX      512    /* static file paths */
#define UJ_QUESTION_DIGITS   7      /* digits of a question number in a URL */
#define UJ_REV_MAX           2147483647 /* answer revisions: 1 .. this */
#define UJ_LOOPS_MAX         4      /* event loops (HTTP fronts) in one process */
#define UJ_FRONTS_MAX        (UJ_LOOPS_MAX + 1) /* fronts: the loops' plus the HTTP->HTTPS redirect */

/* HTTPS (http/tls.c, http/tlscert.c). */
#define UJ_TLS_SESSION_CACHE 32768  /* server-side TLS sessions kept (resumption without tickets) */
#define UJ_TLS_SESSION_TIMEOUT_S 7200 /* a resumable session (cache or ticket) lives this long */
#define UJ_CERT_DAYS         397    /* self-signed certificates: the browsers' 397-day maximum */
#define UJ_CERT_HOST_MAX     253    /* --name: a DNS name or an IP address */
#define UJ_ROUTES_MAX        128    /* rows of the route table (issue 11: was 64) */
#define UJ_ERROR_TABLES_MAX  16     /* domain error tables the HTTP layer knows */
#define UJ_SESSIONS_KEPT     8      /* replaced sessions remembered per candidate */
#define UJ_RATELIMIT_KEYS    100000 /* keys each failed-login limiter remembers */

/* Server settings: defaults and the ranges the command line accepts. */
#define UJ_BODY_MIN          1024
#define UJ_BODY_MAX          (16 * 1024 * 1024)
#define UJ_IDLE_TIMEOUT_S    60     /* default --idle-timeout */
#define UJ_IDLE_TIMEOUT_MAX_S 3600
#define UJ_BACKLOG_DEFAULT   4096
#define UJ_BACKLOG_MIN       16
#define UJ_BACKLOG_MAX       65535
#define UJ_LOGIN_FAIL_REGNO  5      /* default --login-limit 5/300 */
#define UJ_LOGIN_WINDOW_REGNO_S 300
#define UJ_LOGIN_FAIL_ADDR   50     /* default --addr-limit 50/60 */
#define UJ_LOGIN_WINDOW_ADDR_S 60
#define UJ_RATE_COUNT_MAX    100000 /* N of --login-limit/--addr-limit N/SECONDS */
#define UJ_RATE_WINDOW_MAX_S 86400
#define UJ_CATALOG_POLL_MS   1000   /* default --catalog-poll-ms */
#define UJ_CATALOG_POLL_MIN_MS 50
#define UJ_CATALOG_POLL_MAX_MS 60000
#define UJ_WRITER_QUEUE_LIMIT 10000000 /* largest --writer-queue */

/* Staff accounts and sessions (auth/staff.h). */
#define UJ_USERNAME_MIN      3
#define UJ_USERNAME_MAX      32
#define UJ_STAFF_NAME_MAX    120    /* bytes of a staff member's display name */
#define UJ_STAFF_PW_MIN      12     /* a staff password's least length */
#define UJ_STAFF_PW_MAX      128
#define UJ_STAFF_PW_GEN      16     /* characters of a generated staff password */
#define UJ_CSRF_LEN          43     /* a CSRF token: base64url of 32 bytes */
#define UJ_STAFF_SCOPE_MAX   64     /* exams one staff account is assigned to */
#define UJ_STAFF_SESSIONS_LIST 50   /* sessions the session list shows */
#define UJ_PWHASH_TEXT_MAX   160    /* stored scrypt hash text */
#define UJ_SCRYPT_LOG2_N     15     /* scrypt N = 2^15, r 8, p 1 (about 32 MiB) */
#define UJ_SCRYPT_R          8
#define UJ_SCRYPT_P          1
#define UJ_STAFF_IDLE_S      1800   /* default --staff-idle (30 min) */
#define UJ_STAFF_MAX_AGE_S   43200  /* default --staff-max-age (12 h) */
#define UJ_STAFF_LIMIT_MAX_MIN 10080 /* largest --staff-idle/--staff-max-age (a week) */
#define UJ_STAFF_SEEN_EVERY_MS 60000 /* persist a session's last_seen at most this often */
#define UJ_STAFF_LOGIN_FAIL_USER 5  /* failed staff logins per username ... */
#define UJ_STAFF_LOGIN_WINDOW_S 300 /* ... within this window */
#define UJ_CAND_SESSION_AFTER_S 3600 /* default --session-after: candidate tokens end this long
				      * after their attempt finished or the exam closed */
#define UJ_WORKERS           2      /* worker threads: password hashing, heavy reads */
#define UJ_WORKER_QUEUE_MAX  256    /* jobs waiting for a worker before 503 server_busy */
#define UJ_ERRORS_MAX        50     /* errors of one file or body reported at once */
#define UJ_EXTRA_TIME_MAX_MIN 240   /* extra time a proctor may give, minutes */

/* Descriptor pressure (accept() failing with EMFILE). */
#define UJ_ACCEPT_BACKOFF_MS 100    /* stop accepting this long */
#define UJ_PRESSURE_MS       10000  /* then close connections after each reply this long */
#define UJ_KEEPALIVE_FD_PCT  75     /* connections on descriptors above this share of the
				     * limit serve one request each (no idle keep-alive) */
#define UJ_IDLE_CROWDED_S    3      /* idle timeout when candidates outnumber that share */

/* Image capabilities: hex digits of the per-candidate tag in image URLs. */
#define UJ_IMAGE_TAG_LEN     16

/* Audit log (report/audit.c). */
#define UJ_AUDIT_PAGE_DEFAULT 100   /* entries per page of the log (API) */
#define UJ_AUDIT_PAGE_MAX    1000
#define UJ_AUDIT_ACTOR_MAX   64     /* the actor filter: a registration number or username */
#define UJ_AUDIT_SHOW_MAX    100000000 /* largest 'audit show --limit' */

/* Writer thread. */
#define UJ_BATCH_MAX         512    /* operations per transaction */
#define UJ_WRITER_QUEUE_MAX  100000 /* queued operations before requests get 503 server_busy */
#define UJ_WRITER_STMTS_MAX  96     /* distinct statements the writer keeps prepared */
#define UJ_WRITER_HEARTBEAT_MS 500  /* idle heartbeat: half the 1 s outage-credit accuracy */
#define UJ_BUSY_RETRY_AFTER_S 2     /* Retry-After of a 503 server_busy */
#define UJ_WRITER_STALL_MS   5000   /* work waiting this long without a commit: log a warning */
#define UJ_WRITER_STALL_REPEAT_MS 30000 /* and repeat it this often while it lasts */

/* Proctoring (proctor/, http/sse.c). */
#define UJ_SITTING_TOKEN_LEN 6      /* sitting tokens: unambiguous letters and digits */
#define UJ_SITTING_PROCTORS_MAX 16  /* proctors assigned to one sitting */
#define UJ_SITTINGS_MAX      1000   /* sittings of one exam */
#define UJ_ROOM_MAX          120    /* bytes of a room/venue name */
#define UJ_ROTATE_MAX_MIN    1440   /* token rotation period, minutes */
#define UJ_TOKEN_GRACE_MS    120000 /* the previous sitting token still works this long */
#define UJ_REASON_MAX        500    /* bytes of a proctor action's reason */
#define UJ_NOTICE_MAX        500    /* bytes of a broadcast message */
#define UJ_NOTICES_KEPT      8      /* newest broadcasts a candidate is shown */
#define UJ_EXTEND_MAX_MIN    240    /* one extension, minutes */
#define UJ_SEAT_FP_MAX       16     /* a browser fingerprint, hex characters */
#define UJ_ONLINE_GRACE_MS   12000  /* no request for this long: offline */
#define UJ_CAND_POLL_MS      4000   /* the candidate client's control poll */
#define UJ_INCIDENTS_BATCH_MAX 32   /* incidents in one report */
#define UJ_INCIDENTS_PER_CAND 2000  /* incidents stored per attempt (more are counted) */
#define UJ_SPEED_ANSWERS     10     /* implausible speed: this many answers ... */
#define UJ_SPEED_WINDOW_MS   20000  /* ... within this window */
#define UJ_SSE_SUBSCRIBERS_MAX 512  /* event streams open at once (dashboards, boards) */
#define UJ_SSE_BUFFER_MAX    (512 * 1024) /* unsent bytes per stream before it is "behind" */
#define UJ_SSE_RING          256    /* recent events kept per topic for Last-Event-ID */
#define UJ_SSE_FLUSH_MS      200    /* changes are coalesced this long before sending */
#define UJ_SSE_HEARTBEAT_S   15     /* comment heartbeat on an idle stream */
#define UJ_SSE_RING_BYTES    (2 * 1024 * 1024) /* bytes of one topic's ring (oldest events go first) */
#define UJ_SSE_WRITE_TIMEOUT_S 60   /* a stream whose client takes nothing this long is closed */
#define UJ_SSE_SNDBUF        (32 * 1024) /* a stream socket's kernel send buffer (no autotuning to MBs) */
#define UJ_SSE_INPUT_MAX     4096   /* bytes a client may send on a stream before reading stops */
#define UJ_SSE_STREAMS_LIMIT 16384  /* --sse-streams range: 1 to this */
#define UJ_SSE_BUFFER_MIN    1024   /* --sse-buffer range */
#define UJ_SSE_BUFFER_LIMIT  (64 * 1024 * 1024)
#define UJ_BOARD_ROWS_MAX    5000   /* rows of one public scoreboard snapshot */

/* issue 15: the clock */
#define UJ_CLOCK_STEP_MS     1000   /* wall vs monotonic difference counted as a clock step */

/* issue 11: talent mapping (server/selection/ninebox.c, talent.c, talent_live.c) */
#define UJ_TALENT_COMPONENTS_MAX 8    /* potential components of one period */
#define UJ_TALENT_CODE_MAX     32     /* a component's or a period's code */
#define UJ_TALENT_NAME_MAX     160    /* bytes of a period's or component's name */
#define UJ_TALENT_LABEL_MAX    160    /* bytes of a box label */
#define UJ_TALENT_REC_MAX      600    /* bytes of a box recommendation */
#define UJ_TALENT_YEARS_MAX    5      /* SKP years the performance rule looks at */
#define UJ_TALENT_SANCTION_YEARS_MAX 10 /* sanction look-back, years */
#define UJ_TALENT_PERIODS_MAX  500    /* talent-mapping periods kept */
#define UJ_TALENT_SKP_MAX      64     /* SKP ratings of one employee considered */
#define UJ_TALENT_SANCTIONS_MAX 64    /* sanctions of one employee considered */
#define UJ_TALENT_SUCCESSION_MAX 100  /* succession candidates asked for (n) */
#define UJ_TALENT_SCORES_MAX   200000 /* entered values in one upload */
#define UJ_TALENT_LIVE_BATCH_MAX 200 /* finishes recomputed by one live job (one transaction) */
#define UJ_TALENT_LIVE_EVENTS_MAX 50  /* placement events per change; more: a snapshot */
#define UJ_TALENT_REFRESH_MS   5000   /* the live feed re-reads which exams feed a period */

/* issue 11: employees (server/selection/employee.c, personnel.c) */
#define UJ_EMP_ROWS_MAX      100000 /* records in one employee, SKP or sanction import */
#define UJ_EMP_TEXT_MAX      200    /* characters of a name, position, unit or agency */
#define UJ_EMP_EDU_MAX       100    /* characters of an education entry */
#define UJ_SANCTION_TYPE_MAX 120    /* characters of a sanction's type */
#define UJ_SANCTION_NOTE_MAX 500    /* characters of a sanction's note */
#define UJ_SKP_YEAR_MIN      2000   /* SKP years accepted */
#define UJ_SKP_YEAR_MAX      2100
#define UJ_EMP_QUERY_MAX     100    /* bytes of a list filter (?q=, ?unit=) */
/* issue 11: open-bidding selections (selection/rank.h, selection/bidding.h) */
#define UJ_SEL_STAGES_MAX    12     /* stages of one selection */
#define UJ_SEL_STAGE_CODE_MAX 32    /* bytes of a stage code */
#define UJ_SEL_NAME_MAX      200    /* bytes of a selection/stage/position/applicant name */
#define UJ_SEL_TEXT_MAX      2000   /* bytes of requirements, a reason or a note */
#define UJ_SEL_MEMBERS_MAX   15     /* committee members of one selection */
#define UJ_SEL_VACANCIES_MAX 100    /* vacancies of one selection */
#define UJ_SEL_APPLICANTS_MAX 2000  /* applicants of one vacancy */
#define UJ_SEL_PROPOSAL_MAX  10     /* names proposed to the PPK (default 3) */
#define UJ_SEL_SCORE_MAX     100    /* a stage score is 0 to this */
/* issue 11: result slips */
#define UJ_SLIP_VERIFY_FAILS     20     /* unknown slip codes per client address ... */
#define UJ_SLIP_VERIFY_WINDOW_MS 60000  /* ... within this window; then 429 */
#define UJ_SLIP_VERIFY_KEYS      4096   /* client addresses the limit remembers */

/* issue 14: item and test analysis (server/analysis/) */
#define UJ_IA_EASY_P         0.90   /* default: p above this is "too easy" */
#define UJ_IA_HARD_P         0.20   /* default: p below this is "too hard" */
#define UJ_IA_WEAK_R         0.20   /* default: corrected r below this is "weak" */
#define UJ_IA_MIN_N          30     /* fewer presentations: statistics shown, flag "few" */
#define UJ_IA_GROUP_FRAC     0.27   /* upper and lower groups of the D index */
#define UJ_IA_HIST_BINS      20     /* bars of a score histogram */
#define UJ_RASCH_TOL         1e-4   /* default convergence: largest change in logits */
#define UJ_RASCH_ITER_MAX    500    /* iterations before giving up */
/* issue 14: rasch (B) */
#define UJ_RASCH_FULL_SE_MAX 1500   /* calibrated items up to which the SEs come from the
				     * full information matrix (m^2 doubles, m^3/3 flops) */
/* issue 14: istat + tstat (helper A) */
#define UJ_IA_FLAG_TEXT      1024   /* bytes of one flag's plain-language reason */

/* issue 14: analysis data, report, API (helper C) */
#define UJ_IA_QUEUE_MAX      16     /* analyses waiting for the one that runs; more: 503 */

/* issue 12: connection floods (server/http/conncap.c, connguard.c) */
#define UJ_CONNS_PER_IP_DEFAULT 2000   /* default --max-conns-per-ip (a venue behind one NAT) */
#define UJ_CONNS_PER_IP_MAX  1000000   /* --max-conns-per-ip accepts 0 (no cap) to this */
#define UJ_CONN_ADDRS_MAX    65536     /* client addresses (IPv6: /64s) one front tracks */
#define UJ_REQUEST_TIMEOUT_S 10        /* default --request-timeout: headers and body */
#define UJ_REQUEST_TIMEOUT_MAX_S 600
#define UJ_CONN_LOG_EVERY_MS 10000     /* at most one refusal log line per reason this often */
#define UJ_ACCEPT_BATCH      64        /* connections accepted per loop iteration at most */

/* issue 12: storage faults (store/writer.h, exam/attempt.c) */
#define UJ_STORAGE_PROBE_MS         1000 /* while storage is unavailable: a test write this often */
#define UJ_STORAGE_RETRY_AFTER_S    5    /* Retry-After of a 503 storage_unavailable */

#endif
