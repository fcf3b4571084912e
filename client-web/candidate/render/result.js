// render/result.js - the result exactly as the server sent it: per-section
// scores and the total when the exam shows scores, otherwise only that the
// answers were recorded. `passed` is never shown (it is a threshold flag, not
// a decision), and nothing here is computed in the browser. An attempt ended
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

// Plain digits (no grouping): the numbers must read exactly as the server's.
function num(x) {
  return typeof x === 'number' && isFinite(x) ? String(x) : '—';
}

export function renderResult(session, result) {
  const r = result && typeof result === 'object' ? result : {};
  $('result-name').textContent = session.name || '';
  $('result-regno').textContent = session.regno || '';
  $('result-exam').textContent = session.title || session.exam || '';

  let when = '';
  if (typeof r.finished_at === 'string') {
    const d = new Date(r.finished_at);
    if (!isNaN(d.getTime())) {
      try {
        when = new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeStyle: 'medium' }).format(d);
      } catch (e) {
        when = d.toLocaleString(locale());
      }
    }
  }
  $('result-finished-at').textContent = when || '—';

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
      tbody.appendChild(tr);
    }
    $('result-total').textContent = num(r.total);
    $('result-max-total').textContent = num(r.max_total);
  }
  table.hidden = !sections;
  // The signed slip (client-web/slip/) exists for what this screen shows.
  $('result-slip').hidden = !sections;
  $('result-recorded').hidden = !!sections || dis;
}
