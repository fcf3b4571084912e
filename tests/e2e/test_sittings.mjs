// test_sittings.mjs - the administration web's sittings page (#/ujian/CODE/sesi)
// in a real Chromium against the real server: an admin creates a sitting
// with a proctor, edits it, pastes registration numbers (a bad list shows
// every problem and changes nothing; a good one moves the candidates), the
// exam cards print each candidate's room and sitting, a proctor sees the
// token without the forms, an observer sees no token, English, and an
// accessibility scan at three widths.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, newPage, waitUntil, worldTest, run, assert, assertEqual, TOP, UJIAN,
} from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TOKEN = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/;

let browser;

function addStaff(w, username, roles, exams) {
  const password = `sandi-${username}-panjang`;
  const args = ['staff', 'add', '--db', w.db, '--username', username, '--role', roles.join(','), '--password-stdin'];
  if (exams) args.push('--exam', exams.join(','));
  execFileSync(UJIAN, args, { input: password + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return password;
}

async function staffLogin(page, w, username, password) {
  await page.goto(`${w.url}/admin/`);
  await page.waitForSelector('#screen-login:visible');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-page:visible');
}

async function rowsOf(page, sel) {
  return page.$$eval(`${sel} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent.trim())));
}

async function axeScan(page, where) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on ${where}`);
}

function sittingOf(w, regno) {
  const r = w.sql(`SELECT s.code FROM candidates c LEFT JOIN sittings s ON s.id = c.sitting_id WHERE c.registration_no = '${regno}'`);
  return r.length ? r[0].code : undefined;
}

worldTest('admin: create, edit, assign (every error, nothing applied), cards with rooms', { candidates: 4 }, async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  addStaff(w, 'pengawas', ['proctor'], ['E2E']);
  addStaff(w, 'penulis', ['author']);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await page.waitForSelector('#exams-table');
  await page.click('#exams-table a[href="#/ujian/E2E/sesi"]');
  await page.waitForSelector('#sittings-list');
  assertEqual(await page.textContent('#page-title'), 'Sesi E2E', 'title');
  assert(await page.isVisible('text=Ujian ini belum memiliki sesi.'), 'empty list sentence');
  // Only accounts that can proctor are offered.
  assertEqual(await page.$$eval('#sitting-form [data-proctor]', (els) => els.map((e) => e.value)), ['admin', 'pengawas'], 'proctor choices');

  // Create.
  await page.fill('#sitting-code', 'R1-PAGI');
  await page.fill('#sitting-room', 'Ruang 1');
  await page.fill('#sitting-rotate', '15');
  await page.check('#sitting-form [data-proctor="pengawas"]');
  await page.click('[data-action="sitting-save"]');
  await page.waitForSelector('#sittings-list tr[data-sitting="R1-PAGI"]');
  const msg = await page.textContent('#sitting-form-result .message');
  assert(/^Sesi R1-PAGI dibuat\. Token: [A-Z2-9]{6}$/.test(msg), 'created: ' + msg);
  let rows = await rowsOf(page, '#sittings-list');
  assertEqual(rows[0].slice(0, 5), ['R1-PAGI', 'Ruang 1', '—', 'pengawas', '0'], 'the new row');
  const token = await page.textContent('#sittings-list tr[data-sitting="R1-PAGI"] code.token');
  assert(TOKEN.test(token), 'token shown: ' + token);
  assertEqual(w.sql("SELECT token FROM sittings WHERE code = 'R1-PAGI'")[0].token, token, 'the stored token');

  // A refused create lists the server's problems.
  await page.fill('#sitting-code', 'R1-PAGI');
  await page.click('[data-action="sitting-save"]');
  await page.waitForSelector('#sitting-form-result .error-list li');
  assert((await page.textContent('#sitting-form-result')).includes('sudah memiliki sesi "R1-PAGI"'), 'duplicate code in Indonesian');

  // Edit: the form fills, the code is fixed.
  await page.click('tr[data-sitting="R1-PAGI"] [data-action="edit-sitting"]');
  assertEqual(await page.inputValue('#sitting-room'), 'Ruang 1', 'edit form filled');
  assertEqual(await page.isDisabled('#sitting-code'), true, 'code fixed');
  await page.fill('#sitting-room', 'Lab Komputer 2');
  await page.check('#sitting-together');
  await page.check('#sitting-form [data-proctor="admin"]');
  await page.click('[data-action="sitting-save"]');
  await waitUntil(async () => (await rowsOf(page, '#sittings-list'))[0][1] === 'Lab Komputer 2', 5000, 'edited row');
  rows = await rowsOf(page, '#sittings-list');
  assertEqual(rows[0][3], 'admin, pengawas', 'two proctors');
  assert(rows[0][5].includes('mulai bersama'), 'start together shown');

  // Assign: a bad list names every problem and changes nothing.
  await page.click('tr[data-sitting="R1-PAGI"] [data-action="assign-sitting"]');
  await page.fill('#assign-regnos', 'P001\nZZZ9\nP002\nP001\n');
  await page.click('[data-action="assign-save"]');
  await page.waitForSelector('#assign-errors');
  assertEqual((await rowsOf(page, '#assign-errors')).map((r) => r.slice(0, 2)), [['2', 'ZZZ9'], ['4', 'P001']], 'each bad line');
  assert((await page.textContent('#assign-result .message')).startsWith('Daftar ditolak: 2 kesalahan.'), 'refused sentence');
  assertEqual(sittingOf(w, 'P001'), null, 'nothing applied');
  await page.fill('#assign-regnos', 'P001\n P002 \n\nP003');
  await page.click('[data-action="assign-save"]');
  await page.waitForSelector('#assign-result .message[data-state="ok"]');
  assertEqual(await page.textContent('#assign-result .message'), '3 peserta berada di sesi R1-PAGI (3 dipindahkan).', 'assigned');
  await waitUntil(async () => (await rowsOf(page, '#sittings-list'))[0][4] === '3', 5000, 'count 3');
  assertEqual(['P001', 'P002', 'P003', 'P004'].map((r) => sittingOf(w, r)), ['R1-PAGI', 'R1-PAGI', 'R1-PAGI', null], 'stored');

  // Cards print the room and sitting (after a password reset issues one).
  await page.goto(`${w.url}/admin/#/ujian/E2E/peserta`);
  await page.waitForSelector('#candidates-table');
  await page.click('tr[data-regno="P002"] [data-action="reset"]');
  await page.click('#dialog-confirm');
  await page.click('#print-card');
  await page.waitForSelector('#cards .card');
  assertEqual(await page.textContent('#cards .card-room'), 'Lab Komputer 2 · Sesi R1-PAGI', 'room on the card');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('proctor sees the token and no forms; observer no token; English; accessibility', { candidates: 2 }, async (w) => {
  addStaff(w, 'admin', ['admin']);
  const ppw = addStaff(w, 'pengawas', ['proctor'], ['E2E']);
  const opw = addStaff(w, 'pemantau', ['observer'], ['E2E']);
  execFileSync(UJIAN, ['sitting', 'add', '--db', w.db, '--exam', 'E2E', '--code', 'R2', '--room', 'Ruang 2', '--proctor', 'pengawas'], { stdio: 'ignore' });
  execFileSync(UJIAN, ['sitting', 'assign', '--db', w.db, '--exam', 'E2E', '--code', 'R2', 'P001'], { stdio: 'ignore' });
  const token = w.sql("SELECT token FROM sittings WHERE code = 'R2'")[0].token;
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    const page = await newPage(browser, { viewport });
    await staffLogin(page, w, 'pengawas', ppw);
    await page.goto(`${w.url}/admin/#/ujian/E2E/sesi`);
    await page.waitForSelector('#sittings-list tr[data-sitting="R2"]');
    assertEqual(await page.textContent('tr[data-sitting="R2"] code.token'), token, `proctor sees the token (${viewport.width}px)`);
    assertEqual(await page.$$('#sitting-form, #assign-panel'), [], 'no forms for a proctor');
    const box = await page.locator('tr[data-sitting="R2"] code.token').boundingBox();
    assert(box && box.x >= 0 && box.x + box.width <= viewport.width, `token in view at ${viewport.width}px`);
    await axeScan(page, `sittings page (proctor, ${viewport.width}px)`);
    assertEqual(page.errors, [], 'page errors');
    await page.close();
  }
  const page = await newPage(browser);
  await staffLogin(page, w, 'pemantau', opw);
  await page.goto(`${w.url}/admin/#/ujian/E2E/sesi`);
  await page.waitForSelector('#sittings-list tr[data-sitting="R2"]');
  assertEqual(await page.$$('code.token'), [], 'an observer sees no token');
  assert((await page.textContent('tr[data-sitting="R2"]')).includes('tidak ditampilkan'), 'said so');
  await page.click('.lang-toggle [data-lang="en"]');
  await waitUntil(async () => (await page.textContent('#page-title')) === 'Sittings of E2E', 3000, 'English title');
  assert((await page.textContent('tr[data-sitting="R2"]')).includes('not shown'), 'English cell');
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
