// pages/selections.js - #/seleksi: the open-bidding selections (seleksi
// terbuka) the account may read; #/seleksi/CODE: one selection's members
// and its vacancies, each with its funnel of applicants per stage and a
// link to the vacancy's pipeline.

import { h } from '../../admin/dom.js';
import { t, label, dateTime } from '../i18n/index.js';
import { api } from '../api.js';
import { sortableTable } from '../ui.js';
import { funnelSvg } from '../funnel.js';

export async function render(ctx, root, params) {
  if (!params[0]) return list(ctx, root);
  const code = params[0];
  const d = await api.selection(code);
  if (!ctx.alive()) return;
  const s = d.selection || {};
  ctx.title(s.name || code, t('navSelections'));
  const me = d.me || {};
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'sel-facts' },
    h('h2', { class: 'panel-title', id: 'sel-facts' }, t('selFacts')),
    h('dl', { class: 'facts' },
      h('dt', null, t('colCode')), h('dd', null, s.code),
      h('dt', null, t('colAgency')), h('dd', null, s.agency || '—'),
      h('dt', null, t('colStatus')), h('dd', null, label('selStatus_', s.status || 'open') + (s.closed_at ? ' — ' + dateTime(s.closed_at) : '')),
      h('dt', null, t('colMembers')), h('dd', { id: 'sel-members' }, (s.members || []).map((m) => (m.name || m.username) + ' (' + label('memberRole_', m.role) + ')').join('; ') || '—'),
      h('dt', null, t('colYou')), h('dd', { id: 'sel-me' }, me.member ? label('memberRole_', me.role) : t('notMember'))),
    s.status !== 'closed' && (ctx.hasRole('admin') || me.role === 'chair')
      ? h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'button danger', id: 'close-selection', on: { click: () => closeSelection(ctx, s) } }, t('closeSelection')))
      : null));
  (d.vacancies || []).forEach((v) => {
    const href = '#/seleksi/' + encodeURIComponent(code) + '/' + encodeURIComponent(v.code);
    root.appendChild(h('section', { class: 'panel vacancy-card', 'aria-labelledby': 'vac-' + v.code, dataset: { vacancy: v.code } },
      h('h2', { class: 'panel-title', id: 'vac-' + v.code }, h('a', { href: href }, v.position + ' — ' + (v.unit || ''))),
      h('p', { class: 'hint' }, t('vacFacts', { code: v.code, grade: v.min_grade || '—', n: v.applicants || 0, active: v.active || 0, openings: v.openings || 1 })),
      funnelSvg(v.funnel || [], t('funnelOf', { name: v.position })),
      v.ppk ? h('p', { class: 'message', dataset: { state: 'ok' } }, t('ppkDone', { rank: v.ppk.rank })) : null,
      h('p', { class: 'toolbar' }, h('a', { class: 'button primary', href: href }, t('openPipeline')))));
  });
}

/** Ask, then close (freeze) the selection; the page is drawn again. */
async function closeSelection(ctx, s) {
  const done = await ctx.confirm({
    title: t('closeTitle', { name: s.name || s.code }),
    body: t('closeBody'),
    confirm: t('closeSelection'),
    danger: true,
    action: () => api.close(s.code),
  });
  if (done && ctx.alive()) {
    ctx.announce(t('closedNow'));
    ctx.navigate('#/seleksi/' + encodeURIComponent(s.code));
  }
}

async function list(ctx, root) {
  ctx.title(t('selectionsTitle'), t('navSelections'));
  const d = await api.selections();
  if (!ctx.alive()) return;
  const rows = d.selections || [];
  root.appendChild(h('p', { class: 'lead' }, t('selectionsLead')));
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'sel-list' },
    h('h2', { class: 'panel-title', id: 'sel-list' }, t('selectionsList', { n: rows.length })),
    sortableTable([
      { key: 'code', label: t('colCode'), cls: 'nowrap' },
      { key: 'name', label: t('colSelection'), cell: (r) => h('a', { href: '#/seleksi/' + encodeURIComponent(r.code) }, r.name || r.code) },
      { key: 'agency', label: t('colAgency') },
      { key: 'status', label: t('colStatus'), cell: (r) => label('selStatus_', r.status || 'open') },
      { key: 'vacancies', label: t('colVacancies'), num: true },
      { key: 'applicants', label: t('colApplicants'), num: true },
      { key: 'member', label: t('colYou'), cell: (r) => (r.member ? t('member') : t('notMember')) },
    ], rows, { id: 'selections-table', caption: t('selectionsTitle'), empty: t('selectionsNone'), stack: true }).el));
}
