// api.js - the candidate API of docs/API.md, and nothing else. Every call has
// a timeout (AbortController); failures become an ApiError that says whether
// the server answered (kind 'http', with the error `code`) or not ('network',
// 'timeout'), so callers can tell "retry later" from "the server said no".

const TIMEOUT_MS = 10000;

class ApiError extends Error {
  constructor(kind, status, code, serverMessage, detail) {
    super(code || kind);
    this.kind = kind; // network | timeout | http | format
    this.status = status || 0;
    this.code = code || null; // the API error code, e.g. 'attempt_closed'
    this.serverMessage = serverMessage || '';
    this.detail = detail || ''; // e.g. the pause reason of 409 paused
    this.seconds = TIMEOUT_MS / 1000;
  }

  /** True when the request may succeed later unchanged (the server did not decide). */
  get transient() {
    if (this.kind !== 'http') return true;
    return this.status >= 500 || this.status === 429 || !this.code;
  }
}

let token = null;

export function setToken(t) {
  token = t || null;
}

/** Aborts a fetch after TIMEOUT_MS (where AbortController exists); call
 *  done() once the request has settled. */
function deadline() {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => {
    if (ctl) ctl.abort();
  }, TIMEOUT_MS);
  return { signal: ctl ? ctl.signal : undefined, done: () => clearTimeout(timer) };
}

async function request(method, path, body, opts) {
  const limit = deadline();
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token && !(opts && opts.anonymous)) headers.Authorization = 'Bearer ' + token;
  try {
    let res;
    try {
      res = await fetch(path, {
        method: method,
        headers: headers,
        body: body !== undefined ? JSON.stringify(body) : undefined,
        cache: 'no-store',
        credentials: 'same-origin',
        signal: limit.signal,
      });
    } catch (e) {
      throw new ApiError(e && e.name === 'AbortError' ? 'timeout' : 'network');
    }
    if (res.status === 204) return null;
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
      parsed = false;
    }
    if (!res.ok) {
      const err = parsed && data && data.error && typeof data.error === 'object' ? data.error : null;
      throw new ApiError('http', res.status, err && typeof err.code === 'string' ? err.code : null,
        err && typeof err.message === 'string' ? err.message : '',
        err && typeof err.detail === 'string' ? err.detail : '');
    }
    if (!parsed || data === null || typeof data !== 'object') throw new ApiError('format', res.status);
    return data;
  } finally {
    limit.done();
  }
}

export const api = {
  openExams: () => request('GET', '/api/v1/exams/open', undefined, { anonymous: true }),
  login: (body) => request('POST', '/api/v1/candidate/login', body, { anonymous: true }),
  logout: () => request('POST', '/api/v1/candidate/logout'),
  start: () => request('POST', '/api/v1/attempt/start'),
  attempt: () => request('GET', '/api/v1/attempt'),
  /** The attempt, its clock, the pause and the proctor's messages
   *  (docs/API.md): the light control poll, also the heartbeat. */
  clock: () => request('GET', '/api/v1/attempt?view=clock'),
  /** A batch of incidents [{type, ms?, at_client}] (incidents.js). */
  incidents: (list) => request('POST', '/api/v1/attempt/incidents', { incidents: list }),
  /** The question the candidate is on, so another PC lands there. */
  position: (n) => request('PUT', '/api/v1/attempt/position', { n: n }),
  answer: (n, body) => request('PUT', '/api/v1/attempt/answers/' + encodeURIComponent(n), body),
  finish: () => request('POST', '/api/v1/attempt/finish'),
  result: () => request('GET', '/api/v1/attempt/result'),
};

/**
 * An image as a data: URL, fetched with the bearer token. Used when a plain
 * <img> fails: the image cookie is a session cookie, so after the browser was
 * restarted (power cut) only the stored token still authorises images. The
 * page's CSP allows data: images but not blob: ones.
 */
export async function imageDataUrl(path) {
  const limit = deadline();
  try {
    const res = await fetch(path, {
      headers: token ? { Authorization: 'Bearer ' + token } : {},
      cache: 'default',
      credentials: 'same-origin',
      signal: limit.signal,
    });
    if (!res.ok) throw new ApiError('http', res.status);
    const blob = await res.blob();
    return await new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(new ApiError('format'));
      r.readAsDataURL(blob);
    });
  } finally {
    limit.done();
  }
}
