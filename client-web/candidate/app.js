// app.js - entry module of the candidate page: which screen is shown
// (loading, login, ready, waiting, exam, result), the session kept in
// localStorage so a reload goes straight back, the incident recorder's life
// and the wiring of the static controls. The exam itself lives in exam.js.

import { api, setToken } from './api.js';
import { loadLang, setLang, getLang, t, applyStatic, errorText } from './i18n/index.js';
import { getJson, setJson, removeItem, KEYS, getItem, setItem } from './storage.js';
import { loadPrefs, changeFont, toggleContrast, toggleDescribe, setExamDescribe, fontStep, FONT_STEPS } from './prefs.js';
import { createExam, finishedResult } from './exam.js';
import { createIncidents } from './incidents.js';
import { fingerprint } from './fingerprint.js';
import { dialogOpen, closeDialog } from './render/dialog.js';
import { showPause, hidePause, pauseTime, pauseShown, relabelPause } from './render/pause.js';
import { bindMessages, updateMessages, showActivityNote, clearMessages, relabelMessages } from './render/messages.js';
import { noticeArea, announce, setConnection, showCountdown, showTimeWarning, hideTimeWarning, relabelChrome, watchTopbar } from './render/chrome.js';
import * as login from './render/login.js';
import { renderReady, renderWaiting } from './render/ready.js';
import { renderResult } from './render/result.js';

const $ = (id) => document.getElementById(id);
const SCREENS = ['loading', 'login', 'ready', 'waiting', 'exam', 'replaced', 'result'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// "Start together": POST /attempt/start again every WAIT_RETRY_MS (±10%)
// while the server answers 409 waiting.
const WAIT_RETRY_MS = 3000;
// The server ended this session: back to the login form, which says why.
const SESSION_END = { session_replaced: 1, unauthorized: 1, session_expired: 1, session_reset: 1 };
const SESSION_END_TEXT = {
  session_replaced: 'sessionReplacedLogin',
  session_reset: 'sessionResetLogin',
};

const state = {
  screen: 'loading',
  session: null, // {token, exam, regno, name, title, sections}
  exam: null, // controller of exam.js while the exam screen is up
  readyMs: 0,
  result: null,
  flow: 0, // bumped whenever a new flow starts; older async steps give up
  startBusy: false,
  incidents: null, // incidents.js recorder while waiting or in the exam
  waitChecked: null, // Date of the last 409 waiting
};

/* ---- session ------------------------------------------------------------ */

function saveSession(s) {
  state.session = s;
  setToken(s ? s.token : null);
  if (s) {
    setJson(KEYS.session, s);
    setJson(KEYS.last, { exam: s.exam, regno: s.regno });
  } else {
    removeItem(KEYS.session);
  }
}

function loadSession() {
  const s = getJson(KEYS.session);
  if (s && typeof s.token === 'string' && typeof s.exam === 'string' && typeof s.regno === 'string') return s;
  return null;
}

/** Forget the token but keep exam + registration number for the login form. */
function dropToken() {
  const s = state.session;
  if (s) setJson(KEYS.last, { exam: s.exam, regno: s.regno });
  removeItem(KEYS.session);
  setToken(null);
}

/** The server ended the session (session_replaced: a login elsewhere;
 *  session_reset: a proctor ended it, e.g. to move the candidate to another
 *  PC; or unauthorized, expired): back to the login form, which says why. */
function sessionGone(code) {
  dropToken();
  showLogin({ message: SESSION_END_TEXT[code] || 'sessionEndedLogin', focus: 'password' });
}

/* ---- incidents ---------------------------------------------------------- */

// Recorded while the candidate waits for the start or works on the exam;
// dropped (with anything unsent) when the attempt ends or the session goes.
function startIncidents() {
  if (!state.incidents) state.incidents = createIncidents({ send: api.incidents, guard: () => $('screen-exam') });
  state.incidents.start();
}

function stopIncidents() {
  if (state.incidents) state.incidents.stop();
  state.incidents = null;
}

/** The "leaving the page is recorded" note: shown on the ready and waiting
 *  screens; in the exam only if this browser has not shown it for this attempt. */
function activityNoteShown() {
  const s = state.session;
  if (!s) return;
  setItem(KEYS.activityNote(s.exam, s.regno), '1');
}

function activityNoteSeen() {
  const s = state.session;
  return !!s && getItem(KEYS.activityNote(s.exam, s.regno)) === '1';
}

/* ---- screens ------------------------------------------------------------ */

function showScreen(name) {
  state.screen = name;
  for (let i = 0; i < SCREENS.length; i++) $('screen-' + SCREENS[i]).hidden = SCREENS[i] !== name;
  const s = state.session;
  const withCandidate = s && (name === 'ready' || name === 'waiting' || name === 'exam' || name === 'result');
  $('header-exam-title').hidden = !withCandidate;
  $('header-candidate').hidden = !withCandidate;
  if (withCandidate) {
    $('header-exam-title').textContent = s.title || s.exam;
    // The number first: if the line must be cut short, the name gives way.
    $('header-candidate').textContent = s.regno + (s.name ? ' · ' + s.name : '');
    $('header-exam-title').title = $('header-exam-title').textContent;
    $('header-candidate').title = $('header-candidate').textContent;
  }
  $('status-area').hidden = name !== 'exam';
  document.documentElement.classList.toggle('in-exam', name === 'exam');
  document.documentElement.classList.toggle('with-candidate', !!withCandidate);
  window.scrollTo(0, 0);
  if (name !== 'exam') hideTimeWarning();
}

function stopExam() {
  setExamDescribe(false);
  if (state.exam) state.exam.destroy();
  state.exam = null;
  if (dialogOpen()) closeDialog({ restoreFocus: false });
  hidePause({ restoreFocus: false });
  clearMessages();
}

/* ---- login -------------------------------------------------------------- */

async function loadExams() {
  login.setExams(null, 'loading');
  try {
    const list = await api.openExams();
    if (!Array.isArray(list)) throw new Error('format');
    login.setExams(
      list
        .filter((x) => x && typeof x.code === 'string')
        .map((x) => ({ code: x.code, title: typeof x.title === 'string' ? x.title : '', token_required: x.token_required === true })),
      'ok',
    );
  } catch (e) {
    login.setExams(null, 'error');
  }
}

function showLogin(opts) {
  const o = opts || {};
  state.flow++;
  stopExam();
  stopIncidents();
  const last = getJson(KEYS.last) || {};
  const code = o.exam || new URLSearchParams(window.location.search).get('exam') || last.exam || '';
  login.setWantedExam(code);
  login.resetToken();
  login.drawExams();
  $('login-regno').value = o.regno || last.regno || '';
  $('login-password').value = '';
  $('login-token').value = '';
  login.showLoginError(o.message ? { key: o.message } : null);
  login.setLoginBusy(false);
  showScreen('login');
  loadExams();
  if (o.focus === 'password' && $('login-regno').value) $('login-password').focus();
  else if (o.focus) $('login-heading').focus();
}

async function submitLogin(ev) {
  ev.preventDefault();
  if (login.loginBusy()) return;
  const exam = $('login-exam').value.trim();
  const regno = $('login-regno').value.trim();
  const password = $('login-password').value;
  const token = $('login-token').value.trim();
  // No exam chosen is fine: the server finds the one open exam holding this
  // number and password (the chooser's first entry says so when several are open).
  const missing = !regno
    ? ['missingRegno', 'login-regno']
    : !password
      ? ['missingPassword', 'login-password']
      : login.tokenVisible() && !token
        ? ['missingToken', 'login-token']
        : null;
  if (missing) {
    login.showLoginError({ key: missing[0] });
    $(missing[1]).focus();
    return;
  }
  const body = { registration_no: regno, password: password };
  if (exam) body.exam = exam;
  if (login.tokenVisible() && token) body.token = token;
  login.setLoginBusy(true);
  login.showLoginError(null);
  const flow = ++state.flow;
  try {
    // The seat's short fingerprint, for the proctor (none where the browser
    // cannot compute it: then the login goes without).
    const fp = await fingerprint();
    if (flow !== state.flow) return;
    if (fp) body.fp = fp;
    const r = await api.login(body);
    if (flow !== state.flow) return;
    if (!r || typeof r.token !== 'string') throw new Error('format');
    const ex = r.exam || {};
    const cand = r.candidate || {};
    saveSession({
      token: r.token,
      exam: typeof ex.code === 'string' ? ex.code : exam,
      regno: typeof cand.registration_no === 'string' ? cand.registration_no : regno,
      name: typeof cand.name === 'string' ? cand.name : '',
      title: typeof ex.title === 'string' ? ex.title : exam,
      sections: Array.isArray(ex.sections) ? ex.sections : [],
    });
    $('login-password').value = '';
    await resume();
  } catch (err) {
    if (flow !== state.flow) return;
    const code = err && err.code;
    // A wrong pick among several open exams reads like a wrong password: say so.
    const hint = code === 'invalid_credentials' && exam && login.severalExams() ? 'loginCheckExam' : undefined;
    login.showLoginError({ err: err && err.kind ? err : { kind: 'format' }, hint: hint });
    if (code === 'exam_required') {
      $('login-exam').focus();
    } else if (code === 'token_required' || code === 'token_invalid') {
      login.forceToken();
      $('login-token').focus();
      if (code === 'token_invalid') $('login-token').select();
    } else if (code === 'invalid_credentials') {
      $('login-password').select();
      $('login-password').focus();
    }
  } finally {
    if (flow === state.flow || state.screen === 'login') login.setLoginBusy(false);
  }
}

/* ---- resume: GET /attempt and go where the attempt is ------------------- */

async function resume() {
  const flow = ++state.flow;
  stopExam();
  showScreen('loading');
  $('loading-text').textContent = t('loadingText');
  let backoff = 500;
  for (;;) {
    try {
      const r = await api.attempt();
      if (flow !== state.flow) return;
      route(r);
      return;
    } catch (err) {
      if (flow !== state.flow) return;
      if (err && SESSION_END[err.code]) {
        sessionGone(err.code);
        return;
      }
      if (err && err.transient === false) {
        dropToken();
        showLogin({ focus: 'password' });
        login.showLoginError({ err: err });
        return;
      }
      $('loading-text').textContent = t('loadingRetry');
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 5000);
    }
  }
}

function route(r) {
  const a = (r && r.attempt) || {};
  // A candidate who was waiting for a start-together sitting (this browser
  // remembers it, or the server says so) goes on waiting.
  if (a.status === 'waiting' || (a.status === 'not_started' && state.session.waiting)) showWaiting(a.remaining_ms);
  else if (a.status === 'not_started') showReady(a.remaining_ms);
  else if (a.status === 'in_progress') startExam(r);
  else if (a.status === 'finished') {
    removeItem(KEYS.outbox(state.session.exam, state.session.regno));
    showResult(finishedResult(r) || { finish_reason: a.finish_reason, finished_at: a.finished_at, reason: a.reason }, null);
  } else {
    dropToken();
    showLogin({});
    login.showLoginError({ err: { kind: 'format' } });
  }
}

/* ---- ready -------------------------------------------------------------- */

function showReady(remainingMs) {
  state.readyMs = typeof remainingMs === 'number' ? remainingMs : 0;
  renderReady(state.session, state.readyMs);
  $('ready-error').textContent = '';
  setStartBusy(false);
  showScreen('ready');
  activityNoteShown();
  $('ready-heading').focus();
}

/* ---- waiting for the proctor's start ("start together") ---------------- */

function setWaiting(on) {
  const s = state.session;
  if (!s || !!s.waiting === on) return;
  if (on) s.waiting = true;
  else delete s.waiting;
  saveSession(s);
}

function drawWaiting(problem) {
  renderWaiting(state.session, state.readyMs, state.waitChecked);
  if (problem !== undefined) $('waiting-error').textContent = problem;
}

/** The proctor has not pressed Mulai yet (409 waiting): say so, and start
 *  again every WAIT_RETRY_MS until the server lets the attempt start. */
function showWaiting(remainingMs) {
  const flow = ++state.flow;
  stopExam();
  if (typeof remainingMs === 'number') state.readyMs = remainingMs;
  setWaiting(true);
  state.waitChecked = new Date();
  drawWaiting('');
  showScreen('waiting');
  activityNoteShown();
  startIncidents();
  $('waiting-heading').focus();
  waitForStart(flow);
}

async function waitForStart(flow) {
  for (;;) {
    await sleep(Math.round(WAIT_RETRY_MS * (0.9 + 0.2 * Math.random())));
    if (flow !== state.flow) return;
    try {
      const paper = await api.start();
      if (flow !== state.flow) return;
      setWaiting(false);
      startExam(paper);
      return;
    } catch (err) {
      if (flow !== state.flow) return;
      const code = err && err.code;
      if (code === 'waiting') {
        state.waitChecked = new Date();
        drawWaiting('');
        continue;
      }
      if (SESSION_END[code]) {
        sessionGone(code);
        return;
      }
      if (code === 'attempt_closed') {
        setWaiting(false);
        resume();
        return;
      }
      if (err && err.transient === false) {
        // Refused for good (the exam closed, ...): back to the ready screen,
        // which says why; the start button tries again.
        setWaiting(false);
        stopIncidents();
        showReady(state.readyMs);
        $('ready-error').textContent = errorText(err);
        return;
      }
      drawWaiting(t('waitingOffline'));
    }
  }
}

/** The start button while POST /attempt/start is under way (or not). */
function setStartBusy(busy) {
  state.startBusy = busy;
  const btn = $('start-button');
  if (busy) btn.setAttribute('aria-disabled', 'true');
  else btn.removeAttribute('aria-disabled');
  btn.textContent = t(busy ? 'startBusy' : 'startButton');
}

async function startAttempt() {
  if (state.startBusy) return;
  setStartBusy(true);
  $('ready-error').textContent = '';
  const flow = ++state.flow;
  try {
    const paper = await api.start();
    if (flow !== state.flow) return;
    startExam(paper);
  } catch (err) {
    if (flow !== state.flow) return;
    const code = err && err.code;
    if (code === 'waiting') {
      showWaiting();
      return;
    }
    if (code === 'attempt_closed') {
      resume();
      return;
    }
    if (SESSION_END[code]) {
      sessionGone(code);
      return;
    }
    $('ready-error').textContent = errorText(err);
  } finally {
    if (flow === state.flow && state.screen === 'ready') setStartBusy(false);
  }
}

/* ---- exam --------------------------------------------------------------- */

function startExam(paper) {
  stopExam();
  noticeArea.hide();
  setConnection(true);
  setWaiting(false);
  showScreen('exam');
  bindMessages(state.session, focusMain);
  if (!activityNoteSeen()) {
    showActivityNote();
    activityNoteShown();
  }
  startIncidents();
  // The exam may turn the accessibility mode on for all its candidates.
  setExamDescribe(!!(paper && paper.describe_figures === true));
  state.exam = createExam({
    session: state.session,
    paper: paper,
    ui: {
      notice: noticeArea,
      announce: announce,
      setConnection: setConnection,
      countdown: showCountdown,
      timeWarning: showTimeWarning,
      background: $('app'),
      pause: {
        show: (reason, time) => showPause(reason, time, $('app')),
        time: pauseTime,
        hide: (opts) => {
          const was = pauseShown();
          hidePause(opts, focusMain);
          if (was && !(opts && opts.restoreFocus === false)) announce(t('resumedAnnounce'));
        },
      },
      messages: updateMessages,
      incident: (type, ms) => {
        if (state.incidents) state.incidents.record(type, ms);
      },
    },
    on: {
      finished: (result, how) => {
        state.exam = null;
        const r = result || {};
        // Ended by the proctor: the result screen says so (the "your exam
        // is over" notice would only repeat it).
        if (how === 'timeup' || how === 'submitted' || r.finish_reason === 'proctor' || r.finish_reason === 'disqualified')
          noticeArea.hide();
        showResult(result, how);
      },
      replaced: () => {
        state.exam = null;
        showReplaced();
      },
      unauthorized: (code) => {
        state.exam = null;
        sessionGone(code || 'unauthorized');
      },
      notStarted: () => {
        state.exam = null;
        resume();
      },
    },
  });
  $('question-number').focus();
}

/* ---- replaced by a login elsewhere -------------------------------------- */

/** The session was taken over by a login on another PC: nothing here works
 *  any more, so the exam goes and only the way back to the login stays. */
function showReplaced() {
  state.flow++;
  stopExam();
  stopIncidents();
  dropToken();
  noticeArea.hide();
  showScreen('replaced');
  $('replaced-heading').focus();
}

/* ---- result ------------------------------------------------------------- */

function showResult(result, how) {
  stopExam();
  stopIncidents(); // the attempt is over: unsent incidents are dropped
  state.result = result;
  renderResult(state.session, result);
  showScreen('result');
  if (how !== 'closed') noticeArea.hide();
  $('result-heading').focus();
}

async function logout(ev) {
  const btn = ev && ev.currentTarget && ev.currentTarget.nodeType === 1 ? ev.currentTarget : $('logout-button');
  if (btn.getAttribute('aria-disabled') === 'true') return;
  btn.setAttribute('aria-disabled', 'true');
  state.flow++; // stops waiting for the start
  stopIncidents();
  try {
    await api.logout();
  } catch (err) {
    // A session that is already gone is logged out; on any other failure
    // the local session is forgotten all the same (a shared PC).
  } finally {
    btn.removeAttribute('aria-disabled');
  }
  saveSession(null);
  removeItem(KEYS.last);
  state.result = null;
  noticeArea.hide();
  showLogin({ focus: true });
}

/* ---- language, display -------------------------------------------------- */

function relabel() {
  applyStatic(document);
  document.title = t('pageTitle');
  const langs = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < langs.length; i++) langs[i].setAttribute('aria-pressed', langs[i].getAttribute('data-lang') === getLang() ? 'true' : 'false');
  relabelChrome();
  login.relabelLogin();
  if (state.screen === 'ready') {
    renderReady(state.session, state.readyMs);
    setStartBusy(state.startBusy);
  }
  if (state.screen === 'waiting') drawWaiting();
  relabelPause();
  relabelMessages();
  if (state.screen === 'result' && state.result) renderResult(state.session, state.result);
  if (state.exam) state.exam.relabel();
  drawNavToggle();
}

function drawNavToggle() {
  const collapsed = $('nav').classList.contains('collapsed');
  const b = $('nav-toggle');
  b.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
  b.textContent = collapsed ? t('navShow') : t('navHide');
}

/* ---- keys --------------------------------------------------------------- */

function onKeydown(ev) {
  if (ev.defaultPrevented || dialogOpen() || pauseShown()) return; // dialogs handle their own keys
  if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
  const target = ev.target;
  const tag = target && target.tagName;
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || (target && target.isContentEditable)) return;
  if (state.screen !== 'exam' || !state.exam || state.exam.stopped()) return;
  const isOption = target && target.getAttribute && target.getAttribute('role') === 'radio';
  // Enter and Space keep their usual meaning on buttons and links.
  if ((ev.key === 'Enter' || ev.key === ' ' || ev.key === 'Spacebar') && !isOption) return;
  if (state.exam.handleKey(ev)) ev.preventDefault();
}

/* ---- start -------------------------------------------------------------- */

function bind() {
  const langs = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < langs.length; i++)
    langs[i].addEventListener('click', () => {
      if (setLang(langs[i].getAttribute('data-lang'))) relabel();
    });
  const font = (delta) => () => {
    if (changeFont(delta)) announce(t('fontSizeNow', { step: fontStep() + 1, steps: FONT_STEPS }));
  };
  $('font-smaller').addEventListener('click', font(-1));
  $('font-larger').addEventListener('click', font(1));
  $('contrast-toggle').addEventListener('click', toggleContrast);
  $('describe-toggle').addEventListener('click', toggleDescribe);

  $('login-form').addEventListener('submit', submitLogin);
  $('login-exam').addEventListener('change', () => {
    login.setWantedExam($('login-exam').value);
    login.drawToken();
  });
  $('login-exams-retry').addEventListener('click', loadExams);
  $('start-button').addEventListener('click', startAttempt);
  $('logout-button').addEventListener('click', logout);
  $('waiting-logout').addEventListener('click', logout);

  const ex = (fn) => () => {
    if (state.exam) fn(state.exam);
  };
  $('prev-button').addEventListener('click', ex((e) => e.prev()));
  $('next-button').addEventListener('click', ex((e) => e.next()));
  $('flag-toggle').addEventListener('click', ex((e) => e.toggleFlag()));
  $('clear-answer').addEventListener('click', ex((e) => e.clearAnswer()));
  $('finish-button').addEventListener('click', ex((e) => e.openFinish()));
  $('finish-cancel').addEventListener('click', () => closeDialog());
  $('finish-confirm').addEventListener('click', ex((e) => e.confirmFinish()));
  $('image-dialog-close').addEventListener('click', () => closeDialog());
  $('image-dialog').addEventListener('click', (ev) => {
    if (ev.target === $('image-dialog')) closeDialog(); // click on the backdrop
  });
  $('nav-toggle').addEventListener('click', () => {
    const nav = $('nav');
    nav.classList.toggle('collapsed');
    setItem(KEYS.navCollapsed, nav.classList.contains('collapsed') ? '1' : '0');
    drawNavToggle();
  });
  if (getItem(KEYS.navCollapsed) === '1') $('nav').classList.add('collapsed');

  $('replaced-login').addEventListener('click', () => {
    const s = state.session || getJson(KEYS.last) || {};
    showLogin({ exam: s.exam, regno: s.regno, focus: 'password', message: 'sessionReplacedLogin' });
  });
  // A dismiss button that had focus hands it on as its box disappears.
  const dismiss = (id, hide) => {
    const btn = $(id);
    btn.addEventListener('click', () => {
      const hadFocus = document.activeElement === btn;
      hide();
      if (hadFocus) focusMain();
    });
  };
  dismiss('notice-dismiss', () => noticeArea.hide());
  dismiss('time-warning-dismiss', hideTimeWarning);

  document.addEventListener('keydown', onKeydown);
  window.addEventListener('online', () => {
    if (state.exam) state.exam.wake();
  });
  window.addEventListener('offline', () => {
    if (state.exam) state.exam.browserOffline();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.exam) state.exam.resync();
  });
}

function focusMain() {
  if (state.screen === 'exam') $('question-number').focus();
  else $('main').focus();
}

function boot() {
  loadLang();
  loadPrefs();
  bind();
  watchTopbar();
  relabel();
  const s = loadSession();
  if (s) {
    saveSession(s);
    resume();
  } else {
    showLogin({});
  }
}

boot();
