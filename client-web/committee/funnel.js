// funnel.js - applicants per stage of a vacancy as an SVG funnel: one bar
// per stage, its length the applicants who entered it, the darker part
// those who passed (gate) or whose score is complete.

import { t } from './i18n/index.js';
import { svg } from './ui.js';

/** stages: [{stage, name, entered, passed}]; title: the accessible name. */
export function funnelSvg(stages, title) {
  const W = 430;
  const row = 26;
  const labelW = 175;
  const H = Math.max(1, stages.length) * row + 4;
  const max = Math.max.apply(null, stages.map((s) => s.entered || 0).concat([1]));
  const barW = W - labelW - 52;
  const parts = [];
  const desc = [];
  stages.forEach((s, i) => {
    const y = 2 + i * row;
    const we = (barW * (s.entered || 0)) / max;
    const wp = (barW * (s.passed || 0)) / max;
    const x0 = labelW + (barW - we) / 2;
    const text = (s.name || s.stage) + ': ' + t('funnelStage', { entered: s.entered || 0, passed: s.passed || 0 });
    desc.push(text);
    parts.push(svg('g', { class: 'fn-row', 'data-stage': s.stage },
      svg('title', { text: text }),
      svg('text', { x: labelW - 8, y: y + 17, class: 'fn-label', 'text-anchor': 'end', text: s.name || s.stage }),
      svg('rect', { x: x0, y: y + 3, width: Math.max(we, 1), height: row - 6, class: 'fn-entered' }),
      svg('rect', { x: labelW + (barW - wp) / 2, y: y + 3, width: wp, height: row - 6, class: 'fn-passed' }),
      svg('text', { x: labelW + barW + 6, y: y + 17, class: 'fn-num', text: (s.passed || 0) + '/' + (s.entered || 0) })));
  });
  return svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'funnel', role: 'img', 'aria-label': title + '. ' + desc.join('; '), preserveAspectRatio: 'xMinYMin meet' }, parts);
}
