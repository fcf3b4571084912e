// screenshots.mjs - regenerate docs/screenshots/landing.png (the front page),
// docs/screenshots/{login,exam,result}.png and
// candidate-{landing,login,exam,exam-tkp,result}-WIDTH.png (the candidate
// client, in Jakarta's time zone), docs/screenshots/candidate-STATE-WIDTH.png (waiting,
// paused, message, reset: shots_candidate_proctor.mjs) and
// docs/screenshots/admin-PAGE-WIDTH.png (every page of
// the administration web at 1366, 1024 and 390 px wide) from the real server
// with the shipped SKD sample bank, and docs/screenshots/board-WIDTH.png (the
// public scoreboard: screenshots_board.mjs) (run by `make screenshots`).

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TOP, UJIAN, launch, newPage } from './harness.mjs';
import { candidateProctorShots } from './shots_candidate_proctor.mjs';
import { boardShots } from './screenshots_board.mjs';

const OUT = join(TOP, 'docs', 'screenshots');
const SAMPLE = join(TOP, 'question-bank', 'skd-sample');
const dir = mkdtempSync(join(tmpdir(), 'ujian-shots-'));
const db = join(dir, 's.db');
const run = (...a) => execFileSync(UJIAN, a, { stdio: ['ignore', 'ignore', 'inherit'] });

run('init', '--db', db);
run('bank', 'import', '--db', db, join(SAMPLE, 'bank.json'));
run('exam', 'create', '--db', db, join(SAMPLE, 'exam-skd-demo.json'));
run('candidates', 'import', '--db', db, '--exam', 'SKD-DEMO', join(SAMPLE, 'candidates-demo.csv'));
// A few employees for the registry page (#/pegawai).
writeFileSync(join(dir, 'pegawai.csv'), 'nip;nama;golongan;jabatan;jenis_jabatan;unit;instansi;pendidikan\n' +
  '198503122010011001;Ayu Wulandari, S.E.;IV/a;Kepala Bidang Anggaran;administrator;Badan Keuangan Daerah;Pemerintah Kabupaten Sukamaju;S2\n' +
  '199001052015031002;Budi Santoso, S.Kom.;III/c;Pranata Komputer Ahli Muda;fungsional;Dinas Kominfo;Pemerintah Kabupaten Sukamaju;S1\n' +
  '198807142012122003;Citra Lestari, S.H.;III/d;Kepala Subbagian Hukum;pengawas;Sekretariat Daerah;Pemerintah Kabupaten Sukamaju;S1\n' +
  '197502202000031004;Dedi Kurniawan, M.Si.;IV/c;Kepala Dinas Kesehatan;jpt;Dinas Kesehatan;Pemerintah Kabupaten Sukamaju;S2\n' +
  '199506302020122005;Eka Putri;II/c;Pengadministrasi Umum;pelaksana;Dinas Pendidikan;Pemerintah Kabupaten Sukamaju;D3\n');
run('employee', 'import', '--db', db, join(dir, 'pegawai.csv'));

const server = spawn(UJIAN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--catalog-poll-ms', '200'], { stdio: ['ignore', 'pipe', 'ignore'] });
const line = await new Promise((res) => createInterface({ input: server.stdout }).once('line', res));
const url = 'http://' + /http:\/\/([^/]+)\//.exec(line)[1];
mkdirSync(OUT, { recursive: true });

const browser = await launch();
// A page as a candidate in Jakarta sees it (times in WIB).
const jakartaPage = async (width, height) => {
  const context = await browser.newContext({ viewport: { width, height }, timezoneId: 'Asia/Jakarta' });
  return context.newPage();
};
try {
  // The front page (README: landing.png) and the candidate's screens: the
  // README's login.png, exam.png, result.png at 1366×768, and
  // candidate-{landing,login,exam,exam-tkp,result}-WIDTH.png at 1366, 1024, 390.
  const widths = [[1366, 768], [1024, 768], [390, 844]];
  for (const [w, h] of widths) {
    const page = await jakartaPage(w, h);
    const shot = (name) => page.screenshot({ path: join(OUT, `candidate-${name}-${w}.png`) });
    await page.goto(`${url}/`);
    await page.waitForSelector('#exams:visible');
    await shot('landing');
    if (w === 1366) await page.screenshot({ path: join(OUT, 'landing.png') });
    await page.goto(`${url}/candidate/?exam=SKD-DEMO`);
    await page.waitForSelector('#screen-login:visible');
    const k = { 1366: '0001', 1024: '0013', 390: '0014' }[w];
    await page.fill('#login-regno', '202600' + k);
    await shot('login');
    if (w === 1366) await page.screenshot({ path: join(OUT, 'login.png') });
    await page.fill('#login-password', 'demo' + k);
    await page.click('#login-submit');
    await page.click('#start-button');
    await page.waitForSelector('#screen-exam:visible');
    // Answer a few questions, flag some, then show a figure item of TIU.
    for (const [n, label, flag] of [[1, 'B', false], [2, 'D', true], [3, 'A', false], [5, 'C', false],
      [31, 'E', false], [32, 'B', true], [66, 'A', false], [100, 'C', false], [104, 'D', true]]) {
      await page.click(`#nav-grid [data-n="${n}"]`);
      await page.click(`#options [data-label="${label}"]`);
      if (flag) await page.click('#flag-toggle');
    }
    await page.waitForSelector('#nav-grid [data-n="104"][data-saved="true"]');
    // The longest TKP question.
    await page.click('#nav-grid [data-n="67"]');
    await page.waitForSelector('#save-status[data-status="saved"], #save-status[data-status="empty"]');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('exam-tkp');
    for (let n = 31; n <= 65; n++) {
      await page.click(`#nav-grid [data-n="${n}"]`);
      if (await page.locator('#options .option-image').count()) break;
    }
    await page.waitForFunction(() => [...document.querySelectorAll('#question img')].every((i) => i.complete));
    await page.waitForSelector('#save-status[data-status="saved"], #save-status[data-status="empty"]');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('exam');
    if (w === 1366) await page.screenshot({ path: join(OUT, 'exam.png') });
    await page.click('#finish-button');
    await page.click('#finish-confirm');
    await page.waitForSelector('#screen-result:visible');
    await shot('result');
    if (w === 1366) await page.screenshot({ path: join(OUT, 'result.png') });
    await page.context().close();
  }
  console.log('wrote landing.png, login.png, exam.png, result.png and candidate-*-WIDTH.png in', OUT);
  // What a proctor's actions look like on the candidate's screen.
  await candidateProctorShots(browser, url, OUT, [['2026000010', 'demo0010'], ['2026000011', 'demo0011'], ['2026000012', 'demo0012']]);
  await adminShots();
  await boardShots(browser);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// The administration web. Staff accounts are made with the CLI; a few demo
// candidates finish (through the candidate API) so the results have rows; one
// is locked out by failed logins and one gets extra time.

async function adminShots() {
  const staff = (user, roles, name, exams) => {
    const args = ['staff', 'add', '--db', db, '--username', user, '--role', roles, '--name', name, '--password-stdin'];
    if (exams) args.push('--exam', exams);
    execFileSync(UJIAN, args, { input: `sandi-${user}-demo\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  };
  staff('admin', 'admin', 'Rahmat Hidayat');
  staff('pengawas1', 'proctor', 'Siti Aminah', 'SKD-DEMO');
  staff('panitia', 'committee', 'Dr. Bambang Sutrisno');
  // Two sittings (sesi) as in the demo, the candidates split between them.
  run('sitting', 'add', '--db', db, '--exam', 'SKD-DEMO', '--code', 'R1-PAGI', '--room', 'Ruang 1',
    '--starts-at', '2026-03-02T08:00:00+07:00', '--rotate-min', '15', '--proctor', 'pengawas1');
  run('sitting', 'add', '--db', db, '--exam', 'SKD-DEMO', '--code', 'R2-PAGI', '--room', 'Ruang 2 (Lab Komputer)',
    '--starts-at', '2026-03-02T08:00:00+07:00', '--start-together', '--proctor', 'pengawas1', '--proctor', 'admin');
  const regnos = (from, to) => Array.from({ length: to - from + 1 }, (_, k) => '2026' + String(from + k).padStart(6, '0'));
  run('sitting', 'assign', '--db', db, '--exam', 'SKD-DEMO', '--code', 'R1-PAGI', ...regnos(1, 25));
  run('sitting', 'assign', '--db', db, '--exam', 'SKD-DEMO', '--code', 'R2-PAGI', ...regnos(26, 50));
  const post = async (path, body, token) => {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    const r = await fetch(url + path, { method: body === undefined ? 'POST' : 'PUT', headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return r.json();
  };
  const login = (regno, password) => fetch(url + '/api/v1/candidate/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ exam: 'SKD-DEMO', registration_no: regno, password }),
  }).then((r) => r.json());
  for (let i = 2; i <= 7; i++) {
    const regno = '202600000' + i;
    const lg = await login(regno, 'demo000' + i);
    if (!lg.token) continue;
    await post('/api/v1/attempt/start', undefined, lg.token);
    for (let n = 1; n <= 110; n++) {
      await post('/api/v1/attempt/answers/' + n, { option: 'ABCDE'[(n * (i + 3)) % 5], flagged: false, rev: 1 }, lg.token);
    }
    if (i <= 5) await post('/api/v1/attempt/finish', undefined, lg.token);
  }
  for (let k = 0; k < 8; k++) await login('2026000009', 'salah');

  const widths = [[1366, 768], [1024, 768], [390, 844]];
  const shot = (page, name, w) => page.screenshot({ path: join(OUT, `admin-${name}-${w}.png`) });
  const bad = join(dir, 'peserta-salah.csv');
  writeFileSync(bad, 'registration_no,name,track\r\n2026100001,Rina Marlina,umum\r\n2026100002,,umum\r\n2026100003,Dodi Kurniawan,jalur x\r\n2026100001,Wulan Sari,umum\r\n');
  const good = join(dir, 'peserta.csv');
  const written = [];
  for (const [w, h] of widths) {
    const page = await newPage(browser, { viewport: { width: w, height: h } });
    await page.goto(url + '/admin/');
    await page.waitForSelector('#screen-login:visible');
    await page.fill('#login-username', 'admin');
    await shot(page, 'login', w);
    await page.fill('#login-password', 'sandi-admin-demo');
    await page.click('#login-submit');
    await page.waitForSelector('#exams-table');
    await shot(page, 'exams', w);
    await page.goto(url + '/admin/#/ujian/SKD-DEMO/peserta');
    await page.waitForSelector('#candidates-table');
    await shot(page, 'candidates', w);
    await page.click('#upload-panel > summary');
    await page.setInputFiles('#upload-file', bad);
    await page.click('[data-action="upload"]');
    await page.waitForSelector('#upload-errors, #upload-result .message[data-state="error"]');
    await page.locator('#upload-panel').scrollIntoViewIfNeeded();
    await shot(page, 'upload-errors', w);
    // A fresh batch per width (registration numbers must be new).
    writeFileSync(good, `registration_no,name,track\r\n20261${w}1,Rina Marlina,umum\r\n20261${w}2,Dodi Kurniawan,umum\r\n20261${w}3,Wulan Sari,umum\r\n20261${w}4,Yusuf Maulana,umum\r\n`);
    await page.setInputFiles('#upload-file', good);
    await page.click('[data-action="upload"]');
    await page.waitForSelector('#credentials-table');
    await page.locator('#upload-result').scrollIntoViewIfNeeded();
    await shot(page, 'upload-done', w);
    // The new candidates into a sitting, so their cards print the room.
    run('sitting', 'assign', '--db', db, '--exam', 'SKD-DEMO', '--code', 'R1-PAGI', `20261${w}1`, `20261${w}2`, `20261${w}3`, `20261${w}4`);
    await page.waitForFunction(async (r) => {
      const d = await (await fetch('/api/v1/staff/exams/SKD-DEMO/candidates')).json();
      return d.candidates.some((c) => c.registration_no === r && c.sitting === 'R1-PAGI');
    }, `20261${w}4`, { polling: 200, timeout: 10000 });
    await page.click('#print-cards');
    await page.waitForSelector('#cards');
    await shot(page, 'cards', w);
    await page.goto(url + '/admin/#/hasil/SKD-DEMO');
    await page.waitForSelector('#results-table');
    await shot(page, 'results', w);
    await page.goto(url + '/admin/#/bank');
    await page.waitForSelector('#banks-table');
    await page.click('#bank-panel > summary');
    await shot(page, 'banks', w);
    if (w === 1366) {
      await page.goto(url + '/admin/#/bank/SKD-SAMPLE');
      await page.waitForSelector('.bank-item');
      await page.selectOption('#bank-section', 'TIU');
      await page.fill('#bank-search', 'figural');
      await page.waitForFunction(() => [...document.querySelectorAll('.item-image')].every((i) => i.complete));
      await shot(page, 'bank-items', w);
    }
    await page.goto(url + '/admin/#/ujian/SKD-DEMO/ubah');
    await page.waitForSelector('#edit-title');
    await shot(page, 'exam-edit', w);
    await page.goto(url + '/admin/#/ujian/SKD-DEMO/sesi');
    await page.waitForSelector('#sittings-list tr[data-sitting="R2-PAGI"]');
    await shot(page, 'sittings', w);
    await page.click('tr[data-sitting="R2-PAGI"] [data-action="edit-sitting"]');
    await page.locator('#sitting-form').scrollIntoViewIfNeeded();
    await shot(page, 'sittings-edit', w);
    await page.click('[data-action="sitting-cancel"]');
    await page.click('tr[data-sitting="R2-PAGI"] [data-action="assign-sitting"]');
    await page.fill('#assign-regnos', '2026000026\n2026000027\n2026999999\n2026000026\nR2/xx\n');
    await page.click('[data-action="assign-save"]');
    await page.waitForSelector('#assign-errors');
    await page.locator('#assign-panel').scrollIntoViewIfNeeded();
    await shot(page, 'sittings-assign', w);
    await page.goto(url + '/admin/#/pegawai');
    await page.waitForSelector('#employees-table tbody tr');
    await shot(page, 'employees', w);
    await page.goto(url + '/admin/#/akun');
    await page.waitForSelector('#accounts-table');
    await shot(page, 'accounts', w);
    await page.goto(url + '/admin/#/audit');
    await page.waitForSelector('#audit-table, #audit-list .message[data-state="error"]');
    await page.click('[data-action="verify"]');
    await page.waitForSelector('#verify-result .message[data-state]');
    await shot(page, 'audit', w);
    await page.goto(url + '/admin/#/saya');
    await page.waitForSelector('#sessions-table');
    await shot(page, 'mine', w);
    if (w === 1366) {
      // Print previews (A4 at 96 dpi) of the exam cards and the results.
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.emulateMedia({ media: 'print' });
      await page.goto(url + '/admin/#/ujian/SKD-DEMO/kartu');
      await page.waitForSelector('#cards');
      await page.screenshot({ path: join(OUT, 'admin-cards-print.png') });
      await page.goto(url + '/admin/#/hasil/SKD-DEMO');
      await page.waitForSelector('#results-table');
      await page.screenshot({ path: join(OUT, 'admin-results-print.png') });
      await page.emulateMedia({ media: 'screen' });
    }
    written.push(w);
    await page.context().close();
  }
  // The committee's and the proctor's view, and the page refused by role.
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await page.goto(url + '/admin/');
  await page.fill('#login-username', 'pengawas1');
  await page.fill('#login-password', 'sandi-pengawas1-demo');
  await page.click('#login-submit');
  await page.waitForURL(/\/proctor\//); // a proctor lands on the proctor pages
  await page.goto(url + '/admin/#/ujian/SKD-DEMO/peserta');
  await page.waitForSelector('#candidates-table');
  await page.screenshot({ path: join(OUT, 'admin-proctor-1366.png') });
  await page.goto(url + '/admin/#/hasil/SKD-DEMO');
  await page.waitForSelector('[data-problem="forbiddenTitle"]');
  await page.screenshot({ path: join(OUT, 'admin-forbidden-1366.png') });
  console.log('wrote admin screenshots at', written.join(', '), 'px');
  // The proctor web, against the fake proctoring server.
  execFileSync(process.execPath, [join(TOP, 'tests', 'e2e', 'screenshots_proctor.mjs')], { stdio: 'inherit' });
  // The committee web, against the fake committee server.
  execFileSync(process.execPath, [join(TOP, 'tests', 'e2e', 'screenshots_committee.mjs')], { stdio: 'inherit' });
  // Issue 14: the item analysis (admin-analysis-*, admin-analysis-options-*,
  // admin-calibration-*) and the committee's test report (committee-analysis-*,
  // committee-analysis-dist-*, committee-analysis-print.png).
  execFileSync(process.execPath, [join(TOP, 'tests', 'e2e', 'screenshots_analysis.mjs')], { stdio: 'inherit' });
}
