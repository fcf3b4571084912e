// stats.js - what the item analysis pages share (issue 14): numbers in the
// page's language (a decimal comma in Indonesian), SVG elements built with
// createElementNS, the flag badges and their plain-language reasons with the
// item's numbers, and the flag thresholds kept in localStorage. Used by the
// bank view, the calibrations page and the committee's test report.

import { h } from './dom.js';
import { t, getLang, addStrings } from './i18n/index.js';
import strings from './i18n/analysis.js';

addStrings(strings);

const LOCALES = { id: 'id-ID', en: 'en-GB' };
const THRESHOLDS_KEY = 'ujian.analysis.thresholds';
export const DEFAULT_THRESHOLDS = { easy: 0.9, hard: 0.2, weak: 0.2 };
export const LETTERS = 'ABCDEFGHIJ';
/** The order flags are shown in (most serious first). */
export const FLAG_ORDER = ['suspect_key', 'negative', 'suspect_distractor', 'weak', 'too_hard', 'too_easy', 'few'];

/** v with exactly `digits` decimals in the page's language ("0,64" / "0.64"); '—' for null. */
export function num(v, digits) {
  if (v === null || v === undefined || v === '' || !isFinite(Number(v))) return '—';
  const d = digits === undefined ? 2 : digits;
  try {
    return Number(v).toLocaleString(LOCALES[getLang()] || 'id-ID', { minimumFractionDigits: d, maximumFractionDigits: d });
  } catch (e) {
    return Number(v).toFixed(d);
  }
}

/** A share 0..1 as a percentage number without the sign ("95" / "12,5"). */
export function pctNum(v) {
  if (v === null || v === undefined || !isFinite(Number(v))) return '—';
  const x = Math.round(Number(v) * 1000) / 10;
  return num(x, x === Math.round(x) ? 0 : 1);
}

/** A share 0..1 as "95%" / "12,5%". */
export function pct(v) {
  const s = pctNum(v);
  return s === '—' ? s : s + '%';
}

export { svg } from './dom.js'; // (the calibration chart imports it from here)

/** The thresholds kept in this browser (defaults where absent or bad). */
export function loadThresholds() {
  const out = Object.assign({}, DEFAULT_THRESHOLDS);
  try {
    const v = JSON.parse(window.localStorage.getItem(THRESHOLDS_KEY) || 'null');
    if (v && typeof v === 'object') {
      Object.keys(DEFAULT_THRESHOLDS).forEach((k) => {
        if (typeof v[k] === 'number' && v[k] >= 0 && v[k] <= 1) out[k] = v[k];
      });
    }
  } catch (e) {
    /* defaults */
  }
  return out;
}

/** Keep th (or forget it when null: the defaults again). */
export function saveThresholds(th) {
  try {
    if (th) window.localStorage.setItem(THRESHOLDS_KEY, JSON.stringify(th));
    else window.localStorage.removeItem(THRESHOLDS_KEY);
  } catch (e) {
    /* kept for this page only */
  }
}

/** "0,9" or "0.9" typed by a user → 0.9; NaN when not a number in 0..1. */
export function parseShare(text) {
  const s = String(text || '').trim().replace(',', '.');
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(s)) return NaN;
  return Number(s);
}

/** The item's flags in FLAG_ORDER (unknown codes last, as they are). */
export function sortedFlags(item) {
  const f = (item && item.flags) || [];
  return FLAG_ORDER.filter((x) => f.indexOf(x) >= 0).concat(f.filter((x) => FLAG_ORDER.indexOf(x) < 0));
}

/** The badge text of a flag code. */
export function flagLabel(code) {
  const k = 'flagBadge_' + code;
  const s = t(k);
  return s === k ? code : s;
}

/**
 * The plain-language reason of one flag of item (the contract's item
 * object) with its numbers; th: the thresholds the analysis used
 * ({easy, hard, weak, min_n}).
 */
export function flagReason(code, item, th) {
  const weighted = item.type === 'weighted';
  const opts = item.options || [];
  const keyOpt = item.key === null || item.key === undefined ? null : opts.filter((o) => o.index === item.key)[0] || null;
  switch (code) {
    case 'too_easy':
      return t(weighted ? 'flag_too_easy_w' : 'flag_too_easy', { p: pctNum(item.p), lim: pctNum(th.easy) });
    case 'too_hard':
      return t(weighted ? 'flag_too_hard_w' : 'flag_too_hard', { p: pctNum(item.p), lim: pctNum(th.hard) });
    case 'weak':
      return t('flag_weak', { r: num(item.r_corrected), lim: num(th.weak) });
    case 'negative':
      return t('flag_negative', { r: num(item.r_corrected) });
    case 'suspect_key': {
      let best = null;
      opts.forEach((o) => {
        if (o.index !== item.key && typeof o.r_pb === 'number' && (!best || o.r_pb > best.r_pb)) best = o;
      });
      return t('flag_suspect_key', { best: best ? best.letter : '?', rbest: best ? num(best.r_pb) : '—',
        key: keyOpt ? keyOpt.letter : '?', rkey: keyOpt ? num(keyOpt.r_pb) : '—' });
    }
    case 'suspect_distractor':
      return opts.filter((o) => o.flagged).map((o) => t('flag_suspect_distractor', { letter: o.letter, up: pctNum(o.upper_share), lo: pctNum(o.lower_share) })).join(' ') ||
        flagLabel(code);
    case 'few':
      return t('flag_few', { n: item.n_presented, min: th.min_n || 30 });
    default:
      return flagLabel(code);
  }
}

/** The badges of an item's flags (data-flag per badge). */
export function flagBadges(item) {
  return sortedFlags(item).map((f) => h('span', { class: 'badge flag flag-' + f, dataset: { flag: f } }, flagLabel(f)));
}

/** The list of reasons, one per flag (data-flag per line). */
export function flagReasons(item, th) {
  const list = sortedFlags(item);
  if (!list.length) return null;
  return h('ul', { class: 'flag-reasons' }, list.map((f) => h('li', { dataset: { flag: f } }, flagReason(f, item, th))));
}
