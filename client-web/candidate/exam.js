// exam.js - the exam screen: one question at a time, the answer outbox, the
// server-owned countdown, the control poll (clock, proctor's pause and
// messages; also the heartbeat), time-up and finishing.
//
// createExam(ctx) takes
//   ctx.session  {exam, regno, ...}
//   ctx.paper    the Paper of POST /attempt/start or GET /attempt
//   ctx.ui       {notice: {show(kind, vars), hide(kind)}, announce(text),
//                 setConnection(online), countdown(text, remainingMs, low),
//                 timeWarning(key), background (element made inert by dialogs),
//                 pause: {show(reason, timeText), hide()} (render/pause.js),
//                 messages(list) (the proctor's notices, render/messages.js),
//                 incident(type, ms) (incidents.js)}
//   ctx.on       {finished(result, how), replaced(), unauthorized(code), notStarted()}
// and returns the controller app.js wires the static buttons and keys to.

import { api } from './api.js';
import { createOutbox, FATAL } from './outbox.js';
import { createClock, formatHms, spokenParts } from './clock.js';
import { createPaper } from './paper.js';
import { renderQuestion, updateOptions, focusOption, optionElements, focusedOption } from './render/question.js';
import { buildNav } from './render/nav.js';
import { openDialog, closeDialog, dialogOpen } from './render/dialog.js';
import { retryFailedImages } from './render/images.js';
import { t, reasonText } from './i18n/index.js';
import { getItem, setItem, removeItem, KEYS } from './storage.js';

// The control poll, GET /attempt?view=clock: UJ_CAND_POLL_MS on the server,
// jittered so a room that started together does not poll in step.
const POLL_MS = 4000;
const POLL_JITTER = 0.1;
const pollDelay = () => Math.round(POLL_MS * (1 - POLL_JITTER + 2 * POLL_JITTER * Math.random()));
const TICK_MS = 250; // countdown display
const RESULT_POLL_MS = 500; // after time-up, until the server has finished
const POSITION_DELAY_MS = 400; // report the current question once navigation settles
const BACKOFF_MIN = 500;
const BACKOFF_MAX = 5000;
const WARNINGS = [
  { ms: 5 * 60000, key: 'warn5' },
  { ms: 10 * 60000, key: 'warn10' },
];

const $ = (id) => document.getElementById(id);

/** The Result of a finished GET /attempt reply, with the attempt's
 *  finish_reason and (proctor, disqualified) reason when the result lacks
 *  them; null when there is none. */
export function finishedResult(r) {
  if (!r || !r.result || typeof r.result !== 'object') return null;
  const a = r.attempt || {};
  const res = Object.assign({}, r.result);
  if (typeof res.finish_reason !== 'string' && typeof a.finish_reason === 'string') res.finish_reason = a.finish_reason;
  if (typeof res.reason !== 'string' && typeof a.reason === 'string') res.reason = a.reason;
  return res;
}

export function createExam(ctx) {
  const paper = createPaper(ctx.paper);
  const clock = createClock();
  const ui = ctx.ui;
  const posKey = KEYS.position(ctx.session.exam, ctx.session.regno);

  let nav = null;
  let current = null;
  let locked = false; // no more changes (time up, closed, session gone)
  let timeUp = false;
  let stopped = false; // this controller no longer talks to the server
  let online = true;
  let syncing = false;
  let syncTimer = null;
  let syncBackoff = BACKOFF_MIN;
  let tickTimer = null;
  let pollTimer = null;
  let pollBackoff = BACKOFF_MIN;
  let polling = false;
  let polls = 0;
  let lastRem = null; // the time left at the previous tick (ms): warnings fire on crossing a mark
  let shownStatus = { n: null, status: null };
  let finishBusy = false;
  let paused = null; // {reason} while the proctor has paused the attempt
  let offlineAt = null; // now() when the connection was lost

  const outbox = createOutbox({
    storageKey: KEYS.outbox(ctx.session.exam, ctx.session.regno),
    send: (n, body) => api.answer(n, body),
    serverRev: (n) => paper.serverRev(n),
    hooks: {
      onAck(entry, reply) {
        paper.adopt(reply.n, reply);
        clock.sync(reply.remaining_ms);
        tick();
      },
      onChange: () => redraw(),
      onTransport: (ok) => setOnline(ok),
      onRejected(entry, err) {
        ui.notice.show('rejected', { n: entry.n, err: err });
      },
      // 409 paused: show the pause now; the poll brings the reason and,
      // later, the resume (which kicks the outbox).
      onHeld(err) {
        if (!paused) setPaused({ reason: (err && err.detail) || '' });
        sync(false);
      },
      onFatal: (code) => fatal(code),
    },
  });

  /* ---- start ---------------------------------------------------------- */

  function init() {
    paper.adoptAll(ctx.paper.answers);
    if (ctx.paper.notices) ui.messages(ctx.paper.notices);
    outbox.load();
    // Merge: a queued change wins only if its rev is higher than the server's.
    for (let i = 0; i < paper.questions.length; i++) outbox.dropUpTo(paper.questions[i].n, paper.serverRev(paper.questions[i].n));
    clock.sync(ctx.paper.attempt && ctx.paper.attempt.remaining_ms);
    if (ctx.paper.attempt && ctx.paper.attempt.paused) setPaused(ctx.paper.attempt.paused);

    nav = buildNav(paper, (n) => go(n, 'heading'));
    nav.relabel();

    // This browser's own last question wins (a reload); on another PC the
    // server's position (where the candidate was); else the first unanswered.
    const saved = parseInt(getItem(posKey), 10);
    const there = ctx.paper.position;
    let n = paper.has(saved) ? saved : paper.has(there) ? there : paper.firstUnanswered(outbox);
    if (n === null) n = paper.first();
    go(n, null);

    outbox.start();
    tick();
    tickTimer = setInterval(tick, TICK_MS);
    scheduleSync(pollDelay());
    if (!navigator.onLine) setOnline(false);
  }

  /* ---- drawing -------------------------------------------------------- */

  function redraw() {
    if (!nav || current === null) return;
    for (let i = 0; i < paper.questions.length; i++) {
      const n = paper.questions[i].n;
      nav.update(n, paper.view(n, outbox), outbox.status(n) === 'saved', n === current);
    }
    const view = paper.view(current, outbox);
    const frozen = locked || !!paused;
    updateOptions(view, frozen);
    const flag = $('flag-toggle');
    flag.setAttribute('aria-pressed', view.flagged ? 'true' : 'false');
    flag.setAttribute('aria-disabled', frozen ? 'true' : 'false');
    $('clear-answer').setAttribute('aria-disabled', frozen || view.option === null ? 'true' : 'false');
    $('prev-button').setAttribute('aria-disabled', paper.prev(current) === null ? 'true' : 'false');
    $('next-button').setAttribute('aria-disabled', paper.next(current) === null ? 'true' : 'false');
    $('screen-exam').classList.toggle('locked', locked);

    // Saved and empty is "not answered" (nothing was saved that the
    // candidate would call an answer), not "saved".
    const status = outbox.status(current) === 'saved' && view.option === null ? 'empty' : outbox.status(current);
    const box = $('save-status');
    box.setAttribute('data-status', status);
    $('save-status-text').textContent = t(status);
    if (shownStatus.n === current && shownStatus.status !== status) {
      if (status === 'saved') ui.announce(t('savedAnnounce', { n: current }));
      else if (status === 'empty') ui.announce(t('clearedAnnounce', { n: current }));
      else if (status === 'unsaved') ui.announce(t('unsavedAnnounce', { n: current }));
    }
    shownStatus = { n: current, status: status };

    const c = paper.counts(outbox);
    $('nav-summary').textContent = t('navSummary', c);
  }

  /** Show question n. focus: 'heading' (the question's heading), 'auto' (the
   *  options if focus was in them, else the heading) or null (left alone). */
  function go(n, focus) {
    if (!paper.has(n)) return;
    const inOptions = focusedOption() !== null;
    current = n;
    setItem(posKey, String(n));
    reportPosition();
    renderQuestion(paper, paper.question(n), { choose: choose, zoom: zoom });
    shownStatus = { n: null, status: null };
    redraw();
    const card = $('question');
    const head = $('question-number');
    if (focus === 'auto' && inOptions) focusOptions();
    else if (focus) head.focus();
    // Show the new question from its start (the column scrolls on wide
    // screens, the page on narrow ones) and its button in the grid.
    const col = card.parentNode;
    if (col.scrollHeight > col.clientHeight) col.scrollTop = 0;
    // Bring the whole card (section label first) in, below the mini bar when
    // it shows (offsetHeight 0 otherwise; scroll-padding-top clears it).
    if (head.getBoundingClientRect().top < $('mini-bar').offsetHeight && card.scrollIntoView) card.scrollIntoView();
    nav.reveal(n);
  }

  // Tell the server where the candidate is, once navigation settles. Best
  // effort: a lost report only means another PC opens at an older question;
  // it is sent again after a reconnect.
  let positionTimer = null;
  let reportedPosition = null;
  function reportPosition() {
    clearTimeout(positionTimer);
    positionTimer = setTimeout(() => {
      const n = current;
      if (stopped || n === null || n === reportedPosition) return;
      api.position(n).then(
        () => { reportedPosition = n; },
        () => { /* retried on the next move or reconnect */ }
      );
    }, POSITION_DELAY_MS);
  }

  function focusOptions() {
    const view = paper.view(current, outbox);
    const opts = optionElements();
    if (!opts.length) return $('question-number').focus();
    focusOption(view.option !== null ? view.option : opts[0].getAttribute('data-label'));
  }

  function tick() {
    const rem = clock.remaining();
    if (rem === null) return;
    ui.countdown(formatHms(rem), rem, rem <= 5 * 60000);
    if (paused) ui.pause.time(formatHms(rem));
    // Only crossing a mark warns: an exam that starts (or a page that
    // reloads) already under it says nothing about that mark. A jump over
    // both marks at once (a long sleep) warns once, of the smaller.
    if (lastRem !== null && !paused) {
      for (let i = 0; i < WARNINGS.length; i++) {
        const w = WARNINGS[i];
        if (rem > 0 && rem <= w.ms && lastRem > w.ms) {
          ui.timeWarning(rem < w.ms - 5000 ? w.key + 'Less' : w.key);
          break;
        }
      }
    }
    lastRem = rem;
    if (rem <= 0 && !timeUp && !stopped) onTimeUp();
  }

  /* ---- changes -------------------------------------------------------- */

  function choose(label) {
    if (locked || paused || current === null) return;
    if (!paper.question(current).options.some((o) => o.label === label)) return;
    const inOptions = focusedOption() !== null;
    const view = paper.view(current, outbox);
    if (view.option !== label) outbox.enqueue(current, label, view.flagged); // choosing it again never unselects
    if (inOptions) focusOption(label);
  }

  function chooseIndex(i) {
    const q = paper.question(current);
    if (q && i >= 1 && i <= q.options.length) choose(q.options[i - 1].label);
  }

  function clearAnswer() {
    if (locked || paused || current === null) return;
    const view = paper.view(current, outbox);
    if (view.option !== null) outbox.enqueue(current, null, view.flagged);
  }

  function toggleFlag() {
    if (locked || paused || current === null) return;
    const view = paper.view(current, outbox);
    outbox.enqueue(current, view.option, !view.flagged);
  }

  /* ---- connection, sync ----------------------------------------------- */

  function setOnline(ok) {
    if (stopped || ok === online) return;
    online = ok;
    ui.setConnection(ok);
    if (!ok) {
      offlineAt = Date.now();
      ui.notice.show('offline');
      // Probe soon (with backoff) so the indicator recovers even when the
      // browser never fires an `online` event.
      scheduleSync(syncBackoff);
    } else {
      if (offlineAt !== null) ui.incident('reconnect', Date.now() - offlineAt);
      offlineAt = null;
      ui.notice.hide('offline');
      ui.announce(t('connectionBackAnnounce'));
      // Back: re-sync clock and answers, send what is queued, reload failed images.
      sync(true);
      reportPosition();
      outbox.kick();
      retryFailedImages();
    }
    redraw();
  }

  function scheduleSync(ms) {
    clearTimeout(syncTimer);
    if (!stopped) syncTimer = setTimeout(() => sync(false), ms);
  }

  // The control poll: re-sync with the server every POLL_MS (jittered). The
  // poll only asks for the clock view (the full paper is tens of kilobytes,
  // and with one session per candidate the answers cannot change elsewhere)
  // and carries the proctor's pause and messages; it is also the heartbeat
  // that shows the candidate online on the proctor's dashboard. After a
  // reconnect or a wake-up the full attempt is read, answers included.
  async function sync(full) {
    if (stopped || syncing) return;
    syncing = true;
    clearTimeout(syncTimer);
    try {
      const r = await (full ? api.attempt() : api.clock());
      if (stopped) return;
      syncBackoff = BACKOFF_MIN;
      setOnline(true);
      const a = (r && r.attempt) || {};
      if (r && Array.isArray(r.notices)) ui.messages(r.notices);
      if (a.status === 'in_progress') {
        setPaused(a.paused || null);
        clock.sync(a.remaining_ms);
        tick();
        if (r.answers) {
          const changed = paper.adoptAll(r.answers);
          for (let i = 0; i < changed.length; i++) outbox.dropUpTo(changed[i], paper.serverRev(changed[i]));
        }
        redraw();
        if (timeUp && clock.remaining() > 1500) resumeAfterTimeUp();
      } else if (a.status === 'finished') {
        closed(finishedResult(r));
        return;
      }
      scheduleSync(pollDelay());
    } catch (err) {
      if (endedBy(err)) return;
      if (!err || err.transient !== false) {
        setOnline(false);
        scheduleSync(syncBackoff);
        syncBackoff = Math.min(syncBackoff * 2, BACKOFF_MAX);
      } else {
        scheduleSync(pollDelay());
      }
    } finally {
      syncing = false;
    }
  }

  /* ---- pause ---------------------------------------------------------- */

  /** Apply the server's `attempt.paused` (null, or {since, reason}). */
  function setPaused(p) {
    if (stopped) return;
    if (p && typeof p === 'object') {
      const reason = typeof p.reason === 'string' ? p.reason : '';
      clock.freeze(true);
      const first = !paused;
      paused = { reason: reason || (paused && paused.reason) || '' };
      if (first && dialogOpen()) closeDialog({ restoreFocus: false });
      ui.pause.show(paused.reason, formatHms(clock.remaining() || 0));
      if (first) redraw();
    } else if (paused) {
      paused = null;
      clock.freeze(false);
      ui.pause.hide();
      redraw();
      // Send what waited, and tell the server where the candidate is.
      outbox.kick();
      reportedPosition = null;
      reportPosition();
    }
  }

  /** After a failed request: true when the exam is over for this screen —
   *  already stopped, or the error is one that ends it (then handled). */
  function endedBy(err) {
    if (stopped) return true;
    if (err && FATAL[err.code]) {
      fatal(err.code);
      return true;
    }
    return false;
  }

  function fatal(code) {
    if (stopped) return;
    if (code === 'attempt_closed') closed(null);
    else if (code === 'session_replaced') replaced();
    else if (code === 'unauthorized' || code === 'session_expired' || code === 'session_reset')
      halt(() => ctx.on.unauthorized(code));
    else if (code === 'not_started') halt(() => ctx.on.notStarted());
  }

  /* ---- the end -------------------------------------------------------- */

  function lock() {
    locked = true;
    redraw();
  }

  function halt(then) {
    stopped = true;
    locked = true;
    clearTimeout(syncTimer);
    clearTimeout(pollTimer);
    clearTimeout(positionTimer);
    clearInterval(tickTimer);
    outbox.stop();
    if (dialogOpen()) closeDialog({ restoreFocus: false });
    if (paused) {
      paused = null;
      ui.pause.hide({ restoreFocus: false });
    }
    if (then) then();
  }

  function onTimeUp() {
    timeUp = true;
    lock();
    if (dialogOpen() === $('finish-dialog')) closeDialog();
    ui.notice.show('timeup');
    // Whatever is still queued keeps going: the server decides what arrived in time.
    outbox.kick();
    awaitResult();
  }

  function resumeAfterTimeUp() {
    // The server gave time back (e.g. outage credit we had not heard of yet).
    timeUp = false;
    locked = false;
    polling = false;
    clearTimeout(pollTimer);
    ui.notice.hide('timeup');
    redraw();
  }

  /** The attempt is finished (409 attempt_closed, or GET /attempt said so). */
  function closed(result) {
    if (stopped) return;
    lock();
    if (!timeUp) ui.notice.show('closed');
    if (result) done(result, timeUp ? 'timeup' : 'closed');
    else awaitResult();
  }

  /** Poll GET /attempt/result until the server has finished the attempt. */
  function awaitResult() {
    if (polling || stopped) return;
    polling = true;
    polls = 0;
    pollBackoff = BACKOFF_MIN;
    poll();
  }

  async function poll() {
    if (stopped || !polling) return;
    try {
      const r = await api.result();
      if (stopped || !polling) return;
      done(r, timeUp ? 'timeup' : 'closed');
    } catch (err) {
      if (stopped || !polling) return;
      if (err && err.code === 'not_finished') {
        setOnline(true);
        polls++;
        // Our interpolated clock may be ahead of the server's (time given back
        // after an outage): look at the attempt now and then.
        if (polls % 6 === 0) sync(false);
        pollTimer = setTimeout(poll, RESULT_POLL_MS);
        return;
      }
      if (err && FATAL[err.code] && err.code !== 'attempt_closed') {
        fatal(err.code);
        return;
      }
      if (!err || err.transient !== false) setOnline(false);
      pollTimer = setTimeout(poll, pollBackoff);
      pollBackoff = Math.min(pollBackoff * 2, BACKOFF_MAX);
    }
  }

  function done(result, how) {
    halt(null);
    outbox.clear(); // a finished attempt accepts nothing more
    removeItem(posKey);
    ctx.on.finished(result, how);
  }

  /** A login on another PC took the session over: stop everything (the
   *  outbox stays in localStorage for the next login here); app.js swaps
   *  the exam for the "replaced" screen. */
  function replaced() {
    halt(() => ctx.on.replaced());
  }

  /* ---- finish dialog -------------------------------------------------- */

  function openFinish() {
    if (locked || stopped || paused) return;
    const c = paper.counts(outbox);
    $('finish-unanswered').textContent = String(c.unanswered);
    $('finish-flagged').textContent = String(c.flagged);
    $('finish-status').textContent = '';
    $('finish-confirm').removeAttribute('aria-disabled');
    openDialog($('finish-dialog'), {
      background: ui.background,
      onConfirm: confirmFinish,
      onClose: (lost) => {
        finishBusy = false;
        if (lost && !stopped) $('question-number').focus();
      },
    });
  }

  async function confirmFinish() {
    if (finishBusy || stopped || locked) return;
    finishBusy = true;
    const status = $('finish-status');
    const btn = $('finish-confirm');
    btn.setAttribute('aria-disabled', 'true');
    try {
      if (outbox.size() > 0) {
        // Never finish with answers still on the way: the score is computed
        // from what the server has.
        status.textContent = t('finishSaving');
        outbox.kick();
        const ok = await outbox.whenIdle();
        if (stopped) return;
        if (!ok) {
          status.textContent = t('finishOffline');
          return;
        }
      }
      status.textContent = t('finishBusy');
      const result = await api.finish();
      if (stopped) return;
      setOnline(true);
      done(result, 'submitted');
    } catch (err) {
      if (endedBy(err)) return;
      if (err && err.code === 'paused') {
        // Nothing finished; the pause overlay takes over (and closes this dialog).
        setPaused({ reason: err.detail || '' });
        sync(false);
        return;
      }
      if (!err || err.transient !== false) {
        setOnline(false);
        status.textContent = t('finishOffline');
      } else {
        status.textContent = t('finishFailed', { reason: reasonText(err) });
      }
    } finally {
      finishBusy = false;
      if (!stopped) btn.removeAttribute('aria-disabled');
    }
  }

  /* ---- images --------------------------------------------------------- */

  function zoom(img, i) {
    const big = $('image-dialog-img');
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    $('image-dialog-title').textContent = t('imageDialogTitle', { i: i, n: current });
    openDialog($('image-dialog'), { background: ui.background, initialFocus: $('image-dialog-close') });
  }

  /* ---- keyboard ------------------------------------------------------- */

  /** Exam shortcuts; returns true when the key was used. */
  function handleKey(ev) {
    if (paused) return false;
    const key = ev.key;
    const target = ev.target;
    const onOption = !!(target && target.parentNode === $('options') && target.getAttribute('role') === 'radio');
    if (onOption && (key === ' ' || key === 'Spacebar' || key === 'Enter')) {
      choose(target.getAttribute('data-label'));
      return true;
    }
    if (onOption && (key === 'ArrowUp' || key === 'ArrowDown' || key === 'Home' || key === 'End' || key === 'Up' || key === 'Down')) {
      const opts = optionElements();
      let i = opts.indexOf(target);
      if (key === 'Home') i = 0;
      else if (key === 'End') i = opts.length - 1;
      else if (key === 'ArrowUp' || key === 'Up') i = (i - 1 + opts.length) % opts.length;
      else i = (i + 1) % opts.length;
      focusOption(opts[i].getAttribute('data-label'));
      return true;
    }
    if (/^[a-eA-E]$/.test(key)) {
      choose(key.toUpperCase());
      return true;
    }
    if (/^[1-9]$/.test(key)) {
      chooseIndex(parseInt(key, 10));
      return true;
    }
    if (key === 'f' || key === 'F') {
      toggleFlag();
      return true;
    }
    if (key === 'w' || key === 'W' || key === 't' || key === 'T') {
      sayTimeLeft();
      return true;
    }
    // On the previous/next buttons focus stays put, as after a click.
    const focus = target === $('prev-button') || target === $('next-button') ? null : 'auto';
    if (key === 'ArrowLeft' || key === 'PageUp' || key === 'Left') {
      step(-1, focus);
      return true;
    }
    if (key === 'ArrowRight' || key === 'PageDown' || key === 'Right') {
      step(1, focus);
      return true;
    }
    return false;
  }

  /** Read the time left out through the polite live region (the header's
   *  timer is not a live region: it would talk every second). */
  function sayTimeLeft() {
    const rem = clock.remaining();
    if (rem === null) return;
    const key = { hour: 'spokenHour', minute: 'spokenMinute', second: 'spokenSecond' };
    const text = spokenParts(rem)
      .map((p) => t(key[p[1]] + (p[0] === 1 ? '' : 's'), { n: p[0] }))
      .join(' ');
    ui.announce(t('timeSpoken', { text: text }));
  }

  /** Go to the previous (dir < 0) or next question, if any. */
  function step(dir, focus) {
    const n = dir < 0 ? paper.prev(current) : paper.next(current);
    if (n !== null) go(n, focus);
  }

  /* ---- controller ----------------------------------------------------- */

  init();

  return {
    next: () => step(1, null),
    prev: () => step(-1, null),
    toggleFlag: toggleFlag,
    clearAnswer: clearAnswer,
    openFinish: openFinish,
    confirmFinish: confirmFinish,
    handleKey: handleKey,
    /** The browser says the network is back: retry everything now. */
    wake() {
      if (stopped) return;
      outbox.kick();
      sync(true);
      if (polling) {
        clearTimeout(pollTimer);
        pollBackoff = BACKOFF_MIN;
        poll();
      }
    },
    browserOffline() {
      setOnline(false);
    },
    /** Page became visible again (PC resumed): re-sync the clock. */
    resync: () => sync(true),
    relabel() {
      if (current === null) return;
      const focused = focusedOption();
      const label = focused ? focused.getAttribute('data-label') : null;
      renderQuestion(paper, paper.question(current), { choose: choose, zoom: zoom });
      nav.relabel();
      shownStatus = { n: current, status: outbox.status(current) };
      redraw();
      if (label) focusOption(label);
    },
    destroy() {
      halt(null);
    },
    stopped: () => stopped,
    paused: () => !!paused,
  };
}
