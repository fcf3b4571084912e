// api.js - the staff API (docs/API.md, "Staff API"). The session is the
// HttpOnly cookie the login sets; every state-changing request carries the
// X-CSRF-Token header with the token from login or /me. Every call has a
// timeout. Failures become an ApiError that says whether the server decided
// (kind 'http' with the error code, the per-line `errors` of a refused file,
// and Retry-After) or not ('network', 'timeout').

const TIMEOUT_MS = 15000;
const BASE = '/api/v1/staff';

export class ApiError extends Error {
  constructor(kind, status, code, serverMessage) {
    super(code || kind);
    this.kind = kind; // network | timeout | http | format
    this.status = status || 0;
    this.code = code || null;
    this.serverMessage = serverMessage || '';
    this.errors = []; // [{line, item, field, message}] of a 400 invalid_input
    this.retryAfter = 0; // seconds, from Retry-After (429, 503)
    this.seconds = TIMEOUT_MS / 1000;
  }
}

let csrf = null;
let onSessionLost = null;

export function setCsrf(token) {
  csrf = token || null;
}

/** fn(code) is called when a request (other than login and /me) is refused
 *  with 401: the session expired or was ended elsewhere. */
export function setSessionLostHandler(fn) {
  onSessionLost = fn;
}

function deadline() {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => {
    if (ctl) ctl.abort();
  }, TIMEOUT_MS);
  return { signal: ctl ? ctl.signal : undefined, done: () => clearTimeout(timer) };
}

export const enc = encodeURIComponent;

export function query(params) {
  const parts = [];
  const keys = Object.keys(params || {});
  for (let i = 0; i < keys.length; i++) {
    const v = params[keys[i]];
    if (v === null || v === undefined || v === '') continue;
    parts.push(enc(keys[i]) + '=' + enc(String(v)));
  }
  return parts.length ? '?' + parts.join('&') : '';
}

/**
 * One request (exported for the proctor pages' api.js, which shares the CSRF
 * token and the session-lost handler). body: a plain object (sent as JSON) or {blob, type} (sent as
 * is, e.g. a CSV file). opts.quiet401: do not call the session-lost handler.
 */
export async function request(method, path, body, opts) {
  const limit = deadline();
  const headers = { Accept: 'application/json' };
  let payload;
  if (body && body.blob) {
    headers['Content-Type'] = body.type;
    payload = body.blob;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  try {
    let res;
    try {
      res = await fetch(BASE + path, {
        method: method,
        headers: headers,
        body: payload,
        cache: 'no-store',
        credentials: 'same-origin',
        signal: limit.signal,
      });
    } catch (e) {
      throw new ApiError(e && e.name === 'AbortError' ? 'timeout' : 'network');
    }
    let data = null;
    let parsed = false;
    try {
      const text = await res.text();
      if (text) {
        data = JSON.parse(text);
        parsed = true;
      }
    } catch (e) {
      if (e && e.name === 'AbortError') throw new ApiError('timeout');
    }
    if (!res.ok) {
      const err = parsed && data && data.error && typeof data.error === 'object' ? data.error : null;
      const ae = new ApiError('http', res.status, err && typeof err.code === 'string' ? err.code : null,
        err && typeof err.message === 'string' ? err.message : '');
      if (err && Array.isArray(err.errors)) ae.errors = err.errors;
      const ra = Number(res.headers.get('Retry-After'));
      if (ra > 0) ae.retryAfter = ra;
      else if (err && Number(err.retry_after_s) > 0) ae.retryAfter = Number(err.retry_after_s);
      if (res.status === 401 && !(opts && opts.quiet401) && onSessionLost) onSessionLost(ae.code);
      throw ae;
    }
    if (res.status === 204 || !parsed) return {};
    if (data === null || typeof data !== 'object') throw new ApiError('format', res.status);
    return data;
  } finally {
    limit.done();
  }
}

const exam = (code) => '/exams/' + enc(code);
const cand = (code, regno) => exam(code) + '/candidates/' + enc(regno);

export const api = {
  login: (username, password) => request('POST', '/login', { username: username, password: password }, { quiet401: true }),
  logout: () => request('POST', '/logout', undefined, { quiet401: true }),
  me: () => request('GET', '/me', undefined, { quiet401: true }),
  changePassword: (oldPw, newPw) => request('POST', '/me/password', { old: oldPw, new: newPw }, { quiet401: true }),
  sessions: () => request('GET', '/sessions'),
  logoutAll: () => request('POST', '/sessions/logout-all', undefined, { quiet401: true }),

  accounts: () => request('GET', '/accounts'),
  addAccount: (body) => request('POST', '/accounts', body),
  updateAccount: (username, body) => request('PUT', '/accounts/' + enc(username), body),
  resetAccountPassword: (username) => request('POST', '/accounts/' + enc(username) + '/password'),

  exams: () => request('GET', '/exams'),
  createExam: (file) => request('POST', '/exams', { blob: file, type: 'application/json' }),
  exam: (code) => request('GET', exam(code)),
  updateExam: (code, body) => request('PUT', exam(code), body),
  banks: () => request('GET', '/banks'),
  bank: (code, version) => request('GET', '/banks/' + enc(code) + query({ version: version })),
  uploadBank: (body) => request('POST', '/banks', body),
  candidates: (code) => request('GET', exam(code) + '/candidates'),
  resetCandidatePassword: (code, regno) => request('POST', cand(code, regno) + '/password'),
  unlock: (code, regno) => request('POST', cand(code, regno) + '/unlock'),
  extraTime: (code, regno, minutes) => request('PUT', cand(code, regno) + '/extra-time', { minutes: minutes }),
  importCandidates: (code, file) => request('POST', exam(code) + '/candidates', { blob: file, type: 'text/csv' }),
  sittings: (code) => request('GET', exam(code) + '/sittings'),
  createSitting: (code, body) => request('POST', exam(code) + '/sittings', body),
  updateSitting: (code, scode, body) => request('PUT', exam(code) + '/sittings/' + enc(scode), body),
  assignSitting: (code, scode, regnos) => request('PUT', exam(code) + '/sittings/' + enc(scode) + '/candidates', { registration_nos: regnos }),

  results: (code) => request('GET', exam(code) + '/results'),
  audit: (params) => request('GET', '/audit' + query(params)),
  auditVerify: () => request('GET', '/audit/verify'),

  // Item analysis and calibration (issue 14). th: {easy, hard, weak}.
  bankAnalysis: (code, examCode, th) => request('GET', '/banks/' + enc(code) + '/analysis' + query(Object.assign({ exam: examCode }, th || {}))),
  examAnalysis: (code, th) => request('GET', exam(code) + '/analysis' + query(th || {})),
  calibrations: (code) => request('GET', '/banks/' + enc(code) + '/calibrations'),
  calibrate: (code) => request('POST', '/banks/' + enc(code) + '/calibrations'),
  calibration: (code, id) => request('GET', '/banks/' + enc(code) + '/calibrations/' + enc(String(id))),
};

/** Download links (GET with the session cookie). */
export const downloads = {
  resultsCsv: (code, sep, lang, all) => BASE + exam(code) + '/results.csv' + query({ sep: sep, lang: lang, all: all ? 1 : '' }),
  resultsXlsx: (code, lang, all) => BASE + exam(code) + '/results.xlsx' + query({ lang: lang, all: all ? 1 : '' }),
  /** th: {easy, hard, weak}; semicolon: ';' and a decimal comma (Excel Indonesia). */
  analysisCsv: (code, semicolon, th) => BASE + exam(code) + '/analysis.csv' + query(Object.assign({ sep: semicolon ? 'semicolon' : '' }, th || {})),
};
