// render/login.js - the login form: the exam chooser (GET /exams/open, plus
// ?exam=CODE even when it is not listed; with several open exams its first
// entry, "Otomatis", leaves the exam to the server, which finds the one
// holding the number and password), the sitting-token field (shown when the
// chosen exam needs one, or when the server asks for it) and errors.

import { t, errorText } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

let exams = null; // [{code, title, token_required}] or null (not loaded)
let examsState = 'loading'; // loading | ok | error
let wanted = ''; // exam code to preselect
let tokenForced = false; // the server said token_required
let errorKey = null; // {key} | {err}
let busy = false; // a login request is under way

function optionEl(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

export function setWantedExam(code) {
  wanted = code || '';
}

export function setExams(list, state) {
  exams = list;
  examsState = state;
  drawExams();
}

function chosenExam() {
  const code = $('login-exam').value;
  if (!exams) return null;
  for (let i = 0; i < exams.length; i++) if (exams[i].code === code) return exams[i];
  return null;
}

export function drawExams() {
  const sel = $('login-exam');
  const keep = sel.value || wanted;
  sel.textContent = '';
  const list = exams || [];
  let found = false;
  if (!(list.length === 1 && (!keep || keep === list[0].code)))
    sel.appendChild(optionEl('', t(examsState === 'loading' ? 'examChoose' : 'examAuto')));
  for (let i = 0; i < list.length; i++) {
    sel.appendChild(optionEl(list[i].code, list[i].title ? list[i].code + ' — ' + list[i].title : list[i].code));
    if (list[i].code === keep) found = true;
  }
  if (keep && !found) sel.appendChild(optionEl(keep, t('examNotListed', { code: keep })));
  sel.value = keep || (list.length === 1 ? list[0].code : '');

  const status = $('login-exams-status');
  if (examsState === 'loading') status.textContent = t('examsLoading');
  else if (examsState === 'error') status.textContent = t('examsError');
  else if (list.length === 0 && !keep) status.textContent = t('examsEmpty');
  else status.textContent = '';
  $('login-exams-retry').hidden = examsState !== 'error';
  drawToken();
}

export function drawToken() {
  const ex = chosenExam();
  $('login-token-field').hidden = !(tokenForced || (ex && ex.token_required));
}

export function forceToken() {
  tokenForced = true;
  drawToken();
}

export function resetToken() {
  tokenForced = false;
  drawToken();
}

/** Several exams to choose from (a wrong pick is worth a hint). */
export function severalExams() {
  return !!exams && exams.length > 1;
}

export function tokenVisible() {
  return !$('login-token-field').hidden;
}

export function showLoginError(what) {
  errorKey = what || null;
  drawLoginError();
}

function drawLoginError() {
  const el = $('login-error');
  if (!errorKey) el.textContent = '';
  else if (errorKey.key) el.textContent = t(errorKey.key);
  else el.textContent = errorText(errorKey.err) + (errorKey.hint ? ' ' + t(errorKey.hint) : '');
}

export function setLoginBusy(on) {
  busy = on;
  drawSubmit();
}

export function loginBusy() {
  return busy;
}

function drawSubmit() {
  const b = $('login-submit');
  b.setAttribute('aria-disabled', busy ? 'true' : 'false');
  b.textContent = busy ? t('loginBusy') : t('loginSubmit');
}

export function relabelLogin() {
  drawExams();
  drawLoginError();
  drawSubmit();
}
