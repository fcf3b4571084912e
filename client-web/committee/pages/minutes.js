// pages/minutes.js - two A4 documents of a vacancy:
// #/cetak/berita-acara/SEL/VAC, the committee's ranking minutes (berita
// acara penetapan peringkat: every applicant's stage scores, final score and
// rank, the ones who left the pipeline with the reason, the three names
// proposed, the members with a signature area), and #/cetak/usulan/SEL/VAC,
// the attachment to the proposal letter to the PPK (the three ranked names
// and, once recorded, the PPK's choice).

import { h } from '../../admin/dom.js';
import { t, label, longDate, dateTime } from '../i18n/index.js';
import { api } from '../api.js';
import { num } from '../ui.js';
import { ordered, stageText } from './vacancy.js';

export async function render(ctx, root, params) {
  const sc = params[0];
  const vc = params[1];
  const got = await Promise.all([api.selection(sc), api.vacancy(sc, vc)]);
  if (!ctx.alive()) return;
  const s = got[0].selection || {};
  const vac = got[1];
  const v = vac.vacancy || {};
  const minutes = ctx.print === 'minutes';
  const head = ctx.title(minutes ? t('minutesTitle') : t('proposalDocTitle'), (v.position || vc) + ' — ' + (s.name || sc));
  head.classList.add('no-print');
  root.appendChild(h('div', { class: 'toolbar no-print' },
    h('button', { type: 'button', class: 'button primary', id: 'print-button', on: { click: () => window.print() } }, t('print')),
    h('a', { class: 'button', href: '#/seleksi/' + encodeURIComponent(sc) + '/' + encodeURIComponent(vc) }, t('backToPipeline'))));
  const members = vac.members || s.members || [];
  const stages = vac.stages || [];
  const apps = ordered(vac.applicants || []);
  const prop = vac.proposal || [];
  const byId = {};
  apps.forEach((a) => {
    byId[a.id] = a;
  });
  const ident = (a) => (a ? (a.nip ? 'NIP ' + a.nip : a.nik ? 'NIK ' + a.nik : '') : '');
  const facts = h('table', { class: 'facts-table' }, h('tbody', null,
    fact(t('colSelection'), (s.name || '') + ' (' + (s.code || sc) + ')'),
    fact(t('colAgency'), s.agency || '—'),
    fact(t('colPosition'), v.position || vc),
    fact(t('colUnit'), v.unit || '—'),
    fact(t('colMinGrade'), v.min_grade || '—'),
    fact(t('colRequirements'), v.requirements || '—')));
  const propTable = h('table', { class: 'doc-table', id: 'proposal-table' },
    h('thead', null, h('tr', null, [t('colRank'), t('colName'), t('colIdent'), t('colOrigin'), t('colFinal')].map((x, i) => h('th', { scope: 'col', class: i === 0 || i === 4 ? 'num' : null }, x)))),
    h('tbody', null, prop.map((p) => h('tr', { dataset: { applicant: p.applicant } },
      h('td', { class: 'num' }, String(p.rank)), h('td', null, p.name), h('td', { class: 'nowrap' }, ident(byId[p.applicant])),
      h('td', null, byId[p.applicant] ? byId[p.applicant].origin || '' : ''), h('td', { class: 'num' }, num(p.final))))));
  const doc = h('article', { class: 'print-doc', tabindex: '0', id: minutes ? 'berita-acara' : 'usulan' });
  doc.appendChild(h('header', { class: 'doc-head' },
    h('p', { class: 'doc-kop' }, s.agency || t('docKop')),
    minutes ? null : h('p', { class: 'doc-attach' }, t('attachmentOf')),
    h('h2', { class: 'doc-title' }, minutes ? t('minutesDocTitle') : t('proposalDocTitle')),
    h('p', { class: 'doc-sub' }, v.position || vc),
    h('p', { class: 'doc-no' }, t('docNumber'))));
  if (minutes) {
    doc.appendChild(h('p', null, t('minutesOpening', { date: longDate(Date.now()), selection: s.name || sc, position: v.position || vc })));
    doc.appendChild(facts);
    doc.appendChild(h('h3', null, t('minutesRanking')));
    doc.appendChild(h('table', { class: 'doc-table small', id: 'minutes-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, t('colRank')), h('th', { scope: 'col' }, t('colNameOrigin')),
        stages.map((x) => h('th', { scope: 'col', class: 'num' }, (x.name || x.code) + (x.weight ? ' (' + x.weight + '%)' : ''))),
        h('th', { scope: 'col', class: 'num' }, t('colFinal')), h('th', { scope: 'col' }, t('colNote')))),
      h('tbody', null, apps.map((a) => h('tr', { dataset: { applicant: a.id } },
        h('td', { class: 'num' }, a.rank ? String(a.rank) : '—'),
        h('td', null, a.name, h('span', { class: 'sub' }, ident(a)), h('span', { class: 'sub' }, a.origin || '')),
        stages.map((x) => h('td', { class: 'num' }, stageText(x, (a.stages || {})[x.code]))),
        h('td', { class: 'num' }, num(a.final)),
        h('td', null, a.status === 'out' ? t('outAt', { stage: stageLabel(stages, a.out_stage), reason: a.out_reason || '' }) : a.rank && a.rank <= 3 ? t('proposedMark') : ''))))));
    doc.appendChild(h('p', null, t('minutesRule', { tie: ((s.config && s.config.tie_break) || []).map((c) => stageLabel(stages, c)).join(', ') || '—' })));
    doc.appendChild(h('h3', null, t('minutesProposal')));
    doc.appendChild(prop.length ? propTable : h('p', null, t('proposalNone')));
    doc.appendChild(h('p', null, t('minutesClosing')));
    doc.appendChild(h('p', { class: 'doc-place' }, t('placeDate', { date: longDate(Date.now()) })));
    doc.appendChild(h('table', { class: 'doc-table signs', id: 'minutes-signs' },
      h('thead', null, h('tr', null, [t('colNo'), t('colName'), t('colCommitteeRole'), t('colSignature')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, members.map((m, i) => h('tr', { dataset: { member: m.username } },
        h('td', { class: 'num' }, String(i + 1)), h('td', null, m.name || m.username), h('td', null, label('memberRole_', m.role)),
        h('td', { class: 'sign-cell' }, String(i + 1) + '. ……………………'))))));
  } else {
    doc.appendChild(h('p', null, t('proposalOpening', { selection: s.name || sc, position: v.position || vc })));
    doc.appendChild(facts);
    doc.appendChild(h('h3', null, t('proposalNames')));
    doc.appendChild(prop.length ? propTable : h('p', null, t('proposalNone')));
    if (vac.ppk) {
      const a = byId[vac.ppk.applicant];
      doc.appendChild(h('p', { id: 'ppk-choice' }, t('ppkRecorded', { rank: vac.ppk.rank, name: a ? a.name : vac.ppk.applicant, by: vac.ppk.by || '', at: dateTime(vac.ppk.at) }) +
        (vac.ppk.note ? ' ' + t('ppkNote', { note: vac.ppk.note }) : '')));
    }
    doc.appendChild(h('p', null, t('proposalClosing')));
    const chair = members.filter((m) => m.role === 'chair')[0];
    doc.appendChild(h('div', { class: 'doc-signs one' }, h('div', { class: 'doc-sign' },
      h('p', null, t('placeDate', { date: longDate(Date.now()) })),
      h('p', null, t('signChairSel')),
      h('div', { class: 'sign-space' }),
      h('p', { class: 'sign-name' }, '( ' + (chair ? chair.name || chair.username : '………………………') + ' )'))));
  }
  root.appendChild(doc);
}

function fact(k, v) {
  return h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v));
}

function stageLabel(stages, code) {
  const x = stages.filter((y) => y.code === code)[0];
  return x ? x.name || x.code : code || '';
}
