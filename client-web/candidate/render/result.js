// render/result.js - the result exactly as the server sent it: per-section
// scores and the total when the exam shows scores, otherwise only that the
// answers were recorded. `passed` is never shown (it is a threshold flag, not
// a decision), and nothing here is computed in the browser.

import { t, locale } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

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

  const reason = r.finish_reason === 'submitted' ? 'reasonSubmitted' : r.finish_reason === 'time_up' ? 'reasonTimeUp' : 'reasonOther';
  const reasonEl = $('result-reason');
  reasonEl.textContent = t(reason);
  reasonEl.setAttribute('data-reason', r.finish_reason || '');

  const table = $('result-table');
  const tbody = table.tBodies[0];
  tbody.textContent = '';
  const sections = Array.isArray(r.sections) ? r.sections : null;
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
  $('result-recorded').hidden = !!sections;
}
