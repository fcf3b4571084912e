// pages/sittings.js - #/: the sittings the caller may watch (GET
// /api/v1/staff/sittings), one card each: exam, code, room, start, counts,
// the token (large, copyable, its rotation) and links to the dashboard and
// the berita acara. Read again every 15 s while the page is visible, so a
// rotated token shows without a reload.

import { h, fill } from '../../admin/dom.js';
import { t, longDate, errorText } from '../i18n/index.js';
import { api } from '../api.js';
import { hm } from '../format.js';
import { tokenBox } from './token.js';

const REFRESH_MS = 15000;

export async function render(ctx, root) {
  ctx.title(t('sittingsTitle'));
  const lead = h('p', { class: 'lead' }, ctx.canAct ? t('sittingsLead') : t('sittingsLeadObserver'));
  const list = h('div', { class: 'sitting-cards', id: 'sittings' });
  const status = h('p', { class: 'summary', id: 'sittings-status', role: 'status' });
  root.appendChild(lead);
  root.appendChild(status);
  root.appendChild(list);
  const boxes = {}; // id -> token box, kept across refreshes
  await load(true);
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') load(false);
  }, REFRESH_MS);
  ctx.onLeave(() => clearInterval(timer));

  async function load(firstTime) {
    let d;
    try {
      d = await api.sittings();
    } catch (e) {
      if (firstTime) throw e;
      if (ctx.alive()) status.textContent = errorText(e);
      return;
    }
    if (!ctx.alive()) return;
    const sittings = (d.sittings || []).slice().sort((a, b) =>
      String(a.starts_at || '').localeCompare(String(b.starts_at || '')) || String(a.code).localeCompare(String(b.code)));
    status.textContent = t('sittingsRead', { time: hm(new Date()) });
    if (!sittings.length) {
      fill(list, h('p', { class: 'message empty' }, t('sittingsEmpty')));
      return;
    }
    // Keep focus on the same card's control across a refresh.
    const active = document.activeElement;
    const activeKey = active && list.contains(active) ? active.getAttribute('data-key') : null;
    fill(list, sittings.map((s) => card(s)));
    if (activeKey) {
      const again = list.querySelector('[data-key="' + activeKey + '"]');
      if (again) again.focus();
    }
  }

  function card(s) {
    const c = s.counts || {};
    const id = String(s.id);
    let tb = boxes[id];
    if (s.token) {
      if (!tb) tb = boxes[id] = tokenBox(s, 'sitting-' + id);
      else tb.update(s);
    }
    const state = s.closed_at ? 'closed' : s.started_at ? 'started' : 'planned';
    const num = (k) => String(c[k] || 0);
    return h('article', { class: 'panel sitting-card', dataset: { sitting: id, state: state }, 'aria-labelledby': 'sitting-title-' + id },
      h('div', { class: 'sitting-card-head' },
        h('div', null,
          h('p', { class: 'page-kicker' }, (s.exam || '') + (s.exam_title ? ' — ' + s.exam_title : '')),
          h('h2', { class: 'sitting-title', id: 'sitting-title-' + id }, t('dashTitle', { code: s.code || '', room: s.room || '' }))),
        h('span', { class: 'badge state-' + state }, t('state_' + state))),
      h('p', { class: 'sitting-when' }, s.starts_at ? t('infoStarts', { date: longDate(s.starts_at), time: hm(s.starts_at) }) : t('noStart'),
        s.proctors && s.proctors.length ? ' · ' + t('infoProctors', { names: s.proctors.join(', ') }) : ''),
      h('dl', { class: 'mini-counts' },
        pair(t('countRegistered'), num('registered')),
        pair(t('status_in_progress'), num('in_progress')),
        pair(t('status_finished'), num('finished')),
        pair(t('status_absent'), num('absent')),
        pair(t('countOffline'), num('offline'), c.offline > 0),
        pair(t('countIncidents'), num('incidents'), c.incidents > 0)),
      tb ? tb.el : null,
      h('div', { class: 'row-actions' },
        h('a', { class: 'button primary', href: '#/sitting/' + id, dataset: { key: 'dash-' + id } }, t('openDashboard')),
        h('a', { class: 'button', href: '#/sitting/' + id + '/report', dataset: { key: 'report-' + id } }, t('reportLink'))));
  }
}

function pair(k, v, warn) {
  return h('div', { class: warn ? 'warn' : null }, h('dt', null, k), h('dd', null, v));
}
