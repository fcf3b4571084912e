// i18n/index.js - the UI language of the administration pages: the choice
// (localStorage `ujian.lang`, shared with the front page and the candidate
// page), string lookup, date and number formats, sentences for API errors,
// and the texts of elements marked data-i18n (textContent), data-i18n-label
// (aria-label) and data-i18n-title (title).
import id from './id.js';
import en from './en.js';

export const DEFAULT_LANG = 'id';
// Copies: addStrings() below merges another page's tables into them.
const STRINGS = { id: Object.assign({}, id), en: Object.assign({}, en) };
const LOCALES = { id: 'id-ID', en: 'en-GB' };
const STORAGE_KEY = 'ujian.lang';

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

let lang = DEFAULT_LANG;

export function loadLang() {
  let v = null;
  try {
    v = window.localStorage.getItem(STORAGE_KEY);
  } catch (e) {
    v = null;
  }
  lang = v && has(STRINGS, v) ? v : DEFAULT_LANG;
  return lang;
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!has(STRINGS, next)) return false;
  lang = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch (e) {
    /* the choice lasts for this page only */
  }
  return true;
}

/** Add another page's strings (tables: {id: {...}, en: {...}}), e.g. the
 *  proctor pages, which share this module (one language choice, one set of
 *  error sentences, and dialog.js's labels). A key already present keeps its
 *  text unless replace is true. */
export function addStrings(tables, replace) {
  Object.keys(STRINGS).forEach((l) => {
    const add = tables[l] || {};
    Object.keys(add).forEach((k) => {
      if (replace || !has(STRINGS[l], k)) STRINGS[l][k] = add[k];
    });
  });
}

/** The string for key in the current language, {name} placeholders filled. */
export function t(key, vars) {
  let s = has(STRINGS[lang], key) ? STRINGS[lang][key] : has(STRINGS[DEFAULT_LANG], key) ? STRINGS[DEFAULT_LANG][key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (has(vars, name) ? String(vars[name]) : m));
  return s;
}

/** The label of an enumerated value (role, finish reason, status, actor
 *  kind): the string prefix + value, or the value itself when unknown. */
export function label(prefix, value) {
  const key = prefix + value;
  return has(STRINGS[DEFAULT_LANG], key) ? t(key) : String(value);
}

/** True when key is a known string (for optional per-code texts). */
export function hasText(key) {
  return has(STRINGS[DEFAULT_LANG], key);
}

/** A wait in whole minutes, or seconds under a minute ("3 menit", "40 detik"). */
export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return t('seconds', { n: s });
  return t('minutes', { n: Math.ceil(s / 60) });
}

/** A sentence for an API error (or a transport failure); see api.js. */
export function errorText(err) {
  if (err && err.code) {
    const key = 'err_' + err.code;
    if (err.code === 'too_many_attempts' && err.retryAfter > 0) return t('err_too_many_attempts_wait', { wait: waitText(err.retryAfter) });
    if (has(STRINGS[DEFAULT_LANG], key)) return t(key);
    return err.serverMessage || t('err_unknown', { code: err.code });
  }
  switch (err && err.kind) {
    case 'network':
      return t('netNetwork');
    case 'timeout':
      return t('netTimeout', { seconds: err.seconds || 15 });
    case 'http':
      return t('netHttp', { status: err.status });
    default:
      return t('netFormat');
  }
}

/** A server time (milliseconds, seconds or an ISO string) as local date and time; '' when absent. */
export function dateTime(v) {
  const d = toDate(v);
  if (!d) return v === null || v === undefined ? '' : String(v);
  const pad = (n) => (n < 10 ? '0' : '') + n;
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** A long date for exam cards ("Senin, 7 Desember 2026"). */
export function longDate(v) {
  const d = toDate(v);
  if (!d) return '';
  try {
    return d.toLocaleDateString(LOCALES[lang], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  } catch (e) {
    return dateTime(v).slice(0, 10);
  }
}

export function toDate(v) {
  if (v === null || v === undefined || v === '') return null;
  let d;
  if (typeof v === 'number') d = new Date(v < 1e11 ? v * 1000 : v);
  else d = new Date(String(v));
  return isNaN(d.getTime()) ? null : d;
}

/** Fill every element marked data-i18n / data-i18n-label / data-i18n-title. */
export function applyStatic(root) {
  const doc = root || document;
  const nodes = doc.querySelectorAll('[data-i18n]');
  for (let i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
  const labelled = doc.querySelectorAll('[data-i18n-label]');
  for (let i = 0; i < labelled.length; i++) labelled[i].setAttribute('aria-label', t(labelled[i].getAttribute('data-i18n-label')));
  const titled = doc.querySelectorAll('[data-i18n-title]');
  for (let i = 0; i < titled.length; i++) titled[i].title = t(titled[i].getAttribute('data-i18n-title'));
  document.documentElement.lang = lang;
}
