// pages/bank-view.js - #/bank/CODE (admin, author): a bank version as its
// authors see it: each item's text with the candidate client's markup, its
// images, and its options with the key (right/wrong) or the points
// (weighted). Filter by section and by text; older versions by choice.
// Beside each item its statistics from the item analysis (issue 14: GET
// /banks/CODE/analysis[?exam=E]): p, corrected r, D, omit rate, median time,
// the flags with their reasons, and the option table in bank order; filters
// for flagged items and by flag, the exam when the bank feeds several, the
// flag thresholds (kept in localStorage, sent as query parameters), the
// analysis.csv download and the link to the Rasch calibrations.

import { h, fill } from '../dom.js';
import { api, downloads } from '../api.js';
import { t, dateTime, errorText } from '../i18n/index.js';
import { renderMarkup } from '../../candidate/markup.js';
import { message, field } from './common.js';
import { num, pct, loadThresholds, saveThresholds, parseShare, DEFAULT_THRESHOLDS, FLAG_ORDER,
  flagBadges, flagReasons, sortedFlags, flagLabel } from '../stats.js';

const LABELS = 'ABCDEFGHIJ';
const ASSET = '/api/v1/staff/assets/';
const SHOWN_MAX = 100; // items drawn at once; the filters narrow the rest

function assetUrl(ref) {
  const m = /^sha256:([0-9a-f]{64})$/.exec(String(ref || ''));
  return m ? ASSET + m[1] : null;
}

export async function render(ctx, root, params) {
  const code = params[0];
  ctx.title(t('bankViewTitle', { code: code }), t('navBanks'));
  const st = { version: null, data: null, section: '', q: '', exam: '', flagged: false, flag: '', th: loadThresholds(),
    analysis: null, anaError: null, anaBusy: false, semicolon: true, exams: null };
  const head = h('div', { class: 'panel' });
  const tools = h('section', { class: 'panel', id: 'analysis-panel', 'aria-labelledby': 'analysis-title' });
  const list = h('div', { id: 'bank-items', class: 'bank-items' });
  root.appendChild(head);
  root.appendChild(tools);
  root.appendChild(list);
  const anaLoad = loadAnalysis(); // in parallel with the bank
  await load(null);
  await anaLoad;

  async function load(version) {
    fill(list, message(t('loading')));
    const d = await api.bank(code, version);
    if (!ctx.alive()) return;
    st.data = d;
    st.version = d.version;
    drawHead();
    drawItems();
  }

  async function loadAnalysis() {
    // Redrawing the controls keeps the keyboard focus where it was.
    const active = document.activeElement;
    const where = active && root.contains(active) ? (active.id ? '#' + active.id : active.getAttribute('data-action') ? '[data-action="' + active.getAttribute('data-action') + '"]' : null) : null;
    st.anaBusy = true;
    if (st.data) drawTools();
    try {
      const a = await api.bankAnalysis(code, st.exam || null, st.th);
      // the exams the bank feeds (a reply for one exam lists only that one)
      if (a.exams && (!st.exam || !st.exams)) st.exams = a.exams;
      // No finished candidate yet: said once, not "never presented" on every item.
      st.analysis = a.n_candidates ? a : null;
      st.anaError = a.n_candidates ? null : { kind: 'http', code: 'no_data' };
    } catch (e) {
      if (e && e.status === 401) return;
      st.analysis = null;
      st.anaError = e;
    }
    st.anaBusy = false;
    if (!ctx.alive() || !st.data) return;
    drawHead();
    drawItems();
    const back = where ? root.querySelector(where) : null;
    if (back) back.focus();
  }

  function drawHead() {
    const d = st.data;
    const versions = d.versions || [];
    const sel = h('select', null, versions.map((v) => h('option', { value: String(v.version), selected: v.version === d.version ? true : null },
      t('versionOption', { v: v.version, items: v.items, at: dateTime(v.imported_at) }))));
    sel.value = String(d.version);
    sel.addEventListener('change', () => {
      load(Number(sel.value)).catch((e) => ctx.showError(e));
    });
    const sections = h('select', null, h('option', { value: '' }, t('allSections')),
      (d.sections || []).map((s) => h('option', { value: s.code }, s.code + ' — ' + (s.title || ''))));
    sections.value = st.section;
    sections.addEventListener('change', () => {
      st.section = sections.value;
      drawItems();
    });
    const q = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false', value: st.q });
    q.addEventListener('input', () => {
      st.q = q.value.trim().toLowerCase();
      drawItems();
    });
    const a = st.analysis;
    const exams = st.exams || [];
    let examSel = null;
    if (exams.length > 1) {
      const all = exams.reduce((s, e) => s + (e.n_candidates || 0), 0);
      examSel = h('select', null, h('option', { value: '' }, t('anaAllExams', { n: all })),
        exams.map((e) => h('option', { value: e.code }, t('anaExamOption', { code: e.code, title: e.title || '', n: e.n_candidates }))));
      examSel.value = st.exam;
      examSel.addEventListener('change', () => {
        st.exam = examSel.value;
        loadAnalysis();
      });
    }
    const present = {};
    ((a && a.items) || []).forEach((it) => (it.flags || []).forEach((f) => {
      present[f] = (present[f] || 0) + 1;
    }));
    const kind = h('select', null, h('option', { value: '' }, t('anaAllFlags')),
      FLAG_ORDER.filter((f) => present[f]).map((f) => h('option', { value: f }, flagLabel(f) + ' (' + present[f] + ')')));
    kind.value = present[st.flag] ? st.flag : '';
    st.flag = kind.value;
    kind.addEventListener('change', () => {
      st.flag = kind.value;
      drawItems();
    });
    const only = h('input', { type: 'checkbox', id: 'bank-flagged', checked: st.flagged });
    only.addEventListener('change', () => {
      st.flagged = only.checked;
      drawItems();
    });
    fill(head,
      h('p', { class: 'hint' }, t('bankViewLead')),
      h('div', { class: 'filters' },
        field('bank-version', t('colVersion'), sel),
        field('bank-section', t('section'), sections),
        field('bank-search', t('searchItems'), q),
        examSel ? field('bank-exam', t('anaExam'), examSel) : null,
        a ? field('bank-flag', t('anaFlagKind'), kind) : null,
        a ? h('div', { class: 'field check-field' }, h('label', { class: 'check', for: 'bank-flagged' }, only, ' ', t('anaFlaggedOnly'))) : null),
      h('p', { class: 'summary', id: 'bank-summary', role: 'status' }));
    drawTools();
  }

  /** The analysis panel: summary, thresholds, CSV, calibrations link. */
  function drawTools() {
    const a = st.analysis;
    const parts = [h('h2', { class: 'panel-title', id: 'analysis-title' }, t('anaTitle'))];
    if (st.anaBusy) parts.push(message(t('anaLoading'))); // the old figures stay until the new ones arrive
    if (!a && !st.anaBusy) {
      const e = st.anaError;
      parts.push(message(t('anaNone', { reason: e && e.code === 'no_data' ? t('anaNoData') : errorText(e) }), e && e.code === 'no_data' ? 'info' : 'error'));
    } else if (a) {
      const flagged = (a.items || []).filter((it) => (it.flags || []).length).length;
      parts.push(h('p', { class: 'summary', id: 'analysis-summary' },
        t('anaSummary', { n: a.n_candidates, items: (a.items || []).length, flagged: flagged, at: dateTime(a.generated_at) })));
      if (a.bank_version && st.version && a.bank_version !== st.version) parts.push(h('p', { class: 'hint', id: 'analysis-version' }, t('anaVersionNote', { v: a.bank_version, shown: st.version })));
      if (a.time_source && a.time_source !== 'position') parts.push(h('p', { class: 'hint' }, t('anaTimeEstimated')));
    }
    parts.push(h('p', { class: 'hint' }, t('anaLead')));
    parts.push(h('div', { class: 'analysis-tools' }, thresholdsBox(), csvBox(a),
      h('p', { class: 'cal-link' }, h('a', { class: 'button', id: 'calibrations-link', href: '#/bank/' + encodeURIComponent(code) + '/kalibrasi' }, t('anaCalibrationsLink')))));
    fill(tools, parts);
  }

  function thresholdsBox() {
    const inputs = {};
    const errs = {};
    const rows = [['easy', 'anaEasy'], ['hard', 'anaHard'], ['weak', 'anaWeak']].map((r) => {
      const k = r[0];
      inputs[k] = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', value: num(st.th[k], 2), size: '5' });
      errs[k] = h('p', { class: 'form-error', id: 'th-' + k + '-error', role: 'alert' });
      const f = field('th-' + k, t(r[1]), inputs[k]);
      f.appendChild(errs[k]);
      return f;
    });
    const apply = h('button', { type: 'submit', class: 'button primary', dataset: { action: 'thresholds-apply' } }, t('anaApply'));
    const reset = h('button', { type: 'button', class: 'button', dataset: { action: 'thresholds-reset' } }, t('anaReset'));
    const form = h('form', { class: 'form thresholds', novalidate: true }, h('div', { class: 'form-row top' }, rows), h('div', { class: 'toolbar' }, apply, reset));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const next = {};
      let bad = null;
      Object.keys(inputs).forEach((k) => {
        const v = parseShare(inputs[k].value);
        errs[k].textContent = isNaN(v) ? t('anaBadThreshold') : '';
        inputs[k].setAttribute('aria-invalid', isNaN(v) ? 'true' : 'false');
        if (isNaN(v) && !bad) bad = inputs[k];
        next[k] = v;
      });
      if (bad) {
        bad.focus();
        return;
      }
      st.th = next;
      saveThresholds(next);
      loadAnalysis();
    });
    reset.addEventListener('click', () => {
      st.th = Object.assign({}, DEFAULT_THRESHOLDS);
      saveThresholds(null);
      loadAnalysis();
    });
    const open = st.thOpen || JSON.stringify(st.th) !== JSON.stringify(DEFAULT_THRESHOLDS);
    return h('details', { class: 'thresholds-box', id: 'thresholds', open: open ? true : null, on: { toggle: (ev) => {
      st.thOpen = ev.target.open;
    } } },
      h('summary', null, t('anaThresholds') + ' (' + [num(st.th.easy), num(st.th.hard), num(st.th.weak)].join(' · ') + ')'),
      h('p', { class: 'hint' }, t('anaThresholdsLead')), form);
  }

  function csvBox(a) {
    const exams = st.exams || [];
    const examCode = st.exam || (exams.length === 1 ? exams[0].code : '');
    if (!examCode) return h('p', { class: 'hint csv-box' }, a ? t('anaDownloadPick') : '');
    const sep = h('select', { id: 'analysis-sep' }, h('option', { value: ';' }, t('sepSemicolonExcel')), h('option', { value: ',' }, t('sepCommaStd')));
    sep.value = st.semicolon ? ';' : ',';
    const link = h('a', { class: 'button', id: 'analysis-csv', download: '' }, t('anaDownload'));
    const set = () => {
      st.semicolon = sep.value === ';';
      link.href = downloads.analysisCsv(examCode, st.semicolon, st.th);
    };
    sep.addEventListener('change', set);
    set();
    return h('div', { class: 'csv-box' }, h('div', { class: 'field' }, h('label', { for: 'analysis-sep' }, t('anaSep') + ' (' + examCode + ')'), sep), link);
  }

  function drawItems() {
    const d = st.data;
    const scoring = {};
    (d.sections || []).forEach((s) => {
      scoring[s.code] = s.scoring && s.scoring.type;
    });
    const stats = {};
    ((st.analysis && st.analysis.items) || []).forEach((it) => {
      stats[it.item_code] = it;
    });
    const th = st.analysis ? Object.assign({}, DEFAULT_THRESHOLDS, st.analysis.thresholds || {}) : st.th;
    const items = (d.items || []).filter((it) => {
      if (st.section && it.section !== st.section) return false;
      if (st.q && (it.id + ' ' + it.text + ' ' + (it.topic || '')).toLowerCase().indexOf(st.q) < 0) return false;
      const s = stats[it.id];
      const flags = s ? s.flags || [] : [];
      if (st.analysis && st.flagged && !flags.length) return false; // the filters exist with an analysis only
      if (st.analysis && st.flag && flags.indexOf(st.flag) < 0) return false;
      return true;
    });
    document.getElementById('bank-summary').textContent = t('itemsShown', { n: Math.min(items.length, SHOWN_MAX), total: items.length, all: (d.items || []).length });
    fill(list, items.slice(0, SHOWN_MAX).map((it) => itemCard(it, scoring[it.section], st.analysis ? stats[it.id] || null : undefined, th)));
  }
}

/** One item; stats: its analysis object, null when never presented,
 *  undefined when there is no analysis at all. */
function itemCard(it, scoringType, stats, th) {
  const images = (it.images || []).map((ref, i) => {
    const url = assetUrl(ref);
    return url ? h('img', { src: url, alt: t('itemImage', { id: it.id, n: i + 1 }), class: 'item-image' }) : null;
  });
  const options = (it.options || []).map((o, i) => {
    const key = scoringType === 'weighted' ? t('points', { n: o.points === undefined ? 0 : o.points }) : o.correct ? t('keyCorrect') : '';
    const url = assetUrl(o.image);
    return h('li', { class: 'item-option' + (o.correct ? ' correct' : ''), dataset: { label: LABELS[i] } },
      h('span', { class: 'option-label' }, LABELS[i] + '.'),
      h('span', { class: 'option-text' }, renderMarkup(o.text || '', { inline: true }),
        url ? h('img', { src: url, alt: t('optionImage', { id: it.id, label: LABELS[i] }), class: 'item-image option-image' }) : null),
      key ? h('span', { class: o.correct ? 'badge ok' : 'badge' }, key) : null);
  });
  const flags = stats ? sortedFlags(stats) : [];
  const main = h('div', { class: 'item-main' },
    h('div', { class: 'item-text' }, renderMarkup(it.text || '')),
    images.length ? h('div', { class: 'item-images' }, images) : null,
    h('ol', { class: 'item-options' }, options));
  return h('article', { class: 'panel bank-item' + (stats !== undefined ? ' with-stats' : '') + (flags.length ? ' flagged' : ''),
    dataset: { item: it.id, flags: flags.join(' ') }, 'aria-labelledby': 'item-' + it.id },
  h('h2', { class: 'item-head', id: 'item-' + it.id }, it.id,
    h('span', { class: 'item-meta' }, ' · ' + it.section + (it.topic ? ' · ' + it.topic : '') + (it.difficulty ? ' · ' + t('difficulty_' + it.difficulty) : ''))),
  stats === undefined ? main : h('div', { class: 'item-body' }, main, statsAside(it, stats, th)),
  stats ? optionTable(it, stats) : null);
}

/** The statistics beside an item: the figures, the flag badges and reasons. */
function statsAside(it, s, th) {
  if (!s) return h('aside', { class: 'item-stats', 'aria-label': t('anaStatsOf', { id: it.id }) }, h('p', { class: 'hint' }, t('anaNotPresented')));
  const fig = (key, value, title, cls) => h('div', { class: 'stat' }, h('dt', { title: title || null }, t(key)), h('dd', { class: cls || null, dataset: { stat: key } }, value));
  const timeText = s.time_median_s === null || s.time_median_s === undefined ? '—' : t('seconds1', { n: num(s.time_median_s, s.time_median_s < 10 ? 1 : 0) });
  return h('aside', { class: 'item-stats', 'aria-label': t('anaStatsOf', { id: it.id }) },
    h('dl', { class: 'stat-grid' },
      fig('stP', num(s.p), t('stPTitle')),
      fig('stR', num(s.r_corrected), t('stRTitle'), s.r_corrected !== null && s.r_corrected < 0 ? 'neg' : null),
      fig('stD', num(s.d), t('stDTitle')),
      fig('stOmit', pct(s.omit_rate)),
      fig('stTime', timeText),
      fig('stN', t('stNValue', { n: s.n_presented }))),
    h('div', { class: 'flag-badges' }, flagBadges(s)),
    flagReasons(s, th));
}

/** The options in bank order: letter (key marked "kunci", a flagged
 *  distractor marked), share, mean section score, r_pb, upper/lower. */
function optionTable(it, s) {
  const weighted = s.type === 'weighted';
  const cols = [t('colOption')].concat(weighted ? [t('colPointsShort')] : []).concat([t('colShare'), t('colMeanScore'), t('colRpb'), t('colUpperLower')]);
  const opts = (s.options || []).slice().sort((a, b) => a.index - b.index);
  const rows = opts.map((o) => {
    const isKey = !weighted && s.key === o.index;
    return h('tr', { class: (isKey ? 'opt-key' : '') + (o.flagged ? ' opt-flagged' : ''), dataset: { option: o.letter } },
      h('th', { scope: 'row' }, o.letter,
        isKey ? h('span', { class: 'badge ok' }, t('optKey')) : null,
        o.flagged ? h('span', { class: 'badge warn' }, t('optFlagged')) : null),
      weighted ? h('td', { class: 'num' }, num(o.points, 0)) : null,
      h('td', { class: 'num' }, pct(o.share) + ' (' + o.n + ')'),
      h('td', { class: 'num' }, num(o.mean_score, 1)),
      h('td', { class: 'num' + (o.r_pb !== null && o.r_pb < 0 ? ' neg' : '') }, num(o.r_pb)),
      h('td', { class: 'num' }, pct(o.upper_share) + ' / ' + pct(o.lower_share)));
  });
  const blank = s.n_presented - s.n_answered;
  rows.push(h('tr', { class: 'opt-blank' }, h('th', { scope: 'row' }, t('optBlank')), weighted ? h('td') : null,
    h('td', { class: 'num' }, pct(s.omit_rate) + ' (' + blank + ')'), h('td'), h('td'), h('td')));
  return h('details', { class: 'opt-details', dataset: { options: it.id } },
    h('summary', null, t('optTableShow')),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('optCaption', { id: it.id }) },
      h('table', { class: 'data-table opt-table' },
        h('caption', { class: 'visually-hidden' }, t('optCaption', { id: it.id })),
        h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
        h('tbody', null, rows))));
}
