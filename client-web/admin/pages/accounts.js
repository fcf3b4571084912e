// pages/accounts.js - #/akun (admin): staff accounts: list, add (the
// generated password shown once), edit name, roles and exam scope, disable or
// enable, reset the password (shown once; the account's sessions end).

import { h, fill, newId } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, dateTime, label } from '../i18n/index.js';
import { table, message, secretBox, field, button } from './common.js';

const ROLES = ['admin', 'author', 'proctor', 'committee', 'observer'];
const USERNAME = /^[a-z0-9._-]{3,32}$/;

export async function render(ctx, root) {
  ctx.title(t('accountsTitle'));
  const status = root.appendChild(message(t('loading')));
  const got = await Promise.all([api.accounts(), api.exams().catch(() => ({ exams: [] }))]);
  if (!ctx.alive()) return;
  root.removeChild(status);
  const st = { list: got[0].accounts || [], exams: (got[1].exams || []).map((e) => e.code) };

  const actions = h('div', { id: 'action-panel', class: 'action-panel', tabindex: '-1' });
  const holder = h('div', { id: 'accounts-holder' });
  root.appendChild(actions);
  root.appendChild(addPanel(ctx, st, show, reload));
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'accounts-list-title' },
    h('h2', { class: 'panel-title', id: 'accounts-list-title' }, t('accountsList')), holder));
  draw();

  function show(node) {
    fill(actions, node);
    actions.focus();
  }

  async function reload() {
    try {
      const d = await api.accounts();
      if (!ctx.alive()) return;
      st.list = d.accounts || [];
      draw();
    } catch (e) {
      if (ctx.alive()) show(message(errorText(e), 'error'));
    }
  }

  function draw() {
    const cols = [{ label: t('colUsername') }, { label: t('colName') }, { label: t('colRoles') }, { label: t('colScope') },
      { label: t('colState') }, { label: t('colLastLogin') }, { label: t('colActions') }];
    const rows = st.list.map((a) => [
      a.username,
      a.name || '',
      (a.roles || []).map((r) => label('role_', r)).join(', '),
      a.exams && a.exams.length ? a.exams.join(', ') : t('scopeAll'),
      a.disabled ? h('span', { class: 'badge warn' }, t('stateDisabled')) : t('stateActive'),
      a.last_login_at ? dateTime(a.last_login_at) : '—',
      h('div', { class: 'row-actions' },
        button(t('edit'), () => edit(a), { kind: 'small', aria: t('editOf', { user: a.username }), data: { action: 'edit' } }),
        a.username === ctx.me.username ? null
          : button(a.disabled ? t('enable') : t('disable'), () => toggle(a), { kind: 'small', aria: (a.disabled ? t('enable') : t('disable')) + ' ' + a.username, data: { action: a.disabled ? 'enable' : 'disable' } }),
        button(t('resetPassword'), () => resetPassword(a), { kind: 'small', aria: t('resetPasswordOf', { name: a.username }), data: { action: 'reset' } })),
    ]);
    fill(holder, table(cols, rows, { caption: t('accountsList'), captionHidden: true, id: 'accounts-table', stack: true, empty: t('accountsEmpty'), rowAttrs: (i) => ({ dataset: { user: st.list[i].username } }) }));
  }

  async function edit(a) {
    const name = h('input', { type: 'text', value: a.name || '', autocomplete: 'off' });
    const roles = roleChoice(a.roles || []);
    const exams = examChoice(st.exams, a.exams || []);
    const body = h('div', { class: 'form' }, field('edit-name', t('colName'), name), roles.el, exams.el);
    const r = await ctx.confirm({
      title: t('editTitle', { user: a.username }),
      body: body,
      confirm: t('save'),
      action: () => {
        const chosen = roles.value();
        if (!chosen.length) return Promise.reject({ kind: 'http', code: 'roles_missing' });
        return api.updateAccount(a.username, { name: name.value.trim(), roles: chosen, exams: exams.value() });
      },
    });
    if (!r || !ctx.alive()) return;
    show(message(t('accountSaved', { user: a.username }), 'ok'));
    reload();
  }

  async function toggle(a) {
    const r = await ctx.confirm({
      title: a.disabled ? t('enableTitle', { user: a.username }) : t('disableTitle', { user: a.username }),
      body: h('p', null, a.disabled ? t('enableText') : t('disableText')),
      confirm: a.disabled ? t('enable') : t('disable'),
      danger: !a.disabled,
      action: () => api.updateAccount(a.username, { disabled: !a.disabled }),
    });
    if (!r || !ctx.alive()) return;
    show(message(t(a.disabled ? 'accountEnabled' : 'accountDisabled', { user: a.username }), 'ok'));
    reload();
  }

  async function resetPassword(a) {
    const r = await ctx.confirm({
      title: t('resetPasswordTitle'),
      body: h('p', null, t('resetStaffText', { user: a.username })),
      confirm: t('resetPasswordConfirm'),
      danger: true,
      action: () => api.resetAccountPassword(a.username),
    });
    if (!r || !ctx.alive()) return;
    show(secretBox(t('newStaffPassword'), [[t('colUsername'), a.username], [t('colPassword'), r.password, true]]));
  }
}

/** Role checkboxes in a fieldset; value() → the checked roles. */
function roleChoice(checked) {
  const boxes = ROLES.map((r) => h('input', { type: 'checkbox', value: r, checked: checked.indexOf(r) >= 0, id: newId('role-' + r) }));
  const el = h('fieldset', { class: 'choice' }, h('legend', null, t('colRoles')),
    h('div', { class: 'checks' }, boxes.map((b, i) => h('label', { class: 'check', title: label('roleHint_', ROLES[i]) }, b, ' ', label('role_', ROLES[i])))));
  return { el: el, value: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

/** Exam-scope checkboxes (none checked = every exam, for roles not scoped). */
function examChoice(all, checked) {
  const codes = all.slice();
  checked.forEach((c) => {
    if (codes.indexOf(c) < 0) codes.push(c);
  });
  const boxes = codes.map((c) => h('input', { type: 'checkbox', value: c, checked: checked.indexOf(c) >= 0, id: newId('scope') }));
  const el = h('fieldset', { class: 'choice' }, h('legend', null, t('colScope')),
    h('p', { class: 'field-hint' }, t('scopeHint')),
    codes.length ? h('div', { class: 'checks' }, boxes.map((b, i) => h('label', { class: 'check' }, b, ' ', codes[i]))) : h('p', null, t('examsEmpty')));
  return { el: el, value: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

function addPanel(ctx, st, show, reload) {
  const username = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', required: true });
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const roles = roleChoice(['proctor']);
  const exams = examChoice(st.exams, []);
  const err = h('p', { class: 'form-error', role: 'alert', id: 'add-error' });
  const form = h('form', { class: 'form add-form', novalidate: true },
    h('div', { class: 'form-row' },
      field('add-username', t('colUsername'), username, t('usernameHint')),
      field('add-name', t('colName'), name)),
    roles.el, exams.el, err,
    button(t('addAccount'), null, { submit: true, kind: 'primary', data: { action: 'add' } }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    const u = username.value.trim();
    if (!USERNAME.test(u)) {
      err.textContent = t('usernameInvalid');
      username.focus();
      return;
    }
    const chosen = roles.value();
    if (!chosen.length) {
      err.textContent = t('err_roles_missing');
      return;
    }
    try {
      const r = await api.addAccount({ username: u, name: name.value.trim(), roles: chosen, exams: exams.value() });
      if (!ctx.alive()) return;
      form.reset();
      show(secretBox(t('newStaffAccount'), [[t('colUsername'), r.username || u], [t('colPassword'), r.password, true]]));
      reload();
    } catch (e) {
      if (!ctx.alive()) return;
      const details = (e.errors || []).map((x) => (x.field ? x.field + ': ' : '') + x.message).join(' ');
      err.textContent = errorText(e) + (details ? ' ' + details : '');
    }
  });
  return h('details', { class: 'panel add-panel' },
    h('summary', { class: 'panel-title' }, t('addAccountTitle')), form);
}
