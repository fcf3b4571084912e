// pages/token.js - the sitting token as the proctor reads it out or writes
// it on the board: large monospace characters, a copy button, and when the
// next automatic rotation is due. Shared by the sitting list and the
// dashboard; update(S) keeps the same nodes.

import { h } from '../../admin/dom.js';
import { t } from '../i18n/index.js';
import { hm, ms } from '../format.js';

/** Copy text to the clipboard; resolves true when it worked. Uses the
 *  Clipboard API where the page is a secure context, else a selected
 *  off-screen textarea and execCommand('copy') (plain http on a LAN). */
export function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).then(() => true, () => legacyCopy(text));
  }
  return Promise.resolve(legacyCopy(text));
}

function legacyCopy(text) {
  const area = h('textarea', { class: 'copy-buffer', readonly: 'readonly', 'aria-hidden': 'true' });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  }
  document.body.removeChild(area);
  return ok;
}

/** The rotation line: "Diputar otomatis tiap 30 menit · berikutnya ±10:30" or manual. */
function rotationText(s) {
  const at = ms(s.token_at);
  const since = isNaN(at) ? '' : t('tokenSince', { time: hm(s.token_at) });
  if (!(Number(s.rotate_min) > 0)) return [t('tokenManual'), since].filter(Boolean).join(' · ');
  const next = isNaN(at) ? '' : t('tokenNext', { time: hm(new Date(at + Number(s.rotate_min) * 60000)) });
  return [t('tokenAuto', { n: s.rotate_min }), since, next].filter(Boolean).join(' · ');
}

/** The token block of sitting S, or null when S has no token (observers). */
export function tokenBox(s, idSuffix) {
  const value = h('span', { class: 'token-value', id: 'token-' + idSuffix, 'aria-hidden': 'true' });
  const spelled = h('span', { class: 'visually-hidden' }); // read letter by letter
  const rot = h('span', { class: 'token-rotation' });
  const said = h('span', { class: 'token-copied', role: 'status' });
  const copy = h('button', { type: 'button', class: 'button small token-copy', dataset: { copy: idSuffix } }, t('tokenCopy'));
  copy.addEventListener('click', () => {
    copyText(value.textContent).then((ok) => {
      said.textContent = ok ? t('tokenCopied') : t('tokenCopyFailed');
      setTimeout(() => {
        said.textContent = '';
      }, 3000);
    });
  });
  const el = h('div', { class: 'token-box' },
    h('span', { class: 'token-label' }, t('tokenLabel')),
    h('span', { class: 'token-line' }, value, spelled, copy, said),
    rot);
  function update(s2) {
    el.hidden = !s2.token;
    value.textContent = s2.token || '';
    spelled.textContent = t('tokenSpelled', { token: String(s2.token || '').split('').join(' ') });
    rot.textContent = rotationText(s2);
  }
  update(s);
  return { el: el, update: update };
}
