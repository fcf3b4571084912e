// pages/results.js - #/hasil/CODE: the ranked results and their exports: CSV
// (',' or ';' — the latter for Excel with Indonesian settings), xlsx, with
// or without absent and unfinished candidates. The table has an A4 print
// stylesheet.

import { h } from '../dom.js';
import { api, downloads } from '../api.js';
import { t, getLang, dateTime, label } from '../i18n/index.js';
import { table, message, button } from './common.js';
import '../stats.js'; // issue 14: the analysis strings

const FIXED = ['rank', 'registration_no', 'name', 'track', 'total', 'passed', 'finish_reason', 'finished_at', 'status'];

export async function render(ctx, root, params) {
  const code = params[0];
  const head = ctx.title(t('resultsTitle', { code: code }), t('navExams'));
  const status = root.appendChild(message(t('loading')));
  const got = await Promise.all([api.results(code), api.exams().catch(() => ({ exams: [] }))]);
  if (!ctx.alive()) return;
  root.removeChild(status);
  const data = got[0];
  const rows = Array.isArray(data) ? data : data.results || data.rows || [];
  const exam = (got[1].exams || []).filter((e) => e.code === code)[0];
  if (exam && exam.title) head.querySelector('.page-kicker').textContent = exam.title;

  // Export: separator, absent/unfinished, then the two download links.
  const sepComma = h('input', { type: 'radio', name: 'sep', value: ',', id: 'sep-comma' });
  const sepSemi = h('input', { type: 'radio', name: 'sep', value: ';', id: 'sep-semicolon', checked: true });
  const all = h('input', { type: 'checkbox', id: 'export-all' });
  const csv = h('a', { class: 'button primary', id: 'export-csv', download: '' }, t('exportCsv'));
  const xlsx = h('a', { class: 'button', id: 'export-xlsx', download: '' }, t('exportXlsx'));
  const update = () => {
    const sep = sepComma.checked ? ',' : ';';
    csv.href = downloads.resultsCsv(code, sep, getLang(), all.checked);
    xlsx.href = downloads.resultsXlsx(code, getLang(), all.checked);
  };
  [sepComma, sepSemi, all].forEach((el) => el.addEventListener('change', update));
  update();
  root.appendChild(h('section', { class: 'panel no-print', 'aria-labelledby': 'export-title' },
    h('h2', { class: 'panel-title', id: 'export-title' }, t('exportTitle')),
    h('div', { class: 'export-grid' },
      h('fieldset', { class: 'choice' },
        h('legend', null, t('exportSep')),
        h('label', { class: 'check' }, sepSemi, ' ', t('sepSemicolonExcel')),
        h('label', { class: 'check' }, sepComma, ' ', t('sepCommaStd'))),
      h('div', { class: 'choice' },
        h('label', { class: 'check' }, all, ' ', t('exportAll')))),
    h('div', { class: 'toolbar' }, csv, xlsx, button(t('printTable'), () => window.print(), { data: { action: 'print' } }),
      // issue 14: the test report (reliability, SEM, thresholds) in the committee web
      h('a', { class: 'button', id: 'analysis-link', href: '/committee/#/analisis/' + encodeURIComponent(code) }, t('analysisLinkAdmin')))));

  // The ranked table; section columns are the keys that are not fixed fields.
  const sections = [];
  rows.forEach((r) => Object.keys(r).forEach((k) => {
    if (FIXED.indexOf(k) < 0 && sections.indexOf(k) < 0 && typeof r[k] === 'number') sections.push(k);
  }));
  const cols = [{ label: t('colRank'), num: true }, { label: t('colRegno') }, { label: t('colName') }, { label: t('colTrack') }]
    .concat(sections.map((s) => ({ label: s, num: true })))
    .concat([{ label: t('colTotal'), num: true }, { label: t('colPassed') }, { label: t('colReason') }, { label: t('colFinishedAt') }]);
  const cells = rows.map((r) => [String(r.rank === undefined || r.rank === null ? '—' : r.rank), r.registration_no, r.name, r.track || '']
    .concat(sections.map((s) => (r[s] === undefined || r[s] === null ? '' : String(r[s]))))
    .concat([r.total === undefined || r.total === null ? '' : String(r.total), r.passed ? t('passedYes') : t('passedNo'),
      r.finish_reason ? label('reason_', r.finish_reason) : r.status ? label('status_', r.status) : '', dateTime(r.finished_at)]));
  const wrap = h('section', { class: 'panel results', 'aria-labelledby': 'results-list-title' },
    h('h2', { class: 'panel-title', id: 'results-list-title' }, t('resultsList', { n: rows.length })),
    h('p', { class: 'print-only' }, (exam && exam.title ? exam.title + ' · ' : '') + code + ' · ' + t('printedAt', { at: dateTime(Date.now()) })),
    table(cols, cells, { caption: t('resultsCaption', { code: code }), captionHidden: true, id: 'results-table', rowHeader: false, empty: t('resultsEmpty') }));
  root.appendChild(wrap);
}
