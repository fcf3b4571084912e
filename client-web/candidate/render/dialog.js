// render/dialog.js - modal dialogs (role="dialog", aria-modal) without the
// <dialog> element (older Firefox on venue PCs lacks it). While one is open
// the rest of the page is hidden from assistive technology and made inert,
// Tab cycles inside the dialog, Esc closes it, Enter (outside a button)
// confirms it, and focus returns to where it was when the dialog closes.

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

let open = null; // {el, opener, onClose, onConfirm, background}

function visible(el) {
  return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
}

function focusables(el) {
  return Array.prototype.filter.call(el.querySelectorAll(FOCUSABLE), visible);
}

function onKeydown(ev) {
  if (!open) return;
  if (ev.key === 'Escape' || ev.key === 'Esc') {
    ev.preventDefault();
    ev.stopPropagation();
    closeDialog();
    return;
  }
  if (ev.key === 'Enter' && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
    const tag = ev.target && ev.target.tagName;
    if (tag === 'BUTTON' || tag === 'A' || tag === 'TEXTAREA') return; // native activation
    ev.preventDefault();
    ev.stopPropagation();
    if (open.onConfirm) open.onConfirm();
    else closeDialog();
    return;
  }
  if (ev.key === 'Tab') {
    const list = focusables(open.el);
    if (list.length === 0) {
      ev.preventDefault();
      return;
    }
    const first = list[0];
    const last = list[list.length - 1];
    const active = document.activeElement;
    const inside = open.el.contains(active);
    if (ev.shiftKey && (active === first || !inside || active === open.el.querySelector('.dialog-box'))) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && (active === last || !inside)) {
      ev.preventDefault();
      first.focus();
    }
  }
}

function onFocusIn(ev) {
  if (open && !open.el.contains(ev.target)) {
    const box = open.el.querySelector('.dialog-box') || open.el;
    box.focus();
  }
}

/**
 * Open el (a [role=dialog] element, hidden). opts: background (element to
 * make inert), initialFocus, onConfirm (Enter), onClose (after closing).
 */
export function openDialog(el, opts) {
  if (open) closeDialog({ restoreFocus: false });
  const o = opts || {};
  open = {
    el: el,
    opener: document.activeElement,
    onClose: o.onClose || null,
    onConfirm: o.onConfirm || null,
    background: o.background || null,
  };
  if (open.background) {
    open.background.setAttribute('aria-hidden', 'true');
    if ('inert' in HTMLElement.prototype) open.background.inert = true;
  }
  el.hidden = false;
  document.documentElement.classList.add('dialog-open');
  document.addEventListener('keydown', onKeydown, true);
  document.addEventListener('focusin', onFocusIn, true);
  const target = o.initialFocus || el.querySelector('.dialog-box') || el;
  target.focus();
}

export function closeDialog(opts) {
  if (!open) return;
  const o = open;
  open = null;
  document.removeEventListener('keydown', onKeydown, true);
  document.removeEventListener('focusin', onFocusIn, true);
  o.el.hidden = true;
  document.documentElement.classList.remove('dialog-open');
  if (o.background) {
    o.background.removeAttribute('aria-hidden');
    if ('inert' in HTMLElement.prototype) o.background.inert = false;
  }
  const restore = !opts || opts.restoreFocus !== false;
  if (restore && o.opener && o.opener.focus && document.contains(o.opener) && visible(o.opener)) o.opener.focus();
  if (o.onClose) o.onClose(restore && (!o.opener || !document.contains(o.opener) || !visible(o.opener)));
}

export function dialogOpen() {
  return open ? open.el : null;
}
