// test_committee.mjs - the committee web (client-web/committee/) in a real
// Chromium against the fake committee server (fake_committee_server.mjs,
// the contract's JSON and SSE shapes): the login round trip through the
// administration login, exam results (sorting, filters, histograms, pass
// rates, export and slip links), the nine-box grid (counts per box equal to
// the API's, a box lists its employees, filters, a live placement moving a
// dot and a count without a reload), the selection pipeline (funnel,
// ranking and top three, a member's score entry, a change without a reason
// refused, 409 closed shown, the PPK's choice), the print pages (A4, no
// navigation chrome in print), English, and axe at 1366, 1024 and 390 px.
// test_committee_real.mjs runs the same pages against the real server.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, waitUntil, test, runInBrowser, assert, assertEqual, TOP } from './harness.mjs';
import { startFake } from './fake_committee_server.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let browser;

function fakeTest(name, fn) {
  test(name, async () => {
    const f = await startFake({});
    try {
      await fn(f);
    } finally {
      await f.close();
    }
  });
}

async function login(page, f, user, hash) {
  await page.goto(`${f.url}/committee/${hash || ''}`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', user);
  await page.fill('#login-password', 'sandi-' + user);
  await page.click('#login-submit');
  await page.waitForURL(/\/committee\//);
  await page.waitForSelector('#topnav:not([hidden])');
}

const get = (page, path) => page.evaluate(async (p) => (await fetch('/api/v1/staff' + p)).json(), path);

export async function axeScan(page, where) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on ${where}`);
}

async function noSideways(page, where) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(over <= 1, `${where}: the page scrolls sideways by ${over}px`);
}

const boxCount = (page, box) => page.$eval(`#ninebox [data-box="${box}"] .nb-count`, (e) => Number(e.textContent));

fakeTest('results: the table, sorting, filters, histograms, pass rates, exports, slips and the announcement', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, f, 'pansel', '#/hasil');
  await page.selectOption('#exam-pick', 'TALENTA-DEMO');
  await page.waitForSelector('#results-table tbody tr');
  const api = await get(page, '/exams/TALENTA-DEMO/results');
  const rows = () => page.$$eval('#results-table tbody tr', (rs) => rs.map((r) => r.getAttribute('data-regno')));
  assertEqual((await rows()).length, api.length, 'every result row');
  assertEqual((await rows())[0], api.filter((r) => r.rank === 1)[0].registration_no, 'rank 1 first');
  // Sort by total, descending first; again ascending (disqualified rows have a total too).
  await page.click('#results-table [data-sort="total"]');
  const totals = await page.$$eval('#results-table tbody td[data-col="total"]', (ts) => ts.map((x) => Number(x.textContent.replace(/\./g, '').replace(',', '.'))));
  assertEqual(totals, totals.slice().sort((a, b) => b - a), 'sorted by total, high first');
  assertEqual(await page.getAttribute('#results-table th[aria-sort]', 'aria-sort'), 'descending', 'aria-sort');
  await page.click('#results-table [data-sort="total"]');
  const up = await page.$$eval('#results-table tbody td[data-col="total"]', (ts) => ts.map((x) => Number(x.textContent.replace(/\./g, '').replace(',', '.'))));
  assertEqual(up, totals.slice().reverse(), 'then low first');
  // Filters: disqualified only; passed; track.
  await page.selectOption('#f-dis', 'only');
  assertEqual((await rows()).length, api.filter((r) => r.disqualified).length, 'disqualified only');
  assert(await page.$$eval('#results-table tbody [data-col="outcome"]', (c) => c.every((x) => x.textContent === 'Diskualifikasi')), 'all DIS');
  await page.selectOption('#f-dis', '');
  await page.selectOption('#f-passed', 'yes');
  await page.selectOption('#f-track', 'jpt');
  const want = api.filter((r) => r.passed === true && r.track === 'jpt');
  assertEqual((await rows()).sort(), want.map((r) => r.registration_no).sort(), 'passed, track jpt');
  assertEqual(await page.textContent('#results-summary'), `Ditampilkan ${want.length} dari ${api.length} peserta: ${want.length} lulus, 0 didiskualifikasi.`, 'summary');
  // A histogram per section and the total; its bars add up to the rows shown.
  const hists = await page.$$eval('#histograms .hist', (hs) => hs.map((x) => x.id));
  assertEqual(hists, ['hist-MANAJERIAL', 'hist-SOSIOKULTURAL', 'hist-TEKNIS', 'hist-total'], 'histograms');
  const sum = await page.$$eval('#hist-total .hist-bar title', (ts) => ts.reduce((s, x) => s + Number(x.textContent.split(': ')[1]), 0));
  assertEqual(sum, want.length, 'histogram counts the rows shown');
  // Pass rates: the official outcome per track; a what-if threshold on the total.
  const rate = await page.$$eval('#rates-table tbody tr', (rs) => rs.map((r) => r.textContent));
  assert(rate.some((x) => x.startsWith('jpt') && x.includes(`${want.length} dari ${want.length} (100`)), 'official rate: ' + rate);
  // A committee account reads the pass rules from the exam list: a row per threshold.
  assert(rate.some((x) => x.startsWith('jpt') && x.includes('MANAJERIAL ≥ 100')), 'a committee sees each threshold: ' + rate);
  assert(rate.some((x) => x.startsWith('jpt') && x.includes('Total ≥ 280')), 'the total threshold: ' + rate);
  await page.selectOption('#f-passed', '');
  await page.fill('#whatif-min', '300');
  const jpt = api.filter((r) => r.track === 'jpt' && !r.disqualified);
  assert((await page.textContent('#whatif-out')).startsWith(`${jpt.filter((r) => r.total >= 300).length} dari ${jpt.length} (`), 'what-if on the total');
  // Exports and the slip link.
  assertEqual(await page.getAttribute('#export-csv', 'href'), '/api/v1/staff/exams/TALENTA-DEMO/results.csv?sep=%3B&lang=id', 'CSV with ;');
  await page.selectOption('#export-sep', ',');
  assertEqual(await page.getAttribute('#export-csv', 'href'), '/api/v1/staff/exams/TALENTA-DEMO/results.csv?sep=%2C&lang=id', 'CSV with ,');
  assertEqual(await page.getAttribute('#export-xlsx', 'href'), '/api/v1/staff/exams/TALENTA-DEMO/results.xlsx?lang=id', 'xlsx');
  const first = jpt[0].registration_no;
  assertEqual(await page.getAttribute(`#results-table tr[data-regno="${first}"] .slip-link`, 'href'), `/slip/?exam=TALENTA-DEMO&reg=${first}`, 'slip link');
  // The announcement: ranked, finished first; "passed only".
  await page.click('#announce-link');
  await page.waitForSelector('#announce-table tbody tr');
  const ann = await page.$$eval('#announce-table tbody tr', (rs) => rs.map((r) => r.getAttribute('data-regno')));
  assertEqual(ann.length, api.length, 'every finished candidate');
  assertEqual(ann[0], api.filter((r) => r.rank === 1)[0].registration_no, 'rank 1 first');
  await page.check('#only-passed');
  assertEqual(await page.$$eval('#announce-table tbody tr', (rs) => rs.length), api.filter((r) => r.passed).length, 'passed only');
  assertEqual(page.errors, [], 'page errors');
});

test('results: a long list draws 500 rows, sorted over all of them, and shows the rest on request', async () => {
  const f = await startFake({ employees: 700 });
  try {
    const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
    await login(page, f, 'pansel', '#/hasil/TALENTA-DEMO');
    await page.waitForSelector('#results-table tbody tr');
    const api = await get(page, '/exams/TALENTA-DEMO/results');
    assert(api.length > 500, 'more than 500 results: ' + api.length);
    const count = () => page.$$eval('#results-table tbody tr', (r) => r.length);
    assertEqual(await count(), 500, '500 drawn');
    assertEqual(await page.textContent('.sortable-box .show-all'), `Ditampilkan 500 dari ${api.length} baris — tampilkan semua`, 'the button says how many');
    await page.click('#results-table [data-sort="name"]');
    const first = api.map((r) => r.name).sort((x, y) => x.localeCompare(y, 'id'))[0];
    assertEqual(await page.textContent('#results-table tbody tr td[data-col="name"]'), first, 'sorted over every row');
    await page.click('.sortable-box .show-all');
    assertEqual(await count(), api.length, 'all rows');
    assert(await page.isHidden('.sortable-box .show-all'), 'the button gone');
    assertEqual(page.errors, [], 'page errors');
  } finally {
    await f.close();
  }
});

fakeTest('talent grid: counts per box, a box lists its employees, filters, live movement, pool, succession, profile', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, f, 'pansel', '#/talenta');
  await page.waitForSelector('#ninebox [data-box="9"]');
  await page.waitForSelector('#live-badge[data-state="open"]');
  assertEqual(await page.textContent('#live-badge'), 'Langsung', 'live indicator');
  assert(/#\/talenta\/PT-2026$/.test(page.url()), 'the open period chosen');
  const api = await get(page, '/talent/periods/PT-2026');
  for (const b of api.boxes) assertEqual(await boxCount(page, b.box), b.count, `box ${b.box} count`);
  assertEqual(await page.$$eval('#ninebox .nb-dot', (d) => d.length), api.boxes.reduce((s, b) => s + Math.min(b.count, 45), 0), 'a dot per employee');
  // Orientation (default): box 9 top right, box 1 bottom left.
  const pos = (box) => page.$eval(`#ninebox [data-box="${box}"] rect`, (r) => [Number(r.getAttribute('x')), Number(r.getAttribute('y'))]);
  const p9 = await pos(9);
  const p1 = await pos(1);
  assert(p9[0] > p1[0] && p9[1] < p1[1], 'box 9 right of and above box 1');
  // Click box 8: its employees.
  await page.click('#ninebox [data-box="8"]');
  await waitUntil(async () => (await page.textContent('#box-title')).startsWith('Kotak 8'), 3000, 'box 8 listed');
  const listed = await page.$$eval('#box-table tbody tr', (rs) => rs.map((r) => r.getAttribute('data-nip')));
  assertEqual(listed.sort(), api.employees.filter((e) => e.box === 8).map((e) => e.nip).sort(), 'box 8 employees');
  assertEqual(await page.getAttribute('#ninebox [data-box="8"]', 'aria-pressed'), 'true', 'pressed');
  // Keyboard: focus box 5 and press Enter.
  await page.focus('#ninebox [data-box="5"]');
  await page.keyboard.press('Enter');
  await waitUntil(async () => (await page.textContent('#box-title')).startsWith('Kotak 5'), 3000, 'box 5 by keyboard');
  // Filter by unit: the counts are those of the unit.
  const unit = api.employees[0].unit;
  await page.selectOption('#f-unit', unit);
  for (const box of [9, 5, 1]) assertEqual(await boxCount(page, box), api.employees.filter((e) => e.unit === unit && e.box === box).length, `unit count box ${box}`);
  await page.selectOption('#f-type', 'pengawas');
  assertEqual(await page.$eval('#period-counts [data-stat="employees"] dd', (e) => Number(e.textContent)),
    api.employees.filter((e) => e.unit === unit && e.position_type === 'pengawas').length, 'unit and type filter');
  await page.selectOption('#f-unit', '');
  await page.selectOption('#f-type', '');
  // Movement since the previous period.
  assert(/^Sejak PT-2025: \d+ naik, \d+ turun, \d+ tetap, \d+ baru dipetakan\.$/.test(await page.textContent('#movement')), 'movement summary');
  // Live: an employee of box 5 (meets, medium) finishes the exam with 95: box 8, without a reload.
  const e5 = api.employees.filter((e) => e.box === 5 && e.perf === 'meets')[0];
  const c5 = await boxCount(page, 5);
  const c8 = await boxCount(page, 8);
  await page.evaluate(() => { window.__marker = 1; });
  const t0 = Date.now();
  await fetch(`${f.url}/__fake/finish?nip=${e5.nip}&potential=95`, { method: 'POST' });
  await waitUntil(async () => (await boxCount(page, 8)) === c8 + 1, 3000, 'box 8 count up');
  console.log(`# placement to grid: ${Date.now() - t0} ms`);
  assertEqual(await boxCount(page, 5), c5 - 1, 'box 5 count down');
  assert(await page.$(`#ninebox [data-box="8"] .nb-dot[data-nip="${e5.nip}"]`), 'the dot moved to box 8');
  assert(!(await page.$(`#ninebox [data-box="5"] .nb-dot[data-nip="${e5.nip}"]`)), 'and left box 5');
  assertEqual(await page.evaluate(() => window.__marker), 1, 'no reload');
  // Unmapped with reasons.
  await page.click('#show-unmapped');
  const unm = await page.$$eval('#box-table tbody tr', (rs) => rs.map((r) => r.textContent));
  assert(unm.some((x) => x.includes('Belum ada nilai SKP')), 'reasons shown');
  // Pool and succession.
  await page.click('#pool-link');
  await page.waitForSelector('#pool-table tbody tr');
  const pool = await get(page, '/talent/periods/PT-2026/pool');
  assertEqual(await page.$$eval('#pool-table tbody tr td[data-col="name"] a', (as) => as.map((a) => a.textContent)), pool.pool.map((r) => r.name), 'pool order');
  await page.selectOption('#succ-grade', 'III/d');
  await page.fill('#succ-n', '2');
  await page.click('#succ-run');
  await waitUntil(async () => (await page.$$('#succ-table tbody tr')).length === 2, 3000, 'two successors');
  // The profile.
  await page.click('#pool-table tbody tr td[data-col="name"] a');
  await page.waitForSelector('#profile-facts');
  assert(await page.$('#skp-table') && await page.$('#boxes-table'), 'SKP and box history');
  assertEqual(page.errors, [], 'page errors');
});

test('talent grid: the axes and numbers follow the period\'s configuration (performance across, another numbering)', async () => {
  // Numbering reversed left to right within each row: above 9/7/4, meets 8/5/2, below 6/3/1.
  const f = await startFake({ orientation: 'performance', boxes: { above: [9, 7, 4], meets: [8, 5, 2], below: [6, 3, 1] } });
  try {
    const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
    await login(page, f, 'pansel', '#/talenta/PT-2026');
    await page.waitForSelector('#ninebox [data-box="9"]');
    const api = await get(page, '/talent/periods/PT-2026');
    for (const b of api.boxes) assertEqual(await boxCount(page, b.box), b.count, `box ${b.box}`);
    const pos = (box) => page.$eval(`#ninebox [data-box="${box}"] rect`, (r) => [Number(r.getAttribute('x')), Number(r.getAttribute('y'))]);
    // Performance across (below → above), potential up (high on top):
    // box 9 here is above/low: right column, bottom row; box 1 is below/high: left, top.
    const p9 = await pos(9);
    const p1 = await pos(1);
    const p4 = await pos(4);
    assert(p9[0] > p1[0] && p9[1] > p1[1], 'box 9 (above, low) right of and below box 1 (below, high)');
    assert(p4[0] === p9[0] && p4[1] < p9[1], 'box 4 (above, high) above box 9 in the same column');
    const axes = await page.$$eval('#ninebox .nb-axis-title', (t) => t.map((x) => x.textContent));
    assertEqual(axes, ['Kinerja →', 'Potensial →'], 'performance across, potential up');
    assert((await page.getAttribute('#ninebox [data-box="4"]', 'aria-label')).includes('kinerja di atas ekspektasi, potensial tinggi'), 'box 4 is above/high');
    // A box's employees are those the API places in it.
    await page.click('#ninebox [data-box="4"]');
    await waitUntil(async () => (await page.textContent('#box-title')).startsWith('Kotak 4'), 3000, 'box 4 listed');
    assertEqual((await page.$$eval('#box-table tbody tr', (rs) => rs.map((r) => r.getAttribute('data-nip')))).sort(),
      api.employees.filter((e) => e.box === 4).map((e) => e.nip).sort(), 'box 4 employees');
    assert(api.employees.filter((e) => e.box === 4).every((e) => e.perf === 'above' && e.pot_level === 'high'), 'the fake numbers as configured');
    assertEqual(page.errors, [], 'page errors');
  } finally {
    await f.close();
  }
});

fakeTest('selection pipeline: funnel, ranking and top three, score entry, a change needs a reason, 409 closed', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, f, 'pansel', '#/seleksi');
  await page.waitForSelector('#selections-table tbody tr');
  await page.click('#selections-table a');
  await page.waitForSelector('.vacancy-card');
  assertEqual(await page.$$eval('.vacancy-card', (c) => c.length), 3, 'three vacancies');
  await page.click('.vacancy-card[data-vacancy="V1"] .button');
  await page.waitForSelector('#score-table tbody tr');
  await page.waitForSelector('#live-badge[data-state="open"]');
  const vac = await get(page, '/selections/JPT-2026/vacancies/V1');
  // Funnel: a bar per stage with entered/passed.
  const fn = await page.$$eval('#funnel .fn-row', (rs) => rs.map((r) => r.getAttribute('data-stage') + ' ' + r.querySelector('.fn-num').textContent));
  assertEqual(fn.length, vac.stages.length, 'a funnel row per stage');
  // Ranking and the top three.
  assertEqual(await page.$$eval('#proposal-list li', (ls) => ls.map((l) => l.querySelector('.p-name').textContent)), vac.proposal.map((p) => p.name), 'top three');
  const ranks = await page.$$eval('#score-table tbody tr', (rs) => rs.map((r) => r.querySelector('.rank').textContent));
  assertEqual(ranks.slice(0, 3), ['1', '2', '3'], 'ranked rows first');
  // A member's first entry: rekam_jejak of an applicant pansel has not scored.
  const a = vac.applicants.filter((x) => x.status === 'active' && !x.stages.rekam_jejak.entries.some((e) => e.username === 'pansel'))[0];
  await page.selectOption('#entry-applicant', String(a.id));
  await page.selectOption('#entry-stage', 'rekam_jejak');
  assertEqual(await page.textContent('#entry-current'), 'Anda belum memberi nilai untuk pelamar dan tahap ini.', 'no entry yet');
  await page.fill('#entry-score', '80');
  await page.click('#entry-save');
  await page.waitForSelector('#entry-ok:not([hidden])');
  const cell = `#score-table tr[data-applicant="${a.id}"] td[data-stage="rekam_jejak"] .entry[data-member="pansel"]`;
  await waitUntil(async () => (await page.textContent(cell)) === 'SW 80', 3000, 'the entry in the table');
  // A change without a reason: refused, nothing sent, the score unchanged.
  const before = (await (await fetch(`${f.url}/__fake/puts`)).json()).puts.length;
  await page.fill('#entry-score', '85');
  await page.click('#entry-save');
  await page.waitForSelector('#entry-errors [role="alert"]');
  assert((await page.textContent('#entry-errors')).includes('Alasan perubahan wajib diisi'), 'reason required');
  assertEqual(await page.evaluate(() => document.activeElement.id), 'entry-reason', 'focus on the reason');
  assertEqual((await (await fetch(`${f.url}/__fake/puts`)).json()).puts.length, before, 'nothing sent');
  assertEqual(await page.textContent(cell), 'SW 80', 'unchanged');
  // The server refuses it too (the API, not just the page).
  const direct = await page.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/staff/me')).json();
    const r = await fetch('/api/v1/staff/selections/JPT-2026/scores', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: JSON.stringify({ applicant: id, stage: 'rekam_jejak', score: 85 }) });
    return [r.status, (await r.json()).error.errors.map((e) => e.field)];
  }, a.id);
  assertEqual(direct, [400, ['reason']], 'the server refuses a change without a reason');
  // With a reason: saved, the reason sent.
  await page.fill('#entry-reason', 'Salah ketik saat wawancara');
  await page.click('#entry-save');
  await waitUntil(async () => (await page.textContent(cell)) === 'SW 85', 3000, 'changed');
  await page.click('#audit summary');
  await waitUntil(async () => (await page.$$('#audit-table tbody tr')).length === 2, 3000, 'the audit log');
  assertEqual(await page.$eval('#audit-table tbody tr', (r) => [r.querySelector('[data-col="change"]').textContent, r.querySelector('[data-col="reason"]').textContent]),
    ['80 → 85', 'Salah ketik saat wawancara'], 'the change with its reason, newest first');
  const puts = (await (await fetch(`${f.url}/__fake/puts`)).json()).puts;
  assertEqual(puts[puts.length - 1].body, { applicant: a.id, stage: 'rekam_jejak', score: 85, reason: 'Salah ketik saat wawancara' }, 'the PUT body');
  // A gate: failing needs a reason.
  await page.selectOption('#gate-applicant', String(a.id));
  await page.selectOption('#gate-stage', 'kesehatan');
  await page.check('#gate-fail');
  await page.click('#gate-save');
  assert((await page.textContent('#gate-errors')).includes('Alasan wajib diisi'), 'gate reason required');
  await page.fill('#gate-reason', 'Tidak memenuhi syarat kesehatan');
  await page.click('#gate-save');
  await waitUntil(async () => ((await page.textContent(`#score-table tr[data-applicant="${a.id}"] .status`)) || '').startsWith('Gugur di tahap Tes kesehatan'), 3000, 'out at the gate');
  // The PPK's choice: rank 2 needs a note.
  await page.check('#ppk-form input[name="ppk-pick"] >> nth=1');
  await page.click('#ppk-save');
  assert((await page.textContent('#ppk')).includes('Isi catatan'), 'note required for rank 2');
  await page.fill('#ppk-note', 'Pertimbangan kebutuhan organisasi');
  await page.click('#ppk-save');
  await page.waitForSelector('#ppk-done');
  assert((await page.textContent('#ppk-done')).startsWith('Pilihan PPK: peringkat 2'), 'recorded');
  // Closed: a write is refused with 409 and the page says so.
  await fetch(`${f.url}/__fake/close`, { method: 'POST' });
  await page.fill('#entry-score', '70');
  await page.fill('#entry-reason', 'Koreksi');
  await page.click('#entry-save');
  await waitUntil(async () => (await page.textContent('#entry-errors')).includes('seleksi ini sudah ditutup'), 3000, '409 shown');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('selection: a committee account that is not a member reads only; 403 not_member from the API', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1024, height: 768 } });
  await login(page, f, 'tamu', '#/seleksi/JPT-2026/V1');
  await page.waitForSelector('#score-table tbody tr');
  assert(!(await page.$('#entry-form')), 'no entry form');
  assertEqual(await page.textContent('#entry-none'), 'Anda bukan anggota panitia seleksi ini: halaman ini hanya dapat dilihat.', 'read only');
  assert(!(await page.$('#ppk-form')), 'no PPK form');
  const r = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/staff/me')).json();
    const x = await fetch('/api/v1/staff/selections/JPT-2026/scores', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: JSON.stringify({ applicant: 101, stage: 'wawancara', score: 80 }) });
    return [x.status, (await x.json()).error.code];
  });
  assertEqual(r, [403, 'not_member'], '403');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('closing a selection: the chair confirms in a dialog; then frozen: no forms, status closed', async (f) => {
  const other = await newPage(browser, { viewport: { width: 1024, height: 768 } });
  await login(other, f, 'anggota1', '#/seleksi/JPT-2026');
  await other.waitForSelector('#sel-me');
  assertEqual(await other.textContent('#sel-me'), 'Sekretaris', 'secretary');
  assert(!(await other.$('#close-selection')), 'only the chair or an admin may close');
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, f, 'pansel', '#/seleksi/JPT-2026');
  await page.click('#close-selection');
  await page.waitForSelector('#dialog:not([hidden])');
  assert((await page.textContent('#dialog-body')).includes('dibekukan'), 'the dialog says what closing does');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  assertEqual(await page.evaluate(() => document.activeElement.id), 'close-selection', 'focus back on the button');
  await page.click('#close-selection');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  await waitUntil(async () => !(await page.$('#close-selection')) && (await page.textContent('#sel-facts + dl')).includes('Ditutup'), 3000, 'closed');
  await page.goto(`${f.url}/committee/#/seleksi/JPT-2026/V1`);
  await page.waitForSelector('#closed-note');
  assert(!(await page.$('#entry-form')) && !(await page.$('#ppk-form')), 'no forms once closed');
  assertEqual((await (await fetch(`${f.url}/__fake/puts`)).json()).puts.length, 0, 'nothing written');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('print pages: berita acara with members and signatures, usulan, profile; A4 without navigation in print', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, f, 'pansel', '#/cetak/berita-acara/JPT-2026/V1');
  await page.waitForSelector('#minutes-table tbody tr');
  const vac = await get(page, '/selections/JPT-2026/vacancies/V1');
  assertEqual(await page.$$eval('#minutes-table tbody tr', (r) => r.length), vac.applicants.length, 'every applicant in the minutes');
  assertEqual(await page.$$eval('#minutes-signs tbody tr', (r) => r.map((x) => x.getAttribute('data-member'))), ['pansel', 'anggota1', 'anggota2'], 'a signature row per member');
  assertEqual(await page.$$eval('#proposal-table tbody tr', (r) => r.length), 3, 'three proposed');
  for (const [hash, sel] of [['#/cetak/berita-acara/JPT-2026/V1', '#berita-acara'], ['#/cetak/usulan/JPT-2026/V1', '#usulan'],
    ['#/cetak/pengumuman/TALENTA-DEMO', '#pengumuman'], [`#/cetak/profil/${f.employees[0].nip}`, '#profil']]) {
    await page.goto(`${f.url}/committee/${hash}`);
    await page.waitForSelector(sel);
    assert(await page.isVisible('#topbar') && await page.isVisible('#print-button'), 'screen: navigation and buttons');
    await page.emulateMedia({ media: 'print' });
    assert(!(await page.isVisible('#topbar')), `${hash}: no top bar in print`);
    assert(!(await page.isVisible('#print-button')), `${hash}: no buttons in print`);
    assert(!(await page.isVisible('.page-head')), `${hash}: no page heading in print`);
    assert(await page.isVisible(sel), `${hash}: the document printed`);
    const over = await page.evaluate((s) => document.querySelector(s).scrollWidth - document.querySelector(s).clientWidth, sel);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    assert(box && Math.abs(Number(box[1]) - 595.9) < 2 && Math.abs(Number(box[2]) - 842.9) < 2, `${hash}: A4 (${box && box.slice(1)})`);
    assert(over <= 1, `${hash}: fits the page width (${over}px over)`);
    await page.emulateMedia({ media: 'screen' });
  }
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('English, and accessibility at 1366, 1024 and 390 px without sideways scroll', async (f) => {
  for (const vp of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    const page = await newPage(browser, { viewport: vp });
    await login(page, f, 'pansel', '#/hasil/TALENTA-DEMO');
    for (const [hash, sel] of [['#/hasil/TALENTA-DEMO', '#results-table tbody tr'], ['#/talenta/PT-2026', '#ninebox'], ['#/talenta/PT-2026/pool', '#pool-table'],
      [`#/pegawai/${f.employees[30].nip}`, '#profile-facts'], ['#/seleksi', '#selections-table'], ['#/seleksi/JPT-2026', '.vacancy-card'],
      ['#/seleksi/JPT-2026/V1', '#score-table'], ['#/cetak/berita-acara/JPT-2026/V1', '#minutes-table'], ['#/cetak/usulan/JPT-2026/V2', '#usulan'],
      ['#/cetak/pengumuman/TALENTA-DEMO', '#announce-table'], [`#/cetak/profil/${f.employees[30].nip}`, '#profil']]) {
      await page.goto(`${f.url}/committee/${hash}`);
      await page.waitForSelector(sel);
      await axeScan(page, `${hash} ${vp.width}`);
      await noSideways(page, `${hash} ${vp.width}`);
    }
    assertEqual(page.errors, [], 'page errors');
    await page.context().close();
  }
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, f, 'pansel', '#/talenta/PT-2026');
  await page.waitForSelector('#ninebox');
  await page.click('.lang-toggle [data-lang="en"]');
  await waitUntil(async () => (await page.textContent('#grid-title')) === 'Talent boxes', 3000, 'English');
  assertEqual(await page.textContent('#nav-seleksi'), 'Open selections', 'English menu');
  assertEqual(await page.evaluate(() => document.documentElement.lang), 'en', 'lang attribute');
  assertEqual(page.errors, [], 'page errors');
});

await runInBrowser((b) => {
  browser = b;
});
