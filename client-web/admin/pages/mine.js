// pages/mine.js - #/saya: my account: change password, my sessions, and
// "keluar dari semua perangkat" (ends every session of this account, this one
// too).

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, dateTime, label } from '../i18n/index.js';
import { table, message, field, button } from './common.js';

const MIN_PASSWORD = 12;

export async function render(ctx, root) {
  ctx.title(t('mineTitle'));
  root.appendChild(h('div', { class: 'panel' },
    h('dl', { class: 'facts' },
      h('dt', null, t('colUsername')), h('dd', null, ctx.me.username),
      h('dt', null, t('colName')), h('dd', null, ctx.me.name || ''),
      h('dt', null, t('colRoles')), h('dd', null, (ctx.me.roles || []).map((r) => label('role_', r)).join(', ')),
      h('dt', null, t('colScope')), h('dd', null, ctx.me.exams && ctx.me.exams.length ? ctx.me.exams.join(', ') : t('scopeAll')))));
  root.appendChild(passwordPanel(ctx));
  const sessions = h('div', { id: 'sessions' });
  const out = h('div', { id: 'logout-all-result', tabindex: '-1' });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
    h('h2', { class: 'panel-title', id: 'sessions-title' }, t('sessionsTitle')),
    sessions,
    h('div', { class: 'toolbar' }, button(t('logoutAll'), async () => {
      const r = await ctx.confirm({ title: t('logoutAllTitle'), body: h('p', null, t('logoutAllText')), confirm: t('logoutAll'), danger: true, action: () => api.logoutAll().catch((e) => {
        // A 401 means this session is already gone: what was asked for.
        if (e.status === 401) return {};
        throw e;
      }) });
      if (r === null) return;
      // This session ended too: back to the login form, which says so.
      ctx.signedOut('loggedOutAll');
    }, { kind: 'danger', data: { action: 'logout-all' } })),
    out));
  try {
    const d = await api.sessions();
    if (!ctx.alive()) return;
    const list = d.sessions || [];
    fill(sessions, table([{ label: t('colSession') }, { label: t('colCreated') }, { label: t('colLastSeen') }, { label: t('colPeer') }],
      list.map((s) => [s.current ? [s.id + ' ', h('span', { class: 'badge' }, t('thisDevice'))] : s.id, dateTime(s.created_at), dateTime(s.last_seen_at), s.peer || '']),
      { caption: t('sessionsTitle'), captionHidden: true, id: 'sessions-table', stack: true }));
  } catch (e) {
    if (ctx.alive()) fill(sessions, message(errorText(e), 'error'));
  }
}

function passwordPanel(ctx) {
  const oldPw = h('input', { type: 'password', autocomplete: 'current-password' });
  const newPw = h('input', { type: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD) });
  const again = h('input', { type: 'password', autocomplete: 'new-password' });
  const out = h('div', { id: 'password-result', tabindex: '-1' });
  const form = h('form', { class: 'form', novalidate: true },
    field('pw-old', t('pwOld'), oldPw),
    field('pw-new', t('pwNew'), newPw, t('pwNewHint', { n: MIN_PASSWORD })),
    field('pw-again', t('pwAgain'), again),
    button(t('pwChange'), null, { submit: true, kind: 'primary', data: { action: 'change-password' } }),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const say = (text, kind) => {
      fill(out, message(text, kind));
    };
    if (!oldPw.value) return say(t('pwOldMissing'), 'error');
    if (newPw.value.length < MIN_PASSWORD) return say(t('pwTooShort', { n: MIN_PASSWORD }), 'error');
    if (newPw.value !== again.value) return say(t('pwMismatch'), 'error');
    try {
      await api.changePassword(oldPw.value, newPw.value);
      if (!ctx.alive()) return;
      form.reset();
      // The server may end this account's sessions on a password change,
      // this one included: then the login form says so.
      try {
        await api.me();
      } catch (e) {
        if (e.status === 401) {
          ctx.signedOut('pwChangedLogin');
          return;
        }
      }
      say(t('pwChanged'), 'ok');
    } catch (e) {
      if (!ctx.alive()) return;
      const details = (e.errors || []).map((x) => x.message).join(' ');
      say(e.code === 'invalid_credentials' ? t('pwOldWrong') : errorText(e) + (details ? ' ' + details : ''), 'error');
    }
    return undefined;
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'pw-title' },
    h('h2', { class: 'panel-title', id: 'pw-title' }, t('pwTitle')), form);
}
