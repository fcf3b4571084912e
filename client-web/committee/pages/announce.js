// pages/announce.js - #/cetak/pengumuman/CODE: the ranked announcement of an
// exam's results (pengumuman) as an A4 document: the finished candidates in
// rank order with their total and outcome, disqualified ones after them,
// and the committee chair's signature block. "Cetak" prints it
// (committee.css: @page A4, no navigation, no buttons).

import { h } from '../../admin/dom.js';
import { t, longDate } from '../i18n/index.js';
import { api } from '../api.js';
import { num } from '../ui.js';
import { sectionsOf, outcome } from './results.js';

export async function render(ctx, root, params) {
  const code = params[0];
  const got = await Promise.all([api.results(code), api.exams().catch(() => ({ exams: [] }))]);
  if (!ctx.alive()) return;
  const rows = (Array.isArray(got[0]) ? got[0] : got[0].results || []).filter((r) => typeof r.total === 'number' || r.disqualified);
  const exam = (got[1].exams || []).filter((e) => e.code === code)[0] || { code: code };
  const head = ctx.title(t('announceTitle'), exam.title || code);
  head.classList.add('no-print');
  const onlyPassed = h('input', { type: 'checkbox', id: 'only-passed' });
  root.appendChild(h('div', { class: 'toolbar no-print' },
    h('button', { type: 'button', class: 'button primary', id: 'print-button', on: { click: () => window.print() } }, t('print')),
    h('a', { class: 'button', href: '#/hasil/' + encodeURIComponent(code) }, t('backToResults')),
    h('label', { class: 'check' }, onlyPassed, ' ', t('onlyPassed'))));
  const sections = sectionsOf(rows);
  const ranked = rows.filter((r) => !r.disqualified).sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9));
  const dis = rows.filter((r) => r.disqualified);
  const body = h('tbody');
  const doc = h('article', { class: 'print-doc', tabindex: '0', id: 'pengumuman' },
    h('header', { class: 'doc-head' },
      h('p', { class: 'doc-kop' }, t('docKop')),
      h('h2', { class: 'doc-title' }, t('announceDocTitle')),
      h('p', { class: 'doc-sub' }, (exam.title || '') + ' (' + code + ')'),
      h('p', { class: 'doc-no' }, t('docNumber'))),
    h('p', null, t('announceOpening', { exam: exam.title || code })),
    h('table', { class: 'doc-table', id: 'announce-table' },
      h('thead', null, h('tr', null, [t('colNo'), t('colRegno'), t('colName'), t('colTrack')].concat(sections).concat([t('colTotal'), t('colOutcome')])
        .map((x, i) => h('th', { scope: 'col', class: i === 0 || i >= 4 ? 'num' : null }, x)))),
      body),
    h('p', null, t('announceClosing')),
    h('div', { class: 'doc-signs one' }, h('div', { class: 'doc-sign' },
      h('p', null, t('placeDate', { date: longDate(Date.now()) })),
      h('p', null, t('signChair')),
      h('div', { class: 'sign-space' }),
      h('p', { class: 'sign-name' }, '( ……………………………… )'))));
  const fillRows = () => {
    while (body.firstChild) body.removeChild(body.firstChild);
    const list = onlyPassed.checked ? ranked.filter((r) => r.passed === true) : ranked.concat(dis);
    list.forEach((r, i) => body.appendChild(h('tr', { dataset: { regno: r.registration_no } },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'nowrap' }, r.registration_no),
      h('td', null, r.name),
      h('td', null, r.track || ''),
      sections.map((s) => h('td', { class: 'num' }, num(r[s]))),
      h('td', { class: 'num' }, num(r.total)),
      h('td', null, outcome(r).toUpperCase()))));
  };
  onlyPassed.addEventListener('change', fillRows);
  fillRows();
  root.appendChild(doc);
}
