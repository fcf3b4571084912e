// pages/analysis.js - #/analisis/CODE: an exam's test report for the
// committee, "Analisis Ujian" (issue 14: GET /exams/CODE/analysis): per
// section and for the total the number of candidates, mean, standard
// deviation, skewness, kurtosis, alpha with its method in words, SEM and the
// range; an SVG histogram per part with a vertical line at each pass
// threshold and the ±1 SEM band around it, and the share of candidates
// within one SEM of each threshold with what that means for a decision; a
// compact table of the flagged items (codes and flags). Reached from the
// results page; prints on A4 (committee.css).

import { h } from '../../admin/dom.js';
import { t, dateTime } from '../i18n/index.js';
import { addStrings } from '../../admin/i18n/index.js';
import { api, downloads } from '../api.js';
import { num, pctNum, svg, loadThresholds, sortedFlags, flagLabel } from '../../admin/stats.js';
import strings from '../i18n/analysis.js';

addStrings(strings);

// Histogram geometry (viewBox units); exported for the browser test.
export const HIST = { W: 520, H: 220, L: 34, R: 10, T: 38, B: 24 };

export async function render(ctx, root, params) {
  const code = params[0];
  const head = ctx.title(t('taTitle'), code);
  const th = loadThresholds();
  const got = await Promise.all([api.analysis(code, th), api.exams().catch(() => ({ exams: [] }))]);
  if (!ctx.alive()) return;
  const a = got[0];
  const exam = (got[1].exams || []).filter((e) => e.code === code)[0] || { code: code };
  head.querySelector('.page-kicker').textContent = (a.title || exam.title || code) + ' (' + code + ')';
  const csv = h('a', { class: 'button', id: 'analysis-csv', download: '', href: downloads.analysisCsv(code, true, th) }, t('taCsv'));
  root.appendChild(h('div', { class: 'toolbar no-print' },
    h('button', { type: 'button', class: 'button primary', id: 'print-button', on: { click: () => window.print() } }, t('print')),
    h('a', { class: 'button', id: 'back-to-results', href: '#/hasil/' + encodeURIComponent(code) }, t('backToResults')),
    csv));
  root.appendChild(h('p', { class: 'lead' }, t('taLead')));
  root.appendChild(h('p', { class: 'print-only' }, (a.title || exam.title || code) + ' (' + code + ') · ' + t('taPrintedAt', { at: dateTime(Date.now()) })));
  root.appendChild(h('p', { class: 'summary', id: 'analysis-facts' },
    t('taFacts', { n: a.n_candidates, bank: a.bank || '', v: a.bank_version || '', at: dateTime(a.generated_at) })));
  const test = a.test || null;
  if (!test || !a.n_candidates) {
    root.appendChild(h('p', { class: 'message', dataset: { state: 'info' } }, t('taNoData')));
    return;
  }
  const parts = (test.sections || []).concat(test.total ? [Object.assign({}, test.total, { code: null })] : []);
  root.appendChild(summaryTable(parts));
  const methods = [];
  parts.forEach((p) => {
    if (p.alpha_method && methods.indexOf(p.alpha_method) < 0) methods.push(p.alpha_method);
  });
  root.lastChild.appendChild(h('div', { class: 'method-notes' }, methods.map((m) => h('p', { class: 'hint', dataset: { method: m } }, t('taMethodNote', { text: t('method_' + m) })))));
  root.appendChild(h('section', { class: 'panel analysis-dist', 'aria-labelledby': 'dist-title' },
    h('h2', { class: 'panel-title', id: 'dist-title' }, t('taDist')),
    h('p', { class: 'hint' }, t('taDistHint')),
    h('div', { class: 'dist-grid' }, parts.map((p) => partCard(p))),
    h('p', { class: 'within-explain', id: 'within-explain' }, t('taWithinExplain'))));
  root.appendChild(flaggedTable(a.items || []));
}

function partName(p) {
  return p.code ? p.code + (p.title ? ' — ' + p.title : '') : t('taTotal');
}

function summaryTable(parts) {
  const cols = [t('taColPart'), t('taColN'), t('taColAlpha'), t('taColSem'), t('taColMean'), t('taColSd'), t('taColRange'), t('taColSkew'), t('taColKurt')];
  // alpha and SEM first after n: what a decision needs; one card per part on phones
  const cells = (p) => [
    h('td', { class: 'num' }, num(p.n, 0)),
    h('td', { class: 'num', dataset: { stat: 'alpha' } }, p.alpha === null || p.alpha === undefined ? t('taAlphaNone') : num(p.alpha),
      p.alpha_method ? h('span', { class: 'sub' }, t('methodShort_' + p.alpha_method)) : null),
    h('td', { class: 'num', dataset: { stat: 'sem' } }, num(p.sem)),
    h('td', { class: 'num', dataset: { stat: 'mean' } }, num(p.mean)),
    h('td', { class: 'num', dataset: { stat: 'sd' } }, num(p.sd)),
    h('td', { class: 'num' }, t('taRange', { min: num(p.min, 0), max: num(p.max, 0), of: num(p.max_score, 0) })),
    h('td', { class: 'num' }, num(p.skewness)),
    h('td', { class: 'num' }, num(p.kurtosis)),
  ];
  const rows = parts.map((p) => {
    const tds = cells(p);
    tds.forEach((td, i) => td.setAttribute('data-label', cols[i + 1]));
    return h('tr', { dataset: { part: p.code || 'total' }, class: p.code ? null : 'total-row' },
      h('th', { scope: 'row', 'data-label': cols[0] }, p.code || t('taTotal'), p.code && p.title ? h('span', { class: 'sub' }, p.title) : null),
      tds);
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'summary-title' },
    h('h2', { class: 'panel-title', id: 'summary-title' }, t('taSummary')),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('taSummaryCaption') },
      h('table', { class: 'data-table stack', id: 'analysis-summary' },
        h('caption', { class: 'visually-hidden' }, t('taSummaryCaption')),
        h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
        h('tbody', null, rows))));
}

/** One section (or the total): its histogram and the within-SEM sentences. */
function partCard(p) {
  const id = 'dist-' + (p.code || 'total');
  const sem = typeof p.sem === 'number' ? p.sem : null;
  const ths = p.thresholds || [];
  const lines = ths.map((x) => {
    if (sem === null) return h('li', null, t('taLine', { track: x.track, min: num(x.min, 0) }) + ': ' + t('taNoSem'));
    return h('li', { dataset: { track: x.track, min: x.min } }, t('taWithin', { pct: pctNum(x.within_sem), n: x.n_within, of: typeof x.n_track === 'number' ? x.n_track : p.n, track: x.track, min: num(x.min, 0),
      lo: num(x.min - sem, 1), hi: num(x.min + sem, 1) }));
  });
  return h('figure', { class: 'dist', id: id, dataset: { part: p.code || 'total' } },
    h('figcaption', null, partName(p)),
    histogram(p),
    lines.length ? h('ul', { class: 'within-list' }, lines) : h('p', { class: 'hint' }, t('taNoThreshold')));
}

/** The server's histogram ({lo, width, counts}) with a line per threshold and the ±SEM band. */
function histogram(p) {
  const G = HIST;
  const hist = p.histogram || { lo: 0, width: 1, counts: [] };
  const counts = hist.counts || [];
  const n = Math.max(1, counts.length);
  const lo = Number(hist.lo) || 0;
  const hi = lo + n * Number(hist.width || 1);
  const pw = G.W - G.L - G.R;
  const ph = G.H - G.T - G.B;
  const x = (v) => G.L + ((Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo)) * pw;
  const max = Math.max.apply(null, counts.concat([1]));
  const bw = pw / n;
  const parts = [];
  const sem = typeof p.sem === 'number' ? p.sem : null;
  const ths = p.thresholds || [];
  // bands first, under the bars
  if (sem !== null) ths.forEach((th) => parts.push(svg('rect', { class: 'sem-band', x: x(th.min - sem), y: G.T, width: Math.max(0, x(th.min + sem) - x(th.min - sem)), height: ph,
    'data-min': th.min, 'data-track': th.track })));
  counts.forEach((c, i) => {
    const a = lo + i * hist.width;
    const bh = (ph * c) / max;
    parts.push(svg('rect', { class: 'hist-bar', x: G.L + i * bw + 0.5, y: G.T + ph - bh, width: Math.max(0.5, bw - 1), height: bh, 'data-bin': i },
      svg('title', { text: num(a, 1) + '–' + num(a + hist.width, 1) + ': ' + c })));
  });
  parts.push(svg('line', { class: 'axis', x1: G.L, x2: G.W - G.R, y1: G.T + ph, y2: G.T + ph }));
  ths.forEach((th, i) => {
    const xx = x(th.min);
    if (sem !== null) [th.min - sem, th.min + sem].forEach((v) => parts.push(svg('line', { class: 'sem-edge', x1: x(v), x2: x(v), y1: G.T, y2: G.T + ph })));
    parts.push(svg('line', { class: 'threshold-line', x1: xx, x2: xx, y1: G.T - 4, y2: G.T + ph, 'data-min': th.min, 'data-track': th.track }));
    const right = xx > G.W - 110;
    parts.push(svg('text', { class: 'threshold-label', x: right ? xx - 4 : xx + 4, y: 14 + (i % 2) * 16, 'text-anchor': right ? 'end' : 'start',
      text: t('taLine', { track: th.track, min: num(th.min, 0) }) }));
  });
  parts.push(svg('text', { class: 'dist-tick', x: G.L, y: G.H - 8, 'text-anchor': 'start', text: num(lo, 0) }));
  parts.push(svg('text', { class: 'dist-tick', x: G.L + pw / 2, y: G.H - 8, 'text-anchor': 'middle', text: num((lo + hi) / 2, 0) }));
  parts.push(svg('text', { class: 'dist-tick', x: G.W - G.R, y: G.H - 8, 'text-anchor': 'end', text: num(hi, 0) }));
  parts.push(svg('text', { class: 'dist-tick', x: G.L - 4, y: G.T + 8, 'text-anchor': 'end', text: String(max) }));
  const label = t('taHistLabel', { title: partName(p), n: p.n, lines: ths.map((th) => t('taLine', { track: th.track, min: num(th.min, 0) })).join(', ') });
  return svg('svg', { viewBox: '0 0 ' + G.W + ' ' + G.H, class: 'dist-svg', role: 'img', 'aria-label': label, 'data-lo': lo, 'data-hi': hi }, parts);
}

function flaggedTable(items) {
  const flagged = items.filter((it) => (it.flags || []).length);
  const body = flagged.length
    ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('taFlaggedCaption') },
      h('table', { class: 'data-table compact', id: 'flagged-items' },
        h('caption', { class: 'visually-hidden' }, t('taFlaggedCaption')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('taColItem')), h('th', { scope: 'col' }, t('taColFlags')))),
        h('tbody', null, flagged.map((it) => h('tr', { dataset: { item: it.item_code } },
          h('th', { scope: 'row', class: 'nowrap' }, it.item_code),
          h('td', null, sortedFlags(it).map(flagLabel).join(', ')))))))
    : h('p', { class: 'message empty' }, t('taFlaggedNone'));
  return h('section', { class: 'panel analysis-flagged', 'aria-labelledby': 'flagged-title' },
    h('h2', { class: 'panel-title', id: 'flagged-title' }, t('taFlagged') + ' (' + flagged.length + ')'),
    h('p', { class: 'hint' }, t('taFlaggedLead')),
    body);
}

