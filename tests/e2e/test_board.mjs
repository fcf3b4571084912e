// test_board.mjs - the public live scoreboard (client-web/board/) in a real
// Chromium against the real server: the empty state, a candidate finished
// through the candidate API appearing on the open page without a reload
// (live over the event stream), masking, sorting by total, DIS never
// ranking, English, a board that is off, and an accessibility scan at three
// widths.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, waitUntil, worldTest, run, assert, assertEqual, TOP } from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let browser;

async function axeScan(page, where) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on ${where}`);
}

async function api(w, method, path, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(w.url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

// Log in, start, answer the first `best` questions with their best option
// (the keys the harness knows), finish.
async function finish(w, regno, best = 0) {
  const login = await api(w, 'POST', '/api/v1/candidate/login', null,
    { exam: 'E2E', registration_no: regno, password: w.passwords[regno] });
  assertEqual(login.status, 200, 'login ' + regno);
  const tok = login.json.token;
  const paper = await api(w, 'POST', '/api/v1/attempt/start', tok);
  assertEqual(paper.status, 200, 'start');
  let rev = 1;
  for (const q of paper.json.questions.slice(0, best)) {
    const id = /\[Q:([^\]]+)\]/.exec(q.text)[1];
    const pts = w.info[id].points;
    const bestOpt = q.options.reduce((a, o) => (pts[o.text] > pts[a.text] ? o : a));
    const r = await api(w, 'PUT', '/api/v1/attempt/answers/' + q.n, tok, { option: bestOpt.label, flagged: false, rev: rev++ });
    assertEqual(r.status, 200, 'answer');
  }
  const f = await api(w, 'POST', '/api/v1/attempt/finish', tok);
  assertEqual(f.status, 200, 'finish');
  return f.json;
}

worldTest('a finish appears live on the open board; masked, sortable, English, accessible', { scoreboard: true, candidates: 3 }, async (w) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await page.goto(`${w.url}/board/?exam=E2E`);
  await page.waitForSelector('#empty:visible');
  assertEqual((await page.textContent('#empty .board-empty-title')).trim(), 'Belum ada peserta yang selesai', 'empty state');
  assertEqual(await page.textContent('#board-title'), 'Ujian Uji Peramban', 'exam title');
  await waitUntil(async () => (await page.getAttribute('#live', 'data-state')) === 'live', 10000, 'the stream open');
  await axeScan(page, 'the empty board');

  // A candidate finishes through the API: the row appears without a reload.
  const t0 = Date.now();
  await finish(w, 'P001', 2);
  await page.waitForSelector('#board-rows tr[data-regno="**01"]', { timeout: 5000 });
  const lag = Date.now() - t0;
  const cells = await page.$$eval('#board-rows tr[data-regno="**01"] td', (tds) => tds.map((td) => td.textContent.trim()));
  assertEqual(cells[1], 'PES*** UJI*** 1***', 'masked name');
  assertEqual(cells[2], '**01', 'masked number');
  const html = await page.content();
  assert(!html.includes('Peserta Uji 1') && !html.includes('P001'), 'no unmasked name or number on the page');
  assert(await page.isHidden('#empty'), 'empty state gone');

  // Two more: one with every best answer (highest total), one blank.
  await finish(w, 'P003', 9);
  await finish(w, 'P002', 0);
  await waitUntil(async () => (await page.$$('#board-rows tr')).length === 3, 5000, 'three rows');
  const order = async () => page.$$eval('#board-rows tr', (trs) => trs.map((tr) => tr.dataset.regno));
  assertEqual(await order(), ['**02', '**03', '**01'], 'newest first');
  await page.click('.sort-toggle [data-sort="total"]');
  assertEqual(await order(), ['**03', '**01', '**02'], 'highest total first');
  assertEqual(await page.getAttribute('.sort-toggle [data-sort="total"]', 'aria-pressed'), 'true', 'sort pressed');
  const met = await page.$$eval('#board-rows tr .met', (els) => els.map((e) => e.dataset.met));
  assertEqual(met[0], 'yes', 'all best answers meet the thresholds');
  assertEqual(met[2], 'no', 'a blank paper does not');
  await axeScan(page, 'the board with rows (1366px)');

  await page.click('.lang-toggle [data-lang="en"]');
  await waitUntil(async () => (await page.getAttribute('html', 'lang')) === 'en', 3000, 'English');
  assertEqual(await page.textContent('.sort-toggle [data-sort="total"]'), 'Highest total', 'English sort label');
  assertEqual(await page.textContent('#live-text'), 'Live', 'English live label');

  for (const width of [1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 768 });
    await axeScan(page, `the board (${width}px)`);
    const box = await page.locator('#board-rows tr[data-regno="**03"]').boundingBox();
    assert(box && box.x >= 0 && box.x + box.width <= width + 1, `row within the page at ${width}px: ${JSON.stringify(box)}`);
  }
  assertEqual(page.errors, [], 'page errors');
  console.log(`# row on the page ${lag} ms after the finish request was sent`);
});

worldTest('a board that is off says so; no exam in the address says how', { candidates: 1 }, async (w) => {
  const page = await newPage(browser);
  await page.goto(`${w.url}/board/?exam=E2E`);
  await page.waitForSelector('#message:visible');
  assertEqual(await page.textContent('#message'), 'Papan skor untuk ujian ini tidak ditemukan atau tidak diaktifkan.', 'off');
  await page.goto(`${w.url}/board/`);
  await page.waitForSelector('#message:visible');
  assert((await page.textContent('#message')).includes('?exam='), 'how to name the exam');
  assertEqual(page.errors, [], 'page errors');
});

browser = await launch();
let code = 1;
try {
  code = await run();
} finally {
  await browser.close();
}
process.exit(code);
