// pages/pool.js - #/talenta/PERIOD/pool: the talent pool (box 9 first, then
// by potential, then performance) and the succession view: the top box-9
// employees meeting a position's grade requirement.

import { h, fill } from '../../admin/dom.js';
import { t, errorText } from '../i18n/index.js';
import { api } from '../api.js';
import { num, sortableTable, selectField, errorList } from '../ui.js';
import { noteOf } from './talent.js';

export const GRADE_LIST = ['I/a', 'I/b', 'I/c', 'I/d', 'II/a', 'II/b', 'II/c', 'II/d', 'III/a', 'III/b', 'III/c', 'III/d', 'IV/a', 'IV/b', 'IV/c', 'IV/d', 'IV/e'];

export function talentCols() {
  return [
    { key: 'order', label: t('colNo'), num: true },
    { key: 'name', label: t('colName'), cell: (r) => h('a', { href: '#/pegawai/' + r.nip }, r.name) },
    { key: 'nip', label: t('colNip'), cls: 'nowrap' },
    { key: 'grade', label: t('colGrade') },
    { key: 'position', label: t('colPosition') },
    { key: 'unit', label: t('colUnit') },
    { key: 'box', label: t('colBox'), num: true },
    { key: 'potential', label: t('colPotential'), num: true, cell: (r) => num(r.potential) },
    { key: 'perf', label: t('colPerf'), cell: (r) => (r.perf ? t('perfShort_' + r.perf) : '—') },
    { key: 'note', label: t('colNote'), sort: false, cell: (r) => noteOf(r) },
  ];
}

const numbered = (list) => list.map((r, i) => Object.assign({ order: i + 1 }, r));

export async function render(ctx, root, params) {
  const code = params[0];
  const got = await Promise.all([api.pool(code), api.period(code)]);
  if (!ctx.alive()) return;
  const period = got[1].period || {};
  ctx.title(t('poolTitle'), period.name || code);
  root.appendChild(h('p', { class: 'toolbar no-print' }, h('a', { class: 'button', href: '#/talenta/' + encodeURIComponent(code) }, t('backToGrid'))));
  const pool = numbered(got[0].pool || []);
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'pool-title' },
    h('h2', { class: 'panel-title', id: 'pool-title' }, t('poolList', { n: pool.length })),
    h('p', { class: 'hint' }, t('poolHint')),
    sortableTable(talentCols(), pool, { id: 'pool-table', caption: t('poolTitle'), sort: { key: 'order', dir: 1 }, empty: t('poolEmpty') }).el));

  // Succession: grade requirement and how many.
  const grade = selectField(t('minGrade'), GRADE_LIST.map((g) => ({ value: g, text: g })), 'IV/a', null, { id: 'succ-grade' });
  const n = h('input', { type: 'number', id: 'succ-n', min: '1', max: '20', value: '3' });
  const out = h('div', { id: 'succ-out' });
  const table = sortableTable(talentCols(), [], { id: 'succ-table', caption: t('succTitle'), sort: { key: 'order', dir: 1 }, empty: t('succEmpty') });
  const run = async (ev) => {
    if (ev) ev.preventDefault();
    fill(out);
    try {
      const d = await api.succession(code, grade.select.value, n.value || 3);
      if (!ctx.alive()) return;
      table.update(numbered(d.candidates || []));
      out.appendChild(table.el);
    } catch (e) {
      if (!ctx.alive()) return;
      out.appendChild(errorList(e, errorText));
    }
  };
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'succ-title' },
    h('h2', { class: 'panel-title', id: 'succ-title' }, t('succTitle')),
    h('p', { class: 'hint' }, t('succHint')),
    h('form', { class: 'filters', id: 'succ-form', on: { submit: run } }, grade.el,
      h('div', { class: 'field' }, h('label', { for: 'succ-n' }, t('succN')), n),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'button primary', id: 'succ-run' }, t('succRun')))),
    out));
  await run();
}
