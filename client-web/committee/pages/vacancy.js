// pages/vacancy.js - #/seleksi/SEL/VAC: one vacancy's pipeline, live. The
// funnel (applicants per stage), the ranking and the top-three proposal
// with the PPK's choice (admin or the chair records it), the score table
// with every member's entry per stage, the score entry form of the logged-in
// member (a reason is required to change an existing entry), the gate
// decisions with reasons, the talent-pool alternative, the print pages and
// the ranking export. The stream GET /selections/SEL/events refreshes it.

import { h, fill } from '../../admin/dom.js';
import { t, label, errorText, dateTime } from '../i18n/index.js';
import { api, streamUrl, downloads } from '../api.js';
import { num, liveBadge, errorList, sortableTable } from '../ui.js';
import { openStream } from '../live.js';
import { funnelSvg } from '../funnel.js';
import { talentCols } from './pool.js';

/** Applicants in ranking order: ranked first, then active, then out. */
export function ordered(applicants) {
  return applicants.slice().sort((a, b) => {
    const ra = a.rank || 1e9;
    const rb = b.rank || 1e9;
    if (ra !== rb) return ra - rb;
    if ((a.status === 'out') !== (b.status === 'out')) return a.status === 'out' ? 1 : -1;
    return String(a.name).localeCompare(String(b.name), 'id');
  });
}

/** A stage's cell text for print pages: score, gate outcome or '—'. */
export function stageText(st, s) {
  if (!s) return '—';
  if (st.gate) return s.passed === true ? t('gatePass') : s.passed === false ? t('gateFail') : '—';
  return s.score === null || s.score === undefined ? '—' : num(s.score);
}

export async function render(ctx, root, params) {
  const sc = params[0];
  const vc = params[1];
  const got = await Promise.all([api.selection(sc), api.vacancy(sc, vc)]);
  if (!ctx.alive()) return;
  let sel = got[0];
  let vac = got[1];
  const s = sel.selection || {};
  const me = sel.me || {};
  const v = vac.vacancy || {};
  const closed = s.status === 'closed' || !!s.closed_at;
  const member = !!me.member;
  const canChoose = ctx.hasRole('admin') || me.role === 'chair';
  ctx.title(v.position || vc, s.name || sc);

  const badge = liveBadge();
  const base = encodeURIComponent(sc) + '/' + encodeURIComponent(vc);
  root.appendChild(h('div', { class: 'toolbar no-print' },
    h('a', { class: 'button', href: '#/seleksi/' + encodeURIComponent(sc) }, t('backToSelection')),
    h('a', { class: 'button', id: 'print-minutes', href: '#/cetak/berita-acara/' + base }, t('printMinutes')),
    h('a', { class: 'button', id: 'print-proposal', href: '#/cetak/usulan/' + base }, t('printProposal')),
    h('a', { class: 'button', id: 'ranking-csv', download: '', href: downloads.rankingCsv(sc, vc, true) }, t('exportRanking')),
    member && !closed ? h('button', { type: 'button', class: 'button primary', id: 'goto-entry', on: { click: () => {
      const el = document.getElementById('entry-applicant');
      if (el) {
        el.scrollIntoView();
        el.focus();
      }
    } } }, t('gotoEntry')) : null,
    badge.el));
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'vac-facts' },
    h('h2', { class: 'panel-title', id: 'vac-facts' }, t('vacancyFacts')),
    h('dl', { class: 'facts' },
      h('dt', null, t('colUnit')), h('dd', null, v.unit || '—'),
      h('dt', null, t('colMinGrade')), h('dd', null, v.min_grade || '—'),
      h('dt', null, t('colOpenings')), h('dd', null, String(v.openings || 1)),
      h('dt', null, t('colRequirements')), h('dd', null, v.requirements || '—'),
      h('dt', null, t('colYou')), h('dd', { id: 'vac-me' }, member ? label('memberRole_', me.role) : t('notMember'))),
    closed ? h('p', { class: 'message', id: 'closed-note', dataset: { state: 'info' } }, t('selectionClosed')) : null));

  const funnelBox = h('div', { id: 'funnel' });
  const proposalBox = h('div', { id: 'proposal' });
  const ppkBox = h('div', { id: 'ppk' });
  const tableBox = h('div', { id: 'scores' });
  root.appendChild(h('div', { class: 'two-col' },
    h('section', { class: 'panel', 'aria-labelledby': 'funnel-title' }, h('h2', { class: 'panel-title', id: 'funnel-title' }, t('funnelTitle')), funnelBox),
    h('section', { class: 'panel', 'aria-labelledby': 'proposal-title' }, h('h2', { class: 'panel-title', id: 'proposal-title' }, t('proposalTitle')), proposalBox, ppkBox)));
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'scores-title' },
    h('h2', { class: 'panel-title', id: 'scores-title' }, t('scoresTitle')),
    h('p', { class: 'hint' }, t('scoresHint')),
    h('p', { class: 'hint', id: 'initials' }, t('initialsLegend', { list: (vac.members || s.members || []).map((m) => initials(m.name || m.username) + ' = ' + (m.name || m.username)).join('; ') })),
    tableBox));

  // The member's entry form and the gate form.
  const forms = member && !closed ? entryForms() : null;
  if (forms) root.appendChild(forms.el);
  else root.appendChild(h('p', { class: 'message', id: 'entry-none', dataset: { state: 'info' } }, closed ? t('selectionClosed') : t('entryNotMember')));

  // Every entry and change of this vacancy's scores and decisions (the audit log).
  const auditOut = h('div', { id: 'audit-out' });
  const auditBox = h('details', { class: 'panel audit-panel', id: 'audit' },
    h('summary', { class: 'panel-title' }, t('auditTitle')),
    h('p', { class: 'hint' }, t('auditHint')), auditOut);
  auditBox.addEventListener('toggle', () => {
    if (auditBox.open) loadAudit();
  });
  root.appendChild(auditBox);

  async function loadAudit() {
    try {
      const d = await api.audit(sc);
      if (!ctx.alive()) return;
      const list = (d.entries || []).filter((e) => !e.vacancy || e.vacancy === vc).slice().reverse();
      fill(auditOut, sortableTable([
        { key: 'at', label: t('colTime'), cell: (e) => dateTime(e.at), cls: 'nowrap' },
        { key: 'name', label: t('colMember'), cell: (e) => e.name || e.username || '' },
        { key: 'applicant_name', label: t('colApplicant'), cell: (e) => e.applicant_name || nameOf(e.applicant) },
        { key: 'stage', label: t('colStage'), cell: (e) => stageName(e.stage) },
        { key: 'change', label: t('colChange'), sort: false, cell: (e) => auditValue(e.old) + ' → ' + auditValue(e.new) },
        { key: 'reason', label: t('colReasonChange') },
      ], list, { id: 'audit-table', caption: t('auditTitle'), empty: t('auditEmpty') }).el);
    } catch (e) {
      if (ctx.alive()) fill(auditOut, errorList(e, errorText));
    }
  }

  function auditValue(v) {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return v ? t('gatePass') : t('gateFail');
    if (typeof v === 'number') return num(v);
    return String(v);
  }

  // The talent-pool alternative.
  const talentOut = h('div', { id: 'talent-alt' });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'talent-title' },
    h('h2', { class: 'panel-title', id: 'talent-title' }, t('talentAltTitle')),
    h('p', { class: 'hint' }, t('talentAltHint')),
    h('button', { type: 'button', class: 'button', id: 'talent-alt-show', on: { click: async () => {
      fill(talentOut, h('p', { class: 'message' }, t('loading')));
      try {
        const d = await api.vacancyTalent(sc, vc);
        if (!ctx.alive()) return;
        fill(talentOut, h('p', { class: 'hint' }, t('talentAltPeriod', { period: d.period || '—' })),
          sortableTable(talentCols(), (d.candidates || []).map((r, i) => Object.assign({ order: i + 1 }, r)), { id: 'talent-alt-table', caption: t('talentAltTitle'), sort: { key: 'order', dir: 1 }, empty: t('succEmpty') }).el);
      } catch (e) {
        fill(talentOut, errorList(e, errorText));
      }
    } } }, t('talentAltShow')), talentOut));

  function stages() {
    return vac.stages || [];
  }

  function renderAll() {
    // The vacancy's own summary carries the funnel; else the selection's.
    const sv = vac.vacancy && vac.vacancy.funnel ? vac.vacancy : (sel.vacancies || []).filter((x) => x.code === vc)[0] || {};
    fill(funnelBox, funnelSvg(sv.funnel || [], t('funnelOf', { name: v.position || vc })));
    renderProposal();
    renderTable();
    if (forms) forms.refresh();
    if (auditBox.open) loadAudit();
  }

  function renderProposal() {
    const prop = vac.proposal || [];
    const ppk = vac.ppk;
    fill(proposalBox, prop.length
      ? h('ol', { class: 'proposal-list', id: 'proposal-list' }, prop.map((p) => h('li', { dataset: { applicant: p.applicant, rank: p.rank }, class: ppk && ppk.applicant === p.applicant ? 'chosen' : null },
        h('span', { class: 'p-name' }, p.name), ' ', h('span', { class: 'p-final' }, t('finalScore', { v: num(p.final) })),
        ppk && ppk.applicant === p.applicant ? h('span', { class: 'badge ok' }, t('ppkChosen')) : null)))
      : h('p', { class: 'message empty' }, t('proposalNone')));
    fill(ppkBox, ppk ? h('p', { class: 'message', id: 'ppk-done', dataset: { state: 'ok' } },
      t('ppkRecorded', { rank: ppk.rank, name: nameOf(ppk.applicant), by: ppk.by || '', at: dateTime(ppk.at) }) + (ppk.note ? ' ' + t('ppkNote', { note: ppk.note }) : '')) : null);
    if (canChoose && !closed && prop.length) ppkBox.appendChild(ppkForm(prop));
  }

  function nameOf(id) {
    const a = (vac.applicants || []).filter((x) => x.id === id)[0];
    return a ? a.name : String(id);
  }

  function ppkForm(prop) {
    const err = h('div', { class: 'form-errors', 'aria-live': 'polite' });
    const note = h('textarea', { id: 'ppk-note', rows: '2' });
    const radios = prop.map((p) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'ppk-pick', value: String(p.applicant), checked: vac.ppk ? vac.ppk.applicant === p.applicant : p.rank === 1 }), ' ', '#' + p.rank + ' ' + p.name));
    return h('form', { class: 'ppk-form', id: 'ppk-form', on: { submit: async (ev) => {
      ev.preventDefault();
      fill(err);
      const picked = ppkBox.querySelector('input[name="ppk-pick"]:checked');
      const id = picked ? Number(picked.value) : null;
      const p = prop.filter((x) => x.applicant === id)[0];
      if (p && p.rank !== 1 && !note.value.trim()) {
        err.appendChild(h('p', { class: 'message', role: 'alert', dataset: { state: 'error' } }, t('ppkNoteRequired')));
        note.focus();
        return;
      }
      try {
        await api.ppk(sc, vc, { applicant: id, note: note.value.trim() });
        if (!ctx.alive()) return;
        await reload();
        ctx.announce(t('ppkSaved'));
      } catch (e) {
        if (ctx.alive()) err.appendChild(errorList(e, errorText));
      }
    } } },
    h('fieldset', null, h('legend', null, t('ppkLegend')), radios),
    h('div', { class: 'field' }, h('label', { for: 'ppk-note' }, t('ppkNoteLabel')), note, h('p', { class: 'field-hint' }, t('ppkNoteHint'))),
    h('button', { type: 'submit', class: 'button primary', id: 'ppk-save' }, t('ppkSave')), err);
  }

  function renderTable() {
    const st = stages();
    const members = vac.members || s.members || [];
    const head = h('tr', null,
      h('th', { scope: 'col', class: 'num' }, t('colRank')),
      h('th', { scope: 'col' }, t('colApplicant')),
      st.map((x) => h('th', { scope: 'col', class: 'num' }, x.name || x.code, h('span', { class: 'th-sub' }, x.gate ? t('gate') : x.weight ? x.weight + '%' : ''))),
      h('th', { scope: 'col', class: 'num' }, t('colFinal')),
      h('th', { scope: 'col' }, t('colStatus')));
    // On phones the table becomes one card per applicant (admin.css "stack"):
    // every cell says its column's name (data-label).
    const body = ordered(vac.applicants || []).map((a) => h('tr', { dataset: { applicant: a.id }, class: a.status === 'out' ? 'out' : null },
      h('td', { class: 'num rank', 'data-label': t('colRank') }, a.rank ? String(a.rank) : '—'),
      h('th', { scope: 'row', class: 'applicant', 'data-label': t('colApplicant') }, h('span', { class: 'cell-in' }, a.name,
        h('span', { class: 'sub' }, (a.kind === 'external' ? t('external') : t('internal')) + (a.origin ? ' · ' + a.origin : '')))),
      st.map((x) => labelled(stageCell(x, (a.stages || {})[x.code], members, a.status === 'out'), x.name || x.code)),
      h('td', { class: 'num final', 'data-label': t('colFinal') }, num(a.final)),
      h('td', { class: 'status', 'data-label': t('colStatus') }, a.status === 'out' ? t('outAt', { stage: stageName(a.out_stage), reason: a.out_reason || '' }) : t('active'))));
    fill(tableBox, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('scoresTitle') },
      h('table', { class: 'data-table score-table stack', id: 'score-table' }, h('caption', { class: 'visually-hidden' }, t('scoresTitle')), h('thead', null, head), h('tbody', null, body))));
  }

  function labelled(td, name) {
    td.setAttribute('data-label', name);
    return td;
  }

  function stageName(code) {
    const x = stages().filter((y) => y.code === code)[0];
    return x ? x.name || x.code : code || '';
  }

  function stageCell(st, s, members, out) {
    if (!s) return h('td', { class: 'num' }, '—');
    if (st.gate && s.passed === null) return h('td', { class: 'gate-cell', dataset: { stage: st.code } }, '—');
    if (!st.gate && out && s.score === null && !(s.entries || []).length) return h('td', { class: 'num', dataset: { stage: st.code } }, '—');
    if (st.gate) {
      return h('td', { class: 'gate-cell', dataset: { stage: st.code }, title: s.reason || null }, h('span', { class: 'cell-in' },
        h('span', { class: 'badge ' + (s.passed === true ? 'ok' : s.passed === false ? 'warn' : '') }, s.passed === true ? t('gatePass') : s.passed === false ? t('gateFail') : '—'),
        s.reason ? h('span', { class: 'sub' }, s.reason) : null));
    }
    const entries = s.entries || [];
    return h('td', { class: 'num score-cell' + (s.complete ? '' : ' incomplete'), dataset: { stage: st.code } }, h('span', { class: 'cell-in' },
      h('span', { class: 'score' }, num(s.score)),
      s.source === 'exam' ? h('span', { class: 'sub' }, t('fromExam')) : h('span', { class: 'entries' }, members.map((m) => {
        const e = entries.filter((x) => x.username === m.username)[0];
        return h('span', { class: 'entry', dataset: { member: m.username }, title: e ? (m.name || m.username) + ': ' + num(e.score) + ' (' + dateTime(e.at) + ')' : (m.name || m.username) + ': —' },
          initials(m.name || m.username) + ' ' + (e ? num(e.score) : '–'));
      }))));
  }

  function entryForms() {
    const err = h('div', { class: 'form-errors', id: 'entry-errors' });
    const okMsg = h('p', { class: 'message', id: 'entry-ok', role: 'status', dataset: { state: 'ok' }, hidden: true });
    const app = h('select', { id: 'entry-applicant' });
    const stage = h('select', { id: 'entry-stage' });
    const score = h('input', { type: 'number', id: 'entry-score', min: '0', max: '100', step: '0.01', inputmode: 'decimal' });
    const reason = h('textarea', { id: 'entry-reason', rows: '2', 'aria-describedby': 'entry-current' });
    const current = h('p', { class: 'field-hint', id: 'entry-current' });
    const gErr = h('div', { class: 'form-errors', id: 'gate-errors' });
    const gOk = h('p', { class: 'message', id: 'gate-ok', role: 'status', dataset: { state: 'ok' }, hidden: true });
    const gApp = h('select', { id: 'gate-applicant' });
    const gStage = h('select', { id: 'gate-stage' });
    const gPass = h('input', { type: 'radio', name: 'gate-passed', id: 'gate-pass', value: '1', checked: true });
    const gFail = h('input', { type: 'radio', name: 'gate-passed', id: 'gate-fail', value: '0' });
    const gReason = h('textarea', { id: 'gate-reason', rows: '2' });

    function mine() {
      const a = (vac.applicants || []).filter((x) => String(x.id) === app.value)[0];
      const s = a && a.stages ? a.stages[stage.value] : null;
      return s ? (s.entries || []).filter((e) => e.username === ctx.me.username)[0] || null : null;
    }
    function showCurrent() {
      const e = mine();
      current.textContent = e ? t('entryCurrent', { v: num(e.score), at: dateTime(e.at) }) : t('entryFirst');
      reason.required = !!e;
      reason.setAttribute('aria-required', e ? 'true' : 'false');
    }
    function options(sel, list, keep) {
      const was = sel.value;
      fill(sel, list.map((o) => h('option', { value: o.value }, o.text)));
      if (keep && list.some((o) => o.value === was)) sel.value = was;
    }
    function refresh() {
      const active = ordered(vac.applicants || []).filter((a) => a.status !== 'out');
      options(app, active.map((a) => ({ value: String(a.id), text: a.name })), true);
      options(stage, stages().filter((x) => !x.gate && !x.source && x.weight > 0).map((x) => ({ value: x.code, text: x.name || x.code })), true);
      options(gApp, ordered(vac.applicants || []).map((a) => ({ value: String(a.id), text: a.name })), true);
      options(gStage, stages().filter((x) => x.gate).map((x) => ({ value: x.code, text: x.name || x.code })), true);
      showCurrent();
    }
    app.addEventListener('change', showCurrent);
    stage.addEventListener('change', showCurrent);

    async function submitScore(ev) {
      ev.preventDefault();
      fill(err);
      okMsg.hidden = true;
      const problems = [];
      const v = score.value === '' ? NaN : Number(score.value);
      if (isNaN(v) || v < 0 || v > 100) problems.push(t('scoreRange'));
      const had = mine();
      if (had && !reason.value.trim()) problems.push(t('reasonRequired'));
      if (problems.length) {
        err.appendChild(h('div', { class: 'message', role: 'alert', dataset: { state: 'error' } }, h('ul', { class: 'error-list' }, problems.map((p) => h('li', null, p)))));
        (had && !reason.value.trim() ? reason : score).focus();
        return;
      }
      try {
        await api.score(sc, { applicant: Number(app.value), stage: stage.value, score: v, reason: reason.value.trim() });
        if (!ctx.alive()) return;
        okMsg.textContent = t('entrySaved', { name: app.options[app.selectedIndex].text, stage: stage.options[stage.selectedIndex].text, v: num(v) });
        okMsg.hidden = false;
        reason.value = '';
        await reload();
      } catch (e) {
        if (ctx.alive()) err.appendChild(errorList(e, errorText));
      }
    }

    async function submitGate(ev) {
      ev.preventDefault();
      fill(gErr);
      gOk.hidden = true;
      if (gFail.checked && !gReason.value.trim()) {
        gErr.appendChild(h('p', { class: 'message', role: 'alert', dataset: { state: 'error' } }, t('gateReasonRequired')));
        gReason.focus();
        return;
      }
      try {
        await api.gate(sc, { applicant: Number(gApp.value), stage: gStage.value, passed: gPass.checked, reason: gReason.value.trim() });
        if (!ctx.alive()) return;
        gOk.textContent = t('gateSaved');
        gOk.hidden = false;
        gReason.value = '';
        await reload();
      } catch (e) {
        if (ctx.alive()) gErr.appendChild(errorList(e, errorText));
      }
    }

    const el = h('div', { class: 'two-col no-print' },
      h('section', { class: 'panel', 'aria-labelledby': 'entry-title' },
        h('h2', { class: 'panel-title', id: 'entry-title' }, t('entryTitle')),
        h('p', { class: 'hint' }, t('entryHint', { name: ctx.me.name || ctx.me.username })),
        h('form', { id: 'entry-form', class: 'stack-form', novalidate: true, on: { submit: submitScore } },
          h('div', { class: 'field' }, h('label', { for: 'entry-applicant' }, t('colApplicant')), app),
          h('div', { class: 'field' }, h('label', { for: 'entry-stage' }, t('colStage')), stage),
          h('div', { class: 'field' }, h('label', { for: 'entry-score' }, t('entryScore')), score),
          h('div', { class: 'field' }, h('label', { for: 'entry-reason' }, t('entryReason')), reason, current),
          h('button', { type: 'submit', class: 'button primary', id: 'entry-save' }, t('entrySave'))),
        err, okMsg),
      h('section', { class: 'panel', 'aria-labelledby': 'gate-title' },
        h('h2', { class: 'panel-title', id: 'gate-title' }, t('gateTitle')),
        h('p', { class: 'hint' }, t('gateHint')),
        h('form', { id: 'gate-form', class: 'stack-form', novalidate: true, on: { submit: submitGate } },
          h('div', { class: 'field' }, h('label', { for: 'gate-applicant' }, t('colApplicant')), gApp),
          h('div', { class: 'field' }, h('label', { for: 'gate-stage' }, t('colStage')), gStage),
          h('fieldset', { class: 'choice inline' }, h('legend', null, t('gateDecision')),
            h('label', { class: 'check' }, gPass, ' ', t('gatePass')), h('label', { class: 'check' }, gFail, ' ', t('gateFail'))),
          h('div', { class: 'field' }, h('label', { for: 'gate-reason' }, t('gateReason')), gReason),
          h('button', { type: 'submit', class: 'button primary', id: 'gate-save' }, t('gateSave'))),
        gErr, gOk));
    return { el: el, refresh: refresh };
  }

  async function reload() {
    const g = await Promise.all([api.selection(sc), api.vacancy(sc, vc)]);
    if (!ctx.alive()) return;
    sel = g[0];
    vac = g[1];
    renderAll();
  }

  renderAll();
  const stream = openStream(streamUrl.selection(sc), ['snapshot', 'vacancy'], {
    status: badge.set,
    snapshot: (d) => {
      if (d && d.vacancies) {
        sel = Object.assign({}, d, { me: sel.me }); // the stream does not fill "me"
        renderAll();
      }
    },
    vacancy: (d) => {
      if (!d || !d.vacancy || d.vacancy.code !== vc) return;
      vac = d;
      renderAll();
      if (d.vacancy.funnel) return;
      api.selection(sc).then((x) => {
        if (!ctx.alive()) return;
        sel = x;
        renderAll();
      }).catch(() => {});
    },
  });
  ctx.onLeave(() => stream.close());
}

function initials(name) {
  const words = String(name).replace(/^(Prof\.|Dr\.|Ir\.|Drs\.|H\.|Hj\.)\s*/g, '').replace(/(Prof\.|Dr\.|Ir\.)\s*/g, '').split(/[\s,]+/).filter((w) => w && !/\./.test(w));
  return words.slice(0, 2).map((w) => w[0].toUpperCase()).join('') || String(name).slice(0, 2);
}
