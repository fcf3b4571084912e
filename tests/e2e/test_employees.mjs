// test_employees.mjs - the administration web's employee registry (#/pegawai)
// in a real Chromium against the real server: an admin imports employees
// (a bad file shows every refused line with its line number, column and
// text, and stores nothing; a good one fills the list), SKP ratings and
// sanctions; search and filters narrow the list; the export link gives the
// Excel CSV; a committee member reads without the import forms; an author
// has no menu entry; English; an accessibility scan at three widths.
// SHOTS=DIR also writes admin-employees-WIDTH.png there.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, newPage, waitUntil, worldTest, run, assert, assertEqual, TOP, UJIAN,
} from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SHOTS = process.env.SHOTS || '';

const E1 = '198503122010011002';
const E2 = '199602292020122001';
const E3 = '197001011995031001';

let browser;

function addStaff(w, username, roles) {
  const password = `sandi-${username}-panjang`;
  execFileSync(UJIAN, ['staff', 'add', '--db', w.db, '--username', username, '--role', roles.join(','), '--password-stdin'],
    { input: password + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
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

async function upload(page, w, id, name, text) {
  const path = join(w.dir, name);
  writeFileSync(path, text);
  await page.setInputFiles(`#${id}-file`, path);
  await page.click(`[data-action="${id}"]`);
  await page.waitForSelector(`#${id}-result .message[data-state="ok"], #${id}-result .message[data-state="error"]`);
}

worldTest('admin: imports with every error shown, list, filters, export; committee reads', { candidates: 1 }, async (w) => {
  const pw = addStaff(w, 'admin', ['admin']);
  const cpw = addStaff(w, 'pansel', ['committee']);
  const apw = addStaff(w, 'penulis', ['author']);
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await staffLogin(page, w, 'admin', pw);
  await page.click('[data-nav="pegawai"]');
  await page.waitForSelector('#employees-table');
  assertEqual(await page.textContent('#page-title'), 'Data pegawai', 'title');
  assert(await page.isVisible('text=Belum ada pegawai.'), 'empty sentence');
  assert(await page.isVisible('#emp-import[open]'), 'the import panel is open while the list is empty');

  // A bad file: every refused line, with its number, column and text; nothing stored.
  await upload(page, w, 'imp-employees', 'bad.csv', [
    'nip;nama;golongan;jabatan;jenis_jabatan;unit',
    `${E1};Budi Santoso;III/c;Analis;fungsional;BKPSDM`,
    '198502302010011002;Ani;III/a;;pelaksana;BKPSDM',
    `${E2};Siti;IV/x;;kepala;BKPSDM`,
  ].join('\r\n') + '\r\n');
  const errs = await rowsOf(page, '#imp-employees-result #upload-errors');
  assertEqual(errs.map((r) => [r[0], r[1]]), [['3', 'nip'], ['4', 'golongan'], ['4', 'jenis_jabatan']], 'refused lines and columns');
  assert(errs[0][2].includes('tanggal lahir'), 'the NIP part named in Indonesian: ' + errs[0][2]);
  assert(errs[1][3].startsWith(E2), 'the line text beside its error');
  assertEqual(w.sql('SELECT count(*) AS n FROM employees')[0].n, 0, 'nothing stored');

  // A good file.
  await upload(page, w, 'imp-employees', 'good.csv', [
    'nip,nama,golongan,jabatan,jenis_jabatan,unit,instansi,pendidikan',
    `${E1},Budi Santoso,III/c,Analis SDM,fungsional,BKPSDM,Pemkab Contoh,S1`,
    `${E2},Siti Aminah,IV/a,Kepala Bidang Mutasi,administrator,BKPSDM,Pemkab Contoh,S2`,
    `${E3},Agus Wibowo,II/b,Pengadministrasi Umum,pelaksana,Sekretariat,Pemkab Contoh,SMA`,
  ].join('\n') + '\n');
  assertEqual(await page.textContent('#imp-employees-result .message'), 'Tersimpan: 3 baru, 0 diperbarui, 0 tidak berubah.', 'counts');
  await waitUntil(async () => (await rowsOf(page, '#employees-table')).length === 3, 5000, 'three rows');
  const rows = await rowsOf(page, '#employees-table');
  assertEqual(rows[0].slice(0, 6), [E1, 'Budi Santoso', 'III/c', 'Analis SDM', 'Fungsional', 'BKPSDM'], 'first row');
  assertEqual(await page.$$eval('#emp-unit option', (o) => o.map((x) => x.value)), ['', 'BKPSDM', 'Sekretariat'], 'unit choices');

  // SKP and sanctions.
  await upload(page, w, 'imp-skp', 'skp.csv', `nip;tahun;predikat\n${E1};2025;Sangat Baik\n${E2};2025;Amat Baik\n`);
  assertEqual((await rowsOf(page, '#imp-skp-result #upload-errors')).map((r) => [r[0], r[1]]), [['3', 'predikat']], 'SKP refused line');
  await upload(page, w, 'imp-skp', 'skp2.csv', `nip;tahun;predikat\n${E1};2025;Sangat Baik\n${E2};2025;Baik\n`);
  assert((await page.textContent('#imp-skp-result .message')).startsWith('Tersimpan: 2 baru'), 'SKP stored');
  await upload(page, w, 'imp-sanctions', 'hd.csv', `nip,jenis,tingkat,tanggal\n${E3},Teguran tertulis,ringan,01/02/2026\n`);
  assert((await page.textContent('#imp-sanctions-result .message')).startsWith('Tersimpan: 1 baru'), 'sanction stored');
  assertEqual(w.sql('SELECT count(*) AS n FROM skp')[0].n, 2, 'SKP rows');
  assertEqual(w.sql("SELECT level FROM sanctions")[0].level, 'light', 'sanction level');

  // Filters.
  await page.selectOption('#emp-unit', 'BKPSDM');
  assertEqual((await rowsOf(page, '#employees-table')).length, 2, 'unit filter');
  await page.selectOption('#emp-type', 'administrator');
  assertEqual((await rowsOf(page, '#employees-table')).map((r) => r[0]), [E2], 'type filter');
  await page.selectOption('#emp-unit', '');
  await page.selectOption('#emp-type', '');
  await page.fill('#emp-search', 'agus');
  assertEqual((await rowsOf(page, '#employees-table')).map((r) => r[0]), [E3], 'search');
  assertEqual(await page.getAttribute(`tr[data-nip="${E3}"] a`, 'href'), `/committee/#/pegawai/${E3}`, 'profile link');
  await page.fill('#emp-search', '');

  // One SKP rating and one sanction entered from a row (a bad year shown in the dialog).
  await page.click(`tr[data-nip="${E3}"] [data-action="skp"]`);
  await page.waitForSelector('#dialog:not([hidden])');
  await page.fill('#skp-year', '1990');
  await page.selectOption('#skp-predikat', 'sangat_baik');
  await page.click('#dialog-confirm');
  await waitUntil(async () => (await page.textContent('#dialog-error')).includes('1990'), 5000, 'the year refused in the dialog');
  await page.fill('#skp-year', '2026');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  assertEqual(await page.textContent('#emp-entry-result .message'), 'Nilai SKP 2026 Agus Wibowo: Sangat Baik. Tersimpan.', 'SKP entered');
  assertEqual(w.sql(`SELECT s.predikat FROM skp s JOIN employees e ON e.id = s.employee_id WHERE e.nip = '${E3}' AND s.year = 2026`)[0].predikat, 'sangat_baik', 'SKP stored');
  await page.click(`tr[data-nip="${E2}"] [data-action="sanction"]`);
  await page.waitForSelector('#dialog:not([hidden])');
  await page.fill('#sanction-type', 'Penundaan kenaikan pangkat 1 tahun');
  await page.selectOption('#sanction-level', 'moderate');
  await page.fill('#sanction-date', '2026-03-01');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  assertEqual(await page.textContent('#emp-entry-result .message'), 'Hukuman disiplin Siti Aminah tercatat.', 'sanction entered');
  assertEqual(w.sql(`SELECT level, date FROM sanctions s JOIN employees e ON e.id = s.employee_id WHERE e.nip = '${E2}'`), [{ level: 'moderate', date: '2026-03-01' }], 'sanction stored');
  assertEqual(w.sql("SELECT count(*) AS n FROM events WHERE kind IN ('skp_recorded', 'sanctions_recorded') AND actor_kind = 'staff'")[0].n, 4, 'audited by the admin');

  // The export: BOM, ';', NIP as text.
  const href = await page.getAttribute('#emp-export', 'href');
  const csv = await page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return { type: r.headers.get('content-type'), bytes: Array.from(new Uint8Array(await r.arrayBuffer())) };
  }, href);
  assert(csv.type.startsWith('text/csv'), 'CSV type');
  const text = Buffer.from(csv.bytes).toString('utf8');
  assert(text.startsWith('\ufeffnip;nama;golongan;'), 'BOM and Indonesian headers');
  assert(text.includes(`"=""${E2}""";Siti Aminah;IV/a;`), 'NIP as Excel text');
  assertEqual(page.errors, [], 'page errors');
  await page.close();

  // The committee reads (no import forms) at three widths; English; axe.
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    const p = await newPage(browser, { viewport });
    await staffLogin(p, w, 'pansel', cpw);
    await p.goto(`${w.url}/admin/#/pegawai`);
    await p.waitForSelector(`#employees-table tr[data-nip="${E1}"]`);
    assertEqual(await p.$$('#emp-import, [data-action="skp"], [data-action="sanction"]'), [], 'no import forms or entries for the committee');
    await axeScan(p, `employees page (committee, ${viewport.width}px)`);
    if (SHOTS) await p.screenshot({ path: join(SHOTS, `admin-employees-${viewport.width}.png`), fullPage: true });
    if (viewport.width === 1024) {
      await p.click('.lang-toggle [data-lang="en"]');
      await waitUntil(async () => (await p.textContent('#page-title')) === 'Employee registry', 3000, 'English title');
      assert((await p.textContent(`tr[data-nip="${E2}"]`)).includes('Administrator'), 'English type');
      await p.click('.lang-toggle [data-lang="id"]');
    }
    assertEqual(p.errors, [], 'page errors');
    await p.close();
  }
  if (SHOTS) {
    const p = await newPage(browser, { viewport: { width: 1366, height: 768 } });
    await staffLogin(p, w, 'admin', pw);
    await p.goto(`${w.url}/admin/#/pegawai`);
    await p.waitForSelector('#employees-table');
    await p.click('#emp-import summary');
    await upload(p, w, 'imp-employees', 'bad2.csv', `nip;nama;golongan;jenis_jabatan\n${E1};Budi;III/c;fungsional\n198503122010013002;Ana;V/a;kepala\n`);
    await p.screenshot({ path: join(SHOTS, 'admin-employees-import-1366.png'), fullPage: true });
    await p.click(`tr[data-nip="${E1}"] [data-action="skp"]`);
    await p.waitForSelector('#dialog:not([hidden])');
    await p.screenshot({ path: join(SHOTS, 'admin-employees-skp-1366.png') });
    await p.close();
  }

  // An author has no menu entry and is refused the page.
  const a = await newPage(browser);
  await staffLogin(a, w, 'penulis', apw);
  assertEqual(await a.$$('[data-nav="pegawai"]'), [], 'no menu entry for an author');
  await a.goto(`${w.url}/admin/#/pegawai`);
  await a.waitForSelector('[data-problem="forbiddenTitle"]');
  await a.close();
});

browser = await launch();
let code = 1;
try {
  code = await run();
} finally {
  await browser.close();
}
process.exit(code);
