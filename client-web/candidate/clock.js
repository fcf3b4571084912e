// clock.js - the countdown. The server owns the time: the remaining time is
// `remaining_ms` of the latest server reply minus the time elapsed since that
// reply arrived, measured with performance.now() (monotonic; the PC's wall
// clock may be wrong or change). Re-synced from every reply that carries
// remaining_ms.

const now = () => (window.performance && performance.now ? performance.now() : Date.now());

export function createClock() {
  let baseMs = null; // remaining_ms of the latest reply
  let baseAt = 0; // now() when it arrived

  return {
    /** Adopt a server remaining_ms (received just now). */
    sync(remainingMs) {
      if (typeof remainingMs !== 'number' || !isFinite(remainingMs)) return;
      baseMs = Math.max(0, remainingMs);
      baseAt = now();
    },
    known() {
      return baseMs !== null;
    },
    /** Interpolated remaining milliseconds (0 when up; null before any sync). */
    remaining() {
      if (baseMs === null) return null;
      return Math.max(0, Math.round(baseMs - (now() - baseAt)));
    },
    reset() {
      baseMs = null;
    },
  };
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
