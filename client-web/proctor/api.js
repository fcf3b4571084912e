// api.js - the proctor routes of the staff API (docs/API.md, "Proctoring"),
// on top of the administration pages' request(): the same session cookie,
// X-CSRF-Token on every write, timeouts and ApiError. The live stream
// (EventSource) is opened by pages/live.js with eventsUrl().

import { request, enc } from '../admin/api.js';

export { ApiError, setCsrf, setSessionLostHandler } from '../admin/api.js';

const sitting = (id) => '/sittings/' + enc(String(id));

export const api = {
  me: () => request('GET', '/me', undefined, { quiet401: true }),
  logout: () => request('POST', '/logout', undefined, { quiet401: true }),
  sittings: () => request('GET', '/sittings'),
  sitting: (id) => request('GET', sitting(id)),
  log: (id) => request('GET', sitting(id) + '/log'),
  report: (id) => request('GET', sitting(id) + '/report'),
  /** body: {action, reason, candidates, ...} as in the contract; the reply
   *  is {done: [regno], skipped: [{regno, why}], action_id, passwords?}. */
  act: (id, body) => request('POST', sitting(id) + '/actions', body),
};

/** The SSE stream of one sitting (same origin, the session cookie). */
export function eventsUrl(id) {
  return '/api/v1/staff' + sitting(id) + '/events';
}
