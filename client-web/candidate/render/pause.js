// render/pause.js - the full-screen "Dijeda oleh pengawas" overlay shown while
// a proctor has paused the attempt (#pause-overlay, outside #app). It is an
// alertdialog without buttons: the page behind is inert and hidden from
// assistive technology, focus stays on the overlay (Tab and clicks cannot
// reach the options), and no key closes it; the next control poll after the
// proctor resumes removes it and focus returns to where it was.

import { t } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

let shown = null; // {reason, time, opener, background}

function onFocusIn(ev) {
  if (shown && !$('pause-overlay').contains(ev.target)) $('pause-box').focus();
}

// Nothing in the overlay takes focus but its box: Tab stays there.
function onKeydown(ev) {
  if (shown && ev.key === 'Tab') {
    ev.preventDefault();
    $('pause-box').focus();
  }
}

function visible(el) {
  return !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
}

function draw() {
  if (!shown) return;
  $('pause-reason').hidden = !shown.reason;
  $('pause-reason-text').textContent = shown.reason;
  $('pause-time').textContent = t('pauseTime', { time: shown.time });
}

/**
 * Show the overlay (or update its reason and time). background: the element
 * made inert (#app).
 */
export function showPause(reason, time, background) {
  if (shown) {
    const changed = shown.reason !== reason;
    shown.reason = reason;
    shown.time = time;
    draw();
    if (changed) $('pause-box').focus(); // read the new reason out
    return;
  }
  shown = { reason: reason, time: time, opener: document.activeElement, background: background };
  if (background) {
    background.setAttribute('aria-hidden', 'true');
    if ('inert' in HTMLElement.prototype) background.inert = true;
  }
  draw();
  $('pause-overlay').hidden = false;
  document.documentElement.classList.add('paused');
  document.addEventListener('focusin', onFocusIn, true);
  document.addEventListener('keydown', onKeydown, true);
  $('pause-box').focus();
}

/** Update the frozen time shown (called every tick while paused). */
export function pauseTime(time) {
  if (!shown || shown.time === time) return;
  shown.time = time;
  draw();
}

/** Remove the overlay. fallback(): where focus goes when the element that had
 *  it before the pause is gone (unless opts.restoreFocus is false). */
export function hidePause(opts, fallback) {
  if (!shown) return;
  const s = shown;
  shown = null;
  document.removeEventListener('focusin', onFocusIn, true);
  document.removeEventListener('keydown', onKeydown, true);
  $('pause-overlay').hidden = true;
  document.documentElement.classList.remove('paused');
  if (s.background) {
    s.background.removeAttribute('aria-hidden');
    if ('inert' in HTMLElement.prototype) s.background.inert = false;
  }
  if (opts && opts.restoreFocus === false) return;
  if (s.opener && s.opener !== document.body && document.contains(s.opener) && visible(s.opener)) s.opener.focus();
  else if (fallback) fallback();
}

export function pauseShown() {
  return !!shown;
}

export function relabelPause() {
  draw();
}
