// i18n/index.js - the UI language: which one is chosen (localStorage
// `ujian.lang`, shared with the landing page), string lookup, and the texts of
// elements marked data-i18n (textContent), data-i18n-label (aria-label) and
// data-i18n-title (title).
import id from './id.js';
import en from './en.js';
import { getItem, setItem } from '../storage.js';

export const DEFAULT_LANG = 'id';
const STRINGS = { id: id, en: en };
const LOCALES = { id: 'id-ID', en: 'en-GB' };
const STORAGE_KEY = 'ujian.lang';

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

let lang = DEFAULT_LANG;

export function loadLang() {
  const v = getItem(STORAGE_KEY);
  lang = v && has(STRINGS, v) ? v : DEFAULT_LANG;
  return lang;
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!has(STRINGS, next)) return false;
  lang = next;
  setItem(STORAGE_KEY, next);
  return true;
}

export function locale() {
  return LOCALES[lang];
}

/** The string for key in the current language, with {name} placeholders filled. */
export function t(key, vars) {
  let s = has(STRINGS[lang], key) ? STRINGS[lang][key] : has(STRINGS[DEFAULT_LANG], key) ? STRINGS[DEFAULT_LANG][key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (has(vars, name) ? String(vars[name]) : m));
  return s;
}

/** A sentence for an API error code (or a transport failure); see api.js. */
export function errorText(err) {
  if (err && err.code) {
    const key = 'err_' + err.code;
    return has(STRINGS[DEFAULT_LANG], key) ? t(key) : t('err_unknown', { code: err.code });
  }
  switch (err && err.kind) {
    case 'network':
      return capital(t('netNetwork'));
    case 'timeout':
      return capital(t('netTimeout', { seconds: err.seconds || 10 }));
    case 'http':
      return capital(t('netHttp', { status: err.status }));
    default:
      return capital(t('netFormat'));
  }
}

/** Lower-case reason to put after a colon ("… : server tidak dapat dihubungi"). */
export function reasonText(err) {
  const s = errorText(err);
  return err && err.code ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

function capital(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Fill every element marked data-i18n / data-i18n-label / data-i18n-title. */
export function applyStatic(root) {
  const doc = root || document;
  const nodes = doc.querySelectorAll('[data-i18n]');
  for (let i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
  const labelled = doc.querySelectorAll('[data-i18n-label]');
  for (let i = 0; i < labelled.length; i++)
    labelled[i].setAttribute('aria-label', t(labelled[i].getAttribute('data-i18n-label')));
  const titled = doc.querySelectorAll('[data-i18n-title]');
  for (let i = 0; i < titled.length; i++) titled[i].title = t(titled[i].getAttribute('data-i18n-title'));
  document.documentElement.lang = lang;
}
