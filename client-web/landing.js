// landing.js - the front page of an Ujian server: server status and the list of
// open exams. Everything the server sends is rendered with textContent.
import { DEFAULT_LANG, LOCALES, STRINGS } from './i18n/landing.js';

const STORAGE_KEY = 'ujian.lang';
const TIMEOUT_S = 10;

const state = {
  lang: DEFAULT_LANG,
  health: { phase: 'loading' }, // loading | ok | bad | error
  exams: { phase: 'loading' }, // loading | ok | error
  retrying: false, // a retry is under way: keep its button where it is
};

const $ = (id) => document.getElementById(id);
// Older venue browsers: no Object.hasOwn, no `??`, no optional catch binding
// (tests/e2e/test_compat.mjs checks the syntax).
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/* ---- language --------------------------------------------------------- */

function storedLang() {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    if (v && has(STRINGS, v)) return v;
  } catch (e) {
    /* storage disabled: fall back to the default */
  }
  return DEFAULT_LANG;
}

function storeLang(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch (e) {
    /* storage disabled: the choice lasts for this page only */
  }
}

function t(key, vars) {
  const s = has(STRINGS[state.lang], key) ? STRINGS[state.lang][key]
    : has(STRINGS[DEFAULT_LANG], key) ? STRINGS[DEFAULT_LANG][key] : key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (has(vars, name) ? String(vars[name]) : m));
}

function setLang(lang) {
  if (!has(STRINGS, lang)) return;
  state.lang = lang;
  storeLang(lang);
  render();
}

/* ---- fetching --------------------------------------------------------- */

class LoadError extends Error {
  constructor(kind, status) {
    super(kind);
    this.kind = kind; // network | timeout | http | format
    this.status = status;
  }
}

async function getJson(path) {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => ctl && ctl.abort(), TIMEOUT_S * 1000);
  try {
    let res;
    try {
      res = await fetch(path, {
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'same-origin',
        signal: ctl ? ctl.signal : undefined,
      });
    } catch (e) {
      throw new LoadError(e && e.name === 'AbortError' ? 'timeout' : 'network');
    }
    if (!res.ok) throw new LoadError('http', res.status);
    try {
      return await res.json();
    } catch (e) {
      throw new LoadError(e && e.name === 'AbortError' ? 'timeout' : 'format');
    }
  } finally {
    clearTimeout(timer);
  }
}

function asError(e) {
  return { phase: 'error', kind: e instanceof LoadError ? e.kind : 'format', status: e && e.status };
}

async function loadHealth() {
  try {
    const body = await getJson('/api/v1/health');
    if (!body || typeof body !== 'object' || typeof body.status !== 'string')
      throw new LoadError('format');
    state.health = {
      phase: body.status === 'ok' ? 'ok' : 'bad',
      status: body.status,
      version: typeof body.version === 'string' ? body.version : '',
    };
  } catch (e) {
    state.health = asError(e);
  }
  renderHealth();
}

async function loadExams() {
  try {
    const body = await getJson('/api/v1/exams/open');
    if (!Array.isArray(body)) throw new LoadError('format');
    const list = body
      .filter((x) => x && typeof x === 'object')
      .map((x) => ({
        code: x.code == null ? '' : String(x.code),
        title: x.title == null ? '' : String(x.title),
        duration_s: Number.isFinite(x.duration_s) ? x.duration_s : null,
        token_required: x.token_required === true,
      }));
    state.exams = { phase: 'ok', list };
  } catch (e) {
    state.exams = asError(e);
  }
  renderExams();
}

async function refresh() {
  state.health = { phase: 'loading' };
  state.exams = { phase: 'loading' };
  render();
  await Promise.all([loadHealth(), loadExams()]);
}

async function retry() {
  if (state.retrying) return;
  state.retrying = true;
  const btn = $('retry');
  btn.setAttribute('aria-disabled', 'true');
  await refresh();
  state.retrying = false;
  btn.removeAttribute('aria-disabled');
  const hadFocus = document.activeElement === btn;
  renderRetry();
  // Everything loaded: the button disappears, so keep keyboard users in place.
  if (hadFocus && btn.hidden) $('exams-heading').focus();
}

/* ---- rendering -------------------------------------------------------- */

function reason(err) {
  switch (err.kind) {
    case 'network':
      return t('reasonNetwork');
    case 'timeout':
      return t('reasonTimeout', { seconds: TIMEOUT_S });
    case 'http':
      return t('reasonHttp', { status: err.status });
    default:
      return t('reasonFormat');
  }
}

function minutes(seconds) {
  if (seconds === null) return '—';
  const fmt = new Intl.NumberFormat(LOCALES[state.lang], { maximumFractionDigits: 1 });
  return fmt.format(seconds / 60);
}

function renderStatic() {
  document.documentElement.lang = state.lang;
  document.title = t('pageTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll('.lang-toggle [data-lang]'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
}

function renderHealth() {
  const el = $('health');
  const h = state.health;
  let text;
  if (h.phase === 'loading') text = t('healthLoading');
  else if (h.phase === 'ok') text = h.version ? t('healthOk', { version: h.version }) : t('healthOkNoVersion');
  else if (h.phase === 'bad') text = t('healthBad', { status: h.status });
  else text = t('healthError', { reason: reason(h) });
  el.dataset.state = h.phase;
  el.textContent = text;
  renderRetry();
}

// label: the column's name, shown before the value when a phone lays each
// exam out as a card (landing.css).
function cell(text, className, label) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  if (label) td.setAttribute('data-label', label);
  return td;
}

// The exam's title, linking to the candidate login with this exam chosen.
function examLinkCell(e) {
  const td = document.createElement('td');
  const a = document.createElement('a');
  a.href = '/candidate/?exam=' + encodeURIComponent(e.code);
  a.textContent = e.title || e.code;
  a.setAttribute('aria-label', t('examLinkLabel', { title: e.title || e.code, code: e.code }));
  td.appendChild(a);
  return td;
}

function renderExams() {
  const msg = $('exams-message');
  const table = $('exams');
  const tbody = table.tBodies[0];
  const ex = state.exams;

  tbody.textContent = '';
  if (ex.phase === 'ok' && ex.list.length > 0) {
    for (const e of ex.list) {
      const tr = document.createElement('tr');
      tr.appendChild(cell(e.code, 'code', t('colCode')));
      tr.appendChild(examLinkCell(e));
      tr.appendChild(cell(minutes(e.duration_s), 'num', t('colDuration')));
      tr.appendChild(cell(e.token_required ? t('yes') : t('no'), e.token_required ? 'token yes' : 'token', t('colToken')));
      tbody.appendChild(tr);
    }
    table.hidden = false;
    msg.hidden = true;
    msg.textContent = '';
  } else {
    table.hidden = true;
    msg.hidden = false;
    msg.dataset.state = ex.phase === 'ok' ? 'empty' : ex.phase;
    if (ex.phase === 'loading') msg.textContent = t('examsLoading');
    else if (ex.phase === 'ok') msg.textContent = t('examsEmpty');
    else msg.textContent = t('examsError', { reason: reason(ex) });
  }
  renderRetry();
}

function renderRetry() {
  const failed = state.health.phase === 'error' || state.exams.phase === 'error';
  $('retry').hidden = !(failed || state.retrying);
}

function render() {
  renderStatic();
  renderHealth();
  renderExams();
}

/* ---- start ------------------------------------------------------------ */

function start() {
  state.lang = storedLang();
  for (const b of document.querySelectorAll('.lang-toggle [data-lang]'))
    b.addEventListener('click', () => setLang(b.dataset.lang));
  $('retry').addEventListener('click', retry);
  refresh();
}

start();
