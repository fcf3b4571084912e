// pages/employee.js - #/pegawai/NIP: an employee's talent profile (the
// registry facts, SKP history, exam results with their slips, the box in
// every mapping period with the numbers that made it, sanctions) and
// #/cetak/profil/NIP, the same as an A4 document with a signature block.

import { h } from '../../admin/dom.js';
import { t, label, dateTime, longDate } from '../i18n/index.js';
import { api, slipHref } from '../api.js';
import { num, svg } from '../ui.js';

export async function render(ctx, root, params) {
  const nip = params[0];
  const d = await api.employee(nip);
  if (!ctx.alive()) return;
  const e = d.employee || {};
  const print = !!ctx.print;
  const head = ctx.title(print ? t('profileDocTitle') : e.name || nip, print ? e.name : t('profileKicker'));
  if (print) head.classList.add('no-print');
  root.appendChild(h('div', { class: 'toolbar no-print' },
    print
      ? [h('button', { type: 'button', class: 'button primary', id: 'print-button', on: { click: () => window.print() } }, t('print')),
        h('a', { class: 'button', href: '#/pegawai/' + nip }, t('backToProfile'))]
      : [h('a', { class: 'button', id: 'print-profile', href: '#/cetak/profil/' + nip }, t('printProfile')),
        h('a', { class: 'button', href: '#/talenta' }, t('backToGrid'))]));

  const skp = d.skp || [];
  const sanctions = d.sanctions || [];
  const results = d.results || [];
  const placements = d.placements || [];
  const facts = h('table', { class: 'facts-table', id: 'profile-facts' }, h('tbody', null,
    fact(t('colName'), e.name),
    fact(t('colNip'), e.nip),
    fact(t('colGrade'), e.grade),
    fact(t('colPosition'), (e.position || '') + (e.position_type ? ' (' + label('ptype_', e.position_type) + ')' : '')),
    fact(t('colUnit'), e.unit),
    fact(t('colAgency'), e.agency),
    fact(t('colEducation'), e.education),
    fact(t('colBirth'), e.birth_date)));
  const sections = [
    [t('secSkp'), 'skp', skp.length ? simple([t('colYear'), t('colPredikat')], skp.map((s) => [String(s.year), label('predikat_', s.predikat)]), 'skp-table') : none()],
    [t('secBoxes'), 'boxes', placements.length ? [trail(placements), simple([t('colPeriod'), t('colBox'), t('colPerf'), t('colPotential'), t('colPotLevel'), t('colComponents'), t('colNote')],
      placements.map((p) => [p.period_name ? p.period_name + ' (' + p.period + ')' : p.period, p.box ? String(p.box) : '—', p.perf ? t('perfShort_' + p.perf) : '—',
        num(p.potential), p.pot_level ? t('potShort_' + p.pot_level) : '—', components(p.detail), [p.in_pool ? t('inPool') : '', p.reason || ''].filter((x) => x).join('; ')]), 'boxes-table')] : none()],
    [t('secResults'), 'results', results.length ? simple([t('colExam'), t('colRegno'), t('colSections'), t('colTotal'), t('colReason'), t('colFinishedAt')].concat(print ? [] : [t('colSlip')]),
      results.map((r) => [r.exam_name ? r.exam_name + ' (' + r.exam + ')' : r.exam, r.registration_no,
        (r.sections || []).map((s) => s.code + ' ' + num(s.score) + '/' + num(s.max)).join(', '),
        num(r.total) + (r.max_total ? '/' + num(r.max_total) : ''),
        r.finish_reason ? label('reason_', r.finish_reason) : label('status_', r.status || ''), dateTime(r.finished_at)]
        .concat(print ? [] : [h('a', { href: slipHref(r.exam, r.registration_no) }, t('slipLink'))])), 'results-table') : none()],
    [t('secSanctions'), 'sanctions', sanctions.length ? simple([t('colDate'), t('colSanction'), t('colLevel'), t('colNote')],
      sanctions.map((s) => [s.date, s.type, label('level_', s.level), s.note || '']), 'sanctions-table') : none()],
  ];
  if (print) {
    root.appendChild(h('article', { class: 'print-doc', tabindex: '0', id: 'profil' },
      h('header', { class: 'doc-head' }, h('p', { class: 'doc-kop' }, t('docKop')), h('h2', { class: 'doc-title' }, t('profileDocTitle')), h('p', { class: 'doc-sub' }, e.name + ' — NIP ' + (e.nip || ''))),
      facts,
      sections.map((s) => [h('h3', null, s[0]), s[2]]),
      h('div', { class: 'doc-signs one' }, h('div', { class: 'doc-sign' },
        h('p', null, t('placeDate', { date: longDate(Date.now()) })),
        h('p', null, t('signBkpsdm')),
        h('div', { class: 'sign-space' }),
        h('p', { class: 'sign-name' }, '( ……………………………… )')))));
    return;
  }
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'facts-title' }, h('h2', { class: 'panel-title', id: 'facts-title' }, t('secFacts')), facts));
  sections.forEach((s) => root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'sec-' + s[1] }, h('h2', { class: 'panel-title', id: 'sec-' + s[1] }, s[0]), s[2])));
}

const PERF = ['above', 'meets', 'below'];
const POT = ['low', 'medium', 'high'];

/** The box in each period, oldest first, as small grids (performance up,
 *  potential across) with the period's code under each. */
function trail(placements) {
  const list = placements.slice().reverse();
  return h('div', { class: 'box-trail', id: 'box-trail', role: 'img', 'aria-label': t('trailLabel', { list: list.map((p) => (p.period || '') + ': ' + (p.box || '—')).join(', ') }) },
    list.map((p, i) => {
      const cells = [];
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          const on = p.perf === PERF[r] && p.pot_level === POT[c];
          cells.push(svg('rect', { x: 2 + c * 20, y: 2 + r * 20, width: 19, height: 19, class: on ? 'mini on' : 'mini' }));
          if (on) cells.push(svg('text', { x: 2 + c * 20 + 9.5, y: 2 + r * 20 + 14.5, 'text-anchor': 'middle', class: 'mini-no', text: String(p.box || '') }));
        }
      }
      return [i ? h('span', { class: 'trail-arrow', 'aria-hidden': 'true' }, '→') : null,
        h('figure', { class: 'trail-step', 'aria-hidden': 'true' }, svg('svg', { viewBox: '0 0 64 64', class: 'mini-grid' }, cells), h('figcaption', null, p.period || ''))];
    }));
}

function fact(k, v) {
  return h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v || '—'));
}

function none() {
  return h('p', { class: 'message empty' }, t('noneYet'));
}

/** The potential's components of a placement's detail ({components: {code: value}}). */
function components(detail) {
  const c = detail && detail.components;
  if (!c || typeof c !== 'object') return '';
  if (Array.isArray(c)) {
    return c.map((x) => (x.name || x.code) + ' ' + (x.missing ? (x.disqualified ? t('componentDis') : '—') : num(x.normalised))).join(', ');
  }
  return Object.keys(c).map((k) => k + ' ' + num(c[k])).join(', ');
}

function simple(heads, rows, id) {
  return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': t('tableOf', { name: id }) }, h('table', { class: 'data-table', id: id },
    h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))));
}
