// render/chrome.js - the parts around the screens: the notice area
// (#notice, role="alert"), the polite live region, the connection indicator
// and the time warning. Each remembers what it shows so relabel() can redraw
// it in another language.

import { t, errorText } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

// Higher wins: a connection hiccup must not hide "signed in elsewhere".
const PRIORITY = { offline: 1, rejected: 2, timeup: 3, closed: 4, replaced: 5 };

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
  let text;
  switch (notice.kind) {
    case 'offline':
      text = t('noticeOffline');
      break;
    case 'replaced':
      text = t('noticeReplaced');
      break;
    case 'closed':
      text = t('noticeClosed');
      break;
    case 'timeup':
      text = t('timeUp');
      break;
    case 'rejected':
      text = t('noticeRejected', { n: v.n, reason: errorText(v.err) });
      break;
    default:
      text = '';
  }
  box.setAttribute('data-kind', notice.kind);
  $('notice-text').textContent = text;
  $('relogin-button').hidden = notice.kind !== 'replaced';
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
  kind: () => (notice ? notice.kind : null),
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
  const el = $('connection');
  el.setAttribute('data-online', ok ? 'true' : 'false');
  $('connection-text').textContent = ok ? t('online') : t('offline');
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
