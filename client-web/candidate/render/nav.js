// render/nav.js - the question grid: one button per question, grouped and
// labelled by section. Each button carries data-state (unanswered | answered
// | flagged; flagged wins), data-answered, data-saved and aria-current, and
// an aria-label in words, so nothing depends on colour alone.

import { t } from '../i18n/index.js';

const $ = (id) => document.getElementById(id);

export function buildNav(paper, onGo) {
  const grid = $('nav-grid');
  grid.textContent = '';
  const buttons = {};
  const headings = [];

  paper.sections.forEach((s, si) => {
    const group = document.createElement('div');
    group.className = 'nav-section';
    group.setAttribute('role', 'group');
    const h = document.createElement('h3');
    h.className = 'nav-section-title';
    h.id = 'nav-section-' + si;
    group.setAttribute('aria-labelledby', h.id);
    headings.push({ el: h, section: s });
    const list = document.createElement('div');
    list.className = 'nav-buttons';
    for (let i = 0; i < paper.questions.length; i++) {
      const q = paper.questions[i];
      if (q.n < s.from || q.n > s.to) continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'nav-item';
      b.setAttribute('data-n', String(q.n));
      b.setAttribute('data-state', 'unanswered');
      b.setAttribute('data-answered', 'false');
      b.setAttribute('data-saved', 'true');
      const num = document.createElement('span');
      num.className = 'nav-num';
      num.textContent = String(q.n);
      const mark = document.createElement('span');
      mark.className = 'nav-mark';
      mark.setAttribute('aria-hidden', 'true');
      b.appendChild(num);
      b.appendChild(mark);
      b.addEventListener('click', () => onGo(q.n));
      buttons[q.n] = b;
      list.appendChild(b);
    }
    group.appendChild(h);
    group.appendChild(list);
    grid.appendChild(group);
  });

  function label(n, view, saved, current) {
    const parts = [t('navItem', { n: n }), view.option !== null ? t('navAnswered') : t('navUnanswered')];
    if (view.flagged) parts.push(t('navFlagged'));
    if (!saved) parts.push(t('navUnsaved'));
    if (current) parts.push(t('navCurrent'));
    return parts.join(', ');
  }

  return {
    /** Redraw question n: view {option, flagged}, saved (bool), current (bool). */
    update(n, view, saved, current) {
      const b = buttons[n];
      if (!b) return;
      const answered = view.option !== null;
      b.setAttribute('data-state', view.flagged ? 'flagged' : answered ? 'answered' : 'unanswered');
      b.setAttribute('data-answered', answered ? 'true' : 'false');
      b.setAttribute('data-saved', saved ? 'true' : 'false');
      if (current) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
      b.setAttribute('aria-label', label(n, view, saved, current));
      // The marks (✓ answered, R ragu-ragu, ! not saved) are drawn by CSS
      // from these attributes; the words are in aria-label.
    },
    relabel() {
      for (let i = 0; i < headings.length; i++) {
        const s = headings[i].section;
        // The section's name (may wrap) and its range, which never breaks
        // ("(soal 31–65)" stays whole).
        const el = headings[i].el;
        el.textContent = '';
        const name = document.createElement('span');
        name.className = 'nav-section-name';
        name.textContent = s.title || s.code;
        const range = document.createElement('span');
        range.className = 'nav-section-range';
        range.textContent = t('navRange', { from: s.from, to: s.to });
        el.appendChild(name);
        el.appendChild(document.createTextNode(' '));
        el.appendChild(range);
      }
    },
    /** Scroll the grid (when it scrolls on its own) so question n is in view. */
    reveal(n) {
      const b = buttons[n];
      const box = $('nav-body');
      if (!b || box.scrollHeight <= box.clientHeight) return;
      const cr = box.getBoundingClientRect();
      const br = b.getBoundingClientRect();
      if (br.top < cr.top) box.scrollTop -= cr.top - br.top + 8;
      else if (br.bottom > cr.bottom) box.scrollTop += br.bottom - cr.bottom + 8;
    },
  };
}
