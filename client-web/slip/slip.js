// slip.js - the printable result slip (docs/API.md "Result slips").
// /slip/?exam=E&reg=R: a staff member's view (the staff session cookie);
// /slip/: the candidate's own slip (the session the candidate page keeps
// in localStorage, sent as a Bearer token). The server signs and stores the
// slip on first request; this page only draws it.

import { t, loadLang, applyStatic, wireLangButtons } from './i18n.js';
import { renderSlip } from './render.js';

const $ = (id) => document.getElementById(id);
const TIMEOUT_MS = 15000;
let doc = null;
let failure = null;

function candidateToken() {
  try {
    const s = JSON.parse(window.localStorage.getItem('ujian.candidate.session') || 'null');
    return s && typeof s.token === 'string' ? s.token : null;
  } catch (e) {
    return null;
  }
}

function message(key, vars, state) {
  const m = $('message');
  m.textContent = t(key, vars);
  m.setAttribute('data-state', state || 'info');
  m.hidden = false;
}

function draw() {
  if (failure) {
    message(failure.key, failure.vars, 'error');
    return;
  }
  if (!doc) {
    message('loading');
    return;
  }
  $('message').hidden = true;
  renderSlip($('slip'), doc.slip, { verifyUrl: doc.verify_url, qrSvg: doc.qr_svg });
  $('sheet').hidden = false;
  $('print').disabled = false;
  document.title = t('pageTitle') + ' — ' + (doc.slip.name || '') + ' (' + (doc.slip.registration_no || '') + ')';
}

async function load() {
  const q = new URLSearchParams(window.location.search);
  const exam = q.get('exam');
  const reg = q.get('reg');
  let url;
  const headers = { Accept: 'application/json' };
  if (exam && reg) {
    url = '/api/v1/staff/exams/' + encodeURIComponent(exam) + '/candidates/' + encodeURIComponent(reg) + '/slip';
    $('back').href = '/committee/';
  } else {
    const tok = candidateToken();
    if (!tok) {
      failure = { key: 'errLogin' };
      return;
    }
    headers.Authorization = 'Bearer ' + tok;
    url = '/api/v1/attempt/slip';
  }
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => ctl && ctl.abort(), TIMEOUT_MS);
  try {
    const r = await fetch(url, { headers, credentials: 'same-origin', signal: ctl ? ctl.signal : undefined });
    if (r.ok) {
      doc = await r.json();
    } else if (r.status === 401) {
      failure = { key: 'errLogin' };
    } else if (r.status === 409) {
      failure = { key: 'errNotFinished' };
    } else if (r.status === 403) {
      failure = { key: 'errForbidden' };
    } else if (r.status === 404) {
      failure = { key: 'errNotFound' };
    } else {
      failure = { key: 'errOther', vars: { status: r.status } };
    }
  } catch (e) {
    failure = { key: 'errNetwork' };
  } finally {
    clearTimeout(timer);
  }
}

loadLang();
applyStatic();
wireLangButtons(draw);
$('print').addEventListener('click', () => window.print());
load().then(draw);
