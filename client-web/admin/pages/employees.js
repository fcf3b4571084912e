// pages/employees.js - #/pegawai: the employee registry (issue 11): the list
// with search and filters by unit and position type, the export for Excel,
// and (admin) the imports of employees, SKP ratings and sanctions, each
// refused file listed line by line beside its text, as on the candidates
// page, and one SKP rating or sanction entered from a row. Each row links
// to the employee's talent profile on the committee pages.

import { h, fill } from '../dom.js';
import { request, query } from '../api.js';
import { t, addStrings, label } from '../i18n/index.js';
import { table, message, field, button, readText, uploadErrors } from './common.js';
import strings from '../i18n/employees.js';

addStrings(strings);

const TYPES = ['jpt', 'administrator', 'pengawas', 'fungsional', 'pelaksana'];
const ROWS_SHOWN = 500; // rows drawn at once (search narrows the rest)
const EXPORT = '/api/v1/staff/employees/export.csv';

const PREDIKAT = ['sangat_baik', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang'];
const LEVELS = ['light', 'moderate', 'heavy'];

const employeesApi = {
  list: () => request('GET', '/employees'),
  importFile: (kind, file) => request('POST', '/employees' + (kind ? '/' + kind : ''), { blob: file, type: 'text/csv' }),
  setSkp: (nip, year, predikat) => request('PUT', '/employees/' + encodeURIComponent(nip) + '/skp/' + encodeURIComponent(year), { predikat: predikat }),
  addSanction: (nip, body) => request('POST', '/employees/' + encodeURIComponent(nip) + '/sanctions', body),
};

/** A refused single entry: its field errors as one sentence (shown in the dialog). */
async function entry(call) {
  try {
    return await call();
  } catch (e) {
    if (e && e.errors && e.errors.length) {
      throw { code: 'entry_invalid', serverMessage: e.errors.map((x) => (x.field ? x.field + ': ' : '') + x.message).join(' · ') };
    }
    throw e;
  }
}

export async function render(ctx, root) {
  ctx.title(t('empTitle'), t('empKicker'));
  const isAdmin = ctx.hasRole('admin');
  const st = { list: [], units: [], q: '', unit: '', type: '' };

  const loading = root.appendChild(message(t('loading')));
  const d = await employeesApi.list();
  if (!ctx.alive()) return;
  root.removeChild(loading);
  st.list = d.employees || [];
  st.units = d.units || [];

  const summary = h('p', { class: 'summary', id: 'emp-summary', role: 'status' });
  const done = h('div', { id: 'emp-entry-result', tabindex: '-1' });
  const holder = h('div', { id: 'emp-table' });
  const search = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const unitSel = h('select');
  const typeSel = h('select', null, h('option', { value: '' }, t('empAll')),
    TYPES.map((x) => h('option', { value: x }, label('type_', x))));
  search.addEventListener('input', () => {
    st.q = search.value.trim().toLowerCase();
    draw();
  });
  unitSel.addEventListener('change', () => {
    st.unit = unitSel.value;
    draw();
  });
  typeSel.addEventListener('change', () => {
    st.type = typeSel.value;
    draw();
  });
  fillUnits();
  const { skpEntry, sanctionEntry } = entryDialogs(ctx, done);

  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'emp-list-title' },
    h('h2', { class: 'panel-title', id: 'emp-list-title' }, t('empList')),
    summary,
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-field' }, field('emp-search', t('empFilter'), search)),
      h('div', { class: 'toolbar-field' }, field('emp-unit', t('empUnit'), unitSel)),
      h('div', { class: 'toolbar-field' }, field('emp-type', t('empType'), typeSel))),
    h('div', { class: 'toolbar' },
      h('a', { class: 'button', id: 'emp-export', href: EXPORT + query({ sep: ';' }), download: '' }, t('empExport')),
      h('a', { class: 'button', id: 'emp-export-comma', href: EXPORT + query({ sep: ',' }), download: '' }, t('empExportComma'))),
    done, holder));
  if (isAdmin) root.appendChild(importPanel(ctx, st.list.length === 0, reload));
  draw();

  function fillUnits() {
    fill(unitSel, h('option', { value: '' }, t('empAll')), st.units.map((u) => h('option', { value: u }, u)));
    unitSel.value = st.units.indexOf(st.unit) >= 0 ? st.unit : '';
    st.unit = unitSel.value;
  }

  async function reload() {
    const r = await employeesApi.list();
    if (!ctx.alive()) return;
    st.list = r.employees || [];
    st.units = r.units || [];
    fillUnits();
    draw();
  }

  function draw() {
    const shown = st.list.filter((e) => (!st.unit || e.unit === st.unit) && (!st.type || e.position_type === st.type) &&
      (!st.q || (e.nip + ' ' + e.name).toLowerCase().indexOf(st.q) >= 0));
    summary.textContent = t('empSummary', { n: shown.length, total: st.list.length, units: st.units.length });
    const cols = [{ label: t('colNip') }, { label: t('colName') }, { label: t('colGrade') }, { label: t('colPosition') },
      { label: t('colPositionType') }, { label: t('colUnit') }, { label: t('colProfile') }];
    if (isAdmin) cols.push({ label: t('colActions') });
    const rows = shown.slice(0, ROWS_SHOWN).map((e) => {
      const cells = [
        h('span', { class: 'mono' }, e.nip), e.name, e.grade, e.position || '—', label('type_', e.position_type), e.unit || '—',
        h('a', { href: '/committee/#/pegawai/' + encodeURIComponent(e.nip), 'aria-label': t('empProfileOf', { name: e.name }) }, t('empProfileLink')),
      ];
      if (isAdmin) {
        cells.push(h('div', { class: 'row-actions' },
          button(t('empSkpButton'), () => skpEntry(e), { kind: 'small', aria: t('empSkpOf', { name: e.name }), data: { action: 'skp' } }),
          button(t('empSanctionButton'), () => sanctionEntry(e), { kind: 'small', aria: t('empSanctionOf', { name: e.name }), data: { action: 'sanction' } })));
      }
      return cells;
    });
    fill(holder,
      table(cols, rows, {
        caption: t('empCaption'),
        captionHidden: true,
        id: 'employees-table',
        stack: true,
        empty: st.list.length ? t('empNoMatch') : t('empEmpty'),
        rowAttrs: (i) => ({ dataset: { nip: shown[i].nip } }),
      }),
      shown.length > ROWS_SHOWN ? h('p', { class: 'hint' }, t('empMore', { shown: ROWS_SHOWN, n: shown.length })) : null);
  }
}

/* ---- single entries (admin) --------------------------------------------- */

/** The form of a dialog: Enter submits it. */
function dialogForm(children) {
  const form = h('form', { class: 'form', novalidate: true }, children);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    document.getElementById('dialog-confirm').click();
  });
  return form;
}

function entryDialogs(ctx, done) {
  async function skpEntry(e) {
    const year = h('input', { type: 'number', min: '2000', max: '2100', step: '1', inputmode: 'numeric', value: String(new Date().getFullYear()) });
    const pred = h('select', null, PREDIKAT.map((p) => h('option', { value: p }, label('predikat_', p))));
    pred.value = 'baik';
    const p = ctx.confirm({
      title: t('empSkpTitle'),
      body: dialogForm([h('p', null, t('empEntryWho', { name: e.name, nip: e.nip })),
        field('skp-year', t('empSkpYear'), year), field('skp-predikat', t('empSkpPredikat'), pred, t('empSkpHint'))]),
      confirm: t('save'),
      action: () => entry(() => employeesApi.setSkp(e.nip, year.value.trim() || '0', pred.value)),
    });
    setTimeout(() => year.focus(), 0);
    const r = await p;
    if (!r || !ctx.alive()) return;
    fill(done, message(t('empSkpSaved', { name: e.name, year: r.year, predikat: label('predikat_', r.predikat) }), 'ok'));
    done.focus();
  }

  async function sanctionEntry(e) {
    const type = h('input', { type: 'text', maxlength: '120', autocomplete: 'off' });
    const level = h('select', null, LEVELS.map((l) => h('option', { value: l }, label('level_', l))));
    const date = h('input', { type: 'date' });
    const note = h('input', { type: 'text', maxlength: '500', autocomplete: 'off' });
    const p = ctx.confirm({
      title: t('empSanctionTitle'),
      body: dialogForm([h('p', null, t('empEntryWho', { name: e.name, nip: e.nip })),
        field('sanction-type', t('empSanctionType'), type, t('empSanctionTypeHint')), field('sanction-level', t('empSanctionLevel'), level),
        field('sanction-date', t('empSanctionDate'), date), field('sanction-note', t('empSanctionNote'), note)]),
      confirm: t('save'),
      action: () => entry(() => employeesApi.addSanction(e.nip, { type: type.value.trim(), level: level.value, date: date.value, note: note.value.trim() })),
    });
    setTimeout(() => type.focus(), 0);
    const r = await p;
    if (!r || !ctx.alive()) return;
    fill(done, message(t(r.created ? 'empSanctionSaved' : 'empSanctionSame', { name: e.name }), 'ok'));
    done.focus();
  }
  return { skpEntry: skpEntry, sanctionEntry: sanctionEntry };
}

/* ---- imports (admin) ----------------------------------------------------- */

function importPanel(ctx, open, reload) {
  return h('details', { class: 'panel upload-panel', id: 'emp-import', open: open ? true : null },
    h('summary', { class: 'panel-title' }, t('empImportTitle')),
    h('p', { class: 'hint' }, t('empImportLead')),
    h('p', { class: 'hint' }, t('impNipNote')),
    importForm(ctx, '', 'impEmployees', 'impEmployeesCols', reload),
    importForm(ctx, 'skp', 'impSkp', 'impSkpCols', reload),
    importForm(ctx, 'sanctions', 'impSanctions', 'impSanctionsCols', reload));
}

/** One import: a file, a button, the result (counts, or every refused line). */
function importForm(ctx, kind, titleKey, colsKey, reload) {
  const id = 'imp-' + (kind || 'employees');
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain' });
  const out = h('div', { id: id + '-result', tabindex: '-1' });
  const submit = button(t('impSubmit'), null, { submit: true, kind: 'primary', data: { action: id } });
  const form = h('form', { class: 'form upload-form', novalidate: true, id: id + '-form' },
    field(id + '-file', t('impFile'), file, t(colsKey)),
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
      const r = await employeesApi.importFile(kind, f);
      if (!ctx.alive()) return;
      fill(out, message(t('impDone', { created: r.created || 0, updated: r.updated || 0, unchanged: r.unchanged || 0 }), 'ok'));
      form.reset();
      reload();
    } catch (e) {
      if (!ctx.alive()) return;
      fill(out, uploadErrors(e, text, 'impRefused'));
    } finally {
      submit.disabled = false;
      out.focus();
    }
  });
  return h('section', { class: 'import-block', 'aria-labelledby': id + '-title' },
    h('h3', { class: 'panel-subtitle', id: id + '-title' }, t(titleKey)),
    form, out);
}
