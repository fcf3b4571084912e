// pages/sittings.js - #/ujian/CODE/sesi: the sittings (sesi) of one exam:
// code, room, start, token rotation, "start together", proctors, candidate
// count and the current token (admin and proctor; an observer sees no
// token). An admin creates and edits sittings (one form for both) and puts
// candidates into a sitting by pasting their registration numbers, one a
// line: the server checks them all and refuses the whole list when one is
// wrong, and every refused line is listed.

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, dateTime, toDate } from '../i18n/index.js';
import { table, message, field, button } from './common.js';

const enc = encodeURIComponent;
const ROTATE_MAX = 1440; // include/bounds.h UJ_ROTATE_MAX_MIN

/** A server time as the value of a datetime-local input (the browser's zone). */
function localInput(v) {
  const d = toDate(v);
  if (!d) return '';
  const pad = (n) => (n < 10 ? '0' : '') + n;
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** A datetime-local value as RFC 3339 (UTC); null when empty, undefined when unreadable. */
function rfc3339(v) {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every problem of a refused request as a list (field: message). */
function problems(e) {
  const list = (e && e.errors) || [];
  return h('div', { class: 'upload-errors' },
    message(errorText(e), 'error'),
    list.length ? h('ul', { class: 'error-list' }, list.map((x) => h('li', null,
      (x.line ? t('lineN', { n: x.line }) + ' · ' : '') + (x.field ? x.field + ': ' : '') + x.message))) : null);
}

export async function render(ctx, root, params) {
  const code = params[0];
  const head = ctx.title(t('sittingsTitle', { code: code }), t('navExams'));
  const isAdmin = ctx.hasRole('admin');
  const st = { list: [], proctors: [], editing: null };

  const loadStatus = root.appendChild(message(t('loading')));
  const got = await Promise.all([
    api.sittings(code),
    api.exams().catch(() => ({ exams: [] })),
    isAdmin ? api.accounts().catch(() => ({ accounts: [] })) : Promise.resolve({ accounts: [] }),
  ]);
  if (!ctx.alive()) return;
  root.removeChild(loadStatus);
  st.list = got[0].sittings || [];
  const exam = (got[1].exams || []).filter((e) => e.code === code)[0];
  if (exam && exam.title) head.querySelector('.page-kicker').textContent = exam.title;
  st.proctors = (got[2].accounts || []).filter((a) => !a.disabled &&
    (a.roles || []).some((r) => r === 'proctor' || r === 'admin')).map((a) => a.username).sort();

  const actions = h('div', { id: 'sitting-result', class: 'action-panel', tabindex: '-1' });
  const holder = h('div', { id: 'sittings-table' });
  root.appendChild(actions);
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'sittings-list-title' },
    h('h2', { class: 'panel-title', id: 'sittings-list-title' }, t('sittingsList')),
    h('p', { class: 'hint' }, t('sittingsLead')),
    h('div', { class: 'toolbar' },
      button(t('refresh'), () => reload(), { data: { action: 'refresh' } }),
      h('a', { class: 'button', href: '#/ujian/' + enc(code) + '/peserta' }, t('backToCandidates'))),
    holder));
  const form = isAdmin ? sittingForm() : null;
  const assign = isAdmin ? assignPanel() : null;
  if (form) root.appendChild(form.panel);
  if (assign) root.appendChild(assign.panel);
  draw();

  async function reload() {
    try {
      const d = await api.sittings(code);
      if (!ctx.alive()) return;
      st.list = d.sittings || [];
      draw();
    } catch (e) {
      if (ctx.alive()) fill(actions, message(errorText(e), 'error'));
    }
  }

  function draw() {
    const cols = [
      { label: t('colSitting') }, { label: t('colRoom') }, { label: t('colStartsAt') },
      { label: t('colProctors') }, { label: t('colCandidates'), num: true }, { label: t('colToken') },
    ];
    if (isAdmin) cols.push({ label: t('colActions') });
    const rows = st.list.map((s) => {
      const cells = [
        s.code,
        s.room || '—',
        s.starts_at ? dateTime(s.starts_at) : '—',
        (s.proctors || []).join(', ') || '—',
        String(s.candidates || 0),
        // One span: a phone's stacked row keeps the token and its notes together.
        h('span', null,
          s.token ? h('code', { class: 'token' }, s.token) : t('tokenHidden'),
          s.token && s.rotate_min ? h('span', { class: 'hint' }, ' ' + t('rotateEvery', { n: s.rotate_min })) : null,
          s.start_together ? [' ', h('span', { class: 'badge' }, t('startTogetherBadge'))] : null),
      ];
      if (isAdmin) {
        cells.push(h('div', { class: 'row-actions' },
          button(t('edit'), () => form.edit(s), { kind: 'small', aria: t('editSittingOf', { code: s.code }), data: { action: 'edit-sitting' } }),
          button(t('assignCandidates'), () => assign.pick(s), { kind: 'small', aria: t('assignOf', { code: s.code }), data: { action: 'assign-sitting' } })));
      }
      return cells;
    });
    fill(holder, table(cols, rows, {
      caption: t('sittingsCaption', { code: code }),
      captionHidden: true,
      id: 'sittings-list',
      stack: true,
      empty: t('sittingsEmpty'),
      rowAttrs: (i) => ({ dataset: { sitting: st.list[i].code } }),
    }));
    if (assign) assign.options();
  }

  /* ---- create / edit (admin) ---------------------------------------------- */

  function sittingForm() {
    const out = h('div', { id: 'sitting-form-result', tabindex: '-1' });
    const scode = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '32' });
    const room = h('input', { type: 'text', autocomplete: 'off', maxlength: '120' });
    const starts = h('input', { type: 'datetime-local' });
    const rotate = h('input', { type: 'number', min: '0', max: String(ROTATE_MAX), step: '1', inputmode: 'numeric', value: '0' });
    const together = h('input', { type: 'checkbox', id: 'sitting-together' });
    const boxes = st.proctors.map((u) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: u, dataset: { proctor: u } }), ' ', u));
    const heading = h('h2', { class: 'panel-title', id: 'sitting-form-title' }, t('sittingNew'));
    const submit = button(t('sittingCreate'), null, { submit: true, kind: 'primary', data: { action: 'sitting-save' } });
    const cancel = button(t('cancel'), () => reset(), { data: { action: 'sitting-cancel' } });
    cancel.hidden = true;
    const el = h('form', { class: 'form', novalidate: true },
      h('div', { class: 'form-row top' },
        field('sitting-code', t('colSitting'), scode, t('sittingCodeHint')),
        field('sitting-room', t('colRoom'), room)),
      h('div', { class: 'form-row top' },
        field('sitting-starts', t('colStartsAt'), starts, t('sittingStartHint')),
        field('sitting-rotate', t('rotateMinutes'), rotate, t('rotateHint'))),
      h('label', { class: 'check' }, together, ' ', t('startTogether')),
      h('fieldset', { class: 'choice' },
        h('legend', null, t('colProctors')),
        boxes.length ? h('div', { class: 'checks' }, boxes) : h('p', { class: 'hint' }, t('noProctorAccounts'))),
      h('div', { class: 'toolbar' }, submit, cancel),
      out);
    el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const editing = st.editing;
      const body = {};
      const bad = (key) => {
        fill(out, message(t(key), 'error'));
        out.focus();
      };
      if (!editing) {
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(scode.value.trim())) return bad('sittingCodeInvalid');
        body.code = scode.value.trim();
      }
      body.room = room.value.trim();
      const s = rfc3339(starts.value);
      if (s === undefined) return bad('timeInvalid');
      body.starts_at = s;
      const r = rotate.value.trim() === '' ? 0 : Number(rotate.value);
      if (!/^\d*$/.test(rotate.value.trim()) || r > ROTATE_MAX) return bad('rotateInvalid');
      body.rotate_min = r;
      body.start_together = together.checked;
      body.proctors = boxes.map((b) => b.firstChild).filter((c) => c.checked).map((c) => c.value);
      submit.disabled = true;
      fill(out, message(t('saving')));
      try {
        const res = editing ? await api.updateSitting(code, editing, body) : await api.createSitting(code, body);
        if (!ctx.alive()) return;
        const saved = res.sitting || {};
        reset();
        fill(out, message(t(editing ? 'sittingSaved' : 'sittingCreated', { code: saved.code || editing, token: saved.token || '' }), 'ok'));
        out.focus();
        reload();
      } catch (e) {
        if (!ctx.alive()) return;
        fill(out, problems(e));
        out.focus();
      } finally {
        submit.disabled = false;
      }
      return undefined;
    });

    function reset() {
      st.editing = null;
      el.reset();
      rotate.value = '0';
      scode.disabled = false;
      heading.textContent = t('sittingNew');
      submit.textContent = t('sittingCreate');
      cancel.hidden = true;
    }

    function edit(s) {
      st.editing = s.code;
      scode.value = s.code;
      scode.disabled = true;
      room.value = s.room || '';
      starts.value = localInput(s.starts_at);
      rotate.value = String(s.rotate_min || 0);
      together.checked = !!s.start_together;
      boxes.forEach((b) => {
        b.firstChild.checked = (s.proctors || []).indexOf(b.firstChild.value) >= 0;
      });
      heading.textContent = t('sittingEditTitle', { code: s.code });
      submit.textContent = t('save');
      cancel.hidden = false;
      fill(out);
      room.focus();
    }

    const panel = h('section', { class: 'panel', id: 'sitting-form', 'aria-labelledby': 'sitting-form-title' }, heading, el);
    return { panel: panel, edit: edit };
  }

  /* ---- assign candidates (admin) ------------------------------------------ */

  function assignPanel() {
    const out = h('div', { id: 'assign-result', tabindex: '-1' });
    const which = h('select', null);
    const text = h('textarea', { rows: '8', spellcheck: 'false', autocomplete: 'off' });
    const submit = button(t('assignSubmit'), null, { submit: true, kind: 'primary', data: { action: 'assign-save' } });
    const el = h('form', { class: 'form', novalidate: true },
      field('assign-sitting', t('colSitting'), which),
      field('assign-regnos', t('assignRegnos'), text, t('assignHint')),
      submit, out);
    el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const regnos = text.value.split(/\r\n|\n|\r/).map((s) => s.trim()).filter((s) => s);
      if (!which.value) {
        fill(out, message(t('sittingsEmpty'), 'error'));
        return;
      }
      if (!regnos.length) {
        fill(out, message(t('assignNone'), 'error'));
        text.focus();
        return;
      }
      submit.disabled = true;
      fill(out, message(t('saving')));
      try {
        const r = await api.assignSitting(code, which.value, regnos);
        if (!ctx.alive()) return;
        fill(out, message(t('assignDone', { n: r.assigned, moved: r.moved, code: which.value }), 'ok'));
        text.value = '';
        reload();
      } catch (e) {
        if (!ctx.alive()) return;
        const list = e.errors || [];
        if (!list.length) {
          fill(out, message(errorText(e), 'error'));
        } else {
          // Each refused entry beside the number pasted on that line.
          fill(out, h('div', { class: 'upload-errors' },
            message(t('assignRefused', { n: list.length }), 'error'),
            table([{ label: t('colLine'), num: true }, { label: t('colRegno') }, { label: t('colProblem') }],
              list.map((x) => [x.line ? String(x.line) : '—', x.line ? regnos[x.line - 1] || '' : '', x.message]),
              { caption: t('assignErrorsCaption'), id: 'assign-errors' })));
        }
      } finally {
        submit.disabled = false;
        out.focus();
      }
    });

    function options() {
      const keep = which.value;
      fill(which, st.list.map((s) => h('option', { value: s.code, selected: s.code === keep }, s.code + (s.room ? ' — ' + s.room : ''))));
    }

    function pick(s) {
      which.value = s.code;
      fill(out);
      text.focus();
    }

    const panel = h('section', { class: 'panel', id: 'assign-panel', 'aria-labelledby': 'assign-title' },
      h('h2', { class: 'panel-title', id: 'assign-title' }, t('assignTitle')),
      h('p', { class: 'hint' }, t('assignLead')),
      el);
    return { panel: panel, options: options, pick: pick };
  }
}
