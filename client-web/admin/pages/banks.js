// pages/banks.js - #/bank (admin, author): the question banks (current
// version of each), uploading a bank (its JSON and the images it names) and
// creating an exam from its JSON file. Every error the server reports is
// listed; nothing is stored when any is found.

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, errorText, dateTime } from '../i18n/index.js';
import { table, message, field, button } from './common.js';

export async function render(ctx, root) {
  ctx.title(t('banksTitle'));
  const status = root.appendChild(message(t('loading')));
  const data = await api.banks();
  if (!ctx.alive()) return;
  root.removeChild(status);
  const holder = h('div', { id: 'banks-holder' });
  root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'banks-list-title' },
    h('h2', { class: 'panel-title', id: 'banks-list-title' }, t('banksList')), holder));
  draw(data.banks || []);
  root.appendChild(bankPanel(ctx, reload));
  root.appendChild(examPanel(ctx));

  function draw(banks) {
    fill(holder, table([{ label: t('colCode') }, { label: t('colBankTitle') }, { label: t('colVersion'), num: true },
      { label: t('colItems'), num: true }, { label: t('colImported') }],
    banks.map((b) => [h('a', { href: '#/bank/' + encodeURIComponent(b.code), 'aria-label': t('viewBankOf', { code: b.code }) }, b.code),
      b.title || '', String(b.version), String(b.items), dateTime(b.imported_at)]),
    { caption: t('banksList'), captionHidden: true, id: 'banks-table', empty: t('banksEmpty') }));
  }

  async function reload() {
    try {
      const d = await api.banks();
      if (ctx.alive()) draw(d.banks || []);
    } catch (e) {
      /* the upload's own message stands */
    }
  }
}

/** The image paths a bank names (item images and option images). */
function imagePaths(bank) {
  const out = [];
  const add = (p) => {
    if (typeof p === 'string' && out.indexOf(p) < 0) out.push(p);
  };
  (Array.isArray(bank.items) ? bank.items : []).forEach((it) => {
    if (it && Array.isArray(it.images)) it.images.forEach(add);
    if (it && Array.isArray(it.options)) it.options.forEach((o) => o && add(o.image));
  });
  return out;
}

function readAs(file, how) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    if (how === 'data') r.readAsDataURL(file);
    else r.readAsText(file);
  });
}

/** The server's errors, one line each (a report may hold several lines). */
function errorList(e) {
  const lines = [];
  (e.errors || []).forEach((x) => {
    String(x.message || '').split('\n').forEach((l) => {
      if (l.trim()) lines.push(l.trim());
    });
  });
  return h('div', null,
    message(errorText(e) + (e.serverMessage && !lines.length ? ' ' + e.serverMessage : ''), 'error'),
    lines.length ? h('ul', { class: 'error-list' }, lines.map((l) => h('li', null, l))) : null);
}

function reportBox(text) {
  return text ? h('pre', { class: 'report', tabindex: '0', 'aria-label': t('reportLabel') }, text) : null;
}

function bankPanel(ctx, reload) {
  const json = h('input', { type: 'file', accept: '.json,application/json' });
  const images = h('input', { type: 'file', multiple: true, accept: 'image/png,image/jpeg,image/svg+xml,.svg,.png,.jpg,.jpeg' });
  const out = h('div', { id: 'bank-result', tabindex: '-1' });
  const submit = button(t('bankUpload'), null, { submit: true, kind: 'primary', data: { action: 'bank-upload' } });
  const form = h('form', { class: 'form', novalidate: true },
    field('bank-json', t('bankJson'), json, t('bankJsonHint')),
    field('bank-images', t('bankImages'), images, t('bankImagesHint')),
    submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = json.files && json.files[0];
    if (!f) {
      fill(out, message(t('bankNoFile'), 'error'));
      json.focus();
      return;
    }
    submit.disabled = true;
    fill(out, message(t('uploadBusy')));
    try {
      const text = await readAs(f, 'text');
      let bank = null;
      try {
        bank = JSON.parse(text);
      } catch (e) {
        bank = null; // the server names the JSON error precisely
      }
      // Images by the path the bank names, matched to the chosen files by name.
      const chosen = {};
      Array.prototype.forEach.call(images.files || [], (file) => {
        chosen[file.name] = file;
      });
      const body = { bank: text };
      const paths = bank ? imagePaths(bank) : [];
      const missing = [];
      if (paths.length) body.images = {};
      for (let i = 0; i < paths.length; i++) {
        const base = paths[i].split('/').pop();
        if (!chosen[base]) {
          missing.push(paths[i]);
          continue;
        }
        const url = await readAs(chosen[base], 'data');
        body.images[paths[i]] = url.slice(url.indexOf(',') + 1);
      }
      if (missing.length) {
        fill(out, message(t('bankImagesMissing', { list: missing.join(', ') }), 'error'));
        return;
      }
      const r = await api.uploadBank(body);
      if (!ctx.alive()) return;
      fill(out, message(t('bankDone'), 'ok'), reportBox(r.report));
      form.reset();
      reload();
    } catch (e) {
      if (ctx.alive()) fill(out, errorList(e));
    } finally {
      submit.disabled = false;
      out.focus();
    }
  });
  return h('details', { class: 'panel', id: 'bank-panel' },
    h('summary', { class: 'panel-title' }, t('bankUploadTitle')),
    h('p', { class: 'hint' }, t('bankUploadLead')),
    form, out);
}

function examPanel(ctx) {
  const json = h('input', { type: 'file', accept: '.json,application/json' });
  const out = h('div', { id: 'exam-result', tabindex: '-1' });
  const submit = button(t('examCreate'), null, { submit: true, kind: 'primary', data: { action: 'exam-create' } });
  const form = h('form', { class: 'form', novalidate: true }, field('exam-json', t('examJson'), json, t('examJsonHint')), submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = json.files && json.files[0];
    if (!f) {
      fill(out, message(t('bankNoFile'), 'error'));
      json.focus();
      return;
    }
    submit.disabled = true;
    fill(out, message(t('uploadBusy')));
    try {
      const r = await api.createExam(f);
      if (!ctx.alive()) return;
      fill(out, message(t('examDone'), 'ok'), reportBox(r.report), h('p', null, h('a', { href: '#/ujian' }, t('backToExams'))));
      form.reset();
    } catch (e) {
      if (ctx.alive()) fill(out, errorList(e));
    } finally {
      submit.disabled = false;
      out.focus();
    }
  });
  return h('details', { class: 'panel', id: 'exam-panel' },
    h('summary', { class: 'panel-title' }, t('examCreateTitle')),
    h('p', { class: 'hint' }, t('examCreateLead')),
    form, out);
}
