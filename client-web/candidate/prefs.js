// prefs.js - display preferences kept in localStorage: text size (5 steps,
// applied as a class on <html>) and high contrast (class "contrast").
// The language is kept by i18n/index.js.

import { getItem, setItem, KEYS } from './storage.js';

export const FONT_STEPS = 5; // font-0 … font-4 in candidate.css
const DEFAULT_STEP = 1;

let step = DEFAULT_STEP;
let contrast = false;

export function loadPrefs() {
  const s = parseInt(getItem(KEYS.font), 10);
  step = isFinite(s) && s >= 0 && s < FONT_STEPS ? s : DEFAULT_STEP;
  contrast = getItem(KEYS.contrast) === '1';
  applyPrefs();
}

export function applyPrefs() {
  const cl = document.documentElement.classList;
  for (let i = 0; i < FONT_STEPS; i++) cl.toggle('font-' + i, i === step);
  cl.toggle('contrast', contrast);
  const smaller = document.getElementById('font-smaller');
  const larger = document.getElementById('font-larger');
  // aria-disabled (not disabled) keeps keyboard focus on the button at the ends.
  smaller.setAttribute('aria-disabled', step === 0 ? 'true' : 'false');
  larger.setAttribute('aria-disabled', step === FONT_STEPS - 1 ? 'true' : 'false');
  document.getElementById('contrast-toggle').setAttribute('aria-pressed', contrast ? 'true' : 'false');
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
