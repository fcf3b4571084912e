// prefs.js - display preferences kept in localStorage: text size (5 steps,
// applied as a class on <html>), high contrast (class "contrast") and the
// accessibility mode that shows figures' written descriptions (class
// "describe"; otherwise only assistive technology reads them).
// The language is kept by i18n/index.js.

import { getItem, setItem, KEYS } from './storage.js';

export const FONT_STEPS = 5; // font-0 … font-4 in candidate.css
const DEFAULT_STEP = 1;

let step = DEFAULT_STEP;
let contrast = false;
let describe = false;
let examDescribe = false; // the exam turns the accessibility mode on for everyone

export function loadPrefs() {
  const s = parseInt(getItem(KEYS.font), 10);
  step = isFinite(s) && s >= 0 && s < FONT_STEPS ? s : DEFAULT_STEP;
  contrast = getItem(KEYS.contrast) === '1';
  describe = getItem(KEYS.describe) === '1';
  applyPrefs();
}

export function applyPrefs() {
  const cl = document.documentElement.classList;
  for (let i = 0; i < FONT_STEPS; i++) cl.toggle('font-' + i, i === step);
  cl.toggle('contrast', contrast);
  cl.toggle('describe', describe || examDescribe);
  const smaller = document.getElementById('font-smaller');
  const larger = document.getElementById('font-larger');
  // aria-disabled (not disabled) keeps keyboard focus on the button at the ends.
  smaller.setAttribute('aria-disabled', step === 0 ? 'true' : 'false');
  larger.setAttribute('aria-disabled', step === FONT_STEPS - 1 ? 'true' : 'false');
  document.getElementById('contrast-toggle').setAttribute('aria-pressed', contrast ? 'true' : 'false');
  const d = document.getElementById('describe-toggle');
  d.setAttribute('aria-pressed', describe || examDescribe ? 'true' : 'false');
  // Turned on by the exam: the candidate cannot turn it off.
  d.setAttribute('aria-disabled', examDescribe ? 'true' : 'false');
}

export function changeFont(delta) {
  const next = Math.max(0, Math.min(FONT_STEPS - 1, step + delta));
  if (next === step) return false;
  step = next;
  setItem(KEYS.font, String(step));
  applyPrefs();
  return true;
}

export function fontStep() {
  return step;
}

export function toggleContrast() {
  contrast = !contrast;
  setItem(KEYS.contrast, contrast ? '1' : '0');
  applyPrefs();
}

/** The accessibility mode: figures' written descriptions and option captions
 *  shown on screen (they are always there for assistive technology). */
export function toggleDescribe() {
  if (examDescribe) return;
  describe = !describe;
  setItem(KEYS.describe, describe ? '1' : '0');
  applyPrefs();
}

/** The exam's paper says `describe_figures`: the mode is on while its exam
 *  screen is up, whatever the candidate's own choice. */
export function setExamDescribe(on) {
  examDescribe = !!on;
  applyPrefs();
}
