// pages/common.js - pieces the pages share: a scrollable data table, status
// messages, the "shown once" password box, the list of issued credentials,
// and the list of refused lines of an uploaded CSV file.

import { h } from '../dom.js';
import { t, errorText } from '../i18n/index.js';

const LINE_SHOWN = 160; // characters of a refused line shown beside its error

/**
 * A table inside a box that scrolls horizontally on narrow screens.
 * cols: [{label, num (right-aligned)}]; rows: arrays of cells (text or nodes);
 * opts: {caption, id, rowAttrs(i) → attrs, empty (text when no rows),
 * stack (one card per row on phones instead of scrolling sideways)}.
 */
export function table(cols, rows, opts) {
  const o = opts || {};
  const head = h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)));
  // data-label: each cell's column name, shown beside it when a "stack"
  // table becomes one card per row on phones.
  const body = rows.map((cells, i) => h('tr', o.rowAttrs ? o.rowAttrs(i) : null,
    cells.map((c, j) => (j === 0 && o.rowHeader !== false
      ? h('th', { scope: 'row', class: cols[j].num ? 'num' : null, 'data-label': cols[j].label }, c)
      : h('td', { class: cols[j] && cols[j].num ? 'num' : null, 'data-label': cols[j] ? cols[j].label : null }, c)))));
  const tbl = h('table', { class: 'data-table' + (o.stack ? ' stack' : ''), id: o.id || null },
    o.caption ? h('caption', { class: o.captionHidden ? 'visually-hidden' : null }, o.caption) : null,
    h('thead', null, head),
    h('tbody', null, body));
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': o.caption ? t('tableOf', { name: o.caption }) : t('table') }, tbl);
  if (!rows.length && o.empty) return h('div', null, wrap, h('p', { class: 'message empty' }, o.empty));
  return wrap;
}

/** A status line: state 'ok' | 'error' | 'info'. Errors are alerts. */
export function message(text, kind) {
  return h('p', { class: 'message', role: kind === 'error' ? 'alert' : 'status', dataset: { state: kind || 'info' } }, text);
}

/** The box that shows a generated password once, with the warning. */
export function secretBox(title, rows) {
  return h('div', { class: 'panel secret', role: 'status' },
    h('h2', { class: 'panel-title' }, title),
    h('dl', { class: 'facts' }, rows.map((r) => [h('dt', null, r[0]), h('dd', { class: r[2] ? 'secret-value' : null, dataset: r[2] ? { secret: '1' } : null }, r[1])])),
    h('p', { class: 'hint' }, t('shownOnce')));
}

/** A labelled field: label, control, optional hint and error paragraph. */
export function field(id, label, control, hint) {
  control.id = id;
  const hintId = hint ? id + '-hint' : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null);
}

export function button(label, onClick, opts) {
  const o = opts || {};
  return h('button', { type: o.submit ? 'submit' : 'button', class: 'button ' + (o.kind || ''), on: onClick ? { click: onClick } : null, dataset: o.data || null, 'aria-label': o.aria || null }, label);
}

/** The text of a chosen file (for showing refused lines beside their errors). */
export function readText(f) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsText(f);
  });
}

/** The name of a CSV separator the server found. */
export function sepName(sep) {
  if (sep === ';') return t('sepSemicolon');
  if (sep === ',') return t('sepComma');
  return sep ? '"' + sep + '"' : '?';
}

/** Every refused line of an uploaded CSV, each beside the text of that line
 *  of the file; refusedKey: the sentence saying nothing was stored ({n}). */
export function uploadErrors(e, text, refusedKey) {
  const list = e.errors || [];
  if (!list.length) return message(errorText(e) + (e.serverMessage && e.code !== 'forbidden' ? ' ' + e.serverMessage : ''), 'error');
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows = list.map((er) => {
    // The line and column, from the error's fields or else from its message
    // ("line 3 field \"name\": …", "berkas CSV:3: …").
    const msg = String(er.message || '');
    const m = /\b(?:line|baris)\s+(\d+)|:(\d+):/.exec(msg);
    const fm = /\bfield\s+"([^"]+)"/.exec(msg);
    const n = Number(er.line) || (m ? Number(m[1] || m[2]) : 0);
    const col = er.field && er.field !== 'file' ? er.field : er.item || (fm ? fm[1] : '');
    let src = n > 0 && n <= lines.length ? lines[n - 1] : '';
    if (src.length > LINE_SHOWN) src = src.slice(0, LINE_SHOWN) + '…';
    return [n ? String(n) : '—', col, msg, h('code', { class: 'line-text' }, src)];
  });
  return h('div', { class: 'upload-errors' },
    message(t(refusedKey || 'uploadRefused', { n: list.length }), 'error'),
    table([{ label: t('colLine'), num: true }, { label: t('colField') }, { label: t('colProblem') }, { label: t('colLineText') }], rows,
      { caption: t('uploadErrorsCaption'), id: 'upload-errors' }),
    list.length >= 50 ? h('p', { class: 'hint' }, t('uploadErrorsCapped')) : null);
}
