// render/messages.js - the proctor's messages (`notices` of the control poll)
// as banners above the exam, one per notice id, each closed by the
// candidate. Closed ids are remembered in localStorage per exam and
// registration number (KEYS.dismissed), so a reload or the next poll never
// brings a closed message back. The box (#messages) is a polite live region:
// a new banner is read out once, without interrupting.
//
// The same box carries one local note: "leaving the exam page is recorded",
// shown at the start of an attempt when the candidate has not seen it on the
// ready or waiting screen in this browser.

import { t, locale } from '../i18n/index.js';
import { getJson, setJson, KEYS } from '../storage.js';

const $ = (id) => document.getElementById(id);
const KEEP_DISMISSED = 200; // ids remembered per candidate (newest kept)

let storageKey = null;
let shown = []; // [{id, at, text}] oldest first (shown newest first), not dismissed
let note = false; // the local activity note is shown
let onEmpty = null; // focus target when the focused banner goes away

function dismissed() {
  const v = storageKey ? getJson(storageKey) : null;
  return Array.isArray(v) ? v : [];
}

function remember(id) {
  if (!storageKey) return;
  const list = dismissed().filter((x) => x !== id);
  list.push(id);
  setJson(storageKey, list.slice(-KEEP_DISMISSED));
}

function timeOf(at) {
  const d = new Date(at);
  if (typeof at !== 'string' || isNaN(d.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(d);
  } catch (e) {
    return '';
  }
}

function banner(id, head, text, closeLabel, kind) {
  const box = document.createElement('div');
  box.className = 'proctor-message';
  box.setAttribute('data-id', String(id));
  if (kind) box.setAttribute('data-kind', kind);
  const p = document.createElement('p');
  p.className = 'proctor-message-text';
  const h = document.createElement('strong');
  h.className = 'proctor-message-head';
  h.textContent = head;
  p.appendChild(h);
  p.appendChild(document.createTextNode(' ' + text));
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button small';
  b.textContent = t('close');
  b.setAttribute('aria-label', closeLabel);
  b.addEventListener('click', () => dismiss(id, b));
  box.appendChild(p);
  box.appendChild(b);
  return box;
}

function headOf(m) {
  const time = timeOf(m.at);
  return time ? t('messageHeadAt', { time: time }) : t('messageHead');
}

// Adds banners for new ids, removes those no longer shown; banners already
// on screen are left alone so the live region reads only the new ones.
function draw(full) {
  const box = $('messages');
  if (full) box.textContent = '';
  const want = {};
  if (note) want.activity = true;
  for (let i = 0; i < shown.length; i++) want[shown[i].id] = true;
  const nodes = Array.prototype.slice.call(box.children);
  const have = {};
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i].getAttribute('data-id');
    if (!want[id]) box.removeChild(nodes[i]);
    else have[id] = true;
  }
  if (note && !have.activity) box.insertBefore(banner('activity', t('activityNoteHead'), t('activityNote'), t('activityNoteClose'), 'info'), box.firstChild);
  // Newest on top (ids grow with time): when several do not fit, the old
  // ones are what scrolls out of sight.
  for (let i = 0; i < shown.length; i++) {
    const m = shown[i];
    if (have[m.id]) continue;
    const head = headOf(m);
    const first = box.firstChild && box.firstChild.getAttribute('data-id') === 'activity' ? box.firstChild.nextSibling : box.firstChild;
    box.insertBefore(banner(m.id, head + ':', m.text, t('messageClose', { head: head })), first);
  }
  box.hidden = box.children.length === 0;
}

function dismiss(id, button) {
  const hadFocus = document.activeElement === button;
  if (id === 'activity') note = false;
  else {
    remember(id);
    shown = shown.filter((m) => m.id !== id);
  }
  draw(false);
  if (!hadFocus) return;
  const next = $('messages').querySelector('button');
  if (next) next.focus();
  else if (onEmpty) onEmpty();
}

/** A new candidate (or none): forget what is on screen. focusAfter(): where
 *  focus goes when the last banner it was on is closed. */
export function bindMessages(session, focusAfter) {
  storageKey = session ? KEYS.dismissed(session.exam, session.regno) : null;
  shown = [];
  note = false;
  onEmpty = focusAfter || null;
  draw(true);
}

/** The `notices` list of a poll: [{id, at, text}]. */
export function updateMessages(list) {
  if (!Array.isArray(list)) return;
  const gone = {};
  const d = dismissed();
  for (let i = 0; i < d.length; i++) gone[d[i]] = true;
  const next = [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (!m || typeof m !== 'object' || !Number.isInteger(m.id) || typeof m.text !== 'string' || gone[m.id]) continue;
    if (next.some((x) => x.id === m.id)) continue;
    next.push({ id: m.id, at: m.at, text: m.text });
  }
  next.sort((a, b) => a.id - b.id);
  shown = next;
  draw(false);
}

/** Show the "leaving the page is recorded" note (once; the caller decides). */
export function showActivityNote() {
  note = true;
  draw(false);
}

/** Hide everything (the exam screen is gone); closed ids stay remembered. */
export function clearMessages() {
  shown = [];
  note = false;
  draw(true);
}

export function relabelMessages() {
  draw(true);
}
