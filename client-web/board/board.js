// board.js - the public live scoreboard (/board/?exam=CODE[&sitting=CODE]):
// the snapshot from GET /api/v1/board/{exam}, then live rows from the event
// stream /api/v1/board/{exam}/events (EventSource: it resumes by itself with
// Last-Event-ID after a dropped connection; when the server refuses the
// stream, the page fetches a fresh snapshot and opens a new stream after a
// growing pause). Names and numbers arrive masked from the server; the page
// shows them as text, never as markup.
import { loadLang, setLang, getLang, t, applyStatic } from './i18n/index.js';

const params = new URLSearchParams(window.location.search);
const exam = (params.get('exam') || '').trim();
const sitting = (params.get('sitting') || '').trim();
const base = '/api/v1/board/' + encodeURIComponent(exam);
const query = sitting ? '?sitting=' + encodeURIComponent(sitting) : '';

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30000;
const NEW_MS = 4000; // how long a new row stays highlighted

const state = {
  snap: null,       // { exam, sections, rows, sitting? }
  rows: [],         // newest first, as the server sends them
  sort: 'newest',   // or 'total'
  live: 'connecting',
  message: null,    // { key, error } shown above the table
  es: null,
  retryMs: RETRY_MIN_MS,
  retryTimer: 0,
  newest: null,     // the row that arrived last (highlighted)
  newestAt: 0,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  if (attrs) for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function timeText(iso) {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  try {
    return d.toLocaleTimeString(getLang() === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  } catch (e) {
    return d.toTimeString().slice(0, 8);
  }
}

function sortedRows() {
  const rows = state.rows.slice();
  if (state.sort === 'total') {
    // Disqualified rows never rank: they go last, whatever their total.
    rows.sort((a, b) => (a.dis === b.dis ? b.total - a.total || (b.finished_at > a.finished_at ? 1 : b.finished_at < a.finished_at ? -1 : 0) : a.dis ? 1 : -1));
  }
  return rows;
}

function metCell(row) {
  if (row.dis) return el('span', { class: 'met', 'data-met': 'dis', title: t('metDisLong') }, t('metDis'));
  if (row.thresholds_met === true) return el('span', { class: 'met', 'data-met': 'yes' }, t('metYes'));
  if (row.thresholds_met === false) return el('span', { class: 'met', 'data-met': 'no' }, t('metNo'));
  return el('span', { class: 'met', 'data-met': 'none' }, t('metNone'));
}

function renderHead() {
  const tr = $('board-head-row');
  tr.textContent = '';
  tr.appendChild(el('th', { scope: 'col', class: 'num' }, t('colPos')));
  tr.appendChild(el('th', { scope: 'col' }, t('colName')));
  tr.appendChild(el('th', { scope: 'col' }, t('colRegno')));
  for (const s of state.snap.sections) {
    const th = el('th', { scope: 'col', class: 'num' });
    th.appendChild(el('abbr', { title: s.title }, s.code));
    tr.appendChild(th);
  }
  tr.appendChild(el('th', { scope: 'col', class: 'num' }, t('colTotal')));
  tr.appendChild(el('th', { scope: 'col' }, t('colMet')));
  tr.appendChild(el('th', { scope: 'col' }, t('colTime')));
}

function renderRows() {
  const body = $('board-rows');
  const rows = sortedRows();
  const fresh = state.newest && Date.now() - state.newestAt < NEW_MS ? state.newest : null;
  const frag = document.createDocumentFragment();
  rows.forEach((row, i) => {
    const tr = el('tr', { 'data-regno': row.regno });
    if (row.dis) tr.classList.add('is-dis');
    if (row === fresh) tr.classList.add('is-new');
    tr.appendChild(el('td', { class: 'num pos', 'data-label': t('colPos') }, i + 1));
    tr.appendChild(el('td', { class: 'name', 'data-label': t('colName') }, row.name));
    tr.appendChild(el('td', { class: 'regno', 'data-label': t('colRegno') }, row.regno));
    for (const s of state.snap.sections) {
      const v = row.scores && Object.prototype.hasOwnProperty.call(row.scores, s.code) ? row.scores[s.code] : '';
      tr.appendChild(el('td', { class: 'num', 'data-label': s.code }, v));
    }
    tr.appendChild(el('td', { class: 'num total', 'data-label': t('colTotal') }, row.total));
    const met = el('td', { 'data-label': t('colMet') });
    met.appendChild(metCell(row));
    tr.appendChild(met);
    tr.appendChild(el('td', { 'data-label': t('colTime') }, timeText(row.finished_at)));
    frag.appendChild(tr);
  });
  body.textContent = '';
  body.appendChild(frag);
}

function render() {
  const msg = $('message');
  if (state.message) {
    msg.textContent = t(state.message.key);
    msg.dataset.state = state.message.error ? 'error' : 'warn';
    msg.hidden = false;
  } else {
    msg.hidden = true;
  }
  const live = $('live');
  live.dataset.state = state.live;
  $('live-text').textContent = t(state.live === 'live' ? 'liveOn' : state.live === 'offline' ? 'liveOff' : 'liveConnecting');
  const buttons = document.querySelectorAll('.sort-toggle [data-sort]');
  for (let i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-pressed', String(buttons[i].dataset.sort === state.sort));

  if (!state.snap) {
    $('board-title').textContent = exam ? t('loadingTitle') : t('kicker');
    $('table-wrap').hidden = true;
    $('empty').hidden = true;
    $('summary').hidden = true;
    return;
  }
  $('board-title').textContent = state.snap.exam.title;
  document.title = state.snap.exam.title + ' — ' + t('pageTitle');
  const sub = $('board-sub');
  sub.hidden = !sitting;
  sub.textContent = sitting ? t('sitting', { code: sitting }) : '';
  const n = state.rows.length;
  $('summary').hidden = n === 0;
  $('summary').textContent = n === 1 ? t('summaryOne') : t('summary', { n: n });
  $('empty').hidden = n !== 0;
  $('table-wrap').hidden = n === 0;
  if (n === 0) return;
  $('board-caption').textContent = t('caption', { order: t(state.sort === 'total' ? 'orderTotal' : 'orderNewest') });
  renderHead();
  renderRows();
}

function applySnapshot(snap) {
  if (!snap || !snap.exam || !Array.isArray(snap.rows)) return;
  state.snap = snap;
  state.rows = snap.rows.slice();
  state.message = null;
  render();
}

function addRow(row) {
  if (!state.snap || !row) return;
  state.rows.unshift(row);
  state.newest = row;
  state.newestAt = Date.now();
  $('announce').textContent = t('announceNew', { name: row.name, total: row.total });
  render();
}

function setLive(s) {
  state.live = s;
  render();
}

// ---- the stream ----------------------------------------------------------

function closeStream() {
  if (state.es) {
    state.es.close();
    state.es = null;
  }
}

function openStream() {
  closeStream();
  const es = new EventSource(base + '/events' + query);
  state.es = es;
  es.addEventListener('open', () => {
    state.retryMs = RETRY_MIN_MS;
    state.message = null;
    setLive('live');
  });
  es.addEventListener('snapshot', (e) => {
    try {
      applySnapshot(JSON.parse(e.data));
    } catch (err) {
      /* a malformed event: the next snapshot or row repairs the view */
    }
  });
  es.addEventListener('row', (e) => {
    try {
      addRow(JSON.parse(e.data));
    } catch (err) {
      /* ignored, as above */
    }
  });
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) {
      // Refused (404, 503) or unreadable: start over after a pause.
      closeStream();
      setLive('offline');
      scheduleRetry();
    } else {
      setLive('offline'); // the browser reconnects by itself (Last-Event-ID)
    }
  });
}

function scheduleRetry() {
  window.clearTimeout(state.retryTimer);
  state.retryTimer = window.setTimeout(start, state.retryMs);
  state.retryMs = Math.min(state.retryMs * 2, RETRY_MAX_MS);
}

async function start() {
  if (!exam) {
    state.message = { key: 'errNoExam', error: true };
    state.live = 'offline';
    render();
    return;
  }
  let r;
  try {
    r = await fetch(base + query, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
  } catch (e) {
    state.message = { key: 'errNetwork' };
    setLive('offline');
    scheduleRetry();
    return;
  }
  if (!r.ok) {
    state.message = r.status === 404 ? { key: 'errNoBoard', error: true } : r.status === 503 ? { key: 'errBusy' } : { key: 'errNetwork' };
    setLive('offline');
    scheduleRetry();
    return;
  }
  try {
    applySnapshot(await r.json());
  } catch (e) {
    state.message = { key: 'errNetwork' };
    scheduleRetry();
    return;
  }
  openStream();
}

// ---- controls ----------------------------------------------------------

function wire() {
  const sorts = document.querySelectorAll('.sort-toggle [data-sort]');
  for (let i = 0; i < sorts.length; i++) {
    sorts[i].addEventListener('click', () => {
      state.sort = sorts[i].dataset.sort;
      render();
    });
  }
  const langs = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < langs.length; i++) {
    langs[i].addEventListener('click', () => {
      if (setLang(langs[i].dataset.lang)) relabel();
    });
  }
}

function relabel() {
  applyStatic();
  const langs = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < langs.length; i++) langs[i].setAttribute('aria-pressed', String(langs[i].dataset.lang === getLang()));
  if (!state.snap) document.title = t('pageTitle');
  render();
}

loadLang();
wire();
relabel();
start();
