// test_admin.mjs - the administration web (client-web/admin/) in a real
// Chromium against the real server and staff API: login and its errors, the
// exams list, candidates (CSV upload with every refused line, issued
// credentials and exam cards, password reset, unlock, extra time), results and
// exports, staff accounts, the audit log, my account, pages refused by role,
// the CSRF header on every state-changing request, English, and an
// accessibility scan of every page at three widths.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, newPage, waitUntil, worldTest, run, assert, assertEqual, TOP, UJIAN,
} from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let browser;

// A staff account made with the CLI, as an operator would; returns its password.
function addStaff(w, username, roles, opts = {}) {
  const password = opts.password || `sandi-${username}-panjang`;
  const args = ['staff', 'add', '--db', w.db, '--username', username, '--role', roles.join(','), '--password-stdin'];
  if (opts.name) args.push('--name', opts.name);
  if (opts.exams) args.push('--exam', opts.exams.join(','));
  execFileSync(UJIAN, args, { input: password + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return password;
}

// Log in through the form; waits for the exams page.
async function staffLogin(page, w, username, password) {
  await page.goto(`${w.url}/admin/`);
  await page.waitForSelector('#screen-login:visible');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-page:visible');
}

async function go(page, w, hash, selector) {
  await page.goto(`${w.url}/admin/${hash}`);
  await page.waitForSelector(selector);
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

// The candidate API, to check what the admin pages did.
async function candidateLogin(w, regno, password) {
  const r = await fetch(`${w.url}/api/v1/candidate/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ exam: 'E2E', registration_no: regno, password }),
  });
  const body = await r.json();
  return { status: r.status, code: body.error ? body.error.code : null, body };
}

worldTest('/admin/ serves the administration page; /admin redirects to it', async (w) => {
  const r = await fetch(`${w.url}/admin/`);
  assertEqual(r.status, 200, 'GET /admin/');
  assert((await r.text()).includes('<script type="module" src="app.js"></script>'), 'the admin index.html');
  const redirect = await fetch(`${w.url}/admin`, { redirect: 'manual' });
  assert(redirect.status >= 300 && redirect.status < 400, `GET /admin is a redirect (${redirect.status})`);
  assert(/\/admin\/$/.test(redirect.headers.get('location')), 'to /admin/');
});

worldTest('login errors: wrong password, disabled account, too many attempts (each in Indonesian)', async (w) => {
  const pw = addStaff(w, 'admin', ['admin'], { name: 'Admin Utama' });
  addStaff(w, 'mantan', ['proctor']);
  execFileSync(UJIAN, ['staff', 'disable', '--db', w.db, '--username', 'mantan'], { stdio: 'ignore' });
  const page = await newPage(browser);
  await page.goto(`${w.url}/admin/`);
  await page.waitForSelector('#screen-login:visible');
  assertEqual(await page.getAttribute('html', 'lang'), 'id', 'Indonesian by default');
  // Empty form: said before anything is sent.
  await page.click('#login-submit');
  assertEqual(await page.textContent('#login-error'), 'Isi nama pengguna.', 'missing username');
  await page.fill('#login-username', 'admin');
  await page.fill('#login-password', 'salah-sekali');
  await page.click('#login-submit');
  await waitUntil(async () => (await page.textContent('#login-error')) !== '', 10000, 'login error');
  assertEqual(await page.textContent('#login-error'), 'Nama pengguna atau kata sandi salah.', 'wrong password');
  assertEqual(await page.inputValue('#login-password'), '', 'password field emptied');
  await page.fill('#login-username', 'mantan');
  await page.fill('#login-password', 'sandi-mantan-panjang');
  await page.click('#login-submit');
  await waitUntil(async () => (await page.textContent('#login-error')).includes('dinonaktifkan'), 10000, 'disabled');
  assertEqual(await page.textContent('#login-error'), 'Akun ini dinonaktifkan. Hubungi administrator.', 'disabled account');
  // Keep failing for one username until the server's rate limit answers 429.
  let text = '';
  for (let i = 0; i < 30 && !/Terlalu banyak/.test(text); i++) {
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', 'salah-' + i);
    const reply = page.waitForResponse((r) => r.url().endsWith('/api/v1/staff/login'));
    await page.click('#login-submit');
    await reply;
    await waitUntil(async () => !(await page.isDisabled('#login-submit')), 10000, 'form ready');
    text = await page.textContent('#login-error');
  }
  assert(/^Terlalu banyak percobaan masuk yang gagal\. (Coba lagi setelah \d+ (menit|detik)|Tunggu beberapa menit)/.test(text),
    'rate limit sentence: ' + text);
  // The right password is refused too while the limit holds.
  await page.fill('#login-password', pw);
  await page.click('#login-submit');
  await waitUntil(async () => !(await page.isDisabled('#login-submit')), 10000, 'form ready');
  assert(/Terlalu banyak/.test(await page.textContent('#login-error')), 'still limited');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('admin: exams list, candidates, CSV import, credentials, cards, reset, unlock, extra time', { candidates: 3 }, async (w) => {
  const pw = addStaff(w, 'admin', ['admin'], { name: 'Admin Utama' });
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  // Top bar: name, roles, Keluar; the menu of an admin.
  assertEqual(await page.textContent('#account-name'), 'Admin Utama', 'account name');
  assertEqual(await page.textContent('#account-roles'), 'Administrator', 'roles');
  assertEqual(await page.$$eval('#menu a', (as) => as.map((a) => a.textContent)),
    ['Ujian', 'Pengawasan', 'Panitia seleksi', 'Bank soal', 'Pegawai', 'Akun petugas', 'Log audit', 'Akun saya'], 'admin menu (Pengawasan: the proctor pages; Panitia seleksi: the committee pages)');
  await page.waitForSelector('#exams-table');
  const exams = await rowsOf(page, '#exams-table');
  assertEqual(exams.length, 1, 'one exam');
  assertEqual(exams[0].slice(0, 2).concat(exams[0].slice(3, 7)), ['E2E', 'Ujian Uji Peramban', '60', '3', '0', '0'], 'exam row with counts');

  // Candidates.
  await page.click('#exams-table a[href="#/ujian/E2E/peserta"]');
  await page.waitForSelector('#candidates-table');
  assertEqual((await rowsOf(page, '#candidates-table')).map((r) => r.slice(0, 2)),
    [['P001', 'Peserta Uji 1'], ['P002', 'Peserta Uji 2'], ['P003', 'Peserta Uji 3']], 'candidates');

  // A good CSV: imported, passwords shown once, cards.
  const good = join(w.dir, 'good.csv');
  writeFileSync(good, 'registration_no,name\nQ001,Budi Santoso\nQ002,Sari Dewi\n');
  await page.click('#upload-panel > summary');
  await page.setInputFiles('#upload-file', good);
  await page.click('[data-action="upload"]');
  await page.waitForSelector('#credentials-table');
  assert((await page.textContent('#upload-result .message')).startsWith('2 peserta diimpor.'),
    'import sentence: ' + await page.textContent('#upload-result .message'));
  const creds = await rowsOf(page, '#credentials-table');
  assertEqual(creds.map((r) => r.slice(0, 2)), [['Q001', 'Budi Santoso'], ['Q002', 'Sari Dewi']], 'issued credentials');
  // (The server picks up an import within about a second.)
  await waitUntil(async () => (await candidateLogin(w, 'Q001', creds[0][2])).status === 200, 5000, 'an issued password logs the candidate in');
  await waitUntil(async () => (await page.$$('#candidates-table tbody tr')).length === 5, 5000, 'table reloaded');
  await page.click('#print-cards');
  await page.waitForSelector('#cards');
  const cards = await page.$$eval('#cards .card', (cs) => cs.map((c) => [c.querySelector('.card-regno').textContent,
    c.querySelector('.card-name').textContent, c.querySelector('.card-password').textContent]));
  assertEqual(cards, creds, 'one card per issued credential');
  assert((await page.textContent('#cards .card')).includes('Ujian Uji Peramban'), 'exam title on the card');
  await page.emulateMedia({ media: 'print' });
  assertEqual(await page.isVisible('#topbar'), false, 'print: no top bar');
  assertEqual(await page.isVisible('[data-action="print"]'), false, 'print: no buttons');
  await page.emulateMedia({ media: 'screen' });

  // Reset a password: shown once, the old one stops working, the new one works.
  await page.click('text=Kembali ke daftar peserta');
  await page.waitForSelector('#candidates-table');
  await page.click('tr[data-regno="P001"] [data-action="reset"]');
  await page.waitForSelector('#dialog:visible');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#action-panel [data-secret]');
  const newPw = (await page.textContent('#action-panel [data-secret]')).trim();
  assertEqual((await candidateLogin(w, 'P001', w.passwords.P001)).status, 401, 'old password refused');
  assertEqual((await candidateLogin(w, 'P001', newPw)).status, 200, 'new password works');
  await page.click('#print-card');
  await page.waitForSelector('#cards .card');
  assertEqual(await page.textContent('#cards .card-password'), newPw, 'card of the reset password');

  // Lock P002 out with failed logins, then unlock it from the page.
  let locked = null;
  for (let i = 0; i < 20 && !locked; i++) {
    const r = await candidateLogin(w, 'P002', 'salah-' + i);
    if (r.status === 429) locked = r;
  }
  assert(locked, 'the candidate got locked');
  await go(page, w, '#/ujian/E2E/peserta', '#candidates-table');
  assert((await page.textContent('tr[data-regno="P002"]')).includes('Terkunci'), 'shown locked');
  await page.click('tr[data-regno="P002"] [data-action="unlock"]');
  await waitUntil(async () => (await page.textContent('#action-panel')).includes('telah dibuka'), 5000, 'unlocked message');
  assertEqual((await candidateLogin(w, 'P002', w.passwords.P002)).status, 200, 'unlocked candidate logs in');
  await waitUntil(async () => !(await page.textContent('tr[data-regno="P002"]')).includes('Terkunci'), 5000, 'lock gone');

  // Extra time: a wrong value is refused in the dialog; 15 is stored.
  await page.click('tr[data-regno="P003"] [data-action="extra"]');
  await page.waitForSelector('#dialog:visible');
  await page.fill('#extra-minutes', '999');
  await page.click('#dialog-confirm');
  assertEqual(await page.textContent('#dialog-error'), 'Isi bilangan bulat 0 sampai 240.', 'range error in the dialog');
  await page.fill('#extra-minutes', '15');
  await page.press('#extra-minutes', 'Enter');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  await waitUntil(async () => (await page.textContent('#action-panel')).includes('15 menit'), 5000, 'saved message');
  assertEqual(w.sql("SELECT extra_time_s FROM candidates WHERE registration_no = 'P003'")[0].extra_time_s, 900, 'stored extra time');
  assertEqual(page.errors, [], 'page errors');
});

// Upload a CSV through the candidates page; returns when the outcome shows.
async function upload(page, w, name, text) {
  const f = join(w.dir, name);
  writeFileSync(f, text);
  if (!(await page.isVisible('#upload-file'))) await page.click('#upload-panel > summary');
  await page.setInputFiles('#upload-file', f);
  await page.click('[data-action="upload"]');
  await page.waitForSelector('#upload-result .message[data-state="ok"], #upload-result .message[data-state="error"]');
}

worldTest('CSV upload refused: every bad line listed with its column, message and text; nothing stored', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await go(page, w, '#/ujian/E2E/peserta', '#candidates-table');
  await upload(page, w, 'bad.csv', 'registration_no,name,track\nQ001,Budi Santoso,umum\n,Tanpa Nomor,umum\nQ003,Nama Ada,jalur x\nQ004,Sari Dewi,umum\nQ004,Dobel Nomor,umum\n');
  await page.waitForSelector('#upload-errors');
  const errs = await rowsOf(page, '#upload-errors');
  const lines = errs.map((r) => r[0]);
  for (const n of ['3', '4', '6']) assert(lines.includes(n), `line ${n} listed (got ${JSON.stringify(errs)})`);
  assertEqual(errs.find((r) => r[0] === '3')[3], ',Tanpa Nomor,umum', 'the text of line 3 beside its error');
  assertEqual(errs.find((r) => r[0] === '4')[1], 'track', 'the column of line 4');
  assertEqual(errs.find((r) => r[0] === '6')[2], '"Q004" muncul dua kali dalam berkas', 'the message in Bahasa Indonesia');
  assert(errs.every((r) => r[2].length > 0), 'each error has a message');
  assert(/^Berkas ditolak: \d+ kesalahan\./.test(await page.textContent('#upload-result .message')), 'refusal sentence');
  assertEqual(w.sql("SELECT count(*) AS n FROM candidates WHERE registration_no LIKE 'Q%'")[0].n, 0, 'nothing imported');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('CSV upload as Indonesian Excel saves it (semicolons, BOM, CRLF): imported, the separator named', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await go(page, w, '#/ujian/E2E/peserta', '#candidates-table');
  await upload(page, w, 'excel.csv', '\uFEFFregistration_no;name\r\nQ001;Budi Santoso\r\nQ002;Sari Dewi\r\n');
  assertEqual(await page.textContent('#upload-result .message'), '2 peserta diimpor. Pemisah terdeteksi: titik koma (;).', 'import sentence');
  assertEqual((await rowsOf(page, '#credentials-table')).map((r) => r.slice(0, 2)), [['Q001', 'Budi Santoso'], ['Q002', 'Sari Dewi']], 'credentials');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('CSRF: every state-changing request carries the token; without it the server refuses', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const page = await newPage(browser);
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/staff/') && r.method() !== 'GET') sent.push({ url: r.url(), method: r.method(), csrf: r.headers()['x-csrf-token'] || null });
  });
  await staffLogin(page, w, 'admin', pw);
  const csrf = await page.evaluate(async () => (await (await fetch('/api/v1/staff/me')).json()).csrf);
  assert(typeof csrf === 'string' && csrf.length >= 16, 'a CSRF token from /me');
  await go(page, w, '#/ujian/E2E/peserta', '#candidates-table');
  await page.click('tr[data-regno="P001"] [data-action="extra"]');
  await page.fill('#extra-minutes', '5');
  await page.click('#dialog-confirm');
  await waitUntil(async () => (await page.textContent('#action-panel')).includes('5 menit'), 5000, 'extra time saved');
  const put = sent.filter((s) => s.method === 'PUT');
  assertEqual(put.length, 1, 'one PUT');
  assertEqual(put[0].csrf, csrf, 'the PUT carried the session\'s CSRF token');
  assert(sent.filter((s) => !s.url.endsWith('/login')).every((s) => s.csrf === csrf), 'every POST/PUT carried it: ' + JSON.stringify(sent));
  // The same request from the page without the header is refused (the cookie alone is not enough).
  const r = await page.evaluate(async () => {
    const res = await fetch('/api/v1/staff/exams/E2E/candidates/P001/extra-time', {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ minutes: 30 }),
    });
    return { status: res.status, body: await res.json() };
  });
  assertEqual([r.status, r.body.error.code], [403, 'csrf'], 'no header → 403 csrf');
  assertEqual(w.sql("SELECT extra_time_s FROM candidates WHERE registration_no = 'P001'")[0].extra_time_s, 300, 'unchanged');
});

worldTest('roles: committee sees results and exports, proctor sees candidates; other pages say access denied', async (w) => {
  const cpw = addStaff(w, 'panitia', ['committee'], { name: 'Sri Panitia' });
  const ppw = addStaff(w, 'pengawas', ['proctor'], { name: 'Budi Pengawas', exams: ['E2E'] });
  // A second exam, the only one the second proctor is assigned to.
  writeFileSync(join(w.dir, 'lain.json'), JSON.stringify({ code: 'LAIN', title: 'Ujian Lain', bank: 'E2E', duration_s: 600,
    sections: [{ code: 'TWK', draw: 1 }], pass_rules: { umum: { sections: { TWK: 0 } } } }));
  execFileSync(UJIAN, ['exam', 'create', '--db', w.db, join(w.dir, 'lain.json')], { stdio: 'ignore' });
  const opw = addStaff(w, 'pengawas2', ['proctor'], { exams: ['LAIN'] });
  // Finish one attempt so the results have a row.
  const lg = await candidateLogin(w, 'P001', w.passwords.P001);
  const auth = { Authorization: 'Bearer ' + lg.body.token };
  await fetch(`${w.url}/api/v1/attempt/start`, { method: 'POST', headers: auth });
  await fetch(`${w.url}/api/v1/attempt/finish`, { method: 'POST', headers: auth });

  const page = await newPage(browser);
  await staffLogin(page, w, 'panitia', cpw);
  assertEqual(await page.$$eval('#menu a', (as) => as.map((a) => a.textContent)), ['Ujian', 'Panitia seleksi', 'Pegawai', 'Akun saya'], 'committee menu');
  await page.waitForSelector('#exams-table');
  assertEqual(await page.$$eval('#exams-table tr[data-exam="E2E"] a', (as) => as.map((a) => a.textContent)), ['Hasil'], 'committee: results link only');
  await page.click('#exams-table a[href="#/hasil/E2E"]');
  await page.waitForSelector('#results-table');
  const rows = await rowsOf(page, '#results-table');
  assertEqual(rows.length, 1, 'one finished candidate');
  assertEqual(rows[0].slice(0, 3), ['1', 'P001', 'Peserta Uji 1'], 'ranked row');
  // Export links as the choices say (the files themselves: the next test).
  assertEqual(await page.getAttribute('#export-csv', 'href'), '/api/v1/staff/exams/E2E/results.csv?sep=%3B&lang=id', 'CSV link: ; by default');
  await page.check('#sep-comma');
  await page.check('#export-all');
  assertEqual(await page.getAttribute('#export-csv', 'href'), '/api/v1/staff/exams/E2E/results.csv?sep=%2C&lang=id&all=1', 'CSV link: , and all');
  assertEqual(await page.getAttribute('#export-xlsx', 'href'), '/api/v1/staff/exams/E2E/results.xlsx?lang=id&all=1', 'xlsx link');
  // Not for a committee member: candidates, accounts, audit.
  for (const hash of ['#/ujian/E2E/peserta', '#/akun', '#/audit']) {
    await go(page, w, hash, '[data-problem="forbiddenTitle"]');
    assertEqual(await page.textContent('#page-title'), 'Akses ditolak', `forbidden page for ${hash}`);
  }

  // A proctor: candidates of the assigned exam with unlock/extra time, but no reset or upload.
  // After login a proctor lands on the proctor pages (/proctor/); the
  // administration pages stay reachable.
  const p2 = await newPage(browser);
  await staffLogin(p2, w, 'pengawas', ppw);
  await waitUntil(async () => new URL(p2.url()).pathname === '/proctor/', 10000, 'proctor lands on /proctor/');
  await go(p2, w, '#/ujian', '#exams-table');
  assertEqual(await p2.$$eval('#exams-table tbody tr', (trs) => trs.map((tr) => tr.dataset.exam + ':' + Array.from(tr.querySelectorAll('a')).map((a) => a.textContent).join())), ['E2E:Peserta,Sesi'], 'proctor: the assigned exam only, candidates and sittings links only');
  await go(p2, w, '#/ujian/E2E/peserta', '#candidates-table');
  assertEqual(await p2.$$('[data-action="reset"]').then((x) => x.length), 0, 'no reset for a proctor');
  assertEqual(await p2.$$('#upload-panel').then((x) => x.length), 0, 'no upload for a proctor');
  assert((await p2.$$('[data-action="extra"]')).length > 0, 'extra time offered');
  await go(p2, w, '#/hasil/E2E', '[data-problem="forbiddenTitle"]');

  // A proctor of another exam: the server refuses E2E and the page says so.
  const p3 = await newPage(browser);
  await staffLogin(p3, w, 'pengawas2', opw);
  await go(p3, w, '#/ujian/E2E/peserta', '[data-problem="forbiddenTitle"]');
  assert((await p3.textContent('#screen-page')).includes('Pengawas'), 'the roles named');
  for (const p of [page, p2, p3]) assertEqual(p.errors, [], 'page errors');
});

worldTest('result exports: CSV with BOM and the chosen separator, absent candidates on request, xlsx', async (w) => {
  const cpw = addStaff(w, 'panitia', ['committee']);
  const lg = await candidateLogin(w, 'P001', w.passwords.P001);
  const auth = { Authorization: 'Bearer ' + lg.body.token };
  await fetch(`${w.url}/api/v1/attempt/start`, { method: 'POST', headers: auth });
  await fetch(`${w.url}/api/v1/attempt/finish`, { method: 'POST', headers: auth });
  const page = await newPage(browser);
  await staffLogin(page, w, 'panitia', cpw);
  await go(page, w, '#/hasil/E2E', '#results-table');
  // Fetched from the page with its cookie, as the download link would be.
  const fetchHref = (sel) => page.evaluate(async (s) => {
    const res = await fetch(document.querySelector(s).href);
    const buf = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), head: Array.from(buf.slice(0, 4)), text: new TextDecoder().decode(buf) };
  }, sel);
  let csv = await fetchHref('#export-csv');
  assertEqual(csv.status, 200, 'CSV download');
  assertEqual(csv.head.slice(0, 3), [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  assert(csv.text.split(/\r?\n/)[0].includes(';'), 'semicolon-separated header: ' + csv.text.split('\n')[0]);
  assert(csv.text.includes('P001'), 'the row');
  assert(!csv.text.includes('P002'), 'the absent candidate left out by default');
  await page.check('#sep-comma');
  csv = await fetchHref('#export-csv');
  assert(!csv.text.split(/\r?\n/)[0].includes(';') && csv.text.split(/\r?\n/)[0].includes(','), 'comma-separated on request');
  await page.check('#export-all');
  assert((await page.getAttribute('#export-csv', 'href')).includes('all=1'), 'all=1 when absent candidates are included');
  csv = await fetchHref('#export-csv');
  assert(/P002.*tidak hadir/.test(csv.text), 'the absent candidate included with its status: ' + csv.text);
  const xlsx = await fetchHref('#export-xlsx');
  assertEqual([xlsx.status, xlsx.head.slice(0, 2)], [200, [0x50, 0x4b]], 'xlsx is a zip (PK)');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('author: question bank upload (with its image) and exam creation, errors listed', async (w) => {
  const pw = addStaff(w, 'penyusun', ['author'], { name: 'Penyusun Soal' });
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'penyusun', pw);
  assertEqual(await page.$$eval('#menu a', (as) => as.map((a) => a.textContent)), ['Ujian', 'Bank soal', 'Akun saya'], 'author menu');
  await go(page, w, '#/bank', '#banks-table');
  assertEqual((await rowsOf(page, '#banks-table')).map((r) => r.slice(0, 4)), [['E2E', 'Bank uji E2E', '1', '15']], 'the world\'s bank');
  const sec = { code: 'S1', title: 'Satu', scoring: { type: 'right_wrong', correct: 5, wrong: 0, blank: 0 } };
  const item = (id, extra) => Object.assign({ id, section: 'S1', topic: 'umum', difficulty: 'easy', text: 'Soal ' + id,
    options: [{ text: 'benar', correct: true }, { text: 'salah' }, { text: 'salah juga' }, { text: 'keliru' }] }, extra || {});
  // A bank with an unknown section: refused, the error shown, nothing stored.
  writeFileSync(join(w.dir, 'bad-bank.json'), JSON.stringify({ code: 'B2', title: 'Bank Dua', sections: [sec],
    items: [item('a1'), item('a2', { section: 'S9' })] }));
  await page.click('#bank-panel > summary');
  await page.setInputFiles('#bank-json', join(w.dir, 'bad-bank.json'));
  await page.click('[data-action="bank-upload"]');
  await page.waitForSelector('#bank-result .error-list li');
  assert((await page.textContent('#bank-result .error-list')).includes('S9'), 'the bad section named: ' + await page.textContent('#bank-result'));
  // An image the bank names but that was not chosen: said before sending.
  writeFileSync(join(w.dir, 'bank.json'), JSON.stringify({ code: 'B2', title: 'Bank Dua', sections: [sec],
    items: [item('a1', { images: ['img/gambar.svg'] }), item('a2')] }));
  await page.setInputFiles('#bank-json', join(w.dir, 'bank.json'));
  await page.click('[data-action="bank-upload"]');
  await waitUntil(async () => (await page.textContent('#bank-result')).includes('img/gambar.svg'), 5000, 'missing image named');
  writeFileSync(join(w.dir, 'gambar.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
  await page.setInputFiles('#bank-json', join(w.dir, 'bank.json'));
  await page.setInputFiles('#bank-images', join(w.dir, 'gambar.svg'));
  await page.click('[data-action="bank-upload"]');
  await page.waitForSelector('#bank-result .message[data-state="ok"]');
  await waitUntil(async () => (await rowsOf(page, '#banks-table')).some((r) => r[0] === 'B2' && r[3] === '2'), 5000, 'B2 listed with 2 items');
  assertEqual(w.sql("SELECT count(*) AS n FROM banks WHERE code = 'B2'")[0].n, 1, 'stored');
  // The bank as its author sees it: the text, the image, the key.
  await page.click('#banks-table a[href="#/bank/B2"]');
  await page.waitForSelector('.bank-item[data-item="a1"]');
  assertEqual(await page.$$eval('.bank-item', (els) => els.map((e) => e.dataset.item)), ['a1', 'a2'], 'both items');
  assertEqual(await page.textContent('.bank-item[data-item="a1"] .item-text'), 'Soal a1', 'the text');
  await page.waitForFunction(() => {
    const img = document.querySelector('.bank-item[data-item="a1"] .item-image');
    return img && img.complete && img.naturalWidth > 0;
  });
  assertEqual(await page.$$eval('.bank-item[data-item="a1"] .item-option.correct', (els) => els.map((e) => e.dataset.label)), ['A'], 'the key marked');
  assert((await page.textContent('.bank-item[data-item="a1"] .item-option.correct')).includes('Kunci'), 'and said in words');
  await page.fill('#bank-search', 'a2');
  await waitUntil(async () => (await page.$$('.bank-item')).length === 1, 3000, 'search narrows');
  await axeScan(page, '#/bank/B2');
  await go(page, w, '#/bank', '#banks-table');
  // An exam on it: first with a section the bank lacks, then right.
  writeFileSync(join(w.dir, 'exam-bad.json'), JSON.stringify({ code: 'UJI-2', title: 'Ujian Dua', bank: 'B2', duration_s: 600, sections: [{ code: 'S7', draw: 1 }] }));
  await page.click('#exam-panel > summary');
  await page.setInputFiles('#exam-json', join(w.dir, 'exam-bad.json'));
  await page.click('[data-action="exam-create"]');
  await page.waitForSelector('#exam-result .error-list li');
  assert((await page.textContent('#exam-result .error-list')).includes('S7'), 'the bad section named');
  writeFileSync(join(w.dir, 'exam-good.json'), JSON.stringify({ code: 'UJI-2', title: 'Ujian Dua', bank: 'B2', duration_s: 600, sections: [{ code: 'S1', draw: 2 }] }));
  await page.setInputFiles('#exam-json', join(w.dir, 'exam-good.json'));
  await page.click('[data-action="exam-create"]');
  await page.waitForSelector('#exam-result .message[data-state="ok"]');
  await go(page, w, '#/ujian', '#exams-table');
  // (The server picks up a new exam within about a second.)
  await waitUntil(async () => {
    await page.reload();
    await page.waitForSelector('#exams-table');
    return (await rowsOf(page, '#exams-table')).some((r) => r[0] === 'UJI-2');
  }, 5000, 'the new exam listed');
  // An author edits exams; no candidates or results links.
  assertEqual(await page.$$eval('#exams-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('a')).map((a) => a.textContent).join())),
    ['Ubah', 'Ubah'], 'only the settings link for an author');
  await axeScan(page, '#/ujian (author)');
  await go(page, w, '#/bank', '#banks-table');
  await axeScan(page, '#/bank');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('exam settings: change before the first start (title, duration, token), refused after; archive and restore', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await page.waitForSelector('#exams-table');
  await page.click('#exams-table tr[data-exam="E2E"] a[href="#/ujian/E2E/ubah"]');
  await page.waitForSelector('#edit-title');
  assertEqual(await page.inputValue('#edit-title'), 'Ujian Uji Peramban', 'title prefilled');
  assertEqual(await page.inputValue('#edit-minutes'), '60', 'duration prefilled');
  assertEqual(await page.inputValue('#edit-zone'), 'WIB', 'time zone prefilled from the stored document');
  // Nothing changed; bad pass rules: said before sending.
  await page.click('[data-action="exam-save"]');
  assertEqual(await page.textContent('#exam-edit-result'), 'Tidak ada yang diubah.', 'nothing changed');
  await page.fill('#edit-rules', '{umum:');
  await page.click('[data-action="exam-save"]');
  assertEqual(await page.textContent('#exam-edit-result'), 'Ambang batas bukan JSON yang sah.', 'bad JSON');
  await page.fill('#edit-rules', '');
  // A token the server refuses (too short): its message shown.
  await page.fill('#edit-token', 'AB');
  await page.click('[data-action="exam-save"]');
  await waitUntil(async () => /token/i.test(await page.textContent('#exam-edit-result')), 10000,
    'the server\'s refusal naming the token');
  assertEqual(await page.getAttribute('#exam-edit-result .message', 'data-state'), 'error', 'shown as an error');
  // A new blueprint (two items a section): every paper drawn again.
  assert((await page.inputValue('#edit-sections')).includes('"TWK"'), 'blueprint prefilled');
  await page.fill('#edit-token', '');
  await page.fill('#edit-sections', JSON.stringify(['TWK', 'TIU', 'TKP'].map((code) => ({ code, draw: 2 }))));
  await page.click('[data-action="exam-save"]');
  await waitUntil(async () => /diundi ulang/.test(await page.textContent('#exam-edit-result')), 10000,
    'the redraw reported');
  // Title, duration and a token: saved; the open-exam list and a login show them.
  await page.fill('#edit-title', 'Ujian Uji Diubah');
  await page.fill('#edit-minutes', '30');
  await page.fill('#edit-token', 'ABCD12');
  await page.click('[data-action="exam-save"]');
  await waitUntil(async () => (await page.textContent('#exam-edit-result')).startsWith('Perubahan ujian telah disimpan.'), 10000, 'saved');
  await waitUntil(async () => {
    const open = await (await fetch(`${w.url}/api/v1/exams/open`)).json(); // an array
    const e = open.find((x) => x.code === 'E2E');
    return e && e.title === 'Ujian Uji Diubah' && e.duration_s === 1800 && e.token_required === true;
  }, 5000, 'the change visible to candidates');
  assertEqual((await candidateLogin(w, 'P001', w.passwords.P001)).code, 'token_required', 'the token is now asked for');
  // A candidate starts: the settings can no longer change.
  const r = await fetch(`${w.url}/api/v1/candidate/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ exam: 'E2E', registration_no: 'P001', password: w.passwords.P001, token: 'ABCD12' }) });
  const token = (await r.json()).token;
  const started = await fetch(`${w.url}/api/v1/attempt/start`, { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
  assertEqual(started.status, 200, 'started');
  assertEqual((await started.json()).questions.length, 6, 'the paper drawn to the new blueprint (3 sections of 2)');
  await waitUntil(async () => {
    await page.reload();
    await page.waitForSelector('#edit-title');
    return page.isDisabled('#edit-title');
  }, 5000, 'the form disabled once a candidate started');
  assert((await page.textContent('#screen-page')).includes('Sudah ada peserta yang mulai'), 'and says why');
  // Archive (any time): the badge in the list, gone from the open list; then restore.
  await page.click('[data-action="archive"]');
  await page.click('#dialog-confirm');
  await page.waitForSelector('[data-action="unarchive"]');
  assert((await page.textContent('#screen-page')).includes('Ujian ini diarsipkan.'), 'archived');
  await waitUntil(async () => {
    const open = await (await fetch(`${w.url}/api/v1/exams/open`)).json();
    return !open.some((x) => x.code === 'E2E');
  }, 5000, 'gone from the open list');
  await go(page, w, '#/ujian', '#exams-table');
  assert((await page.textContent('#exams-table tr[data-exam="E2E"]')).includes('diarsipkan'), 'badge in the list');
  await go(page, w, '#/ujian/E2E/ubah', '[data-action="unarchive"]');
  await page.click('[data-action="unarchive"]');
  await page.click('#dialog-confirm');
  await page.waitForSelector('[data-action="archive"]');
  await axeScan(page, '#/ujian/E2E/ubah');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('staff accounts: add (password once), edit roles and scope, disable, enable, reset', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await go(page, w, '#/akun', '#accounts-table');
  await page.click('.add-panel > summary');
  // A bad username is refused before sending.
  await page.fill('#add-username', 'X');
  await page.click('[data-action="add"]');
  assert((await page.textContent('#add-error')).startsWith('Nama pengguna harus 3–32 karakter'), 'username rule');
  await page.fill('#add-username', 'pengawas.baru');
  await page.fill('#add-name', 'Rina Pengawas');
  await page.check('.add-form input[value="E2E"]');
  await page.click('[data-action="add"]');
  await page.waitForSelector('#action-panel [data-secret]');
  const newPw = (await page.textContent('#action-panel [data-secret]')).trim();
  assert(newPw.length >= 12, 'generated password of at least 12 characters');
  assert((await page.textContent('#action-panel')).includes('hanya ditampilkan sekali'), 'shown-once warning');
  await waitUntil(async () => (await page.$$('tr[data-user="pengawas.baru"]')).length === 1, 5000, 'listed');
  assertEqual((await rowsOf(page, '#accounts-table')).find((r) => r[0] === 'pengawas.baru').slice(0, 5),
    ['pengawas.baru', 'Rina Pengawas', 'Pengawas', 'E2E', 'Aktif'], 'new row');
  const apiLogin = (u, p) => fetch(`${w.url}/api/v1/staff/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password: p }) });
  assertEqual((await apiLogin('pengawas.baru', newPw)).status, 200, 'the new account logs in');
  // Edit: add the observer role, drop the scope.
  await page.click('tr[data-user="pengawas.baru"] [data-action="edit"]');
  await page.waitForSelector('#dialog:visible');
  await page.check('#dialog input[value="observer"]');
  await page.uncheck('#dialog input[value="E2E"]');
  await page.click('#dialog-confirm');
  await waitUntil(async () => (await page.textContent('#action-panel')).includes('telah disimpan'), 5000, 'saved');
  await waitUntil(async () => {
    const r = (await rowsOf(page, '#accounts-table')).find((x) => x[0] === 'pengawas.baru');
    return r[2] === 'Pengawas, Pemantau' && r[3] === 'Semua ujian';
  }, 5000, 'edited row');
  // Disable → login refused; enable → works again.
  await page.click('tr[data-user="pengawas.baru"] [data-action="disable"]');
  await page.click('#dialog-confirm');
  // (The state column: the row's buttons also say "Nonaktifkan"/"Aktifkan".)
  const stateOf = async (u) => (await rowsOf(page, '#accounts-table')).find((r) => r[0] === u)[4];
  await waitUntil(async () => (await stateOf('pengawas.baru')) === 'Nonaktif', 5000, 'disabled');
  const refused = await apiLogin('pengawas.baru', newPw);
  assertEqual([refused.status, (await refused.json()).error.code], [401, 'account_disabled'], 'disabled login');
  await page.click('tr[data-user="pengawas.baru"] [data-action="enable"]');
  await page.click('#dialog-confirm');
  await waitUntil(async () => (await stateOf('pengawas.baru')) === 'Aktif', 5000, 'enabled');
  // Reset: a new password, the old one refused.
  await page.click('tr[data-user="pengawas.baru"] [data-action="reset"]');
  await page.click('#dialog-confirm');
  await waitUntil(async () => {
    const s = await page.$('#action-panel [data-secret]');
    return s && (await s.textContent()).trim() !== newPw;
  }, 5000, 'new password shown');
  const reset = (await page.textContent('#action-panel [data-secret]')).trim();
  assertEqual((await apiLogin('pengawas.baru', newPw)).status, 401, 'old password refused');
  assertEqual((await apiLogin('pengawas.baru', reset)).status, 200, 'reset password works');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('audit log: head count and hash, verify (intact, then a tampered entry named), filters, paging', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  // More than a page (100) of entries: a candidate changes an answer 110 times.
  const lg = await candidateLogin(w, 'P001', w.passwords.P001);
  const headers = { Authorization: 'Bearer ' + lg.body.token, 'Content-Type': 'application/json' };
  await fetch(`${w.url}/api/v1/attempt/start`, { method: 'POST', headers });
  for (let rev = 1; rev <= 110; rev++) {
    const r = await fetch(`${w.url}/api/v1/attempt/answers/1`, { method: 'PUT', headers, body: JSON.stringify({ option: rev % 2 ? 'A' : 'B', flagged: false, rev }) });
    assertEqual(r.status, 200, 'answer ' + rev);
  }
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await go(page, w, '#/audit', '#audit-table');
  const count = Number(await page.textContent('#chain-count'));
  assert(count > 0, 'entry count shown');
  assert(/^[0-9a-f]{64}$/.test(await page.textContent('#chain-hash')), 'head hash shown');
  // Paging: the first page holds the newest 100; "older" shows the rest, "newer" comes back.
  const first = await rowsOf(page, '#audit-table');
  assertEqual(first.length, 100, 'a full first page');
  assertEqual(Number(first[0][0]), count, 'newest first');
  assertEqual(await page.isDisabled('[data-action="newer"]'), true, 'no newer page at first');
  await page.click('[data-action="older"]');
  await waitUntil(async () => (await page.textContent('.page-no')) === 'Halaman 2', 5000, 'page 2');
  const second = await rowsOf(page, '#audit-table');
  assertEqual(Number(second[0][0]), Number(first[99][0]) - 1, 'page 2 continues where page 1 ended');
  await page.click('[data-action="newer"]');
  await waitUntil(async () => (await page.textContent('.page-no')) === 'Halaman 1', 5000, 'page 1 again');
  await page.click('[data-action="verify"]');
  await page.waitForSelector('#verify-result .message');
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await axeScan(page, `#/audit (${viewport.width}px)`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 1, `#/audit: page scrolls sideways by ${overflow}px at ${viewport.width}px`);
  }
  const v = await page.textContent('#verify-result .message');
  assert(v.startsWith('Rantai utuh: ') && v.includes(await page.textContent('#chain-hash')), 'verified: ' + v);
  // An answer entry: the candidate, the exam and the answer's fields shown.
  const answerRow = (await rowsOf(page, '#audit-table')).find((r) => r[3] === 'answer');
  assert(answerRow, 'an answer entry on the first page');
  assertEqual([answerRow[2], answerRow[4], answerRow[5]], ['Peserta: P001', 'E2E', 'P001'], 'actor, exam and candidate of an answer');
  assert(/"n":1/.test(answerRow[6]) && /"rev":\d+/.test(answerRow[6]), 'the answer in the detail: ' + answerRow[6]);
  // Filter by actor: only that actor's entries.
  await page.fill('#audit-actor', 'admin');
  await page.click('.filters [type="submit"]');
  await waitUntil(async () => {
    const rows = await rowsOf(page, '#audit-table');
    return rows.length > 0 && rows.every((r) => r[2].endsWith('admin'));
  }, 5000, 'admin entries only');
  // By exam: only that exam's entries.
  await page.fill('#audit-actor', '');
  await page.fill('#audit-exam', 'E2E');
  await page.click('.filters [type="submit"]');
  await waitUntil(async () => {
    const rows = await rowsOf(page, '#audit-table');
    return rows.length > 0 && rows.every((r) => r[4] === 'E2E');
  }, 5000, 'E2E entries only');
  // Since tomorrow: nothing yet.
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  await page.fill('#audit-exam', '');
  await page.fill('#audit-since', tomorrow);
  await page.click('.filters [type="submit"]');
  await waitUntil(async () => (await page.textContent('#audit-list')).includes('Tidak ada entri yang cocok.'), 5000, 'nothing since tomorrow');
  await page.fill('#audit-since', '');
  await page.fill('#audit-actor', 'tidak-ada');
  await page.click('.filters [type="submit"]');
  await waitUntil(async () => (await page.textContent('#audit-list')).includes('Tidak ada entri yang cocok.'), 5000, 'empty result');
  assertEqual(await page.isDisabled('[data-action="older"]'), true, 'no older page');
  // Tamper with a stored entry (as someone with the database file could):
  // "Periksa rantai" names it.
  w.sql("UPDATE events SET rev = 99 WHERE id = (SELECT min(id) FROM events WHERE kind = 'answer')");
  const bad = w.sql("SELECT min(id) AS id FROM events WHERE kind = 'answer'")[0].id;
  await page.click('[data-action="verify"]');
  await waitUntil(async () => (await page.textContent('#verify-result')).startsWith('Rantai RUSAK'), 10000, 'broken chain reported');
  assert((await page.textContent('#verify-result')).startsWith(`Rantai RUSAK pada entri no. ${bad} (`), 'the changed entry named: ' + await page.textContent('#verify-result'));
  assertEqual(await page.getAttribute('#verify-result .message', 'data-state'), 'error', 'shown as an error');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('my account: sessions, log out everywhere, change password (wrong old one refused)', async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const other = await newPage(browser);
  await staffLogin(other, w, 'admin', pw);
  const page = await newPage(browser);
  await staffLogin(page, w, 'admin', pw);
  await go(page, w, '#/saya', '#sessions-table');
  const sessions = await rowsOf(page, '#sessions-table');
  assertEqual(sessions.length, 2, 'two sessions');
  assertEqual(sessions.filter((r) => r[0].includes('perangkat ini')).length, 1, 'this device marked');
  await page.click('[data-action="logout-all"]');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#screen-login:visible');
  assertEqual(await page.textContent('#login-error'), 'Anda telah keluar dari semua perangkat, termasuk perangkat ini.', 'told why');
  // The other browser's session ended too: its next request shows the login form.
  await other.click('#menu a[href="#/saya"]');
  await other.waitForSelector('#screen-login:visible');
  assertEqual(await other.textContent('#login-error'), 'Sesi Anda telah berakhir. Silakan masuk lagi.', 'the other browser is told');

  await staffLogin(page, w, 'admin', pw);
  await go(page, w, '#/saya', '#sessions-table');
  await page.fill('#pw-old', 'bukan-yang-ini');
  await page.fill('#pw-new', 'sandi-baru-yang-panjang');
  await page.fill('#pw-again', 'sandi-baru-yang-panjang');
  await page.click('[data-action="change-password"]');
  await page.waitForSelector('#password-result .message');
  assertEqual(await page.textContent('#password-result .message'), 'Kata sandi sekarang salah.', 'wrong old password');
  await page.fill('#pw-old', pw);
  await page.fill('#pw-new', 'pendek');
  await page.fill('#pw-again', 'pendek');
  await page.click('[data-action="change-password"]');
  assertEqual(await page.textContent('#password-result .message'), 'Kata sandi baru harus paling sedikit 12 karakter.', 'too short');
  await page.fill('#pw-new', 'sandi-baru-yang-panjang');
  await page.fill('#pw-again', 'sandi-baru-yang-panjang-2');
  await page.click('[data-action="change-password"]');
  assertEqual(await page.textContent('#password-result .message'), 'Kedua isian kata sandi baru tidak sama.', 'mismatch');
  await page.fill('#pw-again', 'sandi-baru-yang-panjang');
  await page.click('[data-action="change-password"]');
  // Changed: either the page says so, or (the server ends the account's
  // sessions on a change) the login form says so.
  await waitUntil(async () => (await page.isVisible('#screen-login')) ||
    (await page.textContent('#password-result')) === 'Kata sandi telah diganti.', 10000, 'changed');
  if (await page.isVisible('#screen-login')) {
    assert((await page.textContent('#login-error')).startsWith('Kata sandi telah diganti'), 'told at the login form');
  }
  await staffLogin(page, w, 'admin', 'sandi-baru-yang-panjang');
  await page.waitForSelector('#exams-table');
  const old = await fetch(`${w.url}/api/v1/staff/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: pw }) });
  assertEqual(old.status, 401, 'the old password is refused');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('English, keyboard, and no serious axe violations on every page at three widths', async (w) => {
  const pw = addStaff(w, 'admin', ['admin'], { name: 'Admin Utama' });
  const pages = [['#/ujian', '#exams-table'], ['#/ujian/E2E/peserta', '#candidates-table'], ['#/ujian/E2E/kartu', '#cards-none'],
    ['#/hasil/E2E', '#results-table'], ['#/akun', '#accounts-table'], ['#/saya', '#sessions-table'], ['#/nirgatra', '[data-problem]']];
  // (The audit page is scanned in its own test.)
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    const page = await newPage(browser, { viewport });
    await page.goto(`${w.url}/admin/`);
    await page.waitForSelector('#screen-login:visible');
    await axeScan(page, `login (${viewport.width}px)`);
    // Keyboard only: the username field has focus; type, Tab, type, Enter.
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(pw);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#exams-table');
    for (const [hash, sel] of pages) {
      await go(page, w, hash, sel);
      await axeScan(page, `${hash} (${viewport.width}px)`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `${hash}: page scrolls sideways by ${overflow}px at ${viewport.width}px`);
    }
    // The exam's links are in sight without scrolling sideways (on phones the
    // list becomes one card per exam).
    await go(page, w, '#/ujian', '#exams-table');
    const box = await page.locator('#exams-table a[href="#/hasil/E2E"]').boundingBox();
    assert(box && box.x >= 0 && box.x + box.width <= viewport.width, `results link in view at ${viewport.width}px: ${JSON.stringify(box)}`);
    await go(page, w, '#/ujian/E2E/peserta', '#candidates-table');
    await page.click('tr[data-regno="P001"] [data-action="reset"]');
    await page.waitForSelector('#dialog:visible');
    await axeScan(page, `dialog (${viewport.width}px)`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#dialog', { state: 'hidden' });
    assertEqual(await page.evaluate(() => document.activeElement.dataset.action), 'reset', 'focus back on the button');
    assertEqual(page.errors, [], 'page errors');
  }
  const page = await newPage(browser);
  await staffLogin(page, w, 'admin', pw);
  await page.click('.lang-toggle [data-lang="en"]');
  await waitUntil(async () => (await page.getAttribute('html', 'lang')) === 'en', 3000, 'English');
  assertEqual(await page.textContent('#page-title'), 'Exams', 'English title');
  assertEqual(await page.textContent('#logout-button'), 'Sign out', 'English top bar');
  await page.click('#logout-button');
  await page.waitForSelector('#screen-login:visible');
  assertEqual(await page.textContent('#login-error'), 'You have signed out.', 'English message');
});

browser = await launch();
let code = 1;
try {
  code = await run();
} finally {
  await browser.close();
}
process.exit(code);
