// pages/candidates.js - #/ujian/CODE/peserta: the candidates of one exam with
// status, lock and extra time; actions by role: unlock and extra time (admin,
// proctor), reset password (admin; the new one shown once, with exam cards),
// and the candidate CSV upload (admin; every refused line listed next to its
// text; on success the issued credentials and exam cards).

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, label, dateTime } from '../i18n/index.js';
import { table, message, secretBox, field, button, readText, sepName, uploadErrors } from './common.js';

const enc = encodeURIComponent;
const RELOAD_TRIES = 10; // after an import: reads of the list until the new candidates show
const RELOAD_WAIT_MS = 500;
const AUTO_REFRESH_MS = 30000; // the list is read again this often while the page is open

export async function render(ctx, root, params) {
  const code = params[0];
  const head = ctx.title(t('candidatesTitle', { code: code }), t('navExams'));
  const canAct = ctx.hasRole('admin', 'proctor');
  const isAdmin = ctx.hasRole('admin');
  const st = { code: code, exam: null, list: [], filter: '' };

  const loadStatus = root.appendChild(message(t('loading')));
  const results = await Promise.all([api.candidates(code), api.exams().catch(() => ({ exams: [] }))]);
  if (!ctx.alive()) return;
  root.removeChild(loadStatus);
  st.list = byRegno(results[0].candidates || []);
  st.exam = (results[1].exams || []).filter((e) => e.code === code)[0] || { code: code, title: '' };
  if (st.exam.title) head.querySelector('.page-kicker').textContent = st.exam.title;

  const actions = h('div', { id: 'action-panel', class: 'action-panel', tabindex: '-1' });
  const summary = h('p', { class: 'summary', id: 'cand-summary' });
  const holder = h('div', { id: 'cand-table' });
  const filter = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false' });
  filter.addEventListener('input', () => {
    st.filter = filter.value.trim().toLowerCase();
    draw();
  });

  const tools = h('div', { class: 'toolbar' },
    h('div', { class: 'toolbar-field' }, field('cand-filter', t('filterCandidates'), filter)),
    button(t('refresh'), () => reload(), { data: { action: 'refresh' } }),
    h('a', { class: 'button', href: '#/ujian/' + enc(code) + '/sesi' }, t('linkSittings')),
    isAdmin ? h('a', { class: 'button', href: '#/ujian/' + enc(code) + '/kartu' }, t('cardsLink')) : null);

  root.appendChild(actions);
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'cand-list-title' },
    h('h2', { class: 'panel-title', id: 'cand-list-title' }, t('candidatesList')),
    summary, tools, holder));
  if (isAdmin) root.appendChild(uploadPanel(ctx, st, actions, reload));
  draw();

  // Keep the list current for a proctor watching the room, but never pull
  // the table from under the keyboard or a dialog.
  const timer = setInterval(() => {
    if (!ctx.alive()) {
      clearInterval(timer);
      return;
    }
    const busy = holder.contains(document.activeElement) || !document.getElementById('dialog').hidden;
    if (!document.hidden && !busy) reload();
  }, AUTO_REFRESH_MS);

  /** Read the list again. With `expect` (registration numbers just
   *  imported), keep reading for a few seconds until they all appear: the
   *  server picks up an import within about a second. */
  async function reload(expect) {
    for (let tries = 0; ; tries++) {
      try {
        const d = await api.candidates(code);
        if (!ctx.alive()) return;
        st.list = byRegno(d.candidates || []);
        draw();
      } catch (e) {
        if (ctx.alive()) fill(actions, message(errorText(e), 'error'));
        return;
      }
      const have = {};
      st.list.forEach((c) => {
        have[c.registration_no] = true;
      });
      if (!expect || tries >= RELOAD_TRIES || expect.every((r) => have[r])) return;
      await new Promise((r) => setTimeout(r, RELOAD_WAIT_MS));
      if (!ctx.alive()) return;
    }
  }

  function show(node) {
    fill(actions, node);
    actions.focus();
  }

  function draw() {
    const n = st.list.length;
    const count = (s) => st.list.filter((c) => c.status === s).length;
    summary.textContent = t('candidatesSummary', { n: n, started: count('in_progress'), finished: count('finished'), locked: st.list.filter((c) => c.locked).length }) +
      ' · ' + t('updatedAt', { at: dateTime(Date.now()).slice(11) });
    const shown = st.filter ? st.list.filter((c) => (c.registration_no + ' ' + c.name).toLowerCase().indexOf(st.filter) >= 0) : st.list;
    const cols = [
      { label: t('colRegno') }, { label: t('colName') }, { label: t('colTrack') }, { label: t('colStatus') },
      { label: t('colAnswered'), num: true }, { label: t('colExtra'), num: true },
    ];
    if (canAct) cols.push({ label: t('colActions') });
    const rows = shown.map((c) => {
      const cells = [
        c.registration_no,
        c.name,
        c.track || '',
        // A lock is shown in the status cell (one column less to scroll past).
        [statusText(c), c.locked ? [' ', h('span', { class: 'badge warn' }, t('lockedYes'))] : null],
        c.status === 'not_started' || !c.total ? '—' : (c.answered || 0) + '/' + c.total,
        String(Math.round((c.extra_time_s || 0) / 60)),
      ];
      if (canAct) {
        cells.push(h('div', { class: 'row-actions' },
          c.locked ? button(t('unlock'), () => unlock(c), { kind: 'small', aria: t('unlockOf', { name: c.name }), data: { action: 'unlock' } }) : null,
          c.status !== 'finished' ? button(t('extraTime'), () => extraTime(c), { kind: 'small', aria: t('extraTimeOf', { name: c.name }), data: { action: 'extra' } }) : null,
          isAdmin ? button(t('resetPassword'), () => resetPassword(c), { kind: 'small', aria: t('resetPasswordOf', { name: c.name }), data: { action: 'reset' } }) : null));
      }
      return cells;
    });
    fill(holder, table(cols, rows, {
      caption: t('candidatesCaption', { code: code }),
      captionHidden: true,
      id: 'candidates-table',
      stack: true, // phones: one card per candidate, actions in sight (search narrows the list)
      empty: st.list.length ? t('filterNoMatch') : t('candidatesEmpty'),
      rowAttrs: (i) => ({ dataset: { regno: shown[i].registration_no } }),
    }));
  }

  async function unlock(c) {
    try {
      await api.unlock(code, c.registration_no);
      if (!ctx.alive()) return;
      show(message(t('unlocked', { name: c.name, regno: c.registration_no }), 'ok'));
      reload();
    } catch (e) {
      if (ctx.alive()) show(message(errorText(e), 'error'));
    }
  }

  async function extraTime(c) {
    const input = h('input', { type: 'number', min: '0', max: '240', step: '1', inputmode: 'numeric', value: String(Math.round((c.extra_time_s || 0) / 60)) });
    const body = h('form', { class: 'form', novalidate: true },
      h('p', null, t('extraTimeText', { name: c.name, regno: c.registration_no })),
      field('extra-minutes', t('extraMinutes'), input, t('extraMinutesHint')));
    body.addEventListener('submit', (ev) => {
      ev.preventDefault();
      document.getElementById('dialog-confirm').click();
    });
    const p = ctx.confirm({
      title: t('extraTimeTitle'),
      body: body,
      confirm: t('save'),
      action: async () => {
        const m = Number(input.value);
        if (!/^\d+$/.test(input.value.trim()) || m < 0 || m > 240) throw { kind: 'http', code: 'extra_minutes_range' };
        return api.extraTime(code, c.registration_no, m);
      },
    });
    setTimeout(() => input.focus(), 0);
    const r = await p;
    if (!r || !ctx.alive()) return;
    show(message(t('extraTimeSaved', { name: c.name, minutes: Math.round((r.extra_time_s || 0) / 60) }), 'ok'));
    reload();
  }

  async function resetPassword(c) {
    const r = await ctx.confirm({
      title: t('resetPasswordTitle'),
      body: h('p', null, t('resetPasswordText', { name: c.name, regno: c.registration_no })),
      confirm: t('resetPasswordConfirm'),
      danger: true,
      action: () => api.resetCandidatePassword(code, c.registration_no),
    });
    if (!r || !ctx.alive()) return;
    const cred = { registration_no: r.registration_no || c.registration_no, name: r.name || c.name, password: r.password };
    ctx.setIssued({ exam: code, title: st.exam.title, opens_at: st.exam.opens_at, list: [cred] });
    show(h('div', null,
      secretBox(t('newCandidatePassword'), [[t('colRegno'), cred.registration_no], [t('colName'), cred.name], [t('colPassword'), cred.password, true]]),
      h('a', { class: 'button primary', href: '#/ujian/' + enc(code) + '/kartu', id: 'print-card' }, t('printCard'))));
  }
}

/** Candidates in registration-number order (numbers compared as numbers). */
function byRegno(list) {
  return list.slice().sort((a, b) => String(a.registration_no).localeCompare(String(b.registration_no), undefined, { numeric: true }));
}

function statusText(c) {
  if (c.status === 'in_progress') return t('status_in_progress');
  if (c.status === 'finished') {
    const reason = c.finish_reason ? label('reason_', c.finish_reason) : '';
    return t('status_finished') + (reason ? ' · ' + reason : '');
  }
  return t('status_not_started');
}

/* ---- candidate CSV upload (admin) --------------------------------------- */

function uploadPanel(ctx, st, actions, reload) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain' });
  const out = h('div', { id: 'upload-result', tabindex: '-1' });
  const submit = button(t('uploadSubmit'), null, { submit: true, kind: 'primary', data: { action: 'upload' } });
  const form = h('form', { class: 'form upload-form', novalidate: true },
    field('upload-file', t('uploadFile'), file, t('uploadHint')),
    submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files && file.files[0];
    if (!f) {
      fill(out, message(t('uploadNoFile'), 'error'));
      file.focus();
      return;
    }
    submit.disabled = true;
    fill(out, message(t('uploadBusy')));
    let text = '';
    try {
      text = await readText(f);
    } catch (e) {
      text = '';
    }
    try {
      const r = await api.importCandidates(st.code, f);
      if (!ctx.alive()) return;
      const creds = r.credentials || [];
      ctx.setIssued({ exam: st.code, title: st.exam.title, opens_at: st.exam.opens_at, list: creds });
      fill(out,
        message(t('uploadDone', { n: r.imported !== undefined ? r.imported : creds.length }) +
          (r.separator ? ' ' + t('uploadSep', { sep: sepName(r.separator) }) : ''), 'ok'),
        creds.length ? h('p', { class: 'hint' }, t('credentialsOnce')) : null,
        creds.length ? h('p', null, h('a', { class: 'button primary', href: '#/ujian/' + enc(st.code) + '/kartu', id: 'print-cards' }, t('printCards'))) : null,
        creds.length ? table([{ label: t('colRegno') }, { label: t('colName') }, { label: t('colPassword') }],
          creds.map((c) => [c.registration_no, c.name, h('span', { class: 'secret-value' }, c.password)]),
          { caption: t('credentialsCaption'), id: 'credentials-table' }) : null);
      form.reset();
      reload(creds.map((c) => c.registration_no));
    } catch (e) {
      if (!ctx.alive()) return;
      fill(out, uploadErrors(e, text, 'uploadRefused'));
    } finally {
      submit.disabled = false;
      out.focus();
    }
  });
  // Open at once while the exam has no candidates; otherwise one click away.
  return h('details', { class: 'panel upload-panel', id: 'upload-panel', open: st.list.length ? null : true },
    h('summary', { class: 'panel-title' }, t('uploadTitle')),
    h('p', { class: 'hint' }, t('uploadColumns')),
    form, out);
}
