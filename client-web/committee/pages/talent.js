// pages/talent.js - #/talenta[/PERIOD]: the nine-box grid of a talent
// mapping period, live. The period picker, filters by unit and position
// type, the grid (../ninebox.js) with counts, dots and movement since the
// previous period, the employees of the chosen box (or the unmapped ones
// with their reasons), and the stream GET .../events: a "placement" moves a
// dot and changes the counts without a reload; the indicator shows the
// connection.

import { h, fill } from '../../admin/dom.js';
import { t, label } from '../i18n/index.js';
import { api, streamUrl, downloads } from '../api.js';
import { num, sortableTable, selectField, liveBadge } from '../ui.js';
import { openStream } from '../live.js';
import { drawGrid, movement, compareBoxes } from '../ninebox.js';

const TYPES = ['jpt', 'administrator', 'pengawas', 'fungsional', 'pelaksana'];

export async function render(ctx, root, params) {
  const periods = (await api.periods()).periods || [];
  if (!ctx.alive()) return;
  let code = params[0];
  if (!code) {
    const open = periods.filter((p) => !p.closed_at)[0] || periods[0];
    if (open) {
      window.location.replace('#/talenta/' + encodeURIComponent(open.code));
      return;
    }
    ctx.title(t('talentTitle'), t('navTalent'));
    root.appendChild(h('p', { class: 'message empty' }, t('periodsNone')));
    return;
  }
  let data = await api.period(code);
  if (!ctx.alive()) return;
  const period = data.period || {};
  const config = period.config || {};
  ctx.title(t('talentTitle'), period.name || code);

  const badge = liveBadge();
  const picker = selectField(t('periodPick'), periods.map((p) => ({ value: p.code, text: p.code + ' — ' + (p.name || '') + (p.closed_at ? ' (' + t('closed') + ')' : '') })),
    code, (v) => ctx.navigate('#/talenta/' + encodeURIComponent(v)), { id: 'period-pick' });
  const f = { unit: '', type: '', box: null, unmapped: false };
  const units = [];
  (data.employees || []).forEach((e) => {
    if (e.unit && units.indexOf(e.unit) < 0) units.push(e.unit);
  });
  units.sort();
  const unitSel = selectField(t('filterUnit'), [{ value: '', text: t('allUnits') }].concat(units.map((u) => ({ value: u, text: u }))), '', (v) => {
    f.unit = v;
    update();
  }, { id: 'f-unit' });
  const typeSel = selectField(t('filterType'), [{ value: '', text: t('allTypes') }].concat(TYPES.map((x) => ({ value: x, text: label('ptype_', x) }))), '', (v) => {
    f.type = v;
    update();
  }, { id: 'f-type' });
  root.appendChild(h('div', { class: 'toolbar no-print' }, picker.el, unitSel.el, typeSel.el, badge.el));

  const counts = h('dl', { class: 'stat-row', id: 'period-counts' });
  const moves = h('p', { class: 'summary', id: 'movement' });
  const gridBox = h('div', { class: 'grid-box', id: 'grid-box' });
  const legend = h('p', { class: 'hint' }, t('gridHint'));
  root.appendChild(h('div', { class: 'talent-layout' },
    h('section', { class: 'panel grid-panel', 'aria-labelledby': 'grid-title' },
      h('h2', { class: 'panel-title', id: 'grid-title' }, t('gridTitle')),
      h('div', { class: 'grid-flex' }, gridBox, h('div', { class: 'grid-side' }, counts, moves, legend,
      h('div', { class: 'toolbar' },
        h('a', { class: 'button', id: 'pool-link', href: '#/talenta/' + encodeURIComponent(code) + '/pool' }, t('poolLink')),
        h('a', { class: 'button', id: 'talent-export', download: '', href: downloads.talentCsv(code, true) }, t('exportTalent')),
        h('button', { type: 'button', class: 'button', id: 'show-unmapped', on: { click: () => {
          f.unmapped = true;
          f.box = null;
          update();
          listTitle.focus();
        } } }, t('showUnmapped')))))),
    h('section', { class: 'panel list-panel', 'aria-labelledby': 'box-title' },
      h('h2', { class: 'panel-title', id: 'box-title', tabindex: '-1' }, ''),
      h('p', { class: 'hint', id: 'box-rec' }, ''),
      h('div', { id: 'box-list' }))));
  const listTitle = root.querySelector('#box-title');
  const listRec = root.querySelector('#box-rec');
  const listBox = root.querySelector('#box-list');
  let changed = [];

  const cols = [
    { key: 'name', label: t('colNameNip'), cell: (r) => [h('a', { href: '#/pegawai/' + r.nip }, r.name), h('span', { class: 'sub nowrap' }, r.nip)] },
    { key: 'grade', label: t('colGrade') },
    { key: 'position', label: t('colPositionUnit'), cell: (r) => [r.position || '', h('span', { class: 'sub' }, r.unit || '')] },
    { key: 'potential', label: t('colPotential'), num: true, cell: (r) => num(r.potential) },
    { key: 'perf', label: t('colPerf'), cell: (r) => (r.perf ? t('perfShort_' + r.perf) : '—') },
    { key: 'box', label: t('colBox'), num: true, cell: (r) => (r.box ? String(r.box) : '—') },
    { key: 'prev_box', label: t('colPrevBox'), num: true, cell: (r) => prevCell(config, r) },
    { key: 'reason', label: t('colNote'), cell: (r) => noteOf(r) },
  ];
  const table = sortableTable(cols, [], { id: 'box-table', caption: t('boxListCaption'), sort: { key: 'potential', dir: -1 }, rowAttrs: (r) => ({ dataset: { nip: r.nip } }), empty: t('boxEmpty'), limit: 300 });
  listBox.appendChild(table.el);

  function rows() {
    return (data.employees || []).filter((e) => (!f.unit || e.unit === f.unit) && (!f.type || e.position_type === f.type));
  }

  function pick(box) {
    f.box = f.box === box ? null : box;
    f.unmapped = false;
    update();
    const cell = gridBox.querySelector('[data-box="' + box + '"]');
    if (cell) cell.focus();
  }

  function update() {
    const list = rows();
    const mapped = list.filter((r) => r.box).length;
    fill(counts,
      stat(t('cntEmployees'), list.length, 'employees'),
      stat(t('cntMapped'), mapped, 'mapped'),
      stat(t('cntUnmapped'), list.length - mapped, 'unmapped'),
      stat(t('cntPool'), list.filter((r) => r.in_pool).length, 'pool'),
      stat(t('cntExcluded'), list.filter((r) => r.excluded).length, 'excluded'));
    fill(gridBox, drawGrid(config, data.boxes || [], list, f.box, pick, changed));
    const m = movement(config, list);
    moves.textContent = period.previous ? t('movementText', { prev: period.previous, up: m.up, down: m.down, same: m.same, fresh: m.fresh }) : t('movementNone');
    let shown;
    if (f.unmapped) {
      shown = list.filter((r) => !r.box || r.excluded);
      listTitle.textContent = t('unmappedTitle', { n: shown.length });
      listRec.textContent = t('unmappedHint');
    } else if (f.box) {
      shown = list.filter((r) => r.box === f.box);
      const b = (data.boxes || []).filter((x) => x.box === f.box)[0] || {};
      listTitle.textContent = t('boxTitle', { box: f.box, label: (config.labels && config.labels[String(f.box)]) || b.label || '', n: shown.length });
      listRec.textContent = b.recommendation ? t('recommendation', { text: b.recommendation }) : '';
    } else {
      shown = list.filter((r) => r.in_pool);
      listTitle.textContent = t('poolTitleShort', { n: shown.length });
      listRec.textContent = t('pickBoxHint');
    }
    table.update(shown);
  }

  update();

  // Live: a finished exam moves an employee; the counts come along.
  const stream = openStream(streamUrl.period(code), ['snapshot', 'placement'], {
    status: badge.set,
    snapshot: (d) => {
      if (d && d.employees) {
        data = d;
        update();
      }
    },
    placement: (d) => {
      if (!d || !d.employee) return;
      const e = d.employee;
      const list = data.employees || (data.employees = []);
      let i = 0;
      while (i < list.length && list[i].nip !== e.nip) i++;
      const before = i < list.length ? list[i].box : null;
      if (i < list.length) list[i] = e;
      else list.push(e);
      if (Array.isArray(d.boxes)) data.boxes = d.boxes;
      changed = [before, e.box].filter((x) => x);
      update();
      changed = [];
      ctx.announce(t('liveMoved', { name: e.name, from: before || '—', to: e.box || '—' }));
    },
  });
  ctx.onLeave(() => stream.close());
}

function stat(k, v, key) {
  return h('div', { class: 'stat', dataset: { stat: key } }, h('dt', null, k), h('dd', null, String(v)));
}

/** The previous box with an arrow: ▲ moved up, ▼ moved down. */
function prevCell(config, r) {
  if (!r.prev_box) return '—';
  const c = r.box ? compareBoxes(config, r.box, r.prev_box) : 0;
  return h('span', { class: 'prev' + (c > 0 ? ' up' : c < 0 ? ' down' : '') }, String(r.prev_box) + (c > 0 ? ' ▲' : c < 0 ? ' ▼' : ''));
}

export function noteOf(r) {
  const parts = [];
  if (r.in_pool) parts.push(t('inPool'));
  if (r.reason) parts.push(r.reason);
  else if (r.reason_code) parts.push(label('reason_code_', r.reason_code));
  return parts.join('; ');
}
