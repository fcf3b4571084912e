// i18n/index.js - the scoreboard's language: the choice (localStorage
// `ujian.lang`, shared with the other pages), string lookup, and the texts
// of elements marked data-i18n (textContent) and data-i18n-label
// (aria-label).
import id from './id.js';
import en from './en.js';

export const DEFAULT_LANG = 'id';
const STRINGS = { id: id, en: en };
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

/** The string for key in the current language, {name} placeholders filled. */
export function t(key, vars) {
  let s = has(STRINGS[lang], key) ? STRINGS[lang][key] : has(STRINGS[DEFAULT_LANG], key) ? STRINGS[DEFAULT_LANG][key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (has(vars, name) ? String(vars[name]) : m));
  return s;
}

/** Fill every element marked data-i18n / data-i18n-label. */
export function applyStatic() {
  const nodes = document.querySelectorAll('[data-i18n]');
  for (let i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
  const labelled = document.querySelectorAll('[data-i18n-label]');
  for (let i = 0; i < labelled.length; i++) labelled[i].setAttribute('aria-label', t(labelled[i].getAttribute('data-i18n-label')));
  document.documentElement.lang = lang;
}
