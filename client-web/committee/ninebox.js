// ninebox.js - the nine-box grid as SVG, drawn from a talent period's JSON
// (GET /talent/periods/P): one cell per box, laid out by the period's
// orientation setting, with the box number, its label, the count, a dot per
// employee (up to a cap) and the movement since the previous period (▲ from
// a lower box, ▼ from a higher one). Cells are keyboard buttons.

import { t } from './i18n/index.js';
import { svg } from './ui.js';

const PERF = ['below', 'meets', 'above'];
const POT = ['low', 'medium', 'high'];
const W = 480;
const H = 430;
const LEFT = 44;
const BOTTOM = 44;
const CW = (W - LEFT - 4) / 3;
const CH = (H - BOTTOM - 4) / 3;
const DOTS = 45; // at most this many dots per box; "+n" beyond

/** The (perf, pot) of a box number under config.boxes, or null. */
export function levelsOf(config, box) {
  const boxes = (config && config.boxes) || {};
  for (let p = 0; p < PERF.length; p++) {
    const row = boxes[PERF[p]] || [];
    const i = row.indexOf(box);
    if (i >= 0) return { perf: PERF[p], pot: POT[i] };
  }
  return null;
}

/** +1 when box a is better than box b (more levels, then more potential), -1 worse, 0 same. */
export function compareBoxes(config, a, b) {
  const x = levelsOf(config, a);
  const y = levelsOf(config, b);
  if (!x || !y) return 0;
  const sx = PERF.indexOf(x.perf) + POT.indexOf(x.pot);
  const sy = PERF.indexOf(y.perf) + POT.indexOf(y.pot);
  if (sx !== sy) return sx > sy ? 1 : -1;
  const px = POT.indexOf(x.pot);
  const py = POT.indexOf(y.pot);
  return px === py ? 0 : px > py ? 1 : -1;
}

/** Movement counts of rows: {up, down, same, fresh, byBox: {box: {up, down}}}. */
export function movement(config, rows) {
  const m = { up: 0, down: 0, same: 0, fresh: 0, byBox: {} };
  rows.forEach((r) => {
    if (!r.box) return;
    const b = (m.byBox[r.box] = m.byBox[r.box] || { up: 0, down: 0 });
    if (!r.prev_box) m.fresh += 1;
    else if (r.prev_box === r.box) m.same += 1;
    else if (compareBoxes(config, r.box, r.prev_box) > 0) {
      m.up += 1;
      b.up += 1;
    } else {
      m.down += 1;
      b.down += 1;
    }
  });
  return m;
}

function wrapWords(text, max) {
  const words = String(text || '').split(/\s+/);
  const lines = [''];
  words.forEach((w) => {
    const cur = lines[lines.length - 1];
    if (cur && (cur + ' ' + w).length > max) lines.push(w);
    else lines[lines.length - 1] = cur ? cur + ' ' + w : w;
  });
  return lines.slice(0, 3);
}

/**
 * The grid. config: the period's config; boxes: [{box, label, count}] (counts
 * shown are those of rows, the filtered employees); rows: employees;
 * selected: the chosen box or null; onPick(box); changed: boxes to flash.
 */
export function drawGrid(config, boxes, rows, selected, onPick, changed) {
  const potX = !config.orientation || config.orientation.x !== 'performance';
  const byNo = {};
  (boxes || []).forEach((b) => {
    byNo[b.box] = b;
  });
  const counts = {};
  const dots = {};
  rows.forEach((r) => {
    if (!r.box) return;
    counts[r.box] = (counts[r.box] || 0) + 1;
    (dots[r.box] = dots[r.box] || []).push(r);
  });
  const moved = movement(config, rows);
  const pool = (config.pool || [7, 8, 9]);
  const cells = [];
  for (let perfI = 0; perfI < 3; perfI++) {
    for (let potI = 0; potI < 3; potI++) {
      const perf = PERF[perfI];
      const pot = POT[potI];
      const box = ((config.boxes || {})[perf] || [])[potI];
      const col = potX ? potI : perfI;
      const row = potX ? 2 - perfI : 2 - potI;
      const x = LEFT + col * CW;
      const y = 2 + row * CH;
      const b = byNo[box] || { label: '' };
      const label = (config.labels && config.labels[String(box)]) || b.label || '';
      const n = counts[box] || 0;
      const mv = moved.byBox[box] || { up: 0, down: 0 };
      const tier = pool.indexOf(box) >= 0 ? 'pool' : perf === 'below' && pot === 'low' ? 'low' : 'mid';
      const name = t('boxName', { box: box, label: label });
      const aria = name + ': ' + t('boxCount', { n: n }) + (mv.up || mv.down ? '; ' + t('boxMoves', { up: mv.up, down: mv.down }) : '') +
        '. ' + t('perfLevel_' + perf) + ', ' + t('potLevel_' + pot) + '.';
      const list = dots[box] || [];
      const dotEls = list.slice(0, DOTS).map((r, i) => svg('circle', {
        cx: x + 13 + (i % 15) * 8.4, cy: y + 78 + Math.floor(i / 15) * 9, r: 3.2,
        class: 'nb-dot' + (r.prev_box && r.prev_box !== r.box ? (compareBoxes(config, r.box, r.prev_box) > 0 ? ' up' : ' down') : ''),
        dataset: null, 'data-nip': r.nip,
      }));
      // A long label (the default ones name both levels, which the axes
      // already say) stays out of the cell: it is the button's name and
      // tooltip, and the heading of the box's list.
      const lines = label.length <= 34 ? wrapWords(label, 15) : [];
      const g = svg('g', {
        class: 'nb-cell ' + tier + (selected === box ? ' selected' : '') + (changed && changed.indexOf(box) >= 0 ? ' changed' : ''),
        tabindex: '0', role: 'button', 'aria-label': aria, 'aria-pressed': String(selected === box), 'data-box': box,
        on: {
          click: () => onPick(box),
          keydown: (ev) => {
            if (ev.key === 'Enter' || ev.key === ' ') {
              ev.preventDefault();
              onPick(box);
            }
          },
        },
      },
      svg('title', { text: aria }),
      svg('rect', { x: x + 2, y: y + 2, width: CW - 4, height: CH - 4, rx: 6, class: 'nb-rect' }));
      cells.push(g);
      // The texts and dots picture the button's name (aria-label); drawn
      // over it, hidden from assistive technology, clicks pass through.
      cells.push(svg('g', { class: 'nb-deco', 'aria-hidden': 'true', 'data-box': box },
      svg('text', { x: x + 10, y: y + 24, class: 'nb-no', text: String(box) }),
      lines.map((l, i) => svg('text', { x: x + 34, y: y + 19 + i * 14, class: 'nb-label', text: l })),
      svg('text', { x: x + CW - 10, y: y + 68, class: 'nb-count', 'text-anchor': 'end', 'data-count': n, text: String(n) }),
      dotEls,
      list.length > DOTS ? svg('text', { x: x + CW - 10, y: y + CH - 10, class: 'nb-more', 'text-anchor': 'end', text: '+' + (list.length - DOTS) }) : null,
      svg('text', { x: x + 10, y: y + CH - 10, class: 'nb-move', text: (mv.up ? '▲' + mv.up + ' ' : '') + (mv.down ? '▼' + mv.down : '') })));
    }
  }
  // Axes: the level names and the axis titles.
  const axes = [];
  const xAxis = potX ? 'potential' : 'performance';
  const yAxis = potX ? 'performance' : 'potential';
  // Short level names on the axes (the axis title says which measure):
  // "Di atas ekspektasi" rotated beside a 120-px row runs into its neighbour.
  const xLevels = potX ? POT.map((p) => t('potShort_' + p)) : PERF.map((p) => t('perfAxis_' + p));
  const yLevels = potX ? PERF.map((p) => t('perfAxis_' + p)) : POT.map((p) => t('potShort_' + p));
  for (let i = 0; i < 3; i++) {
    axes.push(svg('text', { x: LEFT + i * CW + CW / 2, y: H - BOTTOM + 16, class: 'nb-axis', 'text-anchor': 'middle', text: xLevels[i] }));
    const yy = 2 + (2 - i) * CH + CH / 2;
    axes.push(svg('text', { x: 30, y: yy, class: 'nb-axis', 'text-anchor': 'middle', transform: 'rotate(-90 30 ' + yy + ')', text: yLevels[i] }));
  }
  axes.push(svg('text', { x: LEFT + (3 * CW) / 2, y: H - 6, class: 'nb-axis-title', 'text-anchor': 'middle', text: t('axis_' + xAxis) + ' →' }));
  const my = 2 + (3 * CH) / 2;
  axes.push(svg('text', { x: 12, y: my, class: 'nb-axis-title', 'text-anchor': 'middle', transform: 'rotate(-90 12 ' + my + ')', text: t('axis_' + yAxis) + ' →' }));
  return svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'ninebox', id: 'ninebox', role: 'group', 'aria-label': t('gridLabel'), preserveAspectRatio: 'xMidYMid meet' },
    axes, cells);
}
