// ui.js - pieces the committee pages share: number formats, SVG elements,
// a sortable data table, labelled selects, the "live" indicator and the
// score histogram. Text always goes in as text (../admin/dom.js).

import { h, fill, newId, svg } from '../admin/dom.js';
import { t, getLang } from './i18n/index.js';

export { svg }; // the committee pages' charts import it from here

const LOCALES = { id: 'id-ID', en: 'en-GB' };

/** A number in the page's language ("81,5" / "81.5"); '—' for null. */
export function num(v, digits) {
  if (v === null || v === undefined || v === '' || isNaN(Number(v))) return '—';
  const d = digits === undefined ? 2 : digits;
  try {
    return Number(v).toLocaleString(LOCALES[getLang()] || 'id-ID', { maximumFractionDigits: d, minimumFractionDigits: 0 });
  } catch (e) {
    return String(Math.round(Number(v) * 100) / 100);
  }
}

/** "62 dari 100 (62%)". */
export function share(n, of) {
  return t('shareOf', { n: n, of: of, pct: of ? num((100 * n) / of, 1) : '0' });
}


/**
 * A table whose column heads sort it (click again: the other way).
 * cols: [{key, label, num, sort(row) → number|string|null, cell(row) → text|node,
 * cls}]; opts: {id, caption, sort: {key, dir}, rowAttrs(row), empty, stack (one
 * card per row on phones, admin.css's "stack" tables), limit (rows drawn
 * at first; a button shows the rest)}.
 * Returns {el, update(rows)}.
 */
export function sortableTable(cols, rows, opts) {
  const o = opts || {};
  const state = { key: o.sort ? o.sort.key : null, dir: o.sort ? o.sort.dir : 1, rows: rows };
  const table = h('table', { class: 'data-table sortable' + (o.stack ? ' stack' : ''), id: o.id || null });
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': o.caption ? t('tableOf', { name: o.caption }) : t('table') }, table);
  const empty = h('p', { class: 'message empty', hidden: true }, o.empty || t('noRows'));
  const more = h('button', { type: 'button', class: 'button small show-all', hidden: true, on: { click: () => {
    state.all = true;
    render();
  } } });
  const el = h('div', { class: 'sortable-box' }, wrap, empty, more);

  function sorted() {
    const col = cols.filter((c) => c.key === state.key)[0];
    if (!col) return state.rows.slice();
    const val = col.sort || ((r) => r[col.key]);
    return state.rows.slice().sort((a, b) => {
      const x = val(a);
      const y = val(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === '') return 1; // empty last whatever the direction
      if (y === null || y === undefined || y === '') return -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * state.dir;
      return String(x).localeCompare(String(y), 'id') * state.dir;
    });
  }

  function render() {
    const head = h('tr', null, cols.map((c) => {
      const active = c.key === state.key;
      const sortable = c.sort !== false;
      return h('th', { scope: 'col', class: (c.num ? 'num ' : '') + (c.cls || ''), 'aria-sort': active ? (state.dir > 0 ? 'ascending' : 'descending') : null },
        sortable ? h('button', { type: 'button', class: 'sort-button', dataset: { sort: c.key }, on: { click: () => {
          if (state.key === c.key) state.dir = -state.dir;
          else {
            state.key = c.key;
            state.dir = c.num ? -1 : 1;
          }
          render();
          const b = table.querySelector('[data-sort="' + c.key + '"]');
          if (b) b.focus();
        } } }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (state.dir > 0 ? ' ▲' : ' ▼') : '')) : c.label);
    }));
    const all = sorted();
    const list = o.limit && !state.all ? all.slice(0, o.limit) : all;
    more.hidden = list.length === all.length;
    more.textContent = t('showAllRows', { shown: list.length, n: all.length });
    fill(table,
      o.caption ? h('caption', { class: 'visually-hidden' }, o.caption) : null,
      h('thead', null, head),
      h('tbody', null, list.map((r) => h('tr', o.rowAttrs ? o.rowAttrs(r) : null, cols.map((c) => {
        const v = c.cell ? c.cell(r) : r[c.key];
        return h('td', { class: (c.num ? 'num ' : '') + (c.cls || ''), dataset: { col: c.key }, 'data-label': o.stack ? c.label : null }, v === null || v === undefined ? '' : v);
      })))));
    empty.hidden = all.length > 0;
  }

  render();
  return {
    el: el,
    update: (next) => {
      state.rows = next;
      state.all = false;
      render();
    },
  };
}

/** A labelled <select>: options [{value, text}]; returns {el, select}. */
export function selectField(label, options, value, onChange, opts) {
  const id = (opts && opts.id) || newId('sel');
  const select = h('select', { id: id, on: onChange ? { change: () => onChange(select.value) } : null },
    options.map((o) => h('option', { value: o.value, selected: o.value === value ? true : null }, o.text)));
  select.value = value === undefined || value === null ? '' : value;
  return { el: h('div', { class: 'field' }, h('label', { for: id }, label), select), select: select };
}

/** The live indicator ("● Langsung"): set('open' | 'connecting' | 'retrying' | 'closed'). */
export function liveBadge() {
  const text = h('span', { class: 'live-text' });
  const el = h('p', { class: 'live-badge', id: 'live-badge', role: 'status', dataset: { state: 'connecting' } },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), text);
  const set = (s) => {
    el.setAttribute('data-state', s);
    text.textContent = t('live_' + s);
  };
  set('connecting');
  return { el: el, set: set };
}

/**
 * A histogram of values (numbers) as SVG: bins of equal width from lo to hi.
 * opts: {title, bins (default 10), lo, hi, id}. The picture has a text
 * equivalent in its aria-label (the count per bin).
 */
export function histogram(values, opts) {
  const o = opts || {};
  const W = 320;
  const H = 150;
  const left = 28;
  const bottom = 22;
  const vals = values.filter((v) => typeof v === 'number' && !isNaN(v));
  const bins = binsOf(vals, o);
  const lo = bins.lo;
  const step = bins.step;
  const n = bins.n;
  const hi = lo + n * step;
  const counts = new Array(n).fill(0);
  vals.forEach((v) => {
    counts[Math.min(n - 1, Math.max(0, Math.floor((v - lo) / step + 1e-9)))] += 1;
  });
  const max = Math.max.apply(null, counts.concat([1]));
  const bw = (W - left - 4) / n;
  const parts = [];
  const desc = [];
  for (let i = 0; i < n; i++) {
    const a = lo + i * step;
    const b = a + step;
    const bh = ((H - bottom - 18) * counts[i]) / max;
    const range = bins.single ? num(a) : num(a) + '–' + num(bins.ints ? b - 1 : b);
    desc.push(range + ': ' + counts[i]);
    parts.push(svg('rect', { x: left + i * bw + 1, y: H - bottom - bh, width: Math.max(1, bw - 2), height: bh, class: 'hist-bar' },
      svg('title', { text: range + ': ' + counts[i] })));
    if (counts[i]) parts.push(svg('text', { x: left + i * bw + bw / 2, y: H - bottom - bh - 2, class: 'hist-count', 'text-anchor': 'middle' , text: String(counts[i]) }));
  }
  parts.push(svg('line', { x1: left, y1: H - bottom, x2: W - 2, y2: H - bottom, class: 'axis' }));
  parts.push(svg('text', { x: left, y: H - 6, class: 'hist-tick', 'text-anchor': 'start', text: num(lo, 0) }));
  parts.push(svg('text', { x: W - 4, y: H - 6, class: 'hist-tick', 'text-anchor': 'end', text: num(bins.single ? hi - step : hi, 0) }));
  parts.push(svg('text', { x: left - 4, y: 22, class: 'hist-tick', 'text-anchor': 'end', text: String(max) }));
  const label = (o.title || '') + '. ' + t('histDesc', { n: vals.length }) + ' ' + desc.join('; ');
  return h('figure', { class: 'hist', id: o.id || null },
    h('figcaption', null, o.title || ''),
    svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label, class: 'hist-svg', preserveAspectRatio: 'xMidYMid meet' }, parts));
}

function gcd(a, b) {
  return b ? gcd(b, a % b) : a;
}

/**
 * Bins for a histogram of vals: integer scores that move in steps of g (e.g.
 * 5 points a question) get one bin per possible value when there are at
 * most 20, else a "nice" width (1, 2, 2.5, 5 × 10^k, a multiple of g) giving
 * about 10 bins. {lo, step, n, ints, single}.
 */
export function binsOf(vals, o) {
  const opts = o || {};
  if (!vals.length) return { lo: 0, step: 1, n: 1, ints: true, single: true };
  const lo0 = opts.lo !== undefined ? opts.lo : Math.min.apply(null, vals);
  const hi0 = opts.hi !== undefined ? opts.hi : Math.max.apply(null, vals);
  const ints = vals.every((v) => Math.round(v) === v);
  let g = 0;
  if (ints) vals.forEach((v) => {
    g = gcd(g, Math.abs(v - lo0));
  });
  if (!g) g = 1;
  if (ints && (hi0 - lo0) / g + 1 <= 20) return { lo: lo0, step: g, n: (hi0 - lo0) / g + 1, ints: true, single: true };
  const raw = (hi0 - lo0) / (opts.bins || 10);
  const p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * p).filter((x) => x >= raw)[0] || 10 * p;
  if (ints) step = Math.max(g, Math.ceil(step / g) * g);
  const lo = Math.floor(lo0 / step) * step;
  return { lo: lo, step: step, n: Math.floor((hi0 - lo) / step) + 1, ints: ints, single: false };
}

/** An error's text for a form: the sentence and every per-field item. */
export function errorList(e, errorText) {
  const items = (e && e.errors) || [];
  return h('div', { class: 'message', role: 'alert', dataset: { state: 'error' } },
    h('p', { class: 'err-main' }, errorText(e)),
    items.length ? h('ul', { class: 'error-list' }, items.map((x) => h('li', null, (x.field ? x.field + ': ' : '') + (x.message || '')))) : null);
}
