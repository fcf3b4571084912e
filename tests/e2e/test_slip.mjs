// test_slip.mjs - signed result slips in a real Chromium against the real
// server: the candidate's "Cetak slip hasil" link, the candidate's own slip
// and a committee member's slip drawn with the QR code and the stored
// scores, the A4 print (one page, the toolbar hidden), the public
// verification page saying genuine, then not genuine after a score is
// changed in the database, an unknown code, English, and an accessibility
// scan. Screenshots at 1366, 1024 and 390 px and the print PDF go to
// $E2E_SHOTS when set (E2E_SHOTS=docs/screenshots regenerates the docs'
// pictures), the print PDF to $E2E_PDF.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, waitUntil, worldTest, runInBrowser, assert, assertEqual, TOP, UJIAN } from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SHOTS = process.env.E2E_SHOTS || null;
let browser;

async function axeScan(page, where) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on ${where}`);
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
}

async function api(w, method, path, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(w.url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  return { status: r.status, json, text };
}

// Log in, start, answer the first `best` questions with their best option,
// finish; returns the login (token and session facts).
async function finish(w, regno, best) {
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
  assertEqual((await api(w, 'POST', '/api/v1/attempt/finish', tok)).status, 200, 'finish');
  return login.json;
}

// The candidate page's session, as it keeps it after a login.
async function asCandidate(page, w, regno, login) {
  await page.goto(`${w.url}/candidate/`);
  await page.evaluate(([l, r]) => {
    window.localStorage.setItem('ujian.candidate.session', JSON.stringify({
      token: l.token, exam: 'E2E', regno: r, name: l.candidate ? l.candidate.name : '', title: 'Ujian Uji Peramban',
    }));
  }, [login, regno]);
}

function stored(w, regno) {
  return w.sql(`SELECT a.total, a.scores_json FROM attempts a JOIN candidates c ON c.id = a.candidate_id ` +
    `WHERE c.registration_no = '${regno}'`)[0];
}

worldTest('the candidate prints the signed slip; A4, with the QR and the stored scores', { candidates: 2 }, async (w) => {
  const login = await finish(w, 'P001', 5);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await asCandidate(page, w, 'P001', login);
  // The result screen links to the slip.
  await page.goto(`${w.url}/candidate/`);
  await page.waitForSelector('#screen-result:visible');
  await page.waitForSelector('#result-slip:visible');
  assertEqual((await page.textContent('#result-slip a')).trim(), 'Cetak slip hasil', 'the link, in Indonesian');
  assertEqual(await page.getAttribute('#result-slip a', 'href'), '/slip/', 'the link target');

  await page.goto(`${w.url}/slip/`);
  await page.waitForSelector('#sheet:visible');
  const db = stored(w, 'P001');
  assertEqual((await page.textContent('.slip-total')).trim(), String(db.total), 'the total as stored');
  const secs = JSON.parse(db.scores_json);
  for (const s of secs) {
    const cell = await page.textContent(`tr[data-section="${s.code}"] .score`);
    assertEqual(cell.trim(), String(s.score), 'section ' + s.code);
  }
  assertEqual((await page.textContent('.slip-name')).trim(), 'Peserta Uji 1', 'name');
  const code = (await page.textContent('.slip-code')).trim();
  assert(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/.test(code), 'code format: ' + code);
  assert((await page.$$('svg.slip-qr rect')).length > 30, 'the QR code is drawn');
  assert(/WIB$/.test((await page.textContent('.slip-finished')).trim()), 'finish time in the exam zone');
  assertEqual((await page.textContent('.slip-url')).trim(), `${w.url}/verify/${code.replace('-', '')}`, 'verification URL (from Host)');
  assertEqual(page.errors, [], 'no script errors');
  await axeScan(page, 'the slip');
  await shot(page, 'slip-1366');
  for (const width of [1024, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await shot(page, 'slip-' + width);
  }
  // Print: A4, one page, the toolbar hidden.
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.emulateMedia({ media: 'print' });
  assert(await page.isHidden('.slip-bar'), 'toolbar hidden in print');
  await shot(page, 'slip-print');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assertEqual(pages, 1, 'the slip prints on one A4 page');
  if (process.env.E2E_PDF) writeFileSync(process.env.E2E_PDF, pdf);
});

worldTest('a committee member opens the slip; the verify page says genuine, then not', { candidates: 2 }, async (w) => {
  await finish(w, 'P002', 3);
  const pw = 'sandi-pansel-panjang';
  execFileSync(UJIAN, ['staff', 'add', '--db', w.db, '--username', 'pansel', '--role', 'committee', '--password-stdin'],
    { input: pw + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
  // A DIS attempt: shown as Diskualifikasi on the slip.
  w.sql(`UPDATE attempts SET finish_reason = 'disqualified', passed = 0 WHERE candidate_id = ` +
    `(SELECT id FROM candidates WHERE registration_no = 'P002')`);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await page.goto(`${w.url}/slip/`);
  const login = await page.request.post(`${w.url}/api/v1/staff/login`, { data: { username: 'pansel', password: pw } });
  assertEqual(login.status(), 200, 'staff login');
  await page.goto(`${w.url}/slip/?exam=E2E&reg=P002`);
  await page.waitForSelector('#sheet:visible');
  assertEqual((await page.textContent('.slip-status')).trim(), 'Diskualifikasi', 'DIS in words');
  const code = (await page.textContent('.slip-code')).trim();

  // The public page, as the QR code opens it (no session).
  const pub = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await pub.goto(`${w.url}/verify/${code.replace('-', '')}`);
  await pub.waitForSelector('#verdict[data-state="ok"]');
  assert((await pub.textContent('#verdict-title')).includes('Slip ASLI'), 'genuine, in Indonesian');
  assertEqual((await pub.textContent('.slip-total')).trim(), String(stored(w, 'P002').total), 'the content');
  assertEqual(await pub.inputValue('#code'), code, 'the code in the form');
  await axeScan(pub, 'the verification page');
  await shot(pub, 'verify-1366');
  for (const width of [1024, 390]) {
    await pub.setViewportSize({ width, height: 800 });
    await shot(pub, 'verify-' + width);
  }
  await pub.setViewportSize({ width: 1366, height: 768 });
  await pub.click('button[data-lang="en"]');
  assert((await pub.textContent('#verdict-title')).includes('GENUINE slip'), 'English');
  await pub.click('button[data-lang="id"]');

  // A score changed in the database after signing: not genuine, naming it.
  w.sql(`UPDATE attempts SET total = total + 7 WHERE candidate_id = ` +
    `(SELECT id FROM candidates WHERE registration_no = 'P002')`);
  await pub.reload();
  await pub.waitForSelector('#verdict[data-state="bad"]');
  assert((await pub.textContent('#verdict-title')).includes('Slip TIDAK ASLI'), 'not genuine');
  assert((await pub.textContent('#verdict-detail')).includes('total'), 'names the changed field');
  await shot(pub, 'verify-bad-1366');

  // A code typed in that no slip has.
  await pub.fill('#code', 'zzzzz-zzzzz');
  await pub.click('#check');
  await waitUntil(async () => (await pub.textContent('#verdict-title')).includes('Kode tidak dikenal'), 5000, 'unknown code');
  assertEqual(pub.errors, [], 'no script errors');
});

runInBrowser((b) => {
  browser = b;
});
