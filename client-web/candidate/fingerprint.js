// fingerprint.js - the short browser fingerprint sent with the login ("fp",
// docs/API.md): the first 16 hex digits of SHA-256 over
//   navigator.userAgent|screen.width x screen.height|time zone|navigator.language
// It only helps a proctor tell seats apart ("the same PC as before?"); it is
// not a secret and identifies nothing by itself. crypto.subtle exists only in
// secure contexts (https, or http on localhost), so on plain http elsewhere,
// and in browsers without it, there is no fingerprint and the login goes
// without one.

let cached = null; // Promise<string|null>

/** The string that is hashed (exported for the tests). */
export function fingerprintSource() {
  let zone = '';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch (e) {
    zone = '';
  }
  const scr = window.screen || {};
  return [navigator.userAgent || '', scr.width + 'x' + scr.height, zone, navigator.language || ''].join('|');
}

async function compute() {
  const subtle = window.crypto && window.crypto.subtle;
  if (!subtle || typeof subtle.digest !== 'function' || typeof TextEncoder !== 'function') return null;
  try {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(fingerprintSource()));
    const bytes = new Uint8Array(digest);
    let hex = '';
    for (let i = 0; i < 8; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return hex;
  } catch (e) {
    return null;
  }
}

/** Resolves to 16 lower-case hex digits, or null when it cannot be computed. */
export function fingerprint() {
  if (!cached) cached = compute();
  return cached;
}
