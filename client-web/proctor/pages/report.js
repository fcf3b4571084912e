// pages/report.js - #/sitting/ID/report: the berita acara (GET
// /sittings/ID/report) as a formal A4 document: exam, date, room, proctors,
// counts, every incident and action with time and reason, the outage
// credits, the closing (time, by whom, the audit log's head hash) and
// amendments after closing, and a signature block per proctor. "Cetak"
// prints it (proctor.css: @page A4, no navigation, no buttons).

import { h } from '../../admin/dom.js';
import { t, longDate, dateTime, hasText } from '../i18n/index.js';
import { api } from '../api.js';
import { hms, duration, clock } from '../format.js';
import { incidentText, actionText } from './dashboard.js';

export async function render(ctx, root, params) {
  const sid = params[0];
  const d = await api.report(sid);
  if (!ctx.alive()) return;
  const s = d.sitting || {};
  const exam = d.exam || { code: s.exam, title: s.exam_title };
  const head = ctx.title(t('reportTitle'), t('dashTitle', { code: s.code || '', room: s.room || '' }));
  head.classList.add('no-print');
  root.appendChild(h('div', { class: 'toolbar no-print' },
    h('button', { type: 'button', class: 'button primary', id: 'print-report', on: { click: () => window.print() } }, t('print')),
    h('a', { class: 'button', href: '#/sitting/' + sid }, t('backToDashboard'))));
  if (!d.closed_at) root.appendChild(h('p', { class: 'message no-print', id: 'report-draft', dataset: { state: 'info' } }, t('reportDraft')));

  const c = d.counts || {};
  const proctors = Array.isArray(d.proctors) ? d.proctors : [];
  const log = Array.isArray(d.log) ? d.log : [];
  const credits = Array.isArray(d.credits) ? d.credits : [];
  const amendments = Array.isArray(d.amendments) ? d.amendments : [];
  const date = d.date || s.started_at || s.starts_at;
  const closedBy = d.closed_by && d.closed_by_username && d.closed_by !== d.closed_by_username
    ? d.closed_by + ' (' + d.closed_by_username + ')' : d.closed_by || d.closed_by_username || '';

  const doc = h('article', { class: 'berita-acara', id: 'berita-acara', lang: 'id' },
    h('header', { class: 'ba-head' },
      h('h2', { class: 'ba-title' }, t('baTitle')),
      h('p', { class: 'ba-sub' }, (exam.title || '') + (exam.code ? ' (' + exam.code + ')' : '')),
      !d.closed_at ? h('p', { class: 'ba-draft' }, t('baDraftMark')) : null),
    h('p', { class: 'ba-opening' }, t('baOpening', {
      date: longDate(date) || '—', room: s.room || '—', exam: exam.title || exam.code || '', code: s.code || '',
    })),
    h('h3', null, t('baSection1')),
    h('table', { class: 'ba-facts' }, h('tbody', null,
      fact(t('baExam'), (exam.code || '') + (exam.title ? ' — ' + exam.title : '')),
      fact(t('baSitting'), s.code || ''),
      fact(t('baRoom'), s.room || '—'),
      fact(t('baScheduled'), s.starts_at ? dateTime(s.starts_at) : '—'),
      fact(t('baStarted'), s.started_at ? dateTime(s.started_at) : '—'),
      fact(t('baClosed'), d.closed_at ? dateTime(d.closed_at) + (closedBy ? ' — ' + closedBy : '') : t('baNotClosed')),
      fact(t('baProctors'), proctors.map((p) => p.name ? p.name + ' (' + p.username + ')' : p.username).join(', ') || '—'))),
    h('h3', null, t('baSection2')),
    h('table', { class: 'ba-table ba-counts', id: 'ba-counts' },
      h('thead', null, h('tr', null, ['registered', 'present', 'absent', 'finished', 'disqualified'].map((k) => h('th', { scope: 'col' }, t('baCount_' + k))))),
      h('tbody', null, h('tr', null, ['registered', 'present', 'absent', 'finished', 'disqualified'].map((k) => h('td', { class: 'num', dataset: { count: k } }, String(c[k] || 0)))))),
    h('h3', null, t('baSection3')),
    log.length ? logTable(log, 'ba-log') : h('p', null, t('baNone')),
    h('h3', null, t('baSection4')),
    credits.length ? h('table', { class: 'ba-table', id: 'ba-credits' },
      h('thead', null, h('tr', null, [t('baNo'), t('baTime'), t('baCandidate'), t('baCredit'), t('baNote')].map((x, i) => h('th', { scope: 'col', class: i < 2 ? 'nowrap' : null }, x)))),
      h('tbody', null, credits.map((x, i) => h('tr', null,
        h('td', { class: 'num nowrap' }, String(i + 1)),
        h('td', { class: 'nowrap' }, dateTime(x.at)),
        h('td', null, (x.name || '') + (x.regno ? ' (' + x.regno + ')' : '')),
        h('td', { class: 'num' }, clock(x.delta_ms)),
        h('td', null, x.note || ''))))) : h('p', null, t('baNone')),
    h('h3', null, t('baSection5')),
    d.closed_at
      ? h('p', null, t('baClosing', { time: dateTime(d.closed_at), by: closedBy || '—' }))
      : h('p', null, t('baNotClosedText')),
    h('p', { class: 'ba-hash' }, t('baHash'), ' ', h('code', { class: 'hash', id: 'ba-hash' }, d.audit_head || '—')),
    amendments.length ? [h('h3', null, t('baSection6')), h('p', null, t('baAmendLead')), logTable(amendments, 'ba-amend')] : null,
    h('p', { class: 'ba-closing' }, t('baStatement')),
    h('p', { class: 'ba-place' }, t('baPlaceDate', { date: longDate(d.closed_at || date) || '…' })),
    h('div', { class: 'ba-signs' }, (proctors.length ? proctors : [{ username: '' }]).map((p, i) => h('div', { class: 'ba-sign' },
      h('p', null, t('baSignRole', { n: proctors.length > 1 ? String(i + 1) : '' }).trim()),
      h('div', { class: 'ba-sign-space' }),
      h('p', { class: 'ba-sign-name' }, '( ' + (p.name || p.username || '………………………') + ' )'),
      p.username ? h('p', { class: 'ba-sign-user' }, p.username) : null))));
  root.appendChild(doc);
}

function fact(k, v) {
  return h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v));
}

/** Incidents and actions, oldest first, with time, who, what and the reason. */
function logTable(items, id) {
  return h('table', { class: 'ba-table ba-log', id: id },
    h('thead', null, h('tr', null, [t('baNo'), t('baTime'), t('baCandidate'), t('baEvent'), t('baReason'), t('baBy')].map((x, i) => h('th', { scope: 'col', class: i < 2 ? 'nowrap' : null }, x)))),
    h('tbody', null, items.map((x, i) => h('tr', { dataset: { kind: x.kind || '' } },
      h('td', { class: 'num nowrap' }, String(i + 1)),
      h('td', { class: 'nowrap' }, hms(x.at)),
      h('td', null, whoText(x)),
      h('td', null, eventText(x)),
      h('td', null, x.reason || ''),
      h('td', null, byText(x))))));
}

/** The candidate of an incident, or the candidates an action was done for. */
function whoText(x) {
  if (x.regno) return (x.name || '') + ' (' + x.regno + ')';
  if (x.all || x.candidates === 'all') return t('targetAllShort');
  if (Array.isArray(x.candidates) && x.candidates.length) {
    const shown = x.candidates.slice(0, 5).join(', ');
    return x.candidates.length > 5 ? shown + ' ' + t('andMore', { n: x.candidates.length - 5 }) : shown;
  }
  return '—';
}

/** Who: a staff member for actions; the candidate's browser or the server for incidents. */
function byText(x) {
  const by = x.kind === 'incident' ? x.source || x.by : x.by;
  return by === 'client' ? t('byClient') : by === 'server' ? t('byServer') : String(by || '');
}

function eventText(x) {
  let text;
  if (x.kind === 'incident') text = t('kind_incident') + ': ' + incidentText(x.type);
  else if (x.kind === 'action') text = t('kind_action') + ': ' + actionText(x.action);
  else text = (hasText('kind_' + x.kind) ? t('kind_' + x.kind) : String(x.kind || '')) + (x.type || x.action ? ': ' + (x.type || x.action) : '');
  if (x.ms) text += ' (' + duration(x.ms) + ')';
  return text;
}
