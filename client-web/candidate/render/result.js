// render/result.js - the result exactly as the server sent it: per-section
// scores and the total when the exam shows scores, otherwise only that the
// answers were recorded; with each section's threshold (nilai ambang batas)
// and whether it was met when the server sends them (the exam's
// show_thresholds). `passed` is never shown (the overall verdict depends on
// ranking), and nothing here is computed in the browser. Times are shown in
// the exam's zone, named (WIB, WITA, WIT). An attempt ended
// by a proctor says so (with the reason when the server gives one, `reason`);
// a disqualified one shows no scores.

import { t, locale } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

const REASON_KEY = {
  submitted: 'reasonSubmitted',
  time_up: 'reasonTimeUp',
  proctor: 'reasonProctor',
  disqualified: 'reasonDisqualified',
};
const BY_PROCTOR = { proctor: 1, disqualified: 1 };

// Minutes east of UTC of the zones an exam may name (server: exam_zones).
const ZONES = { WIB: 420, WITA: 480, WIT: 540 };

/** ISO time iso as a date and time in zone (WIB when unknown), named:
 *  "2 Desember 2026 pukul 10.15.30 WIB". '' when iso is not a time. */
export function zonedTime(iso, zone) {
  const name = Object.prototype.hasOwnProperty.call(ZONES, zone) ? zone : 'WIB';
  const d = new Date(iso);
  if (typeof iso !== 'string' || isNaN(d.getTime())) return '';
  // The wall-clock time of that zone, formatted as if it were UTC.
  const wall = new Date(d.getTime() + ZONES[name] * 60000);
  let text;
  try {
    text = new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeStyle: 'medium', timeZone: 'UTC' }).format(wall);
  } catch (e) {
    text = wall.toISOString().replace('T', ' ').slice(0, 19);
  }
  return text + ' ' + name;
}

// Plain digits (no grouping): the numbers must read exactly as the server's.
function num(x) {
  return typeof x === 'number' && isFinite(x) ? String(x) : '—';
}

export function renderResult(session, result) {
  const r = result && typeof result === 'object' ? result : {};
  $('result-name').textContent = session.name || '';
  $('result-regno').textContent = session.regno || '';
  $('result-exam').textContent = session.title || session.exam || '';

  $('result-finished-at').textContent = zonedTime(r.finished_at, r.timezone) || '—';

  const reasonEl = $('result-reason');
  reasonEl.textContent = t(REASON_KEY[r.finish_reason] || 'reasonOther');
  reasonEl.setAttribute('data-reason', r.finish_reason || '');
  // A proctor's finish or disqualification may say why.
  const why = typeof r.reason === 'string' ? r.reason : '';
  $('result-why').hidden = !why || !BY_PROCTOR[r.finish_reason];
  $('result-why-text').textContent = why;
  // Disqualified: no scores, whatever the server sent (they are kept for the
  // record, not for the candidate's screen).
  const dis = r.finish_reason === 'disqualified';

  const table = $('result-table');
  const tbody = table.tBodies[0];
  tbody.textContent = '';
  const sections = Array.isArray(r.sections) && !dis ? r.sections : null;
  // The thresholds column when the server sent any threshold.
  const thresholds = !!sections && (sections.some((s) => s && typeof s.threshold === 'number') || typeof r.total_threshold === 'number');
  const cols = table.querySelectorAll('.threshold-col');
  for (let i = 0; i < cols.length; i++) cols[i].hidden = !thresholds;
  if (sections) {
    for (let i = 0; i < sections.length; i++) {
      const s = sections[i] || {};
      const tr = document.createElement('tr');
      tr.setAttribute('data-section', String(s.code || ''));
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = s.title ? s.title + ' (' + s.code + ')' : String(s.code || '');
      const score = document.createElement('td');
      score.className = 'num score';
      score.textContent = num(s.score);
      const max = document.createElement('td');
      max.className = 'num max';
      max.textContent = num(s.max);
      tr.appendChild(th);
      tr.appendChild(score);
      tr.appendChild(max);
      if (thresholds) tr.appendChild(thresholdCell(s.threshold, s.met));
      tbody.appendChild(tr);
    }
    $('result-total').textContent = num(r.total);
    $('result-max-total').textContent = num(r.max_total);
    fillThreshold($('result-total-threshold'), r.total_threshold, r.total_met);
  }
  table.hidden = !sections;
  // The signed slip (client-web/slip/) exists for what this screen shows.
  $('result-slip').hidden = !sections;
  $('result-recorded').hidden = !!sections || dis;
}

/** A cell with "≥ 65 · Memenuhi" (or "Tidak memenuhi"), or "—" without one. */
function thresholdCell(min, met) {
  const td = document.createElement('td');
  td.className = 'threshold-col';
  fillThreshold(td, min, met);
  return td;
}

function fillThreshold(td, min, met) {
  td.textContent = '';
  td.removeAttribute('data-met');
  if (typeof min !== 'number') {
    td.textContent = '—';
    return;
  }
  const value = document.createElement('span');
  value.className = 'threshold-value';
  value.textContent = '≥ ' + num(min);
  const verdict = document.createElement('span');
  verdict.className = 'threshold-met';
  verdict.textContent = t(met === true ? 'thresholdMet' : 'thresholdNotMet');
  td.setAttribute('data-met', met === true ? 'true' : 'false');
  td.appendChild(value);
  td.appendChild(document.createTextNode(' '));
  td.appendChild(verdict);
}
