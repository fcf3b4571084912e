// format.js - how the proctor pages show statuses, times and durations.
// Server times are RFC 3339 strings; the local clock is corrected by the
// offset to the server's clock measured on each event (see pages/roster.js).

import { t, toDate, hasText } from './i18n/index.js';

/** Every candidate status of the contract, in the order of the header counts. */
export const STATUSES = ['absent', 'login', 'waiting', 'in_progress', 'paused', 'finished', 'disqualified'];

/** Statuses in which a candidate is expected to be connected. */
export const ACTIVE = { login: 1, waiting: 1, in_progress: 1, paused: 1 };

export function statusText(s) {
  return hasText('status_' + s) ? t('status_' + s) : String(s || '—');
}

const pad = (n) => (n < 10 ? '0' : '') + n;

/** Milliseconds as a countdown: "1:05:09" or "05:09"; '—' for null. */
export function clock(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return (hh ? hh + ':' + pad(mm) : pad(mm)) + ':' + pad(ss);
}

/** A server time as the local wall clock "HH:MM:SS"; '' when absent. */
export function hms(v) {
  const d = toDate(v);
  if (!d) return '';
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** A server time as "HH:MM"; '' when absent. */
export function hm(v) {
  const d = toDate(v);
  if (!d) return '';
  return pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** A span of time, coarse: "40 dtk", "3 mnt", "1 j 5 mnt". */
export function span(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('spanS', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('spanM', { n: m });
  return t('spanHM', { h: Math.floor(m / 60), m: m % 60 });
}

/** A short duration for incidents ("12 dtk"); '' for null. */
export function duration(ms) {
  return ms === null || ms === undefined ? '' : span(ms);
}

/** The value of an <input type="datetime-local"> for a Date (local time). */
export function localInput(d) {
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** Milliseconds since the epoch of a server time, or NaN. */
export function ms(v) {
  const d = toDate(v);
  return d ? d.getTime() : NaN;
}
