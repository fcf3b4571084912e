// outbox.js - answer changes waiting to be committed by the server.
//
// Every change (choose, clear, flag) becomes an entry {n, option, flagged,
// rev}, written to localStorage BEFORE anything is sent, so a reload, a crash
// or a power cut loses nothing the candidate did. Entries are sent in order,
// one request at a time, with PUT /api/v1/attempt/answers/{n}; the server
// replies only after committing. Unsent entries for the same question are
// coalesced (only the newest matters). Transport failures keep the entry and
// retry with backoff (0.5 s doubling to 5 s, or at once on kick()).
// 409 `paused` (the proctor paused the attempt) is neither fatal nor a
// refusal: the entry is kept, sending holds (retrying every 5 s) until the
// exam screen sees the resume and calls kick().
//
// The outbox does not decide what the screen shows; it reports through hooks:
//   onAck(entry, reply)    the server committed (reply.rev >= entry.rev) or
//                          holds a newer state (reply.rev > entry.rev)
//   onChange()             entries or transport state changed (redraw status)
//   onTransport(ok, err)   a request reached the server (ok) or not
//   onRejected(entry, err) the server refused this change for good (4xx)
//   onHeld(err)            409 paused: the entry is kept, sending waits
//   onFatal(code, err)     attempt_closed | session_replaced | session_reset |
//                          unauthorized | session_expired | not_started:
//                          sending stops

import { getJson, setJson, removeItem } from './storage.js';

const BACKOFF_MIN = 500;
const BACKOFF_MAX = 5000;
// The error codes after which nothing more can be sent (exam.js ends the
// exam screen on them too).
export const FATAL = {
  attempt_closed: 1, session_replaced: 1, session_reset: 1, unauthorized: 1, session_expired: 1, not_started: 1,
};

function validEntry(e) {
  return (
    e && typeof e === 'object' && Number.isInteger(e.n) && e.n >= 1 && Number.isInteger(e.rev) && e.rev >= 1 &&
    (e.option === null || typeof e.option === 'string') && typeof e.flagged === 'boolean'
  );
}

export function createOutbox(opts) {
  const key = opts.storageKey;
  const send = opts.send; // (n, body) => Promise<reply>
  const serverRev = opts.serverRev; // n => highest rev known from the server
  const hooks = opts.hooks;

  let entries = []; // [{n, option, flagged, rev}], oldest first
  let inflight = null; // the entry being sent
  let running = false;
  let stopped = true;
  let failing = false; // the last attempt to reach the server failed
  let held = false; // the server said 409 paused: wait for the resume
  let backoff = BACKOFF_MIN;
  let wake = null;
  let idleWaiters = [];

  function persist() {
    const plain = entries.map((e) => ({ n: e.n, option: e.option, flagged: e.flagged, rev: e.rev }));
    if (plain.length === 0) removeItem(key);
    else setJson(key, plain);
  }

  function settleWaiters(ok) {
    const w = idleWaiters;
    idleWaiters = [];
    for (let i = 0; i < w.length; i++) w[i](ok);
  }

  function sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  }

  function remove(entry) {
    const i = entries.indexOf(entry);
    if (i !== -1) entries.splice(i, 1);
  }

  async function pump() {
    if (running || stopped) return;
    running = true;
    try {
      while (!stopped && entries.length > 0) {
        const entry = entries[0];
        inflight = entry;
        hooks.onChange();
        let reply;
        try {
          reply = await send(entry.n, { option: entry.option, flagged: entry.flagged, rev: entry.rev });
          if (!reply || reply.n !== entry.n || !Number.isInteger(reply.rev))
            throw Object.assign(new Error('format'), { kind: 'format', transient: true });
        } catch (err) {
          inflight = null;
          if (stopped) break;
          const code = err && err.code;
          if (code && FATAL[code]) {
            if (code === 'attempt_closed') clear();
            else stopped = true;
            failing = false;
            hooks.onTransport(true, null);
            hooks.onChange();
            settleWaiters(false);
            hooks.onFatal(code, err);
            break;
          }
          if (code === 'paused') {
            // The attempt is paused: nothing was changed and nothing is
            // lost. Hold the entry; kick() (on resume) or a slow retry
            // sends it again.
            held = true;
            failing = false;
            hooks.onTransport(true, null);
            hooks.onChange();
            settleWaiters(false);
            hooks.onHeld(err);
            await sleep(BACKOFF_MAX);
            continue;
          }
          if (!err || err.transient !== false) {
            // Not decided by the server (network, timeout, 5xx, proxy page):
            // keep the entry, retry later.
            failing = true;
            hooks.onTransport(false, err);
            hooks.onChange();
            settleWaiters(false);
            await sleep(backoff);
            backoff = Math.min(backoff * 2, BACKOFF_MAX);
            continue;
          }
          // The server refused this change for good (invalid_option, ...).
          remove(entry);
          persist();
          failing = false;
          held = false;
          hooks.onTransport(true, null);
          hooks.onRejected(entry, err);
          hooks.onChange();
          continue;
        }
        inflight = null;
        if (stopped) break;
        backoff = BACKOFF_MIN;
        failing = false;
        held = false;
        remove(entry);
        // The server's state is at least reply.rev: older queued changes of
        // this question would be ignored by the server anyway.
        dropUpTo(entry.n, reply.rev, true);
        persist();
        hooks.onTransport(true, null);
        hooks.onAck(entry, reply);
        hooks.onChange();
      }
    } finally {
      running = false;
      inflight = null;
    }
    if (!stopped && entries.length === 0) settleWaiters(true);
  }

  function dropUpTo(n, rev, quiet) {
    const before = entries.length;
    entries = entries.filter((e) => e === inflight || e.n !== n || e.rev > rev);
    if (entries.length !== before && !quiet) {
      persist();
      hooks.onChange();
    }
  }

  function clear() {
    entries = [];
    inflight = null;
    persist();
  }

  return {
    /** Restore entries saved by an earlier page (reload, reopened tab). */
    load() {
      const saved = getJson(key);
      entries = Array.isArray(saved) ? saved.filter(validEntry).map((e) => ({ n: e.n, option: e.option, flagged: e.flagged, rev: e.rev })) : [];
      return entries.length;
    },

    /** Queue a change; it is in localStorage when this returns. */
    enqueue(n, option, flagged) {
      let rev = serverRev(n);
      for (let i = 0; i < entries.length; i++) if (entries[i].n === n && entries[i].rev > rev) rev = entries[i].rev;
      const entry = { n: n, option: option, flagged: flagged, rev: rev + 1 };
      // Coalesce: unsent changes of this question are superseded.
      entries = entries.filter((e) => e === inflight || e.n !== n);
      entries.push(entry);
      persist();
      hooks.onChange();
      if (!stopped) pump(); // no-op while a send or a backoff wait is under way
      return entry;
    },

    /** The newest queued state of question n, or null. */
    latest(n) {
      for (let i = entries.length - 1; i >= 0; i--) if (entries[i].n === n) return entries[i];
      return null;
    },

    has(n) {
      return this.latest(n) !== null;
    },

    /** 'saved' | 'saving' | 'unsaved' for question n. */
    status(n) {
      if (!this.has(n)) return 'saved';
      return failing || held || stopped ? 'unsaved' : 'saving';
    },

    size() {
      return entries.length;
    },

    /** True while the server said 409 paused and no send succeeded since. */
    held: () => held,

    dropUpTo: (n, rev) => dropUpTo(n, rev, false),

    clear() {
      clear();
      hooks.onChange();
    },

    start() {
      stopped = false;
      pump();
    },

    stop() {
      stopped = true;
      if (wake) wake();
      settleWaiters(false);
    },

    /** Retry now (the browser says it is online again, or the server answered). */
    kick() {
      backoff = BACKOFF_MIN;
      if (stopped) return;
      if (wake) wake();
      else pump();
    },

    /**
     * Resolves true once everything queued is committed, false as soon as a
     * send fails (or sending stops).
     */
    whenIdle() {
      if (entries.length === 0 && !running) return Promise.resolve(true);
      if (stopped) return Promise.resolve(false);
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        if (wake) wake();
        else pump();
      });
    },
  };
}
