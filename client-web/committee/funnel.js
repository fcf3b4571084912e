// funnel.js - applicants per stage of a vacancy as an SVG funnel: one bar
// per stage under its name, its length the applicants who entered it, the
// darker part those who passed (gate) or whose score is complete. Names sit
// above the bars so the picture stays readable when a phone shrinks it.

import { t } from './i18n/index.js';
import { svg } from './ui.js';

/** stages: [{stage, name, entered, passed}]; title: the accessible name. */
export function funnelSvg(stages, title) {
  const W = 360;
  const row = 38;
  const H = Math.max(1, stages.length) * row + 4;
  const max = Math.max.apply(null, stages.map((s) => s.entered || 0).concat([1]));
  const barW = W - 4;
  const parts = [];
  const desc = [];
  stages.forEach((s, i) => {
    const y = 2 + i * row;
    const we = (barW * (s.entered || 0)) / max;
    const wp = (barW * (s.passed || 0)) / max;
    const text = (s.name || s.stage) + ': ' + t('funnelStage', { entered: s.entered || 0, passed: s.passed || 0 });
    desc.push(text);
    parts.push(svg('g', { class: 'fn-row', 'data-stage': s.stage },
      svg('title', { text: text }),
      svg('text', { x: 2, y: y + 13, class: 'fn-label', text: s.name || s.stage }),
      svg('text', { x: W - 2, y: y + 13, class: 'fn-num', 'text-anchor': 'end', text: (s.passed || 0) + '/' + (s.entered || 0) }),
      svg('rect', { x: 2 + (barW - we) / 2, y: y + 18, width: Math.max(we, 1), height: 14, class: 'fn-entered' }),
      svg('rect', { x: 2 + (barW - wp) / 2, y: y + 18, width: wp, height: 14, class: 'fn-passed' })));
  });
  return svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'funnel', role: 'img', 'aria-label': title + '. ' + desc.join('; '), preserveAspectRatio: 'xMinYMin meet' }, parts);
}
