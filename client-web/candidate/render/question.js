// render/question.js - one question: section, number, text, images and the
// options (a role="radiogroup" of role="radio" elements with roving
// tabindex). Built when the candidate moves to a question; answer changes only
// update attributes (update()), so focus never jumps.

import { t } from '../i18n/index.js';
import { renderInto, renderMarkup } from '../markup.js';
import { loadImage } from './images.js';

const $ = (id) => document.getElementById(id);

// A paragraph of a figure item's text that starts with this label is the
// figure's written description (question-bank/README.md, "Figures").
const DESC_RE = /^\*{0,2}\s*(?:keterangan gambar|deskripsi gambar|figure description)\s*:\s*\*{0,2}\s*/i;

/** Split a question's text into what is shown and the figure's description
 *  (only when the question has images): {text, desc} (desc '' when none). */
export function splitFigureText(text, hasImages) {
  if (!hasImages || typeof text !== 'string') return { text: text, desc: '' };
  const paras = text.split(/\n[ \t]*\n/);
  const shown = [];
  const desc = [];
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i].trim();
    if (DESC_RE.test(p)) desc.push(p.replace(DESC_RE, ''));
    else shown.push(paras[i]);
  }
  return { text: shown.join('\n\n'), desc: desc.join(' ') };
}

/** Show question q (of paper). handlers: choose(label), zoom(img, index). */
export function renderQuestion(paper, q, handlers) {
  const section = paper.sectionOf(q.n);
  $('section-label').textContent = section ? section.title || section.code : '';
  $('question-number').textContent = t('questionOf', { n: q.n, total: paper.total });
  // A figure item stays figural: its written description goes to assistive
  // technology (the images' accessible description) and is shown only in
  // the accessibility mode (html.describe).
  const split = splitFigureText(q.text, q.images.length > 0);
  renderInto($('question-text'), split.text);
  const desc = $('figure-desc');
  desc.textContent = '';
  desc.hidden = !split.desc;
  if (split.desc) {
    const label = document.createElement('strong');
    label.textContent = t('figureDescLabel') + ' ';
    desc.appendChild(label);
    desc.appendChild(document.createTextNode(split.desc));
  }

  const images = $('question-images');
  images.textContent = '';
  images.hidden = q.images.length === 0;
  q.images.forEach((url, i) => {
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'zoom-image';
    btn.setAttribute('aria-label', t('imageZoom', { i: i + 1 }));
    btn.setAttribute('data-index', String(i + 1));
    const img = document.createElement('img');
    img.alt = t('imageAlt', { i: i + 1, n: q.n });
    img.className = 'question-image';
    if (split.desc) img.setAttribute('aria-describedby', 'figure-desc');
    loadImage(img, url);
    const hint = document.createElement('span');
    hint.className = 'zoom-hint';
    hint.setAttribute('aria-hidden', 'true');
    hint.textContent = '⤢';
    btn.appendChild(img);
    btn.appendChild(hint);
    btn.addEventListener('click', () => handlers.zoom(img, i + 1));
    images.appendChild(btn);
  });

  const options = $('options');
  options.textContent = '';
  // Options that are pictures sit side by side, each its letter and picture;
  // their captions are for assistive technology (and the accessibility mode).
  const figural = q.options.some((o) => !!o.image);
  options.classList.toggle('figure-options', figural);
  q.options.forEach((o, i) => {
    const el = document.createElement('div');
    el.className = 'option';
    el.setAttribute('role', 'radio');
    el.setAttribute('aria-checked', 'false');
    el.setAttribute('data-label', o.label);
    el.setAttribute('data-index', String(i + 1));
    el.tabIndex = -1;
    const letter = document.createElement('span');
    letter.className = 'option-label';
    letter.textContent = o.label;
    const body = document.createElement('span');
    body.className = 'option-body';
    const caption = document.createElement('span');
    caption.className = o.image ? 'option-caption' : 'option-text';
    caption.appendChild(renderMarkup(o.text, { inline: true }));
    body.appendChild(caption);
    if (o.image) {
      const img = document.createElement('img');
      img.className = 'option-image';
      img.alt = t('imageOptionAlt', { label: o.label });
      loadImage(img, o.image);
      body.appendChild(img);
    }
    el.appendChild(letter);
    el.appendChild(body);
    el.addEventListener('click', () => handlers.choose(o.label));
    options.appendChild(el);
  });
}

/** Reflect the shown state (option / locked) on the options, keep focus. */
export function updateOptions(view, locked) {
  const opts = optionElements();
  let tabbable = null;
  for (let i = 0; i < opts.length; i++) {
    const on = opts[i].getAttribute('data-label') === view.option;
    opts[i].setAttribute('aria-checked', on ? 'true' : 'false');
    if (locked) opts[i].setAttribute('aria-disabled', 'true');
    else opts[i].removeAttribute('aria-disabled');
    if (on) tabbable = opts[i];
  }
  if (!tabbable && opts.length) {
    // Keep the focused option tabbable when nothing is chosen.
    tabbable = focusedOption() || opts[0];
  }
  for (let i = 0; i < opts.length; i++) opts[i].tabIndex = opts[i] === tabbable ? 0 : -1;
  const group = $('options');
  if (locked) group.setAttribute('aria-disabled', 'true');
  else group.removeAttribute('aria-disabled');
}

/** Focus the option with label (roving tabindex follows focus). */
export function focusOption(label) {
  const opts = optionElements();
  for (let i = 0; i < opts.length; i++) {
    const on = opts[i].getAttribute('data-label') === label;
    opts[i].tabIndex = on ? 0 : -1;
    if (on) opts[i].focus();
  }
}

/** The option elements, in order. */
export function optionElements() {
  return Array.prototype.slice.call($('options').querySelectorAll('[role="radio"]'));
}

/** The option that has keyboard focus, or null. */
export function focusedOption() {
  const active = document.activeElement;
  return active && active.parentNode === $('options') ? active : null;
}
