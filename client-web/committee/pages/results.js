// pages/results.js - #/hasil[/CODE]: an exam's results for the committee:
// the exam picker, a sortable table filtered by track, passed and
// disqualified, an SVG histogram per section and for the total, the pass
// rate per threshold (the exam's pass rules, from the exam list every role reads,
// and a "what if" threshold on the total), the exports (CSV with ';' or
// ',', xlsx), a result slip per row and the printable announcement.

import { h, fill } from '../../admin/dom.js';
import { t, getLang, dateTime, label } from '../i18n/index.js';
import { api, downloads, slipHref } from '../api.js';
import { num, share, sortableTable, selectField, histogram } from '../ui.js';

const FIXED = ['rank', 'registration_no', 'name', 'track', 'total', 'passed', 'disqualified', 'status', 'finish_reason', 'finished_at', 'nip'];

/** The section codes of a results array: numeric keys that are not fixed fields. */
export function sectionsOf(rows) {
  const out = [];
  rows.forEach((r) => Object.keys(r).forEach((k) => {
    if (FIXED.indexOf(k) < 0 && out.indexOf(k) < 0 && (typeof r[k] === 'number' || r[k] === null)) out.push(k);
  }));
  return out;
}

/** "Lulus" / "Tidak lulus" / "Diskualifikasi" / "—". */
export function outcome(r) {
  if (r.disqualified || r.finish_reason === 'disqualified') return t('outcome_dis');
  if (r.passed === true) return t('outcome_pass');
  if (r.passed === false) return t('outcome_fail');
  return '—';
}

export async function render(ctx, root, params) {
  const code = params[0] || null;
  ctx.title(t('resultsTitle'), t('navResults'));
  const exams = ((await api.exams()).exams || []).filter((e) => !e.archived || e.code === code);
  if (!ctx.alive()) return;
  const picker = selectField(t('examPick'), [{ value: '', text: t('examPickNone') }].concat(exams.map((e) => ({ value: e.code, text: e.code + ' — ' + (e.title || '') }))),
    code || '', (v) => ctx.navigate(v ? '#/hasil/' + encodeURIComponent(v) : '#/hasil'), { id: 'exam-pick' });
  root.appendChild(h('div', { class: 'toolbar no-print' }, picker.el));
  if (!code) {
    root.appendChild(h('p', { class: 'lead' }, exams.length ? t('examPickLead') : t('examsNone')));
    return;
  }
  const exam = exams.filter((e) => e.code === code)[0] || { code: code };
  const got = await Promise.all([api.results(code),
    ctx.hasRole('admin', 'author') ? api.examDef(code).catch(() => null) : Promise.resolve(null)]);
  if (!ctx.alive()) return;
  const all = Array.isArray(got[0]) ? got[0] : got[0].results || [];
  const def = got[1] && got[1].definition ? got[1].definition : null;
  // The exam list carries the pass rules for every role (the committee
  // cannot read the definition itself).
  const rules = def && def.pass_rules ? def.pass_rules : exam.pass_rules || null;
  const sections = sectionsOf(all);
  const tracks = [];
  all.forEach((r) => {
    if (r.track && tracks.indexOf(r.track) < 0) tracks.push(r.track);
  });

  // Exports and the announcement: one row.
  const sep = selectField(t('exportSep'), [{ value: ';', text: t('sepSemicolonExcel') }, { value: ',', text: t('sepCommaStd') }], ';', () => setLinks(), { id: 'export-sep' });
  const csv = h('a', { class: 'button primary', id: 'export-csv', download: '' }, t('exportCsv'));
  const xlsx = h('a', { class: 'button', id: 'export-xlsx', download: '' }, t('exportXlsx'));
  const setLinks = () => {
    csv.href = downloads.resultsCsv(code, sep.select.value, getLang());
    xlsx.href = downloads.resultsXlsx(code, getLang());
  };
  setLinks();
  root.appendChild(h('section', { class: 'panel no-print', 'aria-labelledby': 'export-title' },
    h('h2', { class: 'panel-title', id: 'export-title' }, t('exportTitle')),
    h('div', { class: 'toolbar' }, sep.el, csv, xlsx,
      h('a', { class: 'button', id: 'announce-link', href: '#/cetak/pengumuman/' + encodeURIComponent(code) }, t('announceLink')),
      h('a', { class: 'button', id: 'analysis-link', href: '#/analisis/' + encodeURIComponent(code) }, t('analysisLink')))));

  // Filters.
  const f = { track: '', passed: '', dis: '', q: '' };
  const trackSel = selectField(t('filterTrack'), [{ value: '', text: t('all') }].concat(tracks.map((x) => ({ value: x, text: x }))), '', (v) => {
    f.track = v;
    update();
  }, { id: 'f-track' });
  const passSel = selectField(t('filterPassed'), [{ value: '', text: t('all') }, { value: 'yes', text: t('outcome_pass') }, { value: 'no', text: t('outcome_fail') }], '', (v) => {
    f.passed = v;
    update();
  }, { id: 'f-passed' });
  const disSel = selectField(t('filterDis'), [{ value: '', text: t('all') }, { value: 'only', text: t('disOnly') }, { value: 'none', text: t('disNone') }], '', (v) => {
    f.dis = v;
    update();
  }, { id: 'f-dis' });
  const q = h('input', { type: 'search', id: 'f-q', on: { input: () => {
    f.q = q.value.trim().toLowerCase();
    update();
  } } });
  const summary = h('p', { class: 'summary', id: 'results-summary', role: 'status' });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'filter-title' },
    h('h2', { class: 'panel-title', id: 'filter-title' }, exam.title ? exam.title + ' (' + code + ')' : code),
    h('div', { class: 'filters' }, trackSel.el, passSel.el, disSel.el,
      h('div', { class: 'field' }, h('label', { for: 'f-q' }, t('filterName')), q)),
    summary));

  const charts = h('div', { class: 'hist-grid', id: 'histograms' });
  const rates = h('div', { id: 'pass-rates' });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'charts-title' },
    h('h2', { class: 'panel-title', id: 'charts-title' }, t('chartsTitle')),
    h('p', { class: 'hint' }, t('chartsHint')), charts));
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'rates-title' },
    h('h2', { class: 'panel-title', id: 'rates-title' }, t('ratesTitle')), rates));

  const cols = [
    { key: 'rank', label: t('colRank'), num: true },
    { key: 'registration_no', label: t('colRegno') },
    { key: 'name', label: t('colName') },
    { key: 'track', label: t('colTrack') },
  ].concat(sections.map((s) => ({ key: s, label: s, num: true, cell: (r) => num(r[s]) })))
    .concat([
      { key: 'total', label: t('colTotal'), num: true, cell: (r) => num(r.total) },
      { key: 'outcome', label: t('colOutcome'), sort: (r) => outcome(r), cell: (r) => h('span', { class: 'badge outcome', dataset: { outcome: r.disqualified ? 'dis' : r.passed ? 'pass' : 'fail' } }, outcome(r)) },
      { key: 'finish_reason', label: t('colFinish'), cell: (r) => (r.finish_reason ? label('reason_', r.finish_reason) : '') },
      { key: 'finished_at', label: t('colFinishedAt'), cell: (r) => dateTime(r.finished_at) },
      { key: 'slip', label: t('colSlip'), sort: false, cell: (r) => h('a', { href: slipHref(code, r.registration_no), class: 'slip-link', 'aria-label': t('slipFor', { name: r.name }) }, t('slipLink')) },
    ]);
  const table = sortableTable(cols, all, { id: 'results-table', caption: t('resultsCaption', { code: code }), sort: { key: 'rank', dir: 1 },
    rowAttrs: (r) => ({ dataset: { regno: r.registration_no } }), empty: t('resultsEmpty'), limit: 500 });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'table-title' },
    h('h2', { class: 'panel-title', id: 'table-title' }, t('resultsTable')), table.el));

  function filtered() {
    return all.filter((r) => {
      if (f.track && r.track !== f.track) return false;
      if (f.passed === 'yes' && r.passed !== true) return false;
      if (f.passed === 'no' && r.passed !== false) return false;
      if (f.dis === 'only' && !r.disqualified) return false;
      if (f.dis === 'none' && r.disqualified) return false;
      if (f.q && String(r.name || '').toLowerCase().indexOf(f.q) < 0 && String(r.registration_no || '').toLowerCase().indexOf(f.q) < 0) return false;
      return true;
    });
  }

  function update() {
    const rows = filtered();
    table.update(rows);
    const passed = rows.filter((r) => r.passed === true).length;
    const dis = rows.filter((r) => r.disqualified).length;
    summary.textContent = t('resultsSummary', { n: rows.length, of: all.length, passed: passed, dis: dis });
    const scored = rows.filter((r) => !r.disqualified && typeof r.total === 'number');
    fill(charts, sections.map((s) => histogram(scored.map((r) => r[s]), { title: t('histSection', { s: s }), id: 'hist-' + s }))
      .concat([histogram(scored.map((r) => r.total), { title: t('histTotal'), id: 'hist-total' })]));
    fill(rates, passRates(rows, rules, sections));
  }
  update();
}

/** The pass rate per threshold: per track, each rule's minimums (when the
 *  rules are readable), the actual outcome, and a "what if" on the total. */
function passRates(rows, rules, sections) {
  const out = [];
  const tracks = {};
  rows.forEach((r) => {
    const k = r.track || '—';
    (tracks[k] = tracks[k] || []).push(r);
  });
  const lines = [];
  Object.keys(tracks).sort().forEach((tr) => {
    const list = tracks[tr];
    const fin = list.filter((r) => typeof r.total === 'number');
    const rule = rules ? rules[tr] : null;
    if (rule) {
      if (rule.sections) Object.keys(rule.sections).forEach((s) => {
        const min = rule.sections[s];
        lines.push([tr, s + ' ≥ ' + num(min), share(fin.filter((r) => !r.disqualified && r[s] >= min).length, fin.length)]);
      });
      if (typeof rule.total === 'number') lines.push([tr, t('colTotal') + ' ≥ ' + num(rule.total), share(fin.filter((r) => !r.disqualified && r.total >= rule.total).length, fin.length)]);
    }
    lines.push([tr, t('rateAllRules'), share(list.filter((r) => r.passed === true).length, list.length)]);
  });
  out.push(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('ratesTitle') }, h('table', { class: 'data-table', id: 'rates-table' },
    h('caption', { class: 'visually-hidden' }, t('ratesTitle')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('colTrack')), h('th', { scope: 'col' }, t('colThreshold')), h('th', { scope: 'col', class: 'num' }, t('colMeeting')))),
    h('tbody', null, lines.map((l) => h('tr', null, h('td', null, l[0]), h('td', null, l[1]), h('td', { class: 'num' }, l[2])))))));
  if (!rules) out.push(h('p', { class: 'hint' }, t('rulesHidden')));
  // What if: a threshold on the total (or a section).
  const scored = rows.filter((r) => !r.disqualified && typeof r.total === 'number');
  const what = h('select', { id: 'whatif-col' }, [h('option', { value: 'total' }, t('colTotal'))].concat(sections.map((s) => h('option', { value: s }, s))));
  const input = h('input', { type: 'number', id: 'whatif-min', inputmode: 'numeric', value: '' });
  const res = h('output', { id: 'whatif-out', for: 'whatif-min', class: 'whatif-out' }, '');
  const calc = () => {
    const v = Number(input.value);
    res.textContent = input.value === '' || isNaN(v) ? t('whatifEmpty') : share(scored.filter((r) => r[what.value] >= v).length, scored.length);
  };
  input.addEventListener('input', calc);
  what.addEventListener('change', calc);
  calc();
  out.push(h('div', { class: 'filters whatif' },
    h('div', { class: 'field' }, h('label', { for: 'whatif-col' }, t('whatifCol')), what),
    h('div', { class: 'field' }, h('label', { for: 'whatif-min' }, t('whatifMin')), input),
    h('p', { class: 'whatif-res' }, res)));
  return out;
}
