// verify.js - the public verification page, /verify/{CODE} (the server
// serves this page for that path): asks GET /api/v1/verify/{CODE} and says
// whether the slip is genuine, with its content as the server holds it.
// A code can also be typed in.

import { t, loadLang, applyStatic, wireLangButtons } from '/slip/i18n.js';
import { renderSlip, showCode } from '/slip/render.js';

const $ = (id) => document.getElementById(id);
const TIMEOUT_MS = 15000;
const CODE_RE = /^[2-9A-HJ-NP-Z]{10}$/;
let result = null; // {kind: 'verdict'|'unknown'|'bad'|'limited'|'error', ...}

function codeFromPath() {
  const m = /^\/verify\/([^/]+)$/.exec(window.location.pathname);
  if (m) return decodeURIComponent(m[1]);
  return new URLSearchParams(window.location.search).get('code') || '';
}

function norm(s) {
  return String(s || '').replace(/[\s-]/g, '').toUpperCase();
}

function draw() {
  const v = $('verdict');
  const sheet = $('sheet');
  const detail = $('verdict-detail');
  sheet.hidden = true;
  detail.hidden = true;
  if (!result) {
    v.hidden = true;
    return;
  }
  v.hidden = false;
  let state = 'bad';
  let title = '';
  let text = '';
  if (result.kind === 'checking') {
    state = 'info';
    title = t('checking');
  } else if (result.kind === 'verdict') {
    const b = result.body;
    state = b.valid ? 'ok' : 'bad';
    title = (b.valid ? t('genuine') : t('notGenuine')) + ' — ' + showCode(b.code);
    text = b.valid ? t('genuineText') : b.message || '';
    if (!b.valid && b.detail) {
      detail.textContent = t('detail') + ': ' + b.detail;
      detail.hidden = false;
    }
    if (b.slip && typeof b.slip === 'object') {
      renderSlip($('slip'), b.slip);
      sheet.hidden = false;
      sheet.setAttribute('data-valid', String(!!b.valid));
    }
  } else if (result.kind === 'unknown') {
    title = t('unknownCode');
    text = t('unknownText');
  } else if (result.kind === 'bad') {
    title = t('unknownCode');
    text = t('badCode');
  } else if (result.kind === 'limited') {
    title = t('unknownCode');
    text = t('limited', { seconds: result.seconds });
  } else {
    title = t('errNetwork');
  }
  v.setAttribute('data-state', state);
  $('verdict-title').textContent = title;
  $('verdict-text').textContent = text;
}

async function check(raw) {
  const code = norm(raw);
  if (!CODE_RE.test(code)) {
    result = { kind: 'bad' };
    draw();
    return;
  }
  result = { kind: 'checking' };
  draw();
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => ctl && ctl.abort(), TIMEOUT_MS);
  try {
    const r = await fetch('/api/v1/verify/' + code, { headers: { Accept: 'application/json' }, signal: ctl ? ctl.signal : undefined });
    if (r.ok) result = { kind: 'verdict', body: await r.json() };
    else if (r.status === 404) result = { kind: 'unknown' };
    else if (r.status === 429) result = { kind: 'limited', seconds: parseInt(r.headers.get('Retry-After') || '60', 10) };
    else result = { kind: 'error' };
  } catch (e) {
    result = { kind: 'error' };
  } finally {
    clearTimeout(timer);
  }
  draw();
}

loadLang();
applyStatic();
wireLangButtons(draw);
$('form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const code = norm($('code').value);
  if (CODE_RE.test(code) && window.history && history.replaceState) history.replaceState(null, '', '/verify/' + code);
  check(code);
});
const initial = codeFromPath();
if (initial) {
  $('code').value = showCode(norm(initial));
  check(initial);
} else {
  $('code').focus();
}
