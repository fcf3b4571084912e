// render/question.js - one question: section, number, text, images and the
// options (a role="radiogroup" of role="radio" elements with roving
// tabindex). Built when the candidate moves to a question; answer changes only
// update attributes (update()), so focus never jumps.

import { t } from '../i18n/index.js';
import { renderInto, renderMarkup } from '../markup.js';
import { loadImage } from './images.js';

const $ = (id) => document.getElementById(id);

/** Show question q (of paper). handlers: choose(label), zoom(img, index). */
export function renderQuestion(paper, q, handlers) {
  const section = paper.sectionOf(q.n);
  $('section-label').textContent = section ? section.title || section.code : '';
  $('question-number').textContent = t('questionOf', { n: q.n, total: paper.total });
  renderInto($('question-text'), q.text);

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
    body.appendChild(renderMarkup(o.text, { inline: true }));
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
