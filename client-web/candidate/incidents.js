// incidents.js - what the proctor may want to know about the candidate's
// screen (docs/CLIENT.md, "Incidents"): the page hidden or the window left
// (with how long), full screen left, copy / cut / paste / right-click, and a
// reconnect after being offline (recorded by exam.js through record()).
//
// Incidents are kept in memory only and sent in batches with
// POST /api/v1/attempt/incidents, at most one request every SEND_GAP_MS and
// at most BATCH_MAX items per request. They never touch the answer outbox and
// never wait for it: an answer is never delayed by an incident. Unsent items
// survive network failures (retried with backoff) but not a reload, and they
// are dropped silently once the attempt ends (stop()).
//
// createIncidents(opts):
//   opts.send(list)  Promise; POST the list (api.incidents)
//   opts.guard()     the element inside which copy, cut, paste and the
//                    context menu are also prevented (the exam screen), or
//                    null; form fields inside it are left alone
// returns {start(), stop(), record(type, ms), pending()}.

export const SEND_GAP_MS = 2000; // at most one request per 2 s
export const BATCH_MAX = 32; // UJ_INCIDENTS_BATCH_MAX on the server
const QUEUE_MAX = 256; // a flood (held-down Ctrl+V) is cut here
const RETRY_MAX_MS = 30000;
// Server answers after which nothing more can be sent for this attempt.
const ENDS = { attempt_closed: 1, unauthorized: 1, session_replaced: 1, session_reset: 1, session_expired: 1 };

const now = () => (window.performance && performance.now ? performance.now() : Date.now());

function editable(el) {
  const tag = el && el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || !!(el && el.isContentEditable);
}

function fullscreenElement() {
  return document.fullscreenElement || document.webkitFullscreenElement || null;
}

export function createIncidents(opts) {
  const send = opts.send;
  const guard = opts.guard || (() => null);

  let active = false;
  let queue = []; // [{type, ms?, at_client}], oldest first
  let sending = false;
  let timer = null;
  let nextAt = 0; // now() before which no request is sent
  let retry = SEND_GAP_MS;
  let hiddenAt = null; // now() when the page became hidden
  let blurAt = null; // now() when the window lost focus
  let hiddenDuringBlur = false;
  let wasFullscreen = false;

  function record(type, ms) {
    if (!active || queue.length >= QUEUE_MAX) return;
    const item = { type: type, at_client: Date.now() };
    if (typeof ms === 'number' && isFinite(ms)) item.ms = Math.max(0, Math.round(ms));
    queue.push(item);
    schedule();
  }

  function schedule() {
    if (!active || sending || timer !== null || queue.length === 0) return;
    timer = setTimeout(flush, Math.max(0, nextAt - now()));
  }

  async function flush() {
    timer = null;
    if (!active || sending || queue.length === 0) return;
    sending = true;
    const batch = queue.slice(0, BATCH_MAX);
    nextAt = now() + SEND_GAP_MS;
    try {
      await send(batch);
      retry = SEND_GAP_MS;
      queue = queue.filter((x) => batch.indexOf(x) === -1);
    } catch (err) {
      if (!active) return;
      const code = err && err.code;
      if (code && ENDS[code]) {
        stop();
        return;
      }
      if (err && err.transient === false && code !== 'paused') {
        // Refused for good (400 invalid_incident, ...): resending the same
        // batch would be refused again.
        queue = queue.filter((x) => batch.indexOf(x) === -1);
      } else {
        // Network, timeout, 5xx, 429, paused: keep them, try again later.
        nextAt = now() + retry;
        retry = Math.min(retry * 2, RETRY_MAX_MS);
      }
    } finally {
      sending = false;
      schedule();
    }
  }

  /* ---- what the browser tells us -------------------------------------- */

  function onVisibility() {
    if (document.hidden) {
      if (hiddenAt === null) hiddenAt = now();
      if (blurAt !== null) hiddenDuringBlur = true;
    } else if (hiddenAt !== null) {
      const ms = now() - hiddenAt;
      hiddenAt = null;
      record('page_hidden', ms);
    }
  }

  // A blur that hid the page (another tab, minimised) is already reported as
  // page_hidden; window_blur is the other kind: another window in front.
  function onBlur(ev) {
    if (ev.target !== window) return;
    blurAt = now();
    hiddenDuringBlur = !!document.hidden;
  }

  function onFocus(ev) {
    if (ev.target !== window || blurAt === null) return;
    const ms = now() - blurAt;
    blurAt = null;
    if (!hiddenDuringBlur) record('window_blur', ms);
  }

  function onFullscreen() {
    if (fullscreenElement()) wasFullscreen = true;
    else if (wasFullscreen) {
      wasFullscreen = false;
      record('fullscreen_exit');
    }
  }

  function inGuard(target) {
    const area = guard();
    return !!(area && target && target.nodeType === 1 && area.contains(target) && !editable(target));
  }

  function onClipboard(ev) {
    record(ev.type); // copy | cut | paste
    if (inGuard(ev.target)) ev.preventDefault();
  }

  function onContextMenu(ev) {
    record('context_menu');
    if (inGuard(ev.target)) ev.preventDefault();
  }

  const LISTENERS = [
    [document, 'visibilitychange', onVisibility],
    [window, 'blur', onBlur],
    [window, 'focus', onFocus],
    [document, 'fullscreenchange', onFullscreen],
    [document, 'webkitfullscreenchange', onFullscreen],
    [document, 'copy', onClipboard],
    [document, 'cut', onClipboard],
    [document, 'paste', onClipboard],
    [document, 'contextmenu', onContextMenu],
  ];

  function start() {
    if (active) return;
    active = true;
    hiddenAt = document.hidden ? now() : null;
    blurAt = null;
    wasFullscreen = !!fullscreenElement();
    for (let i = 0; i < LISTENERS.length; i++) LISTENERS[i][0].addEventListener(LISTENERS[i][1], LISTENERS[i][2]);
    schedule();
  }

  /** The attempt is over (or this screen is gone): forget everything. */
  function stop() {
    active = false;
    queue = [];
    clearTimeout(timer);
    timer = null;
    for (let i = 0; i < LISTENERS.length; i++) LISTENERS[i][0].removeEventListener(LISTENERS[i][1], LISTENERS[i][2]);
  }

  return {
    start: start,
    stop: stop,
    record: record,
    pending: () => queue.length,
    active: () => active,
  };
}
