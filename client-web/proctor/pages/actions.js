// pages/actions.js - the proctor's actions on a sitting (POST
// /api/v1/staff/sittings/ID/actions): the action bar, one dialog per action
// (../admin/dialog.js) asking for the target (the selected candidates or the
// whole sitting), the action's own fields and the reason (required, at most
// 500 characters), and the outcome (done / skipped with the server's
// reasons; re-issued passwords shown once, printable). Observers never get
// this module's controls.

import { h, fill } from '../../admin/dom.js';
import { t, errorText } from '../i18n/index.js';
import { api } from '../api.js';
import { ACTIVE, localInput, ms } from '../format.js';

export const REASON_MAX = 500;
const SHOWN_NAMES = 12;

// target: 'pick' (selected or the whole sitting), 'selected' (selected
// only), 'credit' (selected, or those offline in the window), 'none'
// (the sitting itself). extra: the action's own fields.
const ACTIONS = [
  { a: 'extend', target: 'pick', extra: 'minutes' },
  { a: 'pause', target: 'pick' },
  { a: 'resume', target: 'pick' },
  { a: 'reset_login', target: 'selected' },
  { a: 'unlock', target: 'selected' },
  { a: 'password', target: 'selected' },
  { a: 'message', target: 'pick', extra: 'text' },
  { a: 'credit', target: 'credit', extra: 'window' },
  { a: 'finish', target: 'pick', danger: true },
  { a: 'disqualify', target: 'selected', danger: true, extra: 'typed' },
];
const SITTING_ACTIONS = [
  { a: 'start', target: 'none' },
  { a: 'token', target: 'none' },
  { a: 'close', target: 'none', danger: true },
];

/** A refusal found before sending: shown inside the dialog (errorText of {code}). */
function invalid(code, el) {
  if (el && el.focus) el.focus();
  return { code: code };
}

/**
 * The action bar. ctx: the page context; sid: the sitting id; roster: see
 * roster.js; getSitting(): the sitting object S; hooks.token(t): the token
 * the server returned after a rotation. Returns {el, setSelected(n),
 * setSitting(S), sittingEl (the sitting's actions, for the page head),
 * result (where outcomes are shown)}.
 */
export function createActions(ctx, sid, roster, getSitting, hooks) {
  const count = h('span', { class: 'sel-count', id: 'sel-count', role: 'status' }, t('selectedNone'));
  const clearSel = h('button', { type: 'button', class: 'button small', id: 'sel-clear', hidden: true, on: { click: () => roster.clearSelection() } }, t('selectClear'));
  const buttons = {};
  const mk = (def) => {
    const b = h('button', { type: 'button', class: 'button small' + (def.danger ? ' danger-outline' : ''), dataset: { action: def.a }, on: { click: () => open(def, b) } }, t('act_' + def.a));
    buttons[def.a] = b;
    return b;
  };
  const closedNote = h('p', { class: 'message', id: 'closed-note', hidden: true, dataset: { state: 'info' } }, t('err_sitting_closed'));
  const result = h('div', { id: 'action-result', class: 'action-result', tabindex: '-1' });
  const el = h('section', { class: 'action-bar panel no-print', id: 'action-bar', 'aria-label': t('actionsLabel') },
    h('div', { class: 'action-row' },
      h('div', { class: 'action-group', role: 'group', 'aria-label': t('actionsCandidates') }, ACTIONS.map(mk))),
    closedNote);
  // The selection count and "clear" sit with the filters, above the table.
  const selBox = h('div', { class: 'sel-box' }, count, clearSel);
  // The sitting's own actions sit in the page head, beside the token.
  const sittingEl = h('div', { class: 'action-group sitting-group no-print', id: 'sitting-actions', role: 'group', 'aria-label': t('actionsSitting') }, SITTING_ACTIONS.map(mk));
  let selected = 0;

  function refresh() {
    const s = getSitting() || {};
    const closed = !!s.closed_at;
    closedNote.hidden = !closed;
    ACTIONS.concat(SITTING_ACTIONS).forEach((def) => {
      const b = buttons[def.a];
      let off = closed;
      if (def.target === 'selected' && !selected) off = true;
      b.disabled = off;
    });
    buttons.start.hidden = !s.start_together || !!s.started_at;
  }

  /* ---- the dialog ------------------------------------------------------- */

  function open(def, opener) {
    const sitting = getSitting() || {};
    const rows = roster.selectedRows();
    const all = roster.all();
    const f = {}; // the dialog's controls
    const parts = [];
    const name = t('act_' + def.a);
    parts.push(h('p', { class: 'dialog-lead' }, t('actHelp_' + def.a)));

    // Target.
    if (def.target === 'pick' || def.target === 'credit') {
      const groupName = 'target-' + def.a;
      const sel = h('input', { type: 'radio', name: groupName, value: 'selected', id: 'target-selected', checked: rows.length > 0, disabled: !rows.length });
      const other = h('input', { type: 'radio', name: groupName, value: def.target === 'credit' ? 'auto' : 'all', id: 'target-other', checked: !rows.length });
      f.targetSel = sel;
      parts.push(h('fieldset', { class: 'choice target' },
        h('legend', null, t('targetLegend')),
        h('label', { class: 'check', for: 'target-selected' }, sel, t('targetSelected', { n: rows.length })),
        h('label', { class: 'check', for: 'target-other' }, other,
          def.target === 'credit' ? t('targetOffline') : t('targetAll', { n: all.length }))));
    } else if (def.target === 'selected') {
      parts.push(h('p', { class: 'target-fixed' }, t('targetSelected', { n: rows.length })));
    }
    if (def.target !== 'none' && rows.length) parts.push(namesList(rows));

    // The action's own fields.
    if (def.extra === 'minutes') {
      f.minutes = h('input', { type: 'number', id: 'act-minutes', min: '1', max: '240', step: '1', value: '10', inputmode: 'numeric', required: true });
      parts.push(fieldEl('act-minutes', t('fieldMinutes'), f.minutes, t('fieldMinutesHint')));
    } else if (def.extra === 'text') {
      f.text = h('textarea', { id: 'act-text', rows: '3', maxlength: String(REASON_MAX), required: true });
      parts.push(fieldEl('act-text', t('fieldMessage'), f.text, t('fieldMessageHint')));
    } else if (def.extra === 'window') {
      const now = new Date();
      let from = new Date(now.getTime() - 15 * 60000);
      // Default window: from the earliest "offline since" of those offline now.
      all.forEach((r) => {
        const since = ms(r.offline_since);
        if (ACTIVE[r.status] && !r.online && !isNaN(since) && since < from.getTime()) from = new Date(since);
      });
      f.from = h('input', { type: 'datetime-local', id: 'act-from', value: localInput(from), required: true });
      f.to = h('input', { type: 'datetime-local', id: 'act-to', value: localInput(now), required: true });
      parts.push(h('div', { class: 'field-pair' }, fieldEl('act-from', t('fieldFrom'), f.from), fieldEl('act-to', t('fieldTo'), f.to)));
      parts.push(h('p', { class: 'field-hint' }, t('creditHint')));
    } else if (def.extra === 'typed') {
      const word = rows.length === 1 ? rows[0].regno : t('disqualifyWord');
      f.typed = h('input', { type: 'text', id: 'act-typed', autocomplete: 'off', spellcheck: 'false', required: true });
      f.word = word;
      parts.push(fieldEl('act-typed', t('fieldTyped', { word: word }), f.typed, t('fieldTypedHint')));
    }
    if (def.a === 'token' && sitting.token) parts.push(h('p', null, t('tokenNow', { token: sitting.token })));
    if (def.a === 'close') parts.push(h('p', { class: 'message', dataset: { state: 'info' } }, t('closeWarn')));

    // The reason.
    f.reason = h('textarea', { id: 'act-reason', rows: '3', maxlength: String(REASON_MAX), required: true });
    const counter = h('span', { class: 'counter', id: 'act-reason-count', 'aria-live': 'off' }, '0/' + REASON_MAX);
    f.reason.addEventListener('input', () => {
      counter.textContent = f.reason.value.length + '/' + REASON_MAX;
    });
    parts.push(fieldEl('act-reason', t('fieldReason'), f.reason, t('fieldReasonHint'), counter));

    ctx.confirm({
      title: def.target === 'none' ? name : name + ' — ' + (sitting.code || ''),
      body: h('form', { class: 'form action-form', id: 'action-form', dataset: { action: def.a }, novalidate: true, on: { submit: (ev) => ev.preventDefault() } }, parts),
      confirm: name,
      danger: !!def.danger,
      focus: f.minutes || f.text || f.typed || f.reason,
      action: () => send(def, f, rows),
    }).then((reply) => {
      if (reply && reply !== true) showResult(def, reply, opener);
    });
  }

  /** Check the dialog's fields and POST the action; resolves with the reply. */
  async function send(def, f, rows) {
    const body = { action: def.a };
    if (def.target === 'pick') {
      if (f.targetSel.checked) {
        if (!rows.length) throw invalid('no_selection');
        body.candidates = rows.map((r) => r.regno);
      } else body.candidates = 'all';
    } else if (def.target === 'selected') {
      if (!rows.length) throw invalid('no_selection');
      body.candidates = rows.map((r) => r.regno);
    } else if (def.target === 'credit') {
      if (f.targetSel.checked) body.candidates = rows.map((r) => r.regno);
    }
    if (f.minutes) {
      const m = Number(f.minutes.value);
      if (!/^\d+$/.test(f.minutes.value.trim()) || m < 1 || m > 240) throw invalid('minutes_range', f.minutes);
      body.minutes = m;
    }
    if (f.text) {
      const text = f.text.value.trim();
      if (!text) throw invalid('text_required', f.text);
      if (text.length > REASON_MAX) throw invalid('text_long', f.text);
      body.text = text;
    }
    if (f.from) {
      const from = f.from.value ? new Date(f.from.value) : null;
      const to = f.to.value ? new Date(f.to.value) : null;
      if (!from || isNaN(from.getTime())) throw invalid('window_from', f.from);
      if (!to || isNaN(to.getTime()) || to.getTime() <= from.getTime()) throw invalid('window_order', f.to);
      body.from = from.toISOString();
      body.to = to.toISOString();
    }
    if (f.typed) {
      const typed = f.typed.value.trim();
      if (typed.toUpperCase() !== String(f.word).toUpperCase()) throw invalid('typed_mismatch', f.typed);
    }
    const reason = f.reason.value.trim();
    if (!reason) throw invalid('reason_required', f.reason);
    if (reason.length > REASON_MAX) throw invalid('reason_long', f.reason);
    body.reason = reason;
    let reply;
    try {
      reply = await api.act(sid, body);
    } catch (e) {
      // 400 invalid_input lists every problem: say them, not just "invalid".
      if (e && e.errors && e.errors.length) {
        e.serverMessage = e.errors.map((x) => (x.item ? '#' + x.item + ' ' : '') + (x.field ? x.field + ': ' : '') + (x.message || '')).join('; ');
        e.code = 'invalid_input_detail';
      }
      throw e;
    }
    if (reply && reply.token && hooks && hooks.token) hooks.token(reply.token);
    return reply || {};
  }

  /* ---- the outcome ------------------------------------------------------ */

  function showResult(def, reply, opener) {
    const done = Array.isArray(reply.done) ? reply.done : [];
    const skipped = Array.isArray(reply.skipped) ? reply.skipped : [];
    const parts = [];
    const name = t('act_' + def.a);
    const ok = def.target === 'none' ? t('resultSitting', { action: name }) : t('resultDone', { action: name, n: done.length });
    parts.push(h('p', { class: 'message', role: 'status', dataset: { state: skipped.length && !done.length && def.target !== 'none' ? 'error' : 'ok' } }, ok,
      done.length && done.length <= 30 ? ': ' + done.join(', ') : ''));
    if (skipped.length) {
      parts.push(h('div', { class: 'skipped' },
        h('p', { class: 'skipped-title' }, t('resultSkipped', { n: skipped.length })),
        h('ul', { class: 'skipped-list' }, skipped.map((s) => h('li', null, h('strong', null, String(s.regno || '')), ' — ', skipReason(s.why))))));
    }
    if (Array.isArray(reply.passwords) && reply.passwords.length) parts.push(passwordBox(reply.passwords));
    parts.push(h('button', { type: 'button', class: 'button small', id: 'result-close', on: { click: () => fill(result) } }, t('resultClose')));
    fill(result, h('div', { class: 'panel result-panel', dataset: { action: def.a } }, parts));
    ctx.announce(ok);
    if (reply.passwords && reply.passwords.length) result.focus();
    else if (opener && document.contains(opener) && !opener.disabled) opener.focus();
  }

  function passwordBox(list) {
    const byRegno = {};
    roster.all().forEach((r) => {
      byRegno[r.regno] = r.name;
    });
    const printBtn = h('button', { type: 'button', class: 'button small', id: 'print-passwords', on: { click: printPasswords } }, t('printPasswords'));
    return h('div', { class: 'secret passwords', id: 'passwords' },
      h('h2', { class: 'panel-title' }, t('passwordsTitle', { code: (getSitting() || {}).code || '' })),
      h('table', { class: 'data-table', id: 'passwords-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('colRegno')), h('th', { scope: 'col' }, t('colName')), h('th', { scope: 'col' }, t('colPassword')))),
        h('tbody', null, list.map((p) => h('tr', null,
          h('th', { scope: 'row' }, String(p.regno || '')),
          h('td', null, p.name || byRegno[p.regno] || ''),
          h('td', { class: 'secret-value' }, String(p.password || '')))))),
      h('p', { class: 'hint' }, t('shownOnce')),
      printBtn);
  }

  function skipReason(why) {
    const key = 'why_' + why;
    const text = t(key);
    return text === key ? String(why || '') : text;
  }

  ctx.onLeave(() => document.documentElement.classList.remove('print-passwords'));
  refresh();
  return {
    el: el,
    sittingEl: sittingEl,
    selBox: selBox,
    result: result,
    setSelected(n) {
      selected = n;
      count.textContent = n ? t('selectedN', { n: n }) : t('selectedNone');
      clearSel.hidden = !n;
      refresh();
    },
    setSitting: refresh,
    errorText: errorText,
  };
}

/** Print only the re-issued passwords (print stylesheet: html.print-passwords). */
function printPasswords() {
  const root = document.documentElement;
  root.classList.add('print-passwords');
  const done = () => {
    root.classList.remove('print-passwords');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

function fieldEl(id, label, control, hint, extra) {
  const hintId = hint ? id + '-hint' : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint || extra ? h('p', { class: 'field-hint', id: hintId }, hint || '', extra ? ' ' : '', extra || null) : null);
}

function namesList(rows) {
  const shown = rows.slice(0, SHOWN_NAMES).map((r) => r.regno + ' ' + (r.name || ''));
  const more = rows.length - shown.length;
  return h('p', { class: 'target-names' }, shown.join(', ') + (more > 0 ? ' ' + t('andMore', { n: more }) : ''));
}
