// pages/cards.js - #/ujian/CODE/kartu: exam cards (kartu peserta) for the
// credentials issued in this page's life (a CSV import or a password reset):
// name, registration number, password, exam, date, and the candidate's room
// and sitting (sesi) as the server knows them when the page opens. The
// print stylesheet puts eight cards on an A4 sheet. Passwords are stored only
// as hashes, so cards can be printed only right after they were issued.

import { h } from '../dom.js';
import { t, longDate, dateTime } from '../i18n/index.js';
import { message, button } from './common.js';
import { api } from '../api.js';

const enc = encodeURIComponent;

export async function render(ctx, root, params) {
  const code = params[0];
  ctx.title(t('cardsTitle', { code: code }), t('navExams')).classList.add('no-print');
  const issued = ctx.issued();
  const back = h('a', { class: 'button', href: '#/ujian/' + enc(code) + '/peserta' }, t('backToCandidates'));
  if (!issued || issued.exam !== code || !issued.list.length) {
    root.appendChild(h('div', { class: 'panel', id: 'cards-none' },
      h('p', null, t('cardsNone')),
      h('p', { class: 'hint' }, t('cardsWhy')),
      back));
    return;
  }
  root.appendChild(h('div', { class: 'panel no-print' },
    message(t('cardsReady', { n: issued.list.length })),
    h('p', { class: 'hint' }, t('cardsWhy')),
    h('div', { class: 'toolbar' },
      button(t('print'), () => window.print(), { kind: 'primary', data: { action: 'print' } }),
      back)));
  // Each candidate's sitting and room (not part of the issued credentials).
  const seat = {};
  try {
    const d = await api.candidates(code);
    (d.candidates || []).forEach((c) => {
      seat[c.registration_no] = { sitting: c.sitting || '', room: c.room || '' };
    });
  } catch (e) {
    /* cards without rooms are still useful */
  }
  if (!ctx.alive()) return;
  const date = issued.opens_at ? longDate(issued.opens_at) : '';
  const time = issued.opens_at ? dateTime(issued.opens_at).slice(11) : '';
  const cards = issued.list.map((c) => h('article', { class: 'card', dataset: { regno: c.registration_no } },
    h('header', { class: 'card-head' },
      h('span', { class: 'card-kind' }, t('cardKind')),
      h('span', { class: 'card-exam' }, issued.title ? issued.title + ' · ' : '', h('span', { class: 'card-code' }, code))),
    h('dl', { class: 'card-facts' },
      h('dt', null, t('colName')), h('dd', { class: 'card-name' }, c.name),
      h('dt', null, t('colRegno')), h('dd', { class: 'card-regno' }, c.registration_no),
      h('dt', null, t('colPassword')), h('dd', { class: 'card-password' }, c.password),
      date ? [h('dt', null, t('cardDate')), h('dd', null, date + (time ? ', ' + time : ''))] : null,
      roomOf(c, seat) ? [h('dt', null, t('cardRoom')), h('dd', { class: 'card-room' }, roomOf(c, seat))] : null),
    h('p', { class: 'card-note' }, t('cardNote'))));
  root.appendChild(h('div', { class: 'cards', id: 'cards' }, cards));
}

/** "Ruang 1 · Sesi R1-PAGI", the room alone, the sitting alone, or ''. */
function roomOf(c, seat) {
  const s = seat[c.registration_no] || {};
  const room = c.room || s.room || '';
  const sitting = s.sitting ? t('cardSitting', { code: s.sitting }) : '';
  return room && sitting ? room + ' · ' + sitting : room || sitting;
}
