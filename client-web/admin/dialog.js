// dialog.js - one modal confirmation dialog (role="dialog", aria-modal;
// no <dialog> element, which older venue browsers lack). While it is open the
// rest of the page is hidden from assistive technology and inert, Tab stays
// inside, Esc cancels, and focus returns to the button that opened it.
// The confirm button runs an async action; a refusal is shown inside the
// dialog (and the dialog stays open) so the user can read it.

import { fill } from './dom.js';
import { t, errorText } from './i18n/index.js';

const $ = (id) => document.getElementById(id);
const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled])';
const BACKGROUND = ['skip-link', 'topbar', 'layout'];

let open = null; // {opener, resolve, action, busy}

function visible(el) {
  return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
}

function onKeydown(ev) {
  if (!open) return;
  if (ev.key === 'Escape' || ev.key === 'Esc') {
    ev.preventDefault();
    finish(null);
    return;
  }
  if (ev.key === 'Tab') {
    const list = Array.prototype.filter.call($('dialog').querySelectorAll(FOCUSABLE), visible);
    if (!list.length) return;
    const first = list[0];
    const last = list[list.length - 1];
    const active = document.activeElement;
    if (ev.shiftKey && (active === first || !$('dialog').contains(active) || active.classList.contains('dialog-box'))) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && (active === last || !$('dialog').contains(active))) {
      ev.preventDefault();
      first.focus();
    }
  }
}

function setBackground(hidden) {
  for (let i = 0; i < BACKGROUND.length; i++) {
    const el = $(BACKGROUND[i]);
    if (hidden) el.setAttribute('aria-hidden', 'true');
    else el.removeAttribute('aria-hidden');
    if ('inert' in HTMLElement.prototype) el.inert = hidden;
  }
}

function finish(value) {
  if (!open || open.busy) return;
  const o = open;
  open = null;
  document.removeEventListener('keydown', onKeydown, true);
  $('dialog').hidden = true;
  setBackground(false);
  if (o.opener && o.opener.focus && document.contains(o.opener) && visible(o.opener)) o.opener.focus();
  o.resolve(value);
}

async function confirmClicked() {
  if (!open || open.busy) return;
  const o = open;
  o.busy = true;
  $('dialog-confirm').disabled = true;
  $('dialog-error').textContent = '';
  let result;
  try {
    result = o.action ? await o.action() : true;
  } catch (e) {
    o.busy = false;
    $('dialog-confirm').disabled = false;
    $('dialog-error').textContent = errorText(e);
    return;
  }
  o.busy = false;
  $('dialog-confirm').disabled = false;
  finish(result === undefined ? true : result);
}

let wired = false;

/**
 * Ask for confirmation. opts: title, body (nodes or text), confirm (button
 * label), danger (red button), action (async; its result resolves the
 * promise; a throw is shown and the dialog stays). Resolves null on cancel.
 */
export function confirmDialog(opts) {
  if (!wired) {
    wired = true;
    $('dialog-cancel').addEventListener('click', () => finish(null));
    $('dialog-confirm').addEventListener('click', confirmClicked);
  }
  if (open) finish(null);
  return new Promise((resolve) => {
    open = { opener: document.activeElement, resolve: resolve, action: opts.action || null, busy: false };
    $('dialog-title').textContent = opts.title;
    fill($('dialog-body'), opts.body || '');
    $('dialog-error').textContent = '';
    $('dialog-confirm').textContent = opts.confirm || t('ok');
    $('dialog-confirm').className = 'button ' + (opts.danger ? 'danger' : 'primary');
    $('dialog-cancel').textContent = t('cancel');
    $('dialog-cancel').hidden = !!opts.noCancel;
    $('dialog').hidden = false;
    setBackground(true);
    document.addEventListener('keydown', onKeydown, true);
    (opts.focus || (opts.noCancel ? $('dialog-confirm') : $('dialog-cancel'))).focus();
  });
}
