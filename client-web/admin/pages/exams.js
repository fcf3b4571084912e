// pages/exams.js - #/ujian: the exams in the caller's scope with counts, each
// linking to its candidates and results as the caller's roles allow.

import { h } from '../dom.js';
import { api } from '../api.js';
import { t, dateTime } from '../i18n/index.js';
import { table, message } from './common.js';

const enc = encodeURIComponent;

export async function render(ctx, root) {
  ctx.title(t('examsTitle'));
  const status = root.appendChild(message(t('loading')));
  const data = await api.exams();
  if (!ctx.alive()) return;
  root.removeChild(status);
  const exams = (data.exams || []).slice().sort((a, b) => String(a.code).localeCompare(String(b.code)));
  const canCandidates = ctx.hasRole('admin', 'proctor', 'observer');
  const canResults = ctx.hasRole('admin', 'committee');
  const canEdit = ctx.hasRole('admin', 'author');
  const scope = ctx.me.exams && ctx.me.exams.length && !ctx.hasRole('admin');
  root.appendChild(h('p', { class: 'lead' }, scope ? t('examsScoped', { exams: ctx.me.exams.join(', ') }) : t('examsLead')));
  const cols = [
    { label: t('colCode') }, { label: t('colTitle') }, { label: t('colWindow') },
    { label: t('colDuration'), num: true }, { label: t('colCandidates'), num: true },
    { label: t('colStarted'), num: true }, { label: t('colFinished'), num: true },
  ];
  if (canCandidates || canResults || canEdit) cols.push({ label: t('colActions') });
  const rows = exams.map((e) => {
    const cells = [
      e.code,
      e.archived ? [e.title + ' ', h('span', { class: 'badge' }, t('archivedBadge'))] : e.title,
      windowText(e),
      String(Math.round((e.duration_s || 0) / 60)),
      String(e.candidates || 0),
      String(e.started || 0),
      String(e.finished || 0),
    ];
    if (canCandidates || canResults || canEdit) {
      cells.push(h('div', { class: 'row-actions' },
        canEdit ? h('a', { class: 'button small', href: '#/ujian/' + enc(e.code) + '/ubah', 'aria-label': t('editExamOf', { code: e.code }) }, t('edit')) : null,
        canCandidates ? h('a', { class: 'button small', href: '#/ujian/' + enc(e.code) + '/peserta', 'aria-label': t('candidatesOf', { code: e.code }) }, t('linkCandidates')) : null,
        canCandidates ? h('a', { class: 'button small', href: '#/ujian/' + enc(e.code) + '/sesi', 'aria-label': t('sittingsOf', { code: e.code }), dataset: { link: 'sittings' } }, t('linkSittings')) : null,
        canResults ? h('a', { class: 'button small', href: '#/hasil/' + enc(e.code), 'aria-label': t('resultsOf', { code: e.code }) }, t('linkResults')) : null));
    }
    return cells;
  });
  root.appendChild(table(cols, rows, { caption: t('examsCaption'), id: 'exams-table', stack: true, empty: t('examsEmpty'), rowAttrs: (i) => ({ dataset: { exam: exams[i].code } }) }));
}

function windowText(e) {
  if (!e.opens_at && !e.closes_at) return t('windowAlways');
  return (e.opens_at ? dateTime(e.opens_at) : '…') + ' – ' + (e.closes_at ? dateTime(e.closes_at) : '…');
}
