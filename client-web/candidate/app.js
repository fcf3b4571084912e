// app.js - entry module of the candidate page: which screen is shown
// (loading, login, ready, exam, result), the session kept in localStorage so
// a reload goes straight back, and the wiring of the static controls. The exam
// itself lives in exam.js.

import { api, setToken } from './api.js';
import { loadLang, setLang, getLang, t, applyStatic, errorText } from './i18n/index.js';
import { getJson, setJson, removeItem, KEYS, getItem, setItem } from './storage.js';
import { loadPrefs, changeFont, toggleContrast, fontStep, FONT_STEPS } from './prefs.js';
import { createExam } from './exam.js';
import { dialogOpen, closeDialog } from './render/dialog.js';
import { noticeArea, announce, setConnection, showCountdown, showTimeWarning, hideTimeWarning, relabelChrome, watchTopbar } from './render/chrome.js';
import * as login from './render/login.js';
import { renderReady } from './render/ready.js';
import { renderResult } from './render/result.js';

const $ = (id) => document.getElementById(id);
const SCREENS = ['loading', 'login', 'ready', 'exam', 'result'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const state = {
  screen: 'loading',
  session: null, // {token, exam, regno, name, title, sections}
  exam: null, // controller of exam.js while the exam screen is up
  readyMs: 0,
  result: null,
  flow: 0, // bumped whenever a new flow starts; older async steps give up
  startBusy: false,
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

/** The server ended the session (session_replaced: a login elsewhere; or
 *  unauthorized): back to the login form, which says why. */
function sessionGone(code) {
  dropToken();
  showLogin({ message: code === 'session_replaced' ? 'sessionReplacedLogin' : 'sessionEndedLogin', focus: 'password' });
}

/* ---- screens ------------------------------------------------------------ */

function showScreen(name) {
  state.screen = name;
  for (let i = 0; i < SCREENS.length; i++) $('screen-' + SCREENS[i]).hidden = SCREENS[i] !== name;
  const s = state.session;
  const withCandidate = s && (name === 'ready' || name === 'exam' || name === 'result');
  $('header-exam-title').hidden = !withCandidate;
  $('header-candidate').hidden = !withCandidate;
  if (withCandidate) {
    $('header-exam-title').textContent = s.title || s.exam;
    $('header-candidate').textContent = (s.name ? s.name + ' · ' : '') + s.regno;
  }
  $('status-area').hidden = name !== 'exam';
  document.documentElement.classList.toggle('in-exam', name === 'exam');
  document.documentElement.classList.toggle('with-candidate', !!withCandidate);
  window.scrollTo(0, 0);
  if (name !== 'exam') hideTimeWarning();
}

function stopExam() {
  if (state.exam) state.exam.destroy();
  state.exam = null;
  if (dialogOpen()) closeDialog({ restoreFocus: false });
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
  const missing = !exam
    ? ['missingExam', 'login-exam']
    : !regno
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
  const body = { exam: exam, registration_no: regno, password: password };
  if (login.tokenVisible() && token) body.token = token;
  login.setLoginBusy(true);
  login.showLoginError(null);
  const flow = ++state.flow;
  try {
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
    login.showLoginError({ err: err && err.kind ? err : { kind: 'format' } });
    if (code === 'token_required' || code === 'token_invalid') {
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
      if (err && (err.code === 'session_replaced' || err.code === 'unauthorized' || err.code === 'session_expired')) {
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
  if (a.status === 'not_started') showReady(a.remaining_ms);
  else if (a.status === 'in_progress') startExam(r);
  else if (a.status === 'finished') {
    removeItem(KEYS.outbox(state.session.exam, state.session.regno));
    showResult(r.result || { finish_reason: a.finish_reason, finished_at: a.finished_at }, null);
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
  $('ready-heading').focus();
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
    if (code === 'attempt_closed') {
      resume();
      return;
    }
    if (code === 'session_replaced' || code === 'unauthorized' || code === 'session_expired') {
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
  showScreen('exam');
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
    },
    on: {
      finished: (result, how) => {
        state.exam = null;
        if (how === 'timeup' || how === 'submitted') noticeArea.hide();
        showResult(result, how);
      },
      replaced: () => {
        dropToken();
      },
      unauthorized: () => {
        state.exam = null;
        sessionGone('unauthorized');
      },
      notStarted: () => {
        state.exam = null;
        resume();
      },
    },
  });
  $('question-number').focus();
}

/* ---- result ------------------------------------------------------------- */

function showResult(result, how) {
  state.result = result;
  renderResult(state.session, result);
  showScreen('result');
  if (how !== 'closed') noticeArea.hide();
  $('result-heading').focus();
}

async function logout() {
  const btn = $('logout-button');
  if (btn.getAttribute('aria-disabled') === 'true') return;
  btn.setAttribute('aria-disabled', 'true');
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
  if (ev.defaultPrevented || dialogOpen()) return; // dialogs handle their own keys
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

  $('login-form').addEventListener('submit', submitLogin);
  $('login-exam').addEventListener('change', () => {
    login.setWantedExam($('login-exam').value);
    login.drawToken();
  });
  $('login-exams-retry').addEventListener('click', loadExams);
  $('start-button').addEventListener('click', startAttempt);
  $('logout-button').addEventListener('click', logout);

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

  $('relogin-button').addEventListener('click', () => {
    const s = state.session || getJson(KEYS.last) || {};
    noticeArea.hide();
    showLogin({ exam: s.exam, regno: s.regno, focus: 'password' });
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
