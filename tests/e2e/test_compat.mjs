// test_compat.mjs - the browser code stays within what older venue browsers
// run. Venue PCs often carry an old Chromium or Firefox; the baseline is the
// first versions with ES modules (Chromium 61, Firefox 60), i.e. ES2017
// syntax. Every script under client-web/ is parsed with acorn at ES2017 (no
// `?.`, `??`, optional catch binding, object spread, dynamic import …), and
// its tokens are checked for built-ins newer than the baseline that are used
// without feature detection. Errors name the file, line and column.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, tokenizer } from 'acorn';
import { test, run, assert, assertEqual, TOP } from './harness.mjs';

const WEB = join(TOP, 'client-web');

function scripts(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...scripts(p));
    else if (name.endsWith('.js')) out.push(p);
  }
  return out;
}

// Methods and properties (after a dot) and globals newer than the baseline,
// with the first Chromium that has them.
const MEMBERS = {
  hasOwn: 93, replaceAll: 85, replaceChildren: 86, at: 92, flat: 69, flatMap: 69,
  allSettled: 76, any: 85, fromEntries: 73, matchAll: 73, findLast: 97,
  findLastIndex: 97, toSorted: 110, toReversed: 110, groupBy: 117, trimStart: 66,
  trimEnd: 66,
};
const GLOBALS = { globalThis: 71, structuredClone: 98, queueMicrotask: 71 };

// Problems in one source text: [] when it is within the baseline.
function problems(file, src) {
  const where = (loc) => `${relative(TOP, file)}:${loc.line}:${loc.column + 1}`;
  try {
    parse(src, { ecmaVersion: 2017, sourceType: 'module', locations: true });
  } catch (e) {
    return [`${relative(TOP, file)}:${e.loc ? `${e.loc.line}:${e.loc.column + 1}` : '?'}: ` +
      `syntax newer than ES2017: ${e.message}`];
  }
  const toks = [...tokenizer(src, { ecmaVersion: 2017, sourceType: 'module', locations: true })];
  const out = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i];
    if (tk.type.label !== 'name') continue;
    const afterDot = i > 0 && toks[i - 1].type.label === '.';
    const name = tk.value;
    if (afterDot && Object.prototype.hasOwnProperty.call(MEMBERS, name)) {
      // `.at` is only the array method when called.
      if (name === 'at' && !(toks[i + 1] && toks[i + 1].type.label === '(')) continue;
      out.push(`${where(tk.loc.start)}: .${name} needs Chromium ${MEMBERS[name]}`);
    } else if (!afterDot && Object.prototype.hasOwnProperty.call(GLOBALS, name)) {
      out.push(`${where(tk.loc.start)}: ${name} needs Chromium ${GLOBALS[name]}`);
    }
  }
  return out;
}

test('the checker itself catches new syntax and new built-ins', async () => {
  const f = join(WEB, 'example.js');
  assertEqual(problems(f, 'export const a = 1;\nlet b = [1].map((x) => x * 2);').length, 0,
    'ES2017 code passes');
  for (const bad of ['a?.b;', 'a ?? b;', 'try { x(); } catch { y(); }', 'const o = { ...p };',
    'import("./x.js");']) {
    const p = problems(f, bad);
    assert(p.length === 1 && /syntax newer than ES2017/.test(p[0]), `${bad} → ${p}`);
  }
  assertEqual(problems(f, 'x = Object.hasOwn(o, k);\nnode.replaceChildren();'),
    ['client-web/example.js:1:12: .hasOwn needs Chromium 93',
      'client-web/example.js:2:6: .replaceChildren needs Chromium 86'], 'new built-ins named with place');
  assertEqual(problems(f, 'const at = 1; o.at = 2; // .at( in a comment\n'), [],
    'a property or comment named at is fine');
});

test('every script under client-web/ (candidate, admin, board) is ES2017 and avoids newer built-ins', async () => {
  const files = scripts(WEB);
  assert(files.length >= 10, `found ${files.length} scripts under client-web/`);
  // Every client is covered: the candidate page, the administration pages, the scoreboard.
  for (const must of ['candidate/app.js', 'admin/app.js', 'admin/pages/candidates.js', 'admin/i18n/id.js',
    'board/board.js', 'board/i18n/index.js']) {
    assert(files.includes(join(WEB, must)), `client-web/${must} is checked`);
  }
  const all = [];
  for (const f of files) all.push(...problems(f, readFileSync(f, 'utf8')));
  assertEqual(all, [], 'browser compatibility problems');
});

process.exit(await run());
