// pages/exam-edit.js - #/ujian/CODE/ubah (admin, author): change an exam
// while no candidate has started it (title, duration, window, sitting token,
// show_score, thresholds, figure descriptions, time zone, tie-break, pass rules, the blueprint - which redraws
// every paper), and archive or restore it at any time. The form starts from
// the stored document; only changed fields are sent; the server refuses a
// change after the first start (409).

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, toDate } from '../i18n/index.js';
import { message, field, button } from './common.js';

const enc = encodeURIComponent;

/** A server time as the value of a datetime-local input (the browser's zone). */
function localInput(v) {
  const d = toDate(v);
  if (!d) return '';
  const pad = (n) => (n < 10 ? '0' : '') + n;
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** A datetime-local value as RFC 3339 (UTC), or null when empty. */
function rfc3339(v) {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function render(ctx, root, params) {
  const code = params[0];
  ctx.title(t('examEditTitle', { code: code }), t('navExams'));
  const status = root.appendChild(message(t('loading')));
  let data;
  try {
    data = await api.exam(code);
  } catch (e) {
    if (!ctx.alive()) return;
    if (e.status === 404) ctx.problem('notFoundTitle', t('notFoundText'));
    else throw e;
    return;
  }
  if (!ctx.alive()) return;
  root.removeChild(status);
  const exam = data.exam;
  // The stored document: what the fields start from.
  const def = data.definition || {};
  const was = {
    token: def.token || '',
    zone: def.timezone || 'WIB',
    tie: (def.tie_break || []).join(', '),
    rules: def.pass_rules ? JSON.stringify(def.pass_rules, null, 2) : '',
    sections: def.sections ? JSON.stringify(def.sections, null, 2) : '',
  };
  const started = (exam.started || 0) > 0;
  const out = h('div', { id: 'exam-edit-result', tabindex: '-1' });

  const title = h('input', { type: 'text', value: exam.title || '' });
  const minutes = h('input', { type: 'number', min: '1', step: '1', inputmode: 'numeric', value: String(Math.round((exam.duration_s || 0) / 60)) });
  const opens = h('input', { type: 'datetime-local', value: localInput(exam.opens_at) });
  const closes = h('input', { type: 'datetime-local', value: localInput(exam.closes_at) });
  const token = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', value: was.token });
  const noToken = h('input', { type: 'checkbox', id: 'edit-no-token' });
  const showScore = h('input', { type: 'checkbox', id: 'edit-show-score', checked: exam.show_score !== false });
  // Issue 13: thresholds on the candidate's result; figure descriptions for all.
  const showThresholds = h('input', { type: 'checkbox', id: 'edit-show-thresholds', checked: exam.show_thresholds !== false });
  const describeFigures = h('input', { type: 'checkbox', id: 'edit-describe-figures', checked: def.describe_figures === true });
  const zone = h('select', null, ['WIB', 'WITA', 'WIT'].map((z) => h('option', { value: z, selected: z === was.zone }, t('zone_' + z))));
  const tie = h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off', value: was.tie });
  const rules = h('textarea', { rows: '6', spellcheck: 'false' });
  rules.value = was.rules;
  const sections = h('textarea', { rows: '6', spellcheck: 'false' });
  sections.value = was.sections;
  const submit = button(t('save'), null, { submit: true, kind: 'primary', data: { action: 'exam-save' } });

  const form = h('form', { class: 'form', novalidate: true },
    started ? message(t('examStarted'), 'error') : h('p', { class: 'hint' }, t('examEditLead')),
    h('div', { class: 'form-row' },
      field('edit-title', t('colTitle'), title),
      field('edit-minutes', t('durationMinutes'), minutes)),
    h('div', { class: 'form-row' },
      field('edit-opens', t('opensAt'), opens, t('timesHint')),
      field('edit-closes', t('closesAt'), closes)),
    h('div', { class: 'form-row' },
      field('edit-token', t('newToken'), token, exam.token_required ? t('tokenSetHint') : t('tokenNoneHint')),
      field('edit-zone', t('timezone'), zone)),
    exam.token_required ? h('label', { class: 'check' }, noToken, ' ', t('removeToken')) : null,
    h('label', { class: 'check' }, showScore, ' ', t('showScore')),
    h('label', { class: 'check' }, showThresholds, ' ', t('showThresholds')),
    h('label', { class: 'check' }, describeFigures, ' ', t('describeFigures')),
    field('edit-tie', t('tieBreak'), tie, t('tieBreakHint')),
    field('edit-rules', t('passRules'), rules, t('passRulesHint')),
    field('edit-sections', t('sectionsLabel'), sections, t('sectionsHint')),
    submit, out);
  if (started) {
    Array.prototype.forEach.call(form.querySelectorAll('input, select, textarea, button'), (el) => {
      el.disabled = true;
    });
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {};
    const bad = (key) => {
      fill(out, message(t(key), 'error'));
      out.focus();
    };
    if (title.value.trim() !== (exam.title || '')) body.title = title.value.trim();
    const m = Number(minutes.value);
    if (!/^\d+$/.test(minutes.value.trim()) || m < 1) return bad('durationInvalid');
    if (m * 60 !== exam.duration_s) body.duration_s = m * 60;
    const o = rfc3339(opens.value);
    const c = rfc3339(closes.value);
    if (o === undefined || c === undefined) return bad('timeInvalid');
    if (opens.value !== localInput(exam.opens_at)) body.opens_at = o;
    if (closes.value !== localInput(exam.closes_at)) body.closes_at = c;
    if (noToken.checked) body.token = null;
    else if (token.value.trim() !== was.token && token.value.trim()) body.token = token.value.trim();
    if (showScore.checked !== (exam.show_score !== false)) body.show_score = showScore.checked;
    if (showThresholds.checked !== (exam.show_thresholds !== false)) body.show_thresholds = showThresholds.checked;
    if (describeFigures.checked !== (def.describe_figures === true)) body.describe_figures = describeFigures.checked;
    if (zone.value !== was.zone) body.timezone = zone.value;
    if (tie.value.trim() !== was.tie && tie.value.trim()) body.tie_break = tie.value.split(',').map((s) => s.trim()).filter((s) => s);
    if (rules.value.trim() !== was.rules.trim() && rules.value.trim()) {
      try {
        body.pass_rules = JSON.parse(rules.value);
      } catch (e) {
        return bad('passRulesInvalid');
      }
    }
    if (sections.value.trim() !== was.sections.trim() && sections.value.trim()) {
      try {
        body.sections = JSON.parse(sections.value);
      } catch (e) {
        return bad('sectionsInvalid');
      }
    }
    if (!Object.keys(body).length) return bad('nothingChanged');
    submit.disabled = true;
    fill(out, message(t('saving')));
    try {
      const res = await api.updateExam(code, body);
      if (!ctx.alive()) return;
      fill(out, message(t('examSaved'), 'ok'),
        res && res.redrawn >= 0 ? h('p', null, t('redrawn', { n: res.redrawn })) : null,
        h('p', null, h('a', { href: '#/ujian' }, t('backToExams'))));
    } catch (e) {
      if (!ctx.alive()) return;
      const details = (e.errors || []).map((x) => (x.field ? x.field + ': ' : '') + x.message);
      fill(out, message(e.status === 409 ? t('examStarted') : errorText(e), 'error'),
        details.length ? h('ul', { class: 'error-list' }, details.map((d) => h('li', null, d))) : null);
    } finally {
      submit.disabled = started;
      out.focus();
    }
    return undefined;
  });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'edit-title-h' },
    h('h2', { class: 'panel-title', id: 'edit-title-h' }, t('examSettings')), form));

  // Archive / restore: any time.
  const archOut = h('div', { id: 'archive-result', tabindex: '-1' });
  const archived = !!exam.archived;
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'archive-title' },
    h('h2', { class: 'panel-title', id: 'archive-title' }, t('archiveTitle')),
    h('p', null, archived ? t('archivedNow') : t('archiveLead')),
    button(archived ? t('unarchive') : t('archive'), async () => {
      const r = await ctx.confirm({
        title: archived ? t('unarchive') : t('archiveConfirmTitle', { code: code }),
        body: h('p', null, archived ? t('unarchiveText') : t('archiveText')),
        confirm: archived ? t('unarchive') : t('archive'),
        danger: !archived,
        action: () => api.updateExam(code, { archived: !archived }),
      });
      if (!r || !ctx.alive()) return;
      ctx.navigate('#/ujian/' + enc(code) + '/ubah');
      ctx.announce(archived ? t('unarchived') : t('archived'));
    }, { kind: archived ? '' : 'danger', data: { action: archived ? 'unarchive' : 'archive' } }),
    archOut));
}
