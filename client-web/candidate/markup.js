// markup.js - the tiny text markup of question-bank/README.md ("Text"):
//   a blank line separates paragraphs (<p>); a single line break is <br>;
//   **bold** -> <strong>, *italic* -> <em> (not nested; a marker without a
//   partner stays literal); every other character is literal text.
// Only DOM nodes are built (createElement / createTextNode): server text is
// never parsed as HTML, so `<b>` or `&amp;` in a question appear as written.
//
// A marker opens only when followed by a non-space character and closes only
// when preceded by one (as in Markdown), so "2 * 3 * 4" stays literal.

const isSpace = (c) => c === undefined || c === ' ' || c === '\t' || c === '\n';

/** Split text into [{type:'text'|'strong'|'em', text}] runs. */
function inlineRuns(text) {
  const runs = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '*') {
      const dbl = text[i + 1] === '*';
      const m = dbl ? '**' : '*';
      const from = i + m.length;
      const close = !isSpace(text[from]) && (dbl || text[from] !== '*') ? findClose(text, from, m) : -1;
      if (close > from) {
        if (plain) runs.push({ type: 'text', text: plain });
        plain = '';
        runs.push({ type: dbl ? 'strong' : 'em', text: text.slice(from, close) });
        i = close + m.length;
        continue;
      }
      // No partner: the marker is literal. Keep "**" together so its second
      // star cannot open an italic run of its own.
      plain += m;
      i += m.length;
      continue;
    }
    plain += text[i];
    i++;
  }
  if (plain) runs.push({ type: 'text', text: plain });
  return runs;
}

function findClose(text, from, m) {
  let j = text.indexOf(m, from);
  while (j !== -1) {
    const prevOk = !isSpace(text[j - 1]);
    // A single '*' that is part of '**' does not close an italic run.
    const single = m.length === 1 ? text[j + 1] !== '*' && text[j - 1] !== '*' : true;
    if (j > from && prevOk && single) return j;
    j = text.indexOf(m, j + 1);
  }
  return -1;
}

/** Append text with line breaks (<br>) to parent. */
function appendLines(parent, text) {
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    if (k > 0) parent.appendChild(document.createElement('br'));
    if (lines[k]) parent.appendChild(document.createTextNode(lines[k]));
  }
}

/** Append one paragraph's inline content (emphasis, line breaks) to parent. */
function appendInline(parent, text) {
  const runs = inlineRuns(text);
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k];
    if (r.type === 'text') {
      appendLines(parent, r.text);
    } else {
      const el = document.createElement(r.type);
      appendLines(el, r.text);
      parent.appendChild(el);
    }
  }
}

/** The paragraphs of text (blank-line separated), without empty ones. */
function paragraphs(text) {
  const norm = String(text == null ? '' : text).replace(/\r\n?/g, '\n');
  return norm
    .split(/\n[ \t]*\n\s*/)
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.length > 0);
}

/**
 * Render text into a DocumentFragment of <p> elements. With {inline: true}
 * the paragraphs are <span class="para"> (for places where <p> is not
 * allowed); CSS shows them as blocks.
 */
export function renderMarkup(text, opts) {
  const inline = !!(opts && opts.inline);
  const frag = document.createDocumentFragment();
  const paras = paragraphs(text);
  for (let k = 0; k < paras.length; k++) {
    const p = document.createElement(inline ? 'span' : 'p');
    if (inline) p.className = 'para';
    appendInline(p, paras[k]);
    frag.appendChild(p);
  }
  return frag;
}

/** Replace the children of el with the rendered text. */
export function renderInto(el, text, opts) {
  el.textContent = '';
  el.appendChild(renderMarkup(text, opts));
}
