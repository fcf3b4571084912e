// pages/roster.js - the dashboard's candidate table, built for a 1,000-row
// sitting receiving 1,000 row updates a second:
// - an ARIA table of div rows, each its own CSS grid with
//   `content-visibility: auto`, so the browser lays out and paints only the
//   rows in view (a <table> is laid out as a whole: measured at 25-80 ms per
//   200 changed rows of 1,000 on the CI box, against a few ms here);
// - rows live in a Map by candidate id; an update only stores the row and
//   marks it dirty; one requestAnimationFrame callback applies every dirty
//   row, writing a cell only when its text changed (no re-render per event);
// - the order (sort) is recomputed at most once a second while updates
//   stream in (rows do not jump under the proctor's pointer), and at once
//   when the proctor changes the sort or the filter; moving rows only
//   touches those out of place;
// - the remaining time and "last activity" tick locally every second from
//   remaining_ms and the server's clock (server_time of each event).
// Text is always set with textContent.

import { h, clear } from '../../admin/dom.js';
import { t } from '../i18n/index.js';
import { STATUSES, ACTIVE, statusText, clock, span, hms, ms } from '../format.js';

const RESORT_MS = 1000;

export const SORTS = ['offline', 'incidents', 'slowest', 'name'];

/**
 * opts: {canAct (checkbox column), onSelection(count)}. Returns the roster:
 * el (the table's box), snapshot(rows, serverTime), rows(rows, serverTime),
 * setFilter({status, offline, incidents}), setSort(key), selectedIds(),
 * selectedRows(), all(), get(id), visibleCount(), destroy().
 */
export function createRoster(opts) {
  const o = opts || {};
  const map = new Map(); // id -> {r, tr, c: {cells}, text: {key: shown text}, ends, selected}
  const dirty = new Set();
  let order = []; // ids in table order
  let frame = 0;
  let orderDirty = false;
  let lastSort = 0;
  let resortTimer = 0;
  let offset = 0; // server clock - local clock, ms
  const filter = { status: '', offline: false, incidents: false };
  let sort = 'offline';

  const selectAll = o.canAct ? h('input', { type: 'checkbox', id: 'select-shown', 'aria-label': t('selectShown') }) : null;
  const th = (cls, text, title) => h('div', { role: 'columnheader', class: 'rc ' + cls, title: title || null }, text);
  if (selectAll) selectAll.addEventListener('change', () => selectShown(selectAll.checked));
  const cols = [
    o.canAct ? h('div', { role: 'columnheader', class: 'rc col-select' }, selectAll) : null,
    th('col-name', t('colName')),
    th('col-regno', t('colRegno')),
    th('col-seat', t('colSeat'), t('colSeatLong')),
    th('col-status', t('colStatus')),
    th('col-online', t('colOnline')),
    th('col-progress', t('colProgress')),
    th('num col-question', t('colQuestion'), t('colQuestionLong')),
    th('num col-remaining', t('colRemaining')),
    th('col-activity', t('colActivity')),
    th('num col-incidents', t('colIncidents'), t('colIncidentsLong')),
  ];
  const tbody = h('div', { role: 'rowgroup', class: 'roster-body' });
  const table = h('div', { role: 'table', class: 'roster' + (o.canAct ? '' : ' no-select'), id: 'roster', 'aria-label': t('rosterCaption') },
    h('div', { role: 'rowgroup', class: 'roster-head' }, h('div', { role: 'row', class: 'roster-row' }, cols)),
    tbody);
  const empty = h('p', { class: 'message empty', id: 'roster-empty', hidden: true }, t('rosterEmpty'));
  const el = h('div', null,
    h('div', { class: 'table-wrap roster-wrap', tabindex: '0', role: 'region', 'aria-label': t('rosterCaption') }, table),
    empty);

  // A checkbox click toggles the selection (one listener for every row).
  if (o.canAct) {
    tbody.addEventListener('change', (ev) => {
      const box = ev.target;
      if (!box || box.type !== 'checkbox') return;
      const rec = map.get(box.getAttribute('data-id'));
      if (!rec) return;
      rec.selected = box.checked;
      rec.tr.classList.toggle('selected', box.checked);
      selectionChanged();
    });
  }

  const ticker = setInterval(tick, 1000);

  /* ---- building and updating rows ------------------------------------- */

  function makeRecord(r) {
    const c = {};
    const id = String(r.id);
    const cells = [];
    const td = (cls) => h('div', { role: 'cell', class: 'rc ' + cls });
    if (o.canAct) {
      const box = h('input', { type: 'checkbox', 'aria-label': t('selectOne', { name: r.name || '', regno: r.regno || '' }), dataset: { id: id } });
      c.box = box;
      cells.push(h('div', { role: 'cell', class: 'rc col-select' }, box));
    }
    c.name = h('div', { role: 'rowheader', class: 'rc col-name' });
    c.regno = td('col-regno');
    c.addr = h('span', { class: 'seat-addr' });
    c.fp = h('span', { class: 'seat-fp' });
    c.seat = h('div', { role: 'cell', class: 'rc col-seat' }, c.addr, c.fp);
    c.badge = h('span', { class: 'st' });
    c.lock = h('span', { class: 'badge warn lock', hidden: true }, t('locked'));
    c.status = h('div', { role: 'cell', class: 'rc col-status' }, c.badge, c.lock);
    c.online = td('col-online');
    c.count = h('span', { class: 'prog-count' });
    c.fill = h('span', { class: 'bar-fill' });
    c.bar = h('span', { class: 'bar', 'aria-hidden': 'true' }, c.fill);
    c.progress = h('div', { role: 'cell', class: 'rc col-progress' }, c.count, c.bar);
    c.question = td('num col-question');
    c.remaining = td('num col-remaining');
    c.activity = td('col-activity');
    c.incidents = td('num col-incidents');
    cells.push(c.name, c.regno, c.seat, c.status, c.online, c.progress, c.question, c.remaining, c.activity, c.incidents);
    const tr = h('div', { role: 'row', class: 'roster-row', dataset: { id: id } }, cells);
    return { id: id, r: r, tr: tr, c: c, text: {}, ends: NaN, selected: false, match: true };
  }

  function put(rec, key, el, text) {
    if (rec.text[key] === text) return false;
    rec.text[key] = text;
    el.textContent = text;
    return true;
  }

  /** Bring one row's cells up to date with rec.r (only changed cells are written). */
  function paint(rec, now) {
    const r = rec.r;
    const c = rec.c;
    put(rec, 'name', c.name, r.name || '');
    put(rec, 'regno', c.regno, r.regno || '');
    const seat = r.seat || {};
    put(rec, 'addr', c.addr, seat.addr || '—');
    put(rec, 'fp', c.fp, seat.fp ? seat.fp.slice(0, 8) : '');
    if (put(rec, 'status', c.badge, statusText(r.status))) {
      c.badge.className = 'st st-' + r.status;
      rec.tr.setAttribute('data-status', r.status);
    }
    const why = r.paused_reason || '';
    if (rec.text.why !== why) {
      rec.text.why = why; // the proctor's reason, on hover over "Dijeda"
      c.badge.title = why ? t('pausedBecause', { reason: why }) : '';
    }
    if (rec.text.locked !== !!r.locked) {
      rec.text.locked = !!r.locked;
      c.lock.hidden = !r.locked;
    }
    const ans = Number(r.answered) || 0;
    const tot = Number(r.total) || 0;
    const flagged = Number(r.flagged) || 0;
    if (put(rec, 'count', c.count, tot ? ans + '/' + tot + (flagged ? ' · ⚑' + flagged : '') : '—')) {
      c.fill.style.width = (tot ? Math.min(100, Math.round((ans * 100) / tot)) : 0) + '%';
    }
    put(rec, 'question', c.question, r.position ? String(r.position) : '—');
    const inc = Number(r.incidents) || 0;
    if (put(rec, 'incidents', c.incidents, String(inc))) c.incidents.classList.toggle('has-incidents', inc > 0);
    live(rec, now);
  }

  /** The cells that move with the clock: online/offline since, remaining, last activity. */
  function live(rec, now) {
    const r = rec.r;
    const c = rec.c;
    const serverNow = now + offset;
    let onlineText;
    let state;
    if (!ACTIVE[r.status]) {
      onlineText = '—';
      state = 'none';
    } else if (r.online) {
      onlineText = t('online');
      state = 'on';
    } else {
      const since = rec.offMs;
      onlineText = isNaN(since) ? t('offline') : t('offlineFor', { span: span(serverNow - since) });
      state = 'off';
    }
    if (put(rec, 'online', c.online, onlineText)) c.online.setAttribute('data-online', state);
    let left = null;
    if (r.status === 'in_progress' && !isNaN(rec.ends)) left = rec.ends - serverNow;
    else if ((r.status === 'paused' || r.status === 'waiting' || r.status === 'login') && r.remaining_ms !== null && r.remaining_ms !== undefined) left = Number(r.remaining_ms);
    put(rec, 'remaining', c.remaining, left === null ? '—' : clock(left));
    const act = rec.actMs;
    if (put(rec, 'activity', c.activity, isNaN(act) ? '—' : t('ago', { span: span(serverNow - act) }))) {
      c.activity.title = isNaN(act) ? '' : hms(r.last_activity);
    }
  }

  function matches(r) {
    if (filter.status && r.status !== filter.status) return false;
    if (filter.offline && !(ACTIVE[r.status] && !r.online)) return false;
    if (filter.incidents && !(Number(r.incidents) > 0)) return false;
    return true;
  }

  function applyMatch(rec) {
    const m = matches(rec.r);
    if (m !== rec.match) {
      rec.match = m;
      rec.tr.hidden = !m;
      return true;
    }
    return false;
  }

  /** The sort key parts that changed since the row was last ordered. */
  function sortKey(r) {
    switch (sort) {
      case 'offline':
        return (ACTIVE[r.status] && !r.online ? '0' : '1') + (r.offline_since || '');
      case 'incidents':
        return String(Number(r.incidents) || 0);
      case 'slowest':
        return String(r.status) + ':' + (Number(r.answered) || 0);
      default:
        return '';
    }
  }

  function store(r, serverTime) {
    const id = String(r.id);
    let rec = map.get(id);
    if (!rec) {
      rec = makeRecord(r);
      map.set(id, rec);
      orderDirty = true;
    } else if (sortKey(rec.r) !== sortKey(r) || rec.r.name !== r.name) {
      orderDirty = true;
    }
    rec.r = r;
    // Parsed once here, not in every comparison or tick.
    rec.off = ACTIVE[r.status] && !r.online ? 0 : 1;
    rec.offMs = ms(r.offline_since);
    rec.actMs = ms(r.last_activity);
    rec.inc = Number(r.incidents) || 0;
    rec.work = ACTIVE[r.status] ? 0 : 1;
    rec.frac = frac(r);
    const st = ms(serverTime);
    rec.ends = r.remaining_ms !== null && r.remaining_ms !== undefined && !isNaN(st) ? st + Number(r.remaining_ms) : ms(r.deadline);
    dirty.add(id);
  }

  function clockFrom(serverTime) {
    const st = ms(serverTime);
    if (!isNaN(st)) offset = st - Date.now();
  }

  function schedule() {
    if (!frame) frame = window.requestAnimationFrame(flush);
  }

  /** One frame: paint the dirty rows, refilter them, reorder when due. */
  function flush() {
    frame = 0;
    const now = Date.now();
    let matchChanged = false;
    dirty.forEach((id) => {
      const rec = map.get(id);
      if (!rec) return;
      paint(rec, now);
      if (applyMatch(rec)) matchChanged = true;
    });
    dirty.clear();
    if (orderDirty) {
      if (now - lastSort >= RESORT_MS || !order.length) reorder();
      else if (!resortTimer) {
        resortTimer = setTimeout(() => {
          resortTimer = 0;
          schedule();
        }, RESORT_MS - (now - lastSort));
      }
    }
    if (matchChanged) afterFilter();
  }

  const collator = typeof Intl === 'object' && Intl.Collator ? new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }) : null;
  const byText = (x, y) => (collator ? collator.compare(x, y) : x < y ? -1 : x > y ? 1 : 0);

  function compare(a, b) {
    let d = 0;
    if (sort === 'offline') {
      d = a.off - b.off;
      if (!d && !a.off) d = (a.offMs || 0) - (b.offMs || 0);
    } else if (sort === 'incidents') {
      d = b.inc - a.inc;
    } else if (sort === 'slowest') {
      // Working candidates first, least progress first; the rest after.
      d = a.work - b.work;
      if (!d) d = a.frac - b.frac;
    }
    if (!d) d = byText(String(a.r.name || ''), String(b.r.name || ''));
    if (!d) d = byText(String(a.r.regno || ''), String(b.r.regno || ''));
    return d;
  }

  function frac(r) {
    const tot = Number(r.total) || 0;
    return tot ? (Number(r.answered) || 0) / tot : 0;
  }

  /** Put the rows in sort order, moving only the rows out of place. */
  function reorder() {
    orderDirty = false;
    lastSort = Date.now();
    const recs = [];
    map.forEach((rec) => recs.push(rec));
    recs.sort(compare);
    let node = tbody.firstChild;
    for (let i = 0; i < recs.length; i++) {
      const tr = recs[i].tr;
      if (node === tr) {
        node = node.nextSibling;
      } else {
        tbody.insertBefore(tr, node);
      }
    }
    order = recs.map((r) => r.id);
  }

  function tick() {
    const now = Date.now();
    map.forEach((rec) => {
      if (rec.match) live(rec, now);
    });
  }

  /* ---- selection and filters ------------------------------------------- */

  function selectShown(on) {
    map.forEach((rec) => {
      const want = on && rec.match;
      if (rec.selected !== want) {
        rec.selected = want;
        rec.c.box.checked = want;
        rec.tr.classList.toggle('selected', want);
      }
    });
    selectionChanged();
  }

  function selectionChanged() {
    let n = 0;
    let shown = 0;
    let shownSel = 0;
    map.forEach((rec) => {
      if (rec.selected) n++;
      if (rec.match) {
        shown++;
        if (rec.selected) shownSel++;
      }
    });
    if (selectAll) {
      selectAll.checked = shown > 0 && shownSel === shown;
      selectAll.indeterminate = shownSel > 0 && shownSel < shown;
    }
    if (o.onSelection) o.onSelection(n);
  }

  function afterFilter() {
    let shown = 0;
    map.forEach((rec) => {
      if (rec.match) shown++;
    });
    empty.hidden = shown > 0 || map.size === 0;
    if (o.canAct) selectionChanged();
    if (o.onShown) o.onShown(shown, map.size);
  }

  const api = {
    el: el,
    /** Replace every row (the first event and after a resync). */
    snapshot(rows, serverTime) {
      clockFrom(serverTime);
      const keep = new Set();
      for (let i = 0; i < rows.length; i++) keep.add(String(rows[i].id));
      map.forEach((rec, id) => {
        if (!keep.has(id)) {
          if (rec.tr.parentNode) rec.tr.parentNode.removeChild(rec.tr);
          map.delete(id);
        }
      });
      for (let i = 0; i < rows.length; i++) store(rows[i], serverTime);
      lastSort = 0;
      orderDirty = true;
      flush();
      afterFilter();
    },
    /** Changed rows: stored now, painted in the next animation frame. */
    rows(rows, serverTime) {
      clockFrom(serverTime);
      for (let i = 0; i < rows.length; i++) store(rows[i], serverTime);
      schedule();
    },
    setFilter(f) {
      filter.status = f.status || '';
      filter.offline = !!f.offline;
      filter.incidents = !!f.incidents;
      map.forEach(applyMatch);
      tick();
      afterFilter();
    },
    setSort(key) {
      sort = SORTS.indexOf(key) >= 0 ? key : 'name';
      reorder();
    },
    selectedRows() {
      const out = [];
      order.forEach((id) => {
        const rec = map.get(id);
        if (rec && rec.selected) out.push(rec.r);
      });
      return out;
    },
    clearSelection() {
      selectShown(false);
    },
    all() {
      const out = [];
      map.forEach((rec) => out.push(rec.r));
      return out;
    },
    get(id) {
      const rec = map.get(String(id));
      return rec ? rec.r : null;
    },
    /** Scroll a candidate's row into view and mark it for a moment. */
    reveal(id) {
      const rec = map.get(String(id));
      if (!rec || !rec.match) return false;
      rec.tr.scrollIntoView({ block: 'center' });
      rec.tr.classList.add('flash');
      setTimeout(() => rec.tr.classList.remove('flash'), 2000);
      return true;
    },
    size: () => map.size,
    destroy() {
      clearInterval(ticker);
      clearTimeout(resortTimer);
      if (frame) window.cancelAnimationFrame(frame);
      frame = 0;
      clear(tbody);
      map.clear();
    },
  };
  return api;
}

/** Counts per status from rows (when an event carries no counts). */
export function countRows(rows) {
  const c = { registered: rows.length, offline: 0, incidents: 0 };
  STATUSES.forEach((s) => {
    c[s] = 0;
  });
  rows.forEach((r) => {
    c[r.status] = (c[r.status] || 0) + 1;
    if (ACTIVE[r.status] && !r.online) c.offline++;
    c.incidents += Number(r.incidents) || 0;
  });
  return c;
}
