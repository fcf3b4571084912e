// render.js - a result slip's content drawn from the server's JSON (the
// signed payload: docs/API.md "Result slips"), for the printable slip and
// the public verification page. Everything is text nodes; the QR code is
// rebuilt from the server's SVG keeping only its <rect> elements with
// numeric attributes, so nothing else from the response reaches the page.

import { t, getLang } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function num(x) {
  return typeof x === 'number' && isFinite(x) ? String(x) : '—';
}

/** "2026-11-23T13:12:03+08:00" + "WITA" -> "23 November 2026, 13.12.03 WITA"
 *  (the wall-clock time of the exam's zone, as printed on the slip; never
 *  converted to the reader's zone). */
export function slipTime(s, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(String(s || ''));
  if (!m) return s ? String(s) : '—';
  const lang = getLang();
  let date = m[3] + '-' + m[2] + '-' + m[1];
  try {
    date = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', { dateStyle: 'long', timeZone: 'UTC' })
      .format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
  } catch (e) {
    /* the numeric date */
  }
  const sep = lang === 'en' ? ':' : '.';
  return date + ', ' + m[4] + sep + m[5] + sep + m[6] + (zone ? ' ' + zone : '');
}

/** The code as printed: "ABCDE-FGHJK". */
export function showCode(code) {
  const c = String(code || '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return c.length === 10 ? c.slice(0, 5) + '-' + c.slice(5) : c;
}

/** The QR code as an <svg> element built from svgText's rects, or null. */
export function qrElement(svgText) {
  if (typeof svgText !== 'string' || typeof DOMParser !== 'function') return null;
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const src = doc.documentElement;
  if (!src || src.nodeName !== 'svg') return null;
  const box = /^0 0 (\d+) (\d+)$/.exec(src.getAttribute('viewBox') || '');
  if (!box) return null;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + box[1] + ' ' + box[2]);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('qrLabel'));
  svg.setAttribute('class', 'slip-qr');
  const rects = src.getElementsByTagName('rect');
  for (let i = 0; i < rects.length; i++) {
    const r = document.createElementNS(SVG_NS, 'rect');
    const names = ['x', 'y', 'width', 'height'];
    for (let k = 0; k < names.length; k++) {
      const v = rects[i].getAttribute(names[k]);
      if (v !== null && /^\d+$/.test(v)) r.setAttribute(names[k], v);
    }
    r.setAttribute('fill', rects[i].getAttribute('fill') === '#fff' ? '#fff' : '#000');
    svg.appendChild(r);
  }
  return svg;
}

function fact(dl, label, value, cls) {
  const dt = el('dt', null, label);
  const dd = el('dd', cls || null, value);
  dl.appendChild(dt);
  dl.appendChild(dd);
  return dd;
}

/**
 * Draw slip s (the payload) into root. opts: {verifyUrl, qrSvg} adds the
 * verification block (the printable slip); without it only the content.
 */
export function renderSlip(root, s, opts) {
  const o = opts || {};
  root.textContent = '';
  const dis = s.finish_reason === 'disqualified';

  const head = el('header', 'slip-head');
  head.appendChild(el('p', 'slip-kicker', t('kicker')));
  head.appendChild(el('h2', 'slip-exam', s.exam_name || s.exam || ''));
  head.appendChild(el('p', 'slip-exam-code', t('exam') + ': ' + (s.exam || '')));
  root.appendChild(head);

  const who = el('dl', 'slip-facts');
  fact(who, t('name'), s.name || '', 'slip-name');
  fact(who, t('regno'), s.registration_no || '', 'slip-regno');
  if (s.nip) fact(who, t('nip'), s.nip, 'slip-nip');
  fact(who, t('track'), s.track || '');
  root.appendChild(who);

  const table = el('table', 'slip-scores');
  table.appendChild(el('caption', null, t('scoresCaption')));
  const thead = el('thead');
  const hr = el('tr');
  [['section', ''], ['score', 'num'], ['max', 'num']].forEach((h) => {
    const th = el('th', h[1], t(h[0]));
    th.scope = 'col';
    hr.appendChild(th);
  });
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = el('tbody');
  const secs = Array.isArray(s.sections) ? s.sections : [];
  for (let i = 0; i < secs.length; i++) {
    const tr = el('tr');
    tr.setAttribute('data-section', String(secs[i].code || ''));
    const th = el('th', null, secs[i].code || '');
    th.scope = 'row';
    tr.appendChild(th);
    tr.appendChild(el('td', 'num score', num(secs[i].score)));
    tr.appendChild(el('td', 'num', num(secs[i].max)));
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
  const tfoot = el('tfoot');
  const fr = el('tr');
  const fth = el('th', null, t('total'));
  fth.scope = 'row';
  fr.appendChild(fth);
  fr.appendChild(el('td', 'num slip-total', num(s.total)));
  fr.appendChild(el('td', 'num', num(s.max_total)));
  tfoot.appendChild(fr);
  table.appendChild(tfoot);
  root.appendChild(table);

  const end = el('dl', 'slip-facts');
  const st = fact(end, t('status'), dis ? t('dis') : s.passed ? t('passedYes') : t('passedNo'), 'slip-status');
  st.setAttribute('data-status', dis ? 'dis' : s.passed ? 'passed' : 'not-passed');
  fact(end, t('reason'), t('reason_' + s.finish_reason) !== 'reason_' + s.finish_reason ? t('reason_' + s.finish_reason) : s.finish_reason || '');
  fact(end, t('finishedAt'), slipTime(s.finished_at, s.timezone), 'slip-finished');
  root.appendChild(end);

  if (o.verifyUrl !== undefined) {
    const box = el('section', 'slip-verify');
    const qr = qrElement(o.qrSvg);
    if (qr) box.appendChild(qr);
    const text = el('div', 'slip-verify-text');
    text.appendChild(el('p', 'slip-code-label', t('code')));
    text.appendChild(el('p', 'slip-code', showCode(s.code)));
    text.appendChild(el('p', 'slip-verify-how', t('verifyHow')));
    text.appendChild(el('p', 'slip-url', o.verifyUrl));
    text.appendChild(el('p', 'slip-sig', t('signedBy', { key: s.key_id || '' }) + ' ' + t('issuedAt') + ': ' + slipTime(s.issued_at, 'UTC')));
    box.appendChild(text);
    root.appendChild(box);
  }
}
