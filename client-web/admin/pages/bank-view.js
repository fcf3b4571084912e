// pages/bank-view.js - #/bank/CODE (admin, author): a bank version as its
// authors see it: each item's text with the candidate client's markup, its
// images, and its options with the key (right/wrong) or the points
// (weighted). Filter by section and by text; older versions by choice.

import { h, fill } from '../dom.js';
import { api } from '../api.js';
import { t, dateTime } from '../i18n/index.js';
import { renderMarkup } from '../../candidate/markup.js';
import { message, field } from './common.js';

const LABELS = 'ABCDEFGHIJ';
const ASSET = '/api/v1/staff/assets/';
const SHOWN_MAX = 100; // items drawn at once; the filters narrow the rest

function assetUrl(ref) {
  const m = /^sha256:([0-9a-f]{64})$/.exec(String(ref || ''));
  return m ? ASSET + m[1] : null;
}

export async function render(ctx, root, params) {
  const code = params[0];
  ctx.title(t('bankViewTitle', { code: code }), t('navBanks'));
  const st = { version: null, data: null, section: '', q: '' };
  const head = h('div', { class: 'panel' });
  const list = h('div', { id: 'bank-items', class: 'bank-items' });
  root.appendChild(head);
  root.appendChild(list);
  await load(null);

  async function load(version) {
    fill(list, message(t('loading')));
    const d = await api.bank(code, version);
    if (!ctx.alive()) return;
    st.data = d;
    st.version = d.version;
    drawHead();
    drawItems();
  }

  function drawHead() {
    const d = st.data;
    const versions = d.versions || [];
    const sel = h('select', null, versions.map((v) => h('option', { value: String(v.version), selected: v.version === d.version ? true : null },
      t('versionOption', { v: v.version, items: v.items, at: dateTime(v.imported_at) }))));
    sel.value = String(d.version);
    sel.addEventListener('change', () => {
      load(Number(sel.value)).catch((e) => ctx.showError(e));
    });
    const sections = h('select', null, h('option', { value: '' }, t('allSections')),
      (d.sections || []).map((s) => h('option', { value: s.code }, s.code + ' — ' + (s.title || ''))));
    sections.value = st.section;
    sections.addEventListener('change', () => {
      st.section = sections.value;
      drawItems();
    });
    const q = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false', value: st.q });
    q.addEventListener('input', () => {
      st.q = q.value.trim().toLowerCase();
      drawItems();
    });
    fill(head,
      h('p', { class: 'hint' }, t('bankViewLead')),
      h('div', { class: 'filters' },
        field('bank-version', t('colVersion'), sel),
        field('bank-section', t('section'), sections),
        field('bank-search', t('searchItems'), q)),
      h('p', { class: 'summary', id: 'bank-summary', role: 'status' }));
  }

  function drawItems() {
    const d = st.data;
    const scoring = {};
    (d.sections || []).forEach((s) => {
      scoring[s.code] = s.scoring && s.scoring.type;
    });
    const items = (d.items || []).filter((it) => (!st.section || it.section === st.section) &&
      (!st.q || (it.id + ' ' + it.text + ' ' + (it.topic || '')).toLowerCase().indexOf(st.q) >= 0));
    document.getElementById('bank-summary').textContent = t('itemsShown', { n: Math.min(items.length, SHOWN_MAX), total: items.length, all: (d.items || []).length });
    fill(list, items.slice(0, SHOWN_MAX).map((it) => itemCard(it, scoring[it.section])));
  }
}

function itemCard(it, scoringType) {
  const images = (it.images || []).map((ref, i) => {
    const url = assetUrl(ref);
    return url ? h('img', { src: url, alt: t('itemImage', { id: it.id, n: i + 1 }), class: 'item-image' }) : null;
  });
  const options = (it.options || []).map((o, i) => {
    const key = scoringType === 'weighted' ? t('points', { n: o.points === undefined ? 0 : o.points }) : o.correct ? t('keyCorrect') : '';
    const url = assetUrl(o.image);
    return h('li', { class: 'item-option' + (o.correct ? ' correct' : ''), dataset: { label: LABELS[i] } },
      h('span', { class: 'option-label' }, LABELS[i] + '.'),
      h('span', { class: 'option-text' }, renderMarkup(o.text || '', { inline: true }),
        url ? h('img', { src: url, alt: t('optionImage', { id: it.id, label: LABELS[i] }), class: 'item-image option-image' }) : null),
      key ? h('span', { class: o.correct ? 'badge ok' : 'badge' }, key) : null);
  });
  return h('article', { class: 'panel bank-item', dataset: { item: it.id }, 'aria-labelledby': 'item-' + it.id },
    h('h2', { class: 'item-head', id: 'item-' + it.id }, it.id,
      h('span', { class: 'item-meta' }, ' · ' + it.section + (it.topic ? ' · ' + it.topic : '') + (it.difficulty ? ' · ' + t('difficulty_' + it.difficulty) : ''))),
    h('div', { class: 'item-text' }, renderMarkup(it.text || '')),
    images.length ? h('div', { class: 'item-images' }, images) : null,
    h('ol', { class: 'item-options' }, options));
}
