// render/ready.js - the screens before the start (ready, and waiting for the
// proctor to start a start-together sitting): who, which exam, the
// sections with their item counts and the time allowed.

import { t, locale } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

function duration(ms) {
  const totalS = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(totalS / 60);
  const s = totalS % 60;
  const fmt = new Intl.NumberFormat(locale());
  return s ? t('minutesSeconds', { m: fmt.format(m), s: s }) : t('minutes', { m: fmt.format(m) });
}

export function renderReady(session, remainingMs) {
  $('ready-name').textContent = session.name || '';
  $('ready-regno').textContent = session.regno;
  $('ready-exam').textContent = session.title || session.exam;
  $('ready-time').textContent = duration(remainingMs);
  const tbody = $('ready-sections').tBodies[0];
  tbody.textContent = '';
  let total = 0;
  const sections = Array.isArray(session.sections) ? session.sections : [];
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    const tr = document.createElement('tr');
    tr.setAttribute('data-section', s.code);
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = s.title ? s.title + ' (' + s.code + ')' : s.code;
    const td = document.createElement('td');
    td.className = 'num';
    td.textContent = String(s.items);
    total += Number(s.items) || 0;
    tr.appendChild(th);
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
  $('ready-total-items').textContent = String(total);
  $('ready-sections').hidden = sections.length === 0;
}

/** The waiting screen of a start-together sitting: who, which exam, the time
 *  allowed, and when the server was last asked (checked: Date or null). */
export function renderWaiting(session, remainingMs, checked) {
  $('waiting-name').textContent = session.name || '';
  $('waiting-regno').textContent = session.regno;
  $('waiting-exam').textContent = session.title || session.exam;
  $('waiting-time').textContent = remainingMs ? duration(remainingMs) : '—';
  let when = '';
  if (checked) {
    try {
      when = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(checked);
    } catch (e) {
      when = checked.toLocaleTimeString();
    }
  }
  $('waiting-checked').textContent = when ? t('waitingChecked', { time: when }) : '';
}
