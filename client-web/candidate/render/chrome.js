// render/chrome.js - the parts around the screens: the notice area
// (#notice, role="alert"), the polite live region, the connection indicator
// and the time warning. Each remembers what it shows so relabel() can redraw
// it in another language.

import { t, errorText } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

// Higher wins: a connection hiccup must not hide "your exam is over". (A
// login elsewhere is a screen of its own, app.js showReplaced.)
const PRIORITY = { offline: 1, rejected: 2, timeup: 3, closed: 4 };
// The text of each kind but "rejected", which names the question and the reason.
const TEXT_KEY = { offline: 'noticeOffline', timeup: 'timeUp', closed: 'noticeClosed' };

let notice = null; // {kind, vars}
let warning = null; // i18n key of the time warning shown
let online = true;

function drawNotice() {
  const box = $('notice');
  if (!notice) {
    box.hidden = true;
    $('notice-text').textContent = '';
    box.removeAttribute('data-kind');
    return;
  }
  const v = notice.vars || {};
  const text = notice.kind === 'rejected'
    ? t('noticeRejected', { n: v.n, reason: errorText(v.err) })
    : t(TEXT_KEY[notice.kind]);
  box.setAttribute('data-kind', notice.kind);
  $('notice-text').textContent = text;
  $('notice-dismiss').hidden = !(notice.kind === 'rejected' || notice.kind === 'closed');
  box.hidden = false;
}

export const noticeArea = {
  show(kind, vars) {
    if (notice && notice.kind !== kind && PRIORITY[notice.kind] > PRIORITY[kind]) return;
    notice = { kind: kind, vars: vars || null };
    drawNotice();
  },
  hide(kind) {
    if (!kind || (notice && notice.kind === kind)) {
      notice = null;
      drawNotice();
    }
  },
};

let announceTimer = null;
/** Say text through the polite live region (re-announces repeated text). */
export function announce(text) {
  const el = $('live-polite');
  clearTimeout(announceTimer);
  el.textContent = '';
  announceTimer = setTimeout(() => {
    el.textContent = text;
  }, 60);
}

export function setConnection(ok) {
  online = ok;
  const text = ok ? t('online') : t('offline');
  $('connection').setAttribute('data-online', ok ? 'true' : 'false');
  $('connection-text').textContent = text;
  $('mini-connection').setAttribute('data-online', ok ? 'true' : 'false');
  $('mini-connection-text').textContent = text;
}

/** Show the countdown text (and whether time is short) in the header and in
 *  the mini bar that replaces it on narrow screens once scrolled away. */
export function showCountdown(text, remainingMs, low) {
  const el = $('countdown');
  const mini = $('mini-countdown');
  el.setAttribute('data-remaining-ms', String(remainingMs));
  // Called every tick (250 ms); the text changes once a second.
  if (el.textContent !== text) {
    el.textContent = text;
    mini.textContent = text;
  }
  el.classList.toggle('low', low);
  mini.classList.toggle('low', low);
}

// The mini bar is at most this many rem tall (candidate.css keeps the same
// figure as scroll-padding-top so focused headings land below it).
const MINI_BAR_REM = 3.25;

/** Mark the page (class "topbar-away" on <html>) while less of the header
 *  than the mini bar's height is in view; the stylesheet then shows the mini
 *  bar on narrow exam screens. Checked once per frame on scroll and resize. */
export function watchTopbar() {
  const root = document.documentElement;
  let queued = false;
  const check = () => {
    queued = false;
    const rem = parseFloat(getComputedStyle(root).fontSize) || 16;
    const bottom = $('topbar').getBoundingClientRect().bottom;
    root.classList.toggle('topbar-away', bottom < MINI_BAR_REM * rem);
  };
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(check);
  };
  window.addEventListener('scroll', later, { passive: true });
  window.addEventListener('resize', later);
  later();
}

export function showTimeWarning(key) {
  warning = key;
  const box = $('time-warning');
  box.hidden = false;
  $('time-warning-text').textContent = '';
  // Set the text after the box is shown so screen readers announce it.
  setTimeout(() => {
    if (warning === key) $('time-warning-text').textContent = t(key);
  }, 30);
}

export function hideTimeWarning() {
  warning = null;
  $('time-warning').hidden = true;
  $('time-warning-text').textContent = '';
}

export function relabelChrome() {
  drawNotice();
  setConnection(online);
  if (warning) $('time-warning-text').textContent = t(warning);
}
