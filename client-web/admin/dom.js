// dom.js - building the page from data without innerHTML: every piece of
// text goes in through textContent (or an attribute), so names, messages and
// file contents are always shown as text, never parsed as markup.

/**
 * h('button', {class: 'button', type: 'button', on: {click: fn}}, 'Simpan')
 * attrs: class, text, on (event handlers), hidden/disabled/checked/value
 * (properties), dataset (object), anything else as an attribute (null or
 * false leaves it out). Children: nodes, strings (text nodes), arrays, or
 * null/false (skipped).
 */
export function h(tag, attrs) {
  const el = document.createElement(tag);
  const a = attrs || {};
  const keys = Object.keys(a);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = a[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'on') {
      const evs = Object.keys(v);
      for (let j = 0; j < evs.length; j++) el.addEventListener(evs[j], v[evs[j]]);
    } else if (k === 'dataset') {
      const ds = Object.keys(v);
      for (let j = 0; j < ds.length; j++) el.setAttribute('data-' + ds[j], String(v[ds[j]]));
    } else if (k === 'hidden' || k === 'disabled' || k === 'checked' || k === 'value' || k === 'multiple' || k === 'required') {
      el[k] = v;
    } else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
  return el;
}

function append(el, c) {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) append(el, c[i]);
  } else if (typeof c === 'string' || typeof c === 'number') {
    el.appendChild(document.createTextNode(String(c)));
  } else {
    el.appendChild(c);
  }
}

/** Remove every child of el (replaceChildren is too new for venue browsers). */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replace el's children with the given ones. */
export function fill(el) {
  clear(el);
  for (let i = 1; i < arguments.length; i++) append(el, arguments[i]);
  return el;
}

let uid = 0;
/** A fresh id for label/for and aria-describedby pairs. */
export function newId(prefix) {
  uid += 1;
  return (prefix || 'id') + '-' + uid;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element: svg('rect', {x: 1, class: 'bar'}, children…); 'text'
 * sets textContent, 'on' adds listeners. */
export function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  const a = attrs || {};
  Object.keys(a).forEach((k) => {
    const v = a[k];
    if (v === null || v === undefined || v === false) return;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'on') Object.keys(v).forEach((ev) => el.addEventListener(ev, v[ev]));
    else el.setAttribute(k, String(v));
  });
  for (let i = 2; i < arguments.length; i++) {
    const c = arguments[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) c.forEach((x) => x && el.appendChild(x));
    else el.appendChild(c);
  }
  return el;
}
