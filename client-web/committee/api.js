// api.js - the committee's routes of the staff API (docs/API.md: results,
// "Talent mapping", "Employees", "Open-bidding selections") on top of the
// administration pages' request(): the same session cookie, X-CSRF-Token on
// every write, timeouts and ApiError. Live streams are opened by live.js
// with the URLs of streamUrl.

import { request, enc, query } from '../admin/api.js';

export { ApiError, setCsrf, setSessionLostHandler } from '../admin/api.js';

const BASE = '/api/v1/staff';
const exam = (code) => '/exams/' + enc(code);
const period = (code) => '/talent/periods/' + enc(code);
const sel = (code) => '/selections/' + enc(code);
const vac = (s, v) => sel(s) + '/vacancies/' + enc(v);

export const api = {
  me: () => request('GET', '/me', undefined, { quiet401: true }),
  logout: () => request('POST', '/logout', undefined, { quiet401: true }),
  exams: () => request('GET', '/exams'),
  /** The exam's definition (pass rules); admin and author only. */
  examDef: (code) => request('GET', exam(code)),
  results: (code) => request('GET', exam(code) + '/results'),
  /** The test report (issue 14); th: {easy, hard, weak}. */
  analysis: (code, th) => request('GET', exam(code) + '/analysis' + query(th || {})),
  periods: () => request('GET', '/talent/periods'),
  period: (code) => request('GET', period(code)),
  pool: (code) => request('GET', period(code) + '/pool'),
  succession: (code, grade, n) => request('GET', period(code) + '/succession' + query({ grade: grade, n: n })),
  employee: (nip) => request('GET', '/employees/' + enc(nip)),
  selections: () => request('GET', '/selections'),
  selection: (code) => request('GET', sel(code)),
  vacancy: (s, v) => request('GET', vac(s, v)),
  vacancyTalent: (s, v) => request('GET', vac(s, v) + '/talent'),
  /** body {applicant, stage, score, reason} (members of the selection). */
  score: (s, body) => request('PUT', sel(s) + '/scores', body),
  /** body {applicant, stage, passed, reason} (members). */
  gate: (s, body) => request('PUT', sel(s) + '/gates', body),
  /** {entries: [{at, kind, username, name, vacancy, applicant, applicant_name, stage, old, new, reason}]}. */
  audit: (s) => request('GET', sel(s) + '/audit'),
  /** Close (freeze) a selection (admin or the chair). */
  close: (s) => request('POST', sel(s) + '/close'),
  /** body {applicant, note} (admin or the chair). */
  ppk: (s, v, body) => request('POST', vac(s, v) + '/ppk', body),
};

/** Server-Sent Events streams (same origin, the session cookie). */
export const streamUrl = {
  period: (code) => BASE + period(code) + '/events',
  selection: (code) => BASE + sel(code) + '/events',
};

/** Download links (GET with the session cookie). sep: ',' or ';'. */
export const downloads = {
  resultsCsv: (code, sep, lang) => BASE + exam(code) + '/results.csv' + query({ sep: sep, lang: lang }),
  resultsXlsx: (code, lang) => BASE + exam(code) + '/results.xlsx' + query({ lang: lang }),
  analysisCsv: (code, semicolon, th) => BASE + exam(code) + '/analysis.csv' + query(Object.assign({ sep: semicolon ? 'semicolon' : '' }, th || {})),
  talentCsv: (code, semicolon) => BASE + period(code) + '/export.csv' + query({ sep: semicolon ? 'semicolon' : '' }),
  rankingCsv: (s, v, semicolon) => BASE + vac(s, v) + '/ranking.csv' + query({ sep: semicolon ? 'semicolon' : '' }),
};

/** The printable result slip of one candidate (client-web/slip/). */
export function slipHref(examCode, regno) {
  return '/slip/' + query({ exam: examCode, reg: regno });
}
