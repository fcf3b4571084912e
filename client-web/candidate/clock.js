// clock.js - the countdown. The server owns the time: the remaining time is
// `remaining_ms` of the latest server reply minus the time elapsed since that
// reply arrived, measured with performance.now() (monotonic; the PC's wall
// clock may be wrong or change). Re-synced from every reply that carries
// remaining_ms. While the proctor has paused the attempt the countdown is
// frozen: remaining() stays at the last server value until unfrozen.

const now = () => (window.performance && performance.now ? performance.now() : Date.now());

export function createClock() {
  let baseMs = null; // remaining_ms of the latest reply
  let baseAt = 0; // now() when it arrived
  let frozen = false;

  const interpolated = () => Math.max(0, Math.round(baseMs - (now() - baseAt)));

  return {
    /** Adopt a server remaining_ms (received just now). */
    sync(remainingMs) {
      if (typeof remainingMs !== 'number' || !isFinite(remainingMs)) return;
      baseMs = Math.max(0, remainingMs);
      baseAt = now();
    },
    /** Interpolated remaining milliseconds (0 when up; null before any sync). */
    remaining() {
      if (baseMs === null) return null;
      return frozen ? baseMs : interpolated();
    },
    /** Stop (true) or restart (false) the countdown at its current value;
     *  later syncs still adopt the server's (frozen) remaining_ms. */
    freeze(on) {
      if (on === frozen) return;
      if (baseMs !== null) {
        baseMs = on ? interpolated() : baseMs;
        baseAt = now();
      }
      frozen = on;
    },
    frozen: () => frozen,
  };
}

/**
 * The parts of the time left worth saying aloud, never more than is left:
 * hours and minutes from an hour up, minutes (and seconds under five
 * minutes) from a minute up, seconds below. Returns [[count, unit], ...]
 * with unit 'hour' | 'minute' | 'second'.
 */
export function spokenParts(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [];
  if (h > 0) {
    parts.push([h, 'hour']);
    if (m > 0) parts.push([m, 'minute']);
  } else if (m > 0) {
    parts.push([m, 'minute']);
    if (m < 5 && s > 0) parts.push([s, 'second']);
  } else {
    parts.push([s, 'second']);
  }
  return parts;
}

/** HH:MM:SS of a millisecond count, rounding up so 00:00:00 means "up". */
export function formatHms(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (x) => (x < 10 ? '0' : '') + x;
  return two(h) + ':' + two(m) + ':' + two(s);
}
