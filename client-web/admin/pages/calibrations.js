// pages/calibrations.js - #/bank/CODE/kalibrasi[/ID] (admin, author): the
// Rasch calibrations of a bank (issue 14: GET /banks/CODE/calibrations),
// "Kalibrasi sekarang" (POST with the CSRF header, after a confirmation;
// the list is read again and the new one opened), and one calibration
// (GET …/calibrations/ID): its facts, an SVG dot plot of the item
// difficulties sorted, with ±1 SE bars and infit outside 0.7–1.3
// highlighted, the item table (difficulty, SE, infit, outfit, extreme) and
// the persons' ability summary.

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, dateTime } from '../i18n/index.js';
import { table, message, button } from './common.js';
import { num, svg } from '../stats.js';

const FIT_LO = 0.7;
const FIT_HI = 1.3;

const misfit = (x) => typeof x.infit === 'number' && (x.infit < FIT_LO || x.infit > FIT_HI);

export async function render(ctx, root, params) {
  const code = params[0];
  let chosen = params[1] ? Number(params[1]) : null;
  ctx.title(t('calTitle', { code: code }), t('navBanks'));
  const action = h('div', { id: 'cal-action', tabindex: '-1' });
  const listBox = h('div', { id: 'cal-list' });
  const detail = h('div', { id: 'cal-detail' });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'cal-list-title' },
    h('h2', { class: 'panel-title', id: 'cal-list-title' }, t('calList')),
    h('p', { class: 'hint' }, t('calLead')),
    h('div', { class: 'toolbar' },
      button(t('calNow'), calibrate, { kind: 'primary', data: { action: 'calibrate' } }),
      h('a', { class: 'button', href: '#/bank/' + encodeURIComponent(code) }, t('calBack', { code: code }))),
    action, listBox));
  root.appendChild(detail);
  let cals = await readList();
  if (!ctx.alive()) return;
  await showDetail();

  async function readList() {
    const d = await api.calibrations(code);
    const list = (d.calibrations || []).slice().sort((a, b) => b.id - a.id);
    if (!ctx.alive()) return list;
    fill(listBox, table([{ label: t('colCalId'), num: true }, { label: t('colBankVersion'), num: true }, { label: t('calColCreated') }, { label: t('colBy') },
      { label: t('colMethod') }, { label: t('colConverged') }, { label: t('colPersons'), num: true }, { label: t('colItems'), num: true },
      { label: t('colResponses'), num: true }, { label: '' }],
    list.map((c) => [String(c.id), String(c.bank_version), dateTime(c.created_at), c.created_by || '', c.method || '',
      t(c.converged ? 'calYes' : 'calNo', { n: c.iterations }), num(c.n_persons, 0), num(c.n_items, 0), num(c.n_responses, 0),
      h('a', { href: '#/bank/' + encodeURIComponent(code) + '/kalibrasi/' + c.id, 'aria-label': t('calOpenOf', { id: c.id }),
        'aria-current': c.id === (chosen || (list[0] && list[0].id)) ? 'true' : null }, t('calOpen'))]),
    { caption: t('calList'), captionHidden: true, id: 'calibrations-table', empty: t('calEmpty'),
      rowAttrs: (i) => ({ dataset: { calibration: list[i].id } }) }));
    return list;
  }

  async function showDetail() {
    const id = chosen || (cals[0] && cals[0].id);
    if (!id) {
      fill(detail);
      return;
    }
    fill(detail, message(t('loading')));
    const c = await api.calibration(code, id);
    if (!ctx.alive()) return;
    fill(detail, detailView(c));
  }

  async function calibrate() {
    const r = await ctx.confirm({
      title: t('calConfirmTitle', { code: code }),
      body: h('p', null, t('calConfirmBody')),
      confirm: t('calNow'),
      action: () => api.calibrate(code),
    });
    if (!r || !ctx.alive()) return;
    fill(action, message(t('calDone', { id: r.id, items: r.n_items, persons: r.n_persons, it: r.iterations }), 'ok'));
    ctx.announce(t('calDone', { id: r.id, items: r.n_items, persons: r.n_persons, it: r.iterations }));
    chosen = r.id;
    cals = await readList();
    if (!ctx.alive()) return;
    if (window.location.hash !== '#/bank/' + encodeURIComponent(code) + '/kalibrasi') window.history.replaceState(null, '', '#/bank/' + encodeURIComponent(code) + '/kalibrasi/' + r.id);
    await showDetail();
  }
}

function detailView(c) {
  const items = c.items || [];
  const byCode = items.slice().sort((a, b) => String(a.item_code).localeCompare(String(b.item_code)));
  const persons = c.persons || null;
  return h('section', { class: 'panel', 'aria-labelledby': 'cal-detail-title', dataset: { calibration: c.id } },
    h('h2', { class: 'panel-title', id: 'cal-detail-title' }, t('calDetail', { id: c.id }) + ' · ' + dateTime(c.created_at)),
    h('p', { class: 'hint cal-facts' }, t('calFacts', { method: c.method || '', tol: num(c.tolerance, 4), persons: num(c.n_persons, 0), items: num(c.n_items, 0),
      resp: num(c.n_responses, 0), sha: String(c.data_sha256 || '').slice(0, 12) + '…' })),
    persons ? h('p', { id: 'cal-persons' }, t('calPersons', { mean: num(persons.mean), sd: num(persons.sd), n: persons.n })) : null,
    h('figure', { class: 'cal-figure' },
      h('figcaption', null, t('calChart')),
      difficultyChart(items),
      h('p', { class: 'hint' }, t('calChartHint'))),
    h('h3', { class: 'sub-title' }, t('calItems')),
    table([{ label: t('colItemCode') }, { label: t('section') }, { label: 'n', num: true }, { label: t('colDifficulty'), num: true }, { label: t('colSe'), num: true },
      { label: t('colInfit'), num: true }, { label: t('colOutfit'), num: true }, { label: t('colExtreme') }],
    byCode.map((x) => [x.item_code, x.section || '', num(x.n, 0), num(x.difficulty), num(x.se), 
      misfit(x) ? h('span', { class: 'misfit', title: t('calMisfit') }, num(x.infit), h('span', { class: 'visually-hidden' }, ' (' + t('calMisfit') + ')')) : num(x.infit),
      num(x.outfit), x.extreme ? t('extreme_' + x.extreme) : '']),
    { caption: t('calItems'), captionHidden: true, id: 'cal-items-table', rowAttrs: (i) => ({ dataset: { item: byCode[i].item_code, misfit: misfit(byCode[i]) ? '1' : null } }) }));
}

/** Item difficulties sorted, one dot each with a ±1 SE bar; misfits (infit
 *  outside 0.7–1.3) drawn larger in the warning colour. */
function difficultyChart(items) {
  const pts = items.filter((x) => typeof x.difficulty === 'number').sort((a, b) => a.difficulty - b.difficulty);
  const W = 720;
  const H = 280;
  const L = 40;
  const R = 10;
  const T = 12;
  const B = 28;
  let lo = -1;
  let hi = 1;
  pts.forEach((x) => {
    const se = typeof x.se === 'number' ? x.se : 0;
    lo = Math.min(lo, x.difficulty - se);
    hi = Math.max(hi, x.difficulty + se);
  });
  lo = Math.floor(lo);
  hi = Math.ceil(hi);
  const y = (v) => T + ((hi - v) / (hi - lo)) * (H - T - B);
  const step = pts.length ? (W - L - R) / pts.length : 1;
  const x = (i) => L + step * (i + 0.5);
  const parts = [];
  for (let v = lo; v <= hi; v++) {
    parts.push(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: v === 0 ? 'cal-zero' : 'cal-grid' }));
    parts.push(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'cal-tick', text: num(v, 0) }));
  }
  pts.forEach((p, i) => {
    const bad = misfit(p);
    const se = typeof p.se === 'number' ? p.se : 0;
    parts.push(svg('g', { class: 'cal-item' + (bad ? ' cal-misfit' : ''), 'data-item': p.item_code },
      svg('title', { text: p.item_code + ': ' + num(p.difficulty) + ' ± ' + num(p.se) + ' · infit ' + num(p.infit) + ' · outfit ' + num(p.outfit) }),
      svg('line', { x1: x(i), x2: x(i), y1: y(p.difficulty - se), y2: y(p.difficulty + se), class: 'cal-se' }),
      svg('circle', { cx: x(i), cy: y(p.difficulty), r: bad ? 4.5 : 3, class: 'cal-dot' })));
  });
  parts.push(svg('text', { x: L, y: H - 8, class: 'cal-tick', text: t('calEasiest') }));
  parts.push(svg('text', { x: W - R, y: H - 8, 'text-anchor': 'end', class: 'cal-tick', text: t('calHardest') }));
  const desc = t('calChartDesc', { n: pts.length, lo: pts.length ? num(pts[0].difficulty) : '—', hi: pts.length ? num(pts[pts.length - 1].difficulty) : '—',
    misfit: pts.filter(misfit).length });
  return svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'cal-chart', id: 'cal-chart', role: 'img', 'aria-label': t('calChart') + '. ' + desc }, parts);
}
