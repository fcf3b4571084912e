// storage.js - localStorage that never throws (storage may be disabled or
// full); JSON helpers; the keys this page uses.

export function getItem(key) {
  try {
    return window.localStorage.getItem(key);
  } catch (e) {
    return null;
  }
}

export function setItem(key, value) {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch (e) {
    return false;
  }
}

export function removeItem(key) {
  try {
    window.localStorage.removeItem(key);
  } catch (e) {
    /* nothing to do */
  }
}

export function getJson(key) {
  const raw = getItem(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch (e) {
    return null;
  }
}

export function setJson(key, value) {
  return setItem(key, JSON.stringify(value));
}

// Keys. Per-candidate keys include exam code and registration number, so two
// candidates using one PC one after the other never mix their data.
export const KEYS = {
  session: 'ujian.candidate.session', // {token, exam, regno, name, title, sections}
  last: 'ujian.candidate.last', // {exam, regno}: prefill of the login form
  font: 'ujian.candidate.fontStep',
  contrast: 'ujian.candidate.contrast',
  describe: 'ujian.candidate.describeFigures', // '1': the accessibility mode (figure descriptions shown)
  navCollapsed: 'ujian.candidate.navCollapsed',
  outbox: (exam, regno) => 'ujian.candidate.outbox.' + exam + '.' + regno,
  position: (exam, regno) => 'ujian.candidate.position.' + exam + '.' + regno,
  // Proctor messages (notice ids) this candidate closed: [id, ...].
  dismissed: (exam, regno) => 'ujian.candidate.dismissed.' + exam + '.' + regno,
  // '1' once the "leaving the page is recorded" note was shown for this attempt.
  activityNote: (exam, regno) => 'ujian.candidate.activityNote.' + exam + '.' + regno,
};
