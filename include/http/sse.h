/* sse.h - Server-Sent Events streams over evhttp, knowing no domain.
 *
 * A topic is one channel (a sitting's dashboard, an exam's scoreboard). A
 * publisher appends events to it; every subscriber's stream gets them in
 * order, each with the topic's next id (ids grow across restarts too: they
 * start from the hub's start time). The topic keeps its last
 * UJ_SSE_RING events, so a client reconnecting with Last-Event-ID (header,
 * or ?last_event_id= in the query) resumes without loss; when the id is
 * older than the ring (or unknown), the subscriber gets a fresh snapshot
 * (built by the topic's snapshot function) instead of a backlog.
 *
 * A slow or stalled reader never blocks the loop or grows memory without
 * bound: when a stream's unsent output passes the hub's buffer cap, it stops
 * receiving events ("behind"); once it has drained, it gets one snapshot and
 * continues live. The number of streams is capped. Idle streams get a
 * comment heartbeat every UJ_SSE_HEARTBEAT_S seconds; their connections have
 * no read timeout (evhttp's own would close a stream whose client never
 * sends). Loop thread only. */
#ifndef UJIAN_SSE_H
#define UJIAN_SSE_H

#include <event2/event.h>
#include <event2/http.h>
#include <stddef.h>
#include <stdint.h>

struct sse_hub;
struct sse_topic;

/* The topic's whole state as one event's data (UTF-8 JSON, no newlines
 * required: the hub splits lines into data: fields). Caller frees. NULL: no
 * snapshot (the stream then starts with the next event). */
typedef char *(*sse_snapshot_fn)(void *arg, size_t *len);

/* A hub on base: at most max_streams streams, buffer_max unsent bytes per
 * stream before it counts as behind. */
struct sse_hub *sse_hub_new(struct event_base *base, int max_streams, size_t buffer_max);
/* End every stream and free the hub (topics must be freed first). */
void sse_hub_free(struct sse_hub *h);

/* A new topic; snapshot_event names the snapshot's event ("snapshot"). */
struct sse_topic *sse_topic_new(struct sse_hub *h, const char *snapshot_event,
				sse_snapshot_fn snap, void *arg);
/* End the topic's streams and free it. */
void sse_topic_free(struct sse_topic *t);

/* Answer req with a stream of t: status 200, text/event-stream, no-store;
 * then the missed events (Last-Event-ID within the ring) or a snapshot.
 * Returns 0, or -1 if the hub is full (the caller replies 503; req is
 * untouched). */
int sse_subscribe(struct sse_topic *t, struct evhttp_request *req);

/* Append event (name) with data (len bytes) to t: it gets the next id, is
 * kept in the ring and written to every stream not behind. Returns the id. */
uint64_t sse_publish(struct sse_topic *t, const char *event, const char *data, size_t len);

/* The heartbeat period in ms (default UJ_SSE_HEARTBEAT_S seconds); for
 * tests, which cannot wait 15 s. ms > 0. */
void sse_hub_set_heartbeat_ms(struct sse_hub *h, int ms);

/* Where the ids of topics made from now on start (default: the hub's start
 * time in ms x 1000, so ids never repeat across runs of the server); for
 * tests, which expect 1, 2, 3. No topic may exist yet. */
void sse_hub_set_id_base(struct sse_hub *h, uint64_t base);

/* Streams open on t; on the whole hub. */
int sse_topic_streams(const struct sse_topic *t);
int sse_hub_streams(const struct sse_hub *h);

#endif
