// pages/audit.js - #/audit (admin): the audit log with filters (exam, actor,
// since), paging to older entries, the chain's head (count and hash, to copy
// into a berita acara) and "Periksa rantai", which verifies the whole chain on
// the server and shows the outcome.

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, dateTime, label } from '../i18n/index.js';
import { table, message, field, button } from './common.js';

const PAGE = 100;

export async function render(ctx, root) {
  ctx.title(t('auditTitle'));
  const st = { filters: { exam: '', actor: '', since: '' }, pages: [null], page: 0 };

  const exam = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const actor = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const since = h('input', { type: 'date' });
  const form = h('form', { class: 'form filters', novalidate: true, role: 'search' },
    field('audit-exam', t('filterExam'), exam),
    field('audit-actor', t('filterActor'), actor),
    field('audit-since', t('filterSince'), since),
    h('div', { class: 'filter-buttons' }, button(t('applyFilter'), null, { submit: true, kind: 'primary' }),
      button(t('resetFilter'), () => {
        form.reset();
        apply();
      })));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    apply();
  });

  const headBox = h('div', { id: 'audit-head', class: 'audit-head' });
  const verifyOut = h('div', { id: 'verify-result', tabindex: '-1' });
  const verify = button(t('verifyChain'), async () => {
    verify.disabled = true;
    fill(verifyOut, message(t('verifyBusy')));
    try {
      const r = await api.auditVerify();
      if (!ctx.alive()) return;
      fill(verifyOut, r.ok
        ? message(t('verifyOk', { count: r.count, head: r.head || '' }), 'ok')
        : message(t('verifyBad', { entry: r.entry === undefined || r.entry === null ? '?' : r.entry,
          problem: r.problem ? label('problem_', r.problem) : '?', message: r.message || '' }), 'error'));
    } catch (e) {
      if (ctx.alive()) fill(verifyOut, message(errorText(e), 'error'));
    } finally {
      verify.disabled = false;
      verifyOut.focus();
    }
  }, { data: { action: 'verify' } });

  const list = h('div', { id: 'audit-list' });
  const pager = h('div', { class: 'toolbar pager' });

  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'chain-title' },
    h('h2', { class: 'panel-title', id: 'chain-title' }, t('chainTitle')),
    headBox, h('div', { class: 'toolbar' }, verify), verifyOut));
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'log-title' },
    h('h2', { class: 'panel-title', id: 'log-title' }, t('logTitle')),
    form, pager, list));

  await load();

  function apply() {
    st.filters = { exam: exam.value.trim(), actor: actor.value.trim(), since: since.value };
    st.pages = [null];
    st.page = 0;
    load();
  }

  async function load() {
    fill(list, message(t('loading')));
    let d;
    try {
      d = await api.audit({ exam: st.filters.exam, actor: st.filters.actor, since: st.filters.since, limit: PAGE, before: st.pages[st.page] });
    } catch (e) {
      if (ctx.alive()) fill(list, message(errorText(e), 'error'));
      return;
    }
    if (!ctx.alive()) return;
    const head = d.head || {};
    fill(headBox, h('dl', { class: 'facts' },
      h('dt', null, t('chainCount')), h('dd', { id: 'chain-count' }, String(head.count === undefined ? '—' : head.count)),
      h('dt', null, t('chainHead')), h('dd', null, h('code', { class: 'hash', id: 'chain-hash' }, head.hash || '—'))));
    const entries = d.entries || [];
    const cols = [{ label: t('colId'), num: true }, { label: t('colAt') }, { label: t('colActor') }, { label: t('colKind') },
      { label: t('colExam') }, { label: t('colCandidate') }, { label: t('colDetail') }];
    const rows = entries.map((e) => [String(e.id), dateTime(e.time || e.at), actorText(e), e.kind || '', examOf(e), candidateOf(e),
      h('code', { class: 'detail' }, detailText(e))]);
    fill(list, table(cols, rows, { caption: t('logTitle'), captionHidden: true, id: 'audit-table', empty: t('auditEmpty') }));
    // The server names the next page's cursor (next_before); else the last id.
    let older = entries.length >= PAGE ? entries[entries.length - 1].id : null;
    if (Object.prototype.hasOwnProperty.call(d, 'next_before')) older = d.next_before;
    fill(pager,
      h('span', { class: 'page-no' }, t('pageNo', { n: st.page + 1 })),
      button(t('newer'), () => {
        st.page -= 1;
        load();
      }, { data: { action: 'newer' } }),
      button(t('older'), () => {
        st.pages[st.page + 1] = older;
        st.page += 1;
        load();
      }, { data: { action: 'older' } }));
    pager.querySelector('[data-action="newer"]').disabled = st.page === 0;
    pager.querySelector('[data-action="older"]').disabled = older === null;
  }
}

// An entry's actor is {kind, id, name} (or, in the contract's first draft,
// actor_kind and actor); its candidate {registration_no, exam} or a string.
function actorText(e) {
  const a = e.actor && typeof e.actor === 'object' ? e.actor : { kind: e.actor_kind, name: e.actor };
  const kind = a.kind ? label('actor_', a.kind) : '';
  return a.name ? kind + ': ' + a.name : kind;
}

function candidateOf(e) {
  const c = e.candidate;
  if (c && typeof c === 'object') return c.registration_no || '';
  return c ? String(c) : '';
}

function examOf(e) {
  if (e.exam) return String(e.exam);
  return e.candidate && typeof e.candidate === 'object' && e.candidate.exam ? String(e.candidate.exam) : '';
}

const SHOWN = ['id', 'at', 'time', 'actor', 'actor_kind', 'candidate', 'exam', 'kind', 'hash', 'detail'];

/** The entry's own fields (an answer's n, label, flag, rev) and its detail, as compact JSON. */
function detailText(e) {
  const out = {};
  Object.keys(e).forEach((k) => {
    if (SHOWN.indexOf(k) < 0) out[k] = e[k];
  });
  if (e.detail && typeof e.detail === 'object') Object.keys(e.detail).forEach((k) => {
    out[k] = e.detail[k];
  });
  else if (e.detail !== null && e.detail !== undefined) out.detail = e.detail;
  return Object.keys(out).length ? JSON.stringify(out) : '';
}
