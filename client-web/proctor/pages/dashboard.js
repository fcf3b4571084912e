// pages/dashboard.js - #/sitting/ID: one sitting's live room dashboard. The
// sitting is read once (GET /sittings/ID, so a refusal shows as a page),
// then the event stream (pages/live.js) keeps it current: `snapshot`
// replaces every row, `rows` updates the changed candidates (pages/roster.js
// batches them into animation frames), `incident` and `action` go to the
// incidents panel, `sitting` updates the header (token, started, closed).
// Header counts per status (buttons that filter), filters and sort, the
// connection state, the action bar (pages/actions.js; not for observers)
// and the incidents panel (GET /log, then live).

import { h, fill } from '../../admin/dom.js';
import { t, longDate, errorText, hasText } from '../i18n/index.js';
import { api, eventsUrl } from '../api.js';
import { STATUSES, statusText, hm, hms, duration } from '../format.js';
import { createRoster, countRows, SORTS } from './roster.js';
import { openStream } from './live.js';
import { createActions } from './actions.js';
import { tokenBox } from './token.js';

const INCIDENTS_KEPT = 300;

export async function render(ctx, root, params) {
  const sid = params[0];
  const first = await api.sitting(sid);
  if (!ctx.alive()) return;
  let sitting = first.sitting || {};

  const head = ctx.title(titleOf(sitting), kickerOf(sitting));
  const info = h('p', { class: 'sitting-info', id: 'sitting-info' });
  const conn = h('span', { class: 'conn', id: 'conn', role: 'status', dataset: { state: 'connecting' } }, t('conn_connecting'));
  const reconnect = h('button', { type: 'button', class: 'button small', id: 'reconnect', hidden: true }, t('reconnect'));
  const token = tokenBox(sitting, 'dash');
  const links = h('div', { class: 'dash-links' },
    h('div', { class: 'conn-line' }, conn, reconnect),
    h('div', { class: 'action-group' }, h('a', { class: 'button small', href: '#/sitting/' + sid + '/report', id: 'report-link' }, t('reportLink'))));
  head.classList.add('dash-head');
  head.appendChild(h('div', { class: 'dash-side' }, token.el, links));
  head.firstChild.appendChild(info);

  // Header counts: one button per status, pressing it filters.
  const chips = {};
  const chipRow = h('div', { class: 'chips', id: 'counts', role: 'group', 'aria-label': t('countsLabel') });
  const chipDefs = [{ k: '', label: t('countRegistered') }].concat(STATUSES.map((s) => ({ k: s, label: statusText(s) })));
  chipDefs.forEach((d) => {
    const n = h('span', { class: 'chip-n' }, '0');
    const b = h('button', { type: 'button', class: 'chip' + (d.k ? ' st-' + d.k : ''), 'aria-pressed': d.k ? 'false' : 'true', dataset: { status: d.k || 'all' } }, n, ' ', d.label);
    b.addEventListener('click', () => {
      statusSel.value = d.k;
      applyFilter();
    });
    chips[d.k || 'all'] = { b: b, n: n };
    chipRow.appendChild(b);
  });
  const offN = h('span', { class: 'chip-n' }, '0');
  const incN = h('span', { class: 'chip-n' }, '0');
  const offChip = h('button', { type: 'button', class: 'chip chip-offline', 'aria-pressed': 'false', dataset: { status: 'offline' } }, offN, ' ', t('countOffline'));
  const incChip = h('button', { type: 'button', class: 'chip chip-incidents', 'aria-pressed': 'false', dataset: { status: 'incidents' } }, incN, ' ', t('countIncidents'));
  offChip.addEventListener('click', () => {
    offBox.checked = !offBox.checked;
    applyFilter();
  });
  incChip.addEventListener('click', () => {
    incBox.checked = !incBox.checked;
    applyFilter();
  });
  chipRow.appendChild(offChip);
  chipRow.appendChild(incChip);

  // Filters and sort.
  const statusSel = h('select', { id: 'filter-status' },
    h('option', { value: '' }, t('filterAll')),
    STATUSES.map((s) => h('option', { value: s }, statusText(s))));
  const offBox = h('input', { type: 'checkbox', id: 'filter-offline' });
  const incBox = h('input', { type: 'checkbox', id: 'filter-incidents' });
  const sortSel = h('select', { id: 'sort' }, SORTS.map((s) => h('option', { value: s }, t('sort_' + s))));
  const shownText = h('span', { class: 'shown-count', id: 'shown-count' });
  const filters = h('div', { class: 'filters-row no-print', role: 'search', 'aria-label': t('filtersLabel') },
    h('div', { class: 'inline-field' }, h('label', { for: 'filter-status' }, t('filterStatus')), statusSel),
    h('label', { class: 'check', for: 'filter-offline' }, offBox, t('filterOffline')),
    h('label', { class: 'check', for: 'filter-incidents' }, incBox, t('filterIncidents')),
    h('div', { class: 'inline-field' }, h('label', { for: 'sort' }, t('sortLabel')), sortSel),
    shownText);
  statusSel.addEventListener('change', applyFilter);
  offBox.addEventListener('change', applyFilter);
  incBox.addEventListener('change', applyFilter);
  sortSel.addEventListener('change', () => roster.setSort(sortSel.value));

  let actions = null;
  const roster = createRoster({
    canAct: ctx.canAct,
    onSelection: (n) => {
      if (actions) actions.setSelected(n);
    },
    onShown: (shown, total) => {
      shownText.textContent = t('shownOf', { shown: shown, total: total });
    },
  });
  ctx.onLeave(() => roster.destroy());
  if (ctx.canAct) {
    actions = createActions(ctx, sid, roster, () => sitting, { token: (tok) => mergeSitting(Object.assign({}, sitting, { token: tok })) });
    links.lastChild.insertBefore(actions.sittingEl, links.lastChild.firstChild);
    filters.insertBefore(actions.selBox, shownText);
  }

  // Incidents and actions, newest first.
  const incList = h('ol', { class: 'incidents', id: 'incidents' });
  const incEmpty = h('p', { class: 'message empty', id: 'incidents-empty' }, t('incidentsEmpty'));
  const incPanel = h('section', { class: 'panel incidents-panel', 'aria-labelledby': 'incidents-title' },
    h('h2', { class: 'panel-title', id: 'incidents-title' }, t('incidentsTitle')),
    incEmpty, incList);
  const seen = new Set();
  incList.addEventListener('click', (ev) => {
    const a = ev.target.closest ? ev.target.closest('[data-cand]') : null;
    if (!a) return;
    ev.preventDefault();
    let id = a.getAttribute('data-cand');
    if (!id) {
      const regno = a.getAttribute('data-regno');
      const r = roster.all().filter((x) => x.regno === regno)[0];
      id = r ? r.id : '';
    }
    if (!roster.reveal(id)) ctx.announce(t('rowHidden'));
  });

  const grid = h('div', { class: 'dash-grid' },
    h('section', { class: 'roster-panel', 'aria-label': t('rosterCaption') }, roster.el),
    incPanel);
  root.appendChild(chipRow);
  if (actions) {
    root.appendChild(actions.el);
    root.appendChild(actions.result);
  }
  root.appendChild(filters);
  root.appendChild(grid);

  showSitting(sitting);
  roster.setSort(sortSel.value);
  roster.snapshot(first.rows || [], first.server_time);
  setCounts(first.sitting && first.sitting.counts ? first.sitting.counts : countRows(first.rows || []));

  api.log(sid).then((d) => {
    if (!ctx.alive()) return;
    const items = (d && d.items) || [];
    for (let i = items.length - 1; i >= 0; i--) addItem(fromLog(items[i]));
  }, (e) => {
    if (ctx.alive()) incPanel.appendChild(h('p', { class: 'message', dataset: { state: 'error' } }, errorText(e)));
  });

  const stream = openStream(eventsUrl(sid), {
    status: (s) => {
      conn.setAttribute('data-state', s);
      conn.textContent = t('conn_' + s);
      reconnect.hidden = s !== 'closed';
    },
    snapshot: (d) => {
      if (d.sitting) mergeSitting(d.sitting);
      roster.snapshot(d.rows || [], d.server_time);
      setCounts(d.sitting && d.sitting.counts ? d.sitting.counts : countRows(d.rows || []));
    },
    rows: (d) => {
      roster.rows(d.rows || [], d.server_time);
      if (d.counts) setCounts(d.counts);
    },
    sitting: (d) => {
      mergeSitting(d);
      if (d.counts) setCounts(d.counts);
    },
    incident: (d) => addItem({ kind: 'incident', id: d.id, at: d.at, cand: d.cand, regno: d.regno, name: d.name, what: d.type, ms: d.ms, by: d.by }),
    action: (d) => {
      // The server sends what it recorded in `detail` (by, reason, candidates done, all).
      const x = d.detail || d;
      addItem({ kind: 'action', id: d.id, at: d.at, what: d.action || x.action, by: x.by, reason: x.reason, candidates: x.all ? 'all' : x.candidates });
    },
  });
  reconnect.addEventListener('click', () => stream.reconnect());
  ctx.onLeave(() => stream.close());

  function applyFilter() {
    const f = { status: statusSel.value, offline: offBox.checked, incidents: incBox.checked };
    roster.setFilter(f);
    Object.keys(chips).forEach((k) => chips[k].b.setAttribute('aria-pressed', String((k === 'all' ? '' : k) === f.status)));
    offChip.setAttribute('aria-pressed', String(f.offline));
    incChip.setAttribute('aria-pressed', String(f.incidents));
  }

  /** A sitting from the stream carries no token (the stream never does):
   *  keep the one read by GET, and read it again when it was rotated. */
  function mergeSitting(next) {
    const prev = sitting;
    const s = Object.assign({}, next);
    if (s.token === undefined && prev.token !== undefined) {
      s.token = prev.token;
      if (next.token_at && next.token_at !== prev.token_at) refreshToken();
    }
    sitting = s;
    showSitting(s);
  }

  function refreshToken() {
    api.sittings().then((d) => {
      const x = ((d && d.sittings) || []).filter((y) => String(y.id) === String(sid))[0];
      if (x && x.token && ctx.alive()) mergeSitting(Object.assign({}, sitting, { token: x.token, token_at: x.token_at }));
    }, () => {
      /* the next rotation or a reload shows it */
    });
  }

  function setCounts(c) {
    chips.all.n.textContent = String(c.registered || 0);
    STATUSES.forEach((s) => {
      chips[s].n.textContent = String(c[s] || 0);
    });
    offN.textContent = String(c.offline || 0);
    incN.textContent = String(c.incidents || 0);
  }

  function showSitting(s) {
    const h1 = document.getElementById('page-title');
    if (h1) h1.textContent = titleOf(s);
    document.title = titleOf(s) + ' — Ujian';
    const bits = [];
    if (s.starts_at) bits.push(t('infoStarts', { date: longDate(s.starts_at), time: hm(s.starts_at) }));
    if (s.started_at) bits.push(t('infoStarted', { time: hms(s.started_at) }));
    if (s.start_together && !s.started_at) bits.push(t('infoWaitingStart'));
    if (s.proctors && s.proctors.length) bits.push(t('infoProctors', { names: s.proctors.join(', ') }));
    if (s.closed_at) bits.push(t('infoClosed', { time: hms(s.closed_at) }));
    info.textContent = bits.join(' · ');
    token.update(s);
    if (actions) actions.setSitting(s);
  }

  /** One line of the incidents panel (deduplicated by kind and event id). */
  function addItem(it) {
    const key = it.kind + ':' + it.id;
    if (it.id !== undefined && it.id !== null) {
      if (seen.has(key)) return;
      seen.add(key);
    }
    incEmpty.hidden = true;
    const who = it.regno || it.name
      ? h('a', { href: '#', class: 'inc-who', dataset: { cand: it.cand !== undefined && it.cand !== null ? it.cand : '', regno: it.regno || '' } }, (it.name || '') + (it.regno ? ' (' + it.regno + ')' : ''))
      : null;
    let what;
    if (it.kind === 'incident') what = incidentText(it.what) + (it.ms ? ' · ' + duration(it.ms) : '') + (it.by === 'server' ? ' · ' + t('byServer') : '');
    else if (it.kind === 'action') what = actionText(it.what) + (it.candidates ? ' · ' + targetText(it.candidates) : '');
    else what = (hasText('kind_' + it.kind) ? t('kind_' + it.kind) : it.kind) + (it.what ? ': ' + it.what : '');
    const li = h('li', { class: 'inc inc-' + it.kind, dataset: { kind: it.kind, type: it.what || '' } },
      h('span', { class: 'inc-time' }, hms(it.at)),
      h('span', { class: 'inc-what' }, what),
      who,
      it.kind === 'action' && it.by ? h('span', { class: 'inc-by' }, t('byWhom', { who: it.by })) : null,
      it.reason ? h('span', { class: 'inc-reason' }, '“' + it.reason + '”') : null);
    incList.insertBefore(li, incList.firstChild);
    while (incList.childNodes.length > INCIDENTS_KEPT) incList.removeChild(incList.lastChild);
  }
}

function titleOf(s) {
  return t('dashTitle', { code: s.code || '', room: s.room || '' });
}

function kickerOf(s) {
  return (s.exam || '') + (s.exam_title ? ' — ' + s.exam_title : '');
}

export function incidentText(type) {
  return hasText('inc_' + type) ? t('inc_' + type) : String(type || '');
}

export function actionText(a) {
  return hasText('act_' + a) ? t('act_' + a) : String(a || '');
}

function targetText(c) {
  if (c === 'all') return t('targetAllShort');
  if (!Array.isArray(c)) return '';
  return c.length <= 5 ? c.join(', ') : t('targetN', { n: c.length });
}

/** A /log item as a panel line (an incident's `source` is client or server). */
export function fromLog(x) {
  return { kind: x.kind, id: x.id, at: x.at, cand: x.cand, regno: x.regno, name: x.name, what: x.type || x.action, ms: x.ms,
    by: x.kind === 'incident' ? x.source || x.by : x.by, reason: x.reason, candidates: x.all ? 'all' : x.candidates };
}
