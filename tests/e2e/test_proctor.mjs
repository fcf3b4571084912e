// test_proctor.mjs - the proctor web (client-web/proctor/) in a real
// Chromium against the fake proctoring server (fake_proctor_server.mjs,
// the contract's JSON and SSE stream): the login round trip through the
// administration login, the sitting list and token, the live dashboard
// (rows, counts, filters, sorts, the ticking countdown, live row updates,
// incidents, reconnection with Last-Event-ID), every action dialog with
// the POST bodies the server received, the observer's view without
// controls, the berita acara (screen and print), English, an accessibility
// scan, and the frame times of a 1,000-candidate dashboard under a burst of
// 1,000 row updates a second for 5 s.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, waitUntil, test, runInBrowser, assert, assertEqual, TOP } from './harness.mjs';
import { startFake } from './fake_proctor_server.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let browser;

// A test with its own fake server, closed afterwards.
function fakeTest(name, fn, opts) {
  test(name, async () => {
    const f = await startFake(opts || {});
    try {
      await fn(f);
    } finally {
      await f.close();
    }
  });
}

async function login(page, f, user, hash) {
  await page.goto(`${f.url}/proctor/${hash || ''}`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', user);
  await page.fill('#login-password', 'sandi-' + user);
  await page.click('#login-submit');
}

async function openDashboard(page, f, user, sid) {
  await login(page, f, user, `#/sitting/${sid}`);
  await page.waitForSelector('#roster .roster-body .roster-row');
  await page.waitForSelector('#conn[data-state="open"]');
}

const cand = (f, sid) => [...f.sittings.get(sid).cands.values()];
const hook = (f, path) => fetch(`${f.url}/__fake/${path}`, { method: 'POST' }).then((r) => r.json());

async function rowText(page, id, col) {
  // The status cell also holds the (hidden) "terkunci" badge: read the status badge.
  return page.textContent(`#roster .roster-row[data-id="${id}"] .col-${col}${col === 'status' ? ' .st' : ''}`);
}

async function axeScan(page, where) {
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

// Open an action's dialog from the action bar.
async function openAction(page, action) {
  await page.click(`#action-bar [data-action="${action}"], #sitting-actions [data-action="${action}"]`);
  await page.waitForSelector('#dialog:not([hidden]) #action-form');
}

async function confirmAndWait(page) {
  await page.click('#dialog-confirm');
  await page.waitForSelector('#dialog', { state: 'hidden' });
}

async function dialogError(page, text) {
  await page.click('#dialog-confirm');
  await waitUntil(async () => (await page.textContent('#dialog-error')) === text, 5000, 'dialog error ' + text);
}

fakeTest('login: /proctor/ sends to the admin login and back (route kept); admin stays in admin with a link; committee refused', async (f) => {
  const page = await newPage(browser);
  await page.goto(`${f.url}/proctor/#/sitting/1`);
  await page.waitForSelector('#login-username');
  assert(page.url().includes('/admin/?next=%2Fproctor%2F%23%2Fsitting%2F1'), 'at the admin login with next: ' + page.url());
  await page.fill('#login-username', 'pengawas');
  await page.fill('#login-password', 'sandi-pengawas');
  await page.click('#login-submit');
  await page.waitForSelector('#roster .roster-body .roster-row');
  assert(page.url().endsWith('/proctor/#/sitting/1'), 'back at the dashboard: ' + page.url());
  // A proctor logging in at /admin/ without next lands on the sitting list.
  await page.click('#logout-button');
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', 'pengawas');
  await page.fill('#login-password', 'sandi-pengawas');
  await page.click('#login-submit');
  await page.waitForSelector('.sitting-card');
  assert(/\/proctor\/(#\/)?$/.test(page.url()), 'proctor lands on /proctor/: ' + page.url());
  // An admin stays in the administration pages, with a menu link here.
  const admin = await newPage(browser);
  await admin.goto(`${f.url}/admin/`);
  await admin.fill('#login-username', 'admin');
  await admin.fill('#login-password', 'sandi-admin');
  await admin.click('#login-submit');
  await admin.waitForSelector('[data-nav="proctor"]');
  assert(admin.url().includes('/admin/'), 'admin stays: ' + admin.url());
  assertEqual(await admin.getAttribute('[data-nav="proctor"]', 'href'), '/proctor/', 'menu link');
  await admin.click('[data-nav="proctor"]');
  await admin.waitForSelector('.sitting-card');
  assertEqual(await admin.$$eval('.sitting-card', (c) => c.length), 3, 'an admin sees every sitting');
  // An unsafe next is ignored.
  const evil = await newPage(browser);
  await evil.goto(`${f.url}/admin/?next=${encodeURIComponent('//evil.example/')}`);
  await evil.fill('#login-username', 'admin');
  await evil.fill('#login-password', 'sandi-admin');
  await evil.click('#login-submit');
  await evil.waitForSelector('#screen-page:visible');
  assert(evil.url().startsWith(f.url + '/admin/'), 'unsafe next ignored: ' + evil.url());
  // A committee member: the page says access denied.
  const com = await newPage(browser);
  await login(com, f, 'panitia', '');
  await com.waitForSelector('#screen-page:visible');
  await com.goto(`${f.url}/proctor/`);
  await com.waitForSelector('[data-problem="forbiddenTitle"]');
  for (const p of [page, admin, evil, com]) assertEqual(p.errors, [], 'page errors');
});

fakeTest('sitting list: cards with counts, the token large with copy and rotation, links', async (f) => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await login(page, f, 'pengawas', '');
  await page.waitForSelector('.sitting-card');
  assertEqual(await page.getAttribute('html', 'lang'), 'id', 'Indonesian by default');
  assertEqual(await page.$$eval('.sitting-card', (c) => c.map((x) => x.dataset.sitting)), ['1', '2', '3'], 'three sittings by start');
  const s1 = f.sittings.get(1);
  assertEqual(await page.textContent('#token-sitting-1'), s1.token, 'the token');
  const font = await page.$eval('#token-sitting-1', (e) => [getComputedStyle(e).fontFamily, parseFloat(getComputedStyle(e).fontSize)]);
  assert(/mono/i.test(font[0]) && font[1] >= 28, 'token large and monospace: ' + font);
  const card = await page.textContent('[data-sitting="1"]');
  assert(card.includes('Sesi R1-PAGI — Ruang 1 (Lab Komputer A)'), 'title');
  assert(card.includes('Diputar otomatis tiap 30 menit'), 'rotation: ' + card);
  assert(/Terdaftar\s*40/.test(card), 'registered count');
  await page.click('[data-sitting="1"] [data-copy]');
  await waitUntil(async () => (await page.textContent('[data-sitting="1"] .token-copied')) === 'Tersalin', 5000, 'copied');
  assertEqual(await page.evaluate(() => navigator.clipboard.readText()), s1.token, 'clipboard holds the token');
  // A rotation shows on the next read (every 15 s; forced here by reloading).
  await page.click('[data-sitting="2"] a.button.primary');
  await page.waitForSelector('#roster .roster-body .roster-row');
  assert(page.url().endsWith('#/sitting/2'), 'dashboard link');
  assertEqual(page.errors, [], 'page errors');
  await ctx.close();
});

fakeTest('dashboard: rows, counts, statuses, filters, sorts, the countdown ticking', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pengawas', 1);
  const cs = cand(f, 1);
  assertEqual(await page.$$eval('#roster .roster-body .roster-row', (t) => t.length), 40, '40 rows');
  const c = (s) => cs.filter((x) => x.status === s).length;
  assertEqual(await page.textContent('#counts [data-status="in_progress"] .chip-n'), String(c('in_progress')), 'working count');
  assertEqual(await page.textContent('#counts [data-status="absent"] .chip-n'), String(c('absent')), 'absent count');
  const offline = cs.filter((x) => !x.online && ['in_progress', 'paused', 'login', 'waiting'].includes(x.status));
  assertEqual(await page.textContent('#counts [data-status="offline"] .chip-n'), String(offline.length), 'offline count');
  // One row in detail.
  const w = cs.find((x) => x.status === 'in_progress' && x.online && x.flagged > 0);
  assertEqual(await rowText(page, w.id, 'name'), w.name, 'name');
  assertEqual(await rowText(page, w.id, 'regno'), w.regno, 'regno');
  assertEqual(await rowText(page, w.id, 'status'), 'Mengerjakan', 'status');
  assertEqual(await rowText(page, w.id, 'online'), 'Daring', 'online');
  assertEqual(await rowText(page, w.id, 'progress'), `${w.answered}/110 · ⚑${w.flagged}`, 'progress');
  assertEqual(await rowText(page, w.id, 'question'), String(w.position), 'question');
  assert((await rowText(page, w.id, 'seat')).includes(w.seat.addr), 'seat address');
  const width = await page.$eval(`#roster .roster-row[data-id="${w.id}"] .bar-fill`, (e) => e.style.width);
  assertEqual(width, Math.round((w.answered * 100) / 110) + '%', 'progress bar');
  const labels = await page.$$eval('#roster .st', (b) => [...new Set(b.map((x) => x.textContent))].sort());
  assertEqual(labels, ['Belum hadir', 'Dijeda', 'Diskualifikasi', 'Login', 'Mengerjakan', 'Selesai'], 'status badges');
  assertEqual(await page.textContent(`#roster .roster-row[data-id="${cs[11].id}"] .lock:not([hidden])`), 'terkunci', 'locked badge');
  // The countdown ticks locally.
  const before = await rowText(page, w.id, 'remaining');
  await waitUntil(async () => (await rowText(page, w.id, 'remaining')) !== before, 3000, 'countdown tick');
  const toS = (s) => s.split(':').reduce((a, b) => a * 60 + Number(b), 0);
  const left = toS(await rowText(page, w.id, 'remaining'));
  const truth = Math.floor((w.deadline - Date.now()) / 1000);
  assert(Math.abs(left - truth) <= 2, `remaining ${left}s vs ${truth}s`);
  // Paused: frozen.
  const p = cs.find((x) => x.status === 'paused');
  const frozen = await rowText(page, p.id, 'remaining');
  await page.waitForTimeout(1200);
  assertEqual(await rowText(page, p.id, 'remaining'), frozen, 'a paused countdown does not move');
  // Default sort: offline first.
  const firstIds = await page.$$eval('#roster .roster-body .roster-row', (t) => t.slice(0, 2).map((r) => Number(r.dataset.id)));
  assert(offline.map((x) => x.id).includes(firstIds[0]), 'offline candidates first');
  // Filters.
  await page.check('#filter-offline');
  assertEqual(await page.$$eval('#roster .roster-body .roster-row:not([hidden])', (t) => t.length), offline.length, 'offline only');
  assertEqual(await page.textContent('#shown-count'), `${offline.length} dari 40 peserta ditampilkan`, 'shown count');
  await page.uncheck('#filter-offline');
  await page.check('#filter-incidents');
  const withInc = cs.filter((x) => x.incidents > 0).length;
  assertEqual(await page.$$eval('#roster .roster-body .roster-row:not([hidden])', (t) => t.length), withInc, 'with incidents only');
  await page.uncheck('#filter-incidents');
  await page.click('#counts [data-status="finished"]');
  assertEqual(await page.$$eval('#roster .roster-body .roster-row:not([hidden])', (t) => t.length), c('finished'), 'chip filters by status');
  assertEqual(await page.getAttribute('#counts [data-status="finished"]', 'aria-pressed'), 'true', 'chip pressed');
  assertEqual(await page.inputValue('#filter-status'), 'finished', 'select follows the chip');
  await page.selectOption('#filter-status', '');
  assertEqual(await page.$$eval('#roster .roster-body .roster-row:not([hidden])', (t) => t.length), 40, 'all again');
  // Sorts.
  await page.selectOption('#sort', 'incidents');
  const incs = await page.$$eval('#roster .roster-body .roster-row .col-incidents', (t) => t.map((x) => Number(x.textContent)));
  assertEqual(incs, incs.slice().sort((a, b) => b - a), 'incidents first');
  await page.selectOption('#sort', 'name');
  const names = await page.$$eval('#roster .roster-body .roster-row .col-name', (t) => t.map((x) => x.textContent));
  assertEqual(names, names.slice().sort((a, b) => a.localeCompare(b)), 'by name');
  await page.selectOption('#sort', 'slowest');
  const prog = await page.$$eval('#roster .roster-body .roster-row', (t) => t.filter((r) => ['in_progress', 'paused', 'login', 'waiting'].includes(r.dataset.status))
    .map((r) => r.querySelector('.prog-count').textContent));
  const fr = prog.map((x) => (x === '—' ? 0 : Number(x.split('/')[0]) / 110));
  assertEqual(fr, fr.slice().sort((a, b) => a - b), 'slowest progress first');
  const firstStatus = await page.$eval('#roster .roster-body .roster-row', (r) => r.dataset.status);
  assert(['in_progress', 'paused', 'login', 'waiting'].includes(firstStatus), 'working candidates before finished ones');
  await noSideways(page, 'dashboard 1366');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('dashboard live: a row update, an incident, an action by another proctor, reconnection resumes', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pengawas', 1);
  const w = cand(f, 1).find((x) => x.status === 'in_progress' && x.online);
  await hook(f, `rows?sitting=1&regno=${w.regno}&answered=77&position=80`);
  await waitUntil(async () => (await rowText(page, w.id, 'progress')).startsWith('77/110'), 3000, 'row update');
  assertEqual(await rowText(page, w.id, 'question'), '80', 'position');
  await hook(f, `rows?sitting=1&regno=${w.regno}&online=0`);
  await waitUntil(async () => /^Terputus \d+ dtk$/.test(await rowText(page, w.id, 'online')), 3000, 'offline since');
  // An incident: top of the panel, the row's count, the header count.
  const incBefore = Number(await rowText(page, w.id, 'incidents'));
  await hook(f, `incident?sitting=1&regno=${w.regno}&type=fullscreen_exit`);
  await waitUntil(async () => ((await page.textContent('#incidents li:first-child')) || '').includes('Keluar layar penuh'), 3000, 'incident listed');
  assert((await page.textContent('#incidents li:first-child')).includes(`${w.name} (${w.regno})`), 'incident names the candidate');
  await waitUntil(async () => Number(await rowText(page, w.id, 'incidents')) === incBefore + 1, 3000, 'incident count');
  // Clicking the name shows the row.
  await page.click('#incidents li:first-child .inc-who');
  await page.waitForSelector(`#roster .roster-row[data-id="${w.id}"].flash`);
  // The stream drops; an update made meanwhile arrives after the automatic reconnect (resumed, no snapshot).
  await hook(f, 'drop?sitting=1');
  await waitUntil(async () => (await page.getAttribute('#conn', 'data-state')) !== 'open', 3000, 'shown as lost');
  assertEqual(await page.textContent('#conn'), 'Terputus — menyambung ulang…', 'reconnecting text');
  await hook(f, `rows?sitting=1&regno=${w.regno}&answered=90`);
  await waitUntil(async () => (await rowText(page, w.id, 'progress')).startsWith('90/110'), 8000, 'update after reconnect');
  await page.waitForSelector('#conn[data-state="open"]');
  const cl = await fetch(`${f.url}/__fake/clients?sitting=1`).then((r) => r.json());
  assert(cl.connects >= 2 && cl.resumed, 'reconnected with Last-Event-ID: ' + JSON.stringify(cl));
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('actions: every dialog, reasons required, the POST bodies, done/skipped, passwords once, closing', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pengawas', 1);
  await page.selectOption('#sort', 'name');
  const cs = cand(f, 1);
  const working = cs.filter((x) => x.status === 'in_progress').sort((a, b) => a.name.localeCompare(b.name) || a.regno.localeCompare(b.regno));
  const [a, b] = working;
  const finished = cs.find((x) => x.status === 'finished');
  const posts = async () => (await fetch(`${f.url}/__fake/posts`).then((r) => r.json())).posts;
  // Nothing selected: selection-only actions are disabled.
  assert(await page.isDisabled('#action-bar [data-action="disqualify"]'), 'disqualify needs a selection');
  await page.check(`#roster .roster-row[data-id="${a.id}"] input`);
  await page.check(`#roster .roster-row[data-id="${b.id}"] input`);
  assertEqual(await page.textContent('#sel-count'), 'Dipilih: 2', 'selection count');

  // Extend: the minutes and the reason are checked before sending.
  await openAction(page, 'extend');
  assert(await page.isChecked('#target-selected'), 'selected candidates by default');
  assert((await page.textContent('#dialog-body')).includes(a.regno), 'names the targets');
  await page.fill('#act-minutes', '0');
  await page.fill('#act-reason', 'Listrik padam');
  await dialogError(page, 'Isi bilangan bulat 1 sampai 240.');
  await page.fill('#act-minutes', '15');
  await page.fill('#act-reason', '');
  await dialogError(page, 'Isi alasan tindakan.');
  assertEqual(await page.evaluate(() => document.activeElement.id), 'act-reason', 'focus on the reason');
  await page.fill('#act-reason', 'x'.repeat(501));
  assertEqual((await page.inputValue('#act-reason')).length, 500, 'the reason is capped at 500');
  assertEqual(await page.textContent('#act-reason-count'), '500/500', 'counter');
  await page.fill('#act-reason', 'Komputer membeku');
  const leftBefore = a.deadline;
  await confirmAndWait(page);
  await page.waitForSelector('#action-result .result-panel');
  assert((await page.textContent('#action-result')).includes('Perpanjang waktu: 2 peserta'), 'done: ' + await page.textContent('#action-result'));
  let p = (await posts()).pop();
  assertEqual(p.body, { action: 'extend', candidates: [a.regno, b.regno], minutes: 15, reason: 'Komputer membeku' }, 'extend body');
  assert(p.csrf, 'X-CSRF-Token sent');
  assertEqual(a.deadline - leftBefore, 15 * 60000, 'the fake moved the deadline');
  await waitUntil(async () => (await page.textContent('#incidents li:first-child')).includes('Perpanjang waktu'), 3000, 'action listed');
  assert((await page.textContent('#incidents li:first-child')).includes('Komputer membeku'), 'with its reason');

  // Pause the whole sitting: 'all'; the skipped are listed with reasons.
  await openAction(page, 'pause');
  await page.check('#target-other');
  await page.fill('#act-reason', 'Listrik padam di ruang 1');
  await confirmAndWait(page);
  await page.waitForSelector('#action-result .skipped');
  p = (await posts()).pop();
  assertEqual(p.body, { action: 'pause', candidates: 'all', reason: 'Listrik padam di ruang 1' }, 'pause body');
  assert((await page.textContent('#action-result .skipped')).includes(`${finished.regno} — tidak sedang mengerjakan`), 'skip reason in Indonesian');
  await waitUntil(async () => (await rowText(page, a.id, 'status')) === 'Dijeda', 3000, 'row paused');
  assertEqual(await page.getAttribute(`#roster .roster-row[data-id="${a.id}"] .st`, 'title'), 'Dijeda: Listrik padam di ruang 1', 'the reason on the badge');

  // Resume the selected two; Esc on another dialog cancels and returns focus.
  await openAction(page, 'message');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  assertEqual(await page.evaluate(() => document.activeElement.dataset.action), 'message', 'focus back on the button');
  await openAction(page, 'resume');
  await page.fill('#act-reason', 'Listrik menyala');
  await confirmAndWait(page);
  p = (await posts()).pop();
  assertEqual(p.body, { action: 'resume', candidates: [a.regno, b.regno], reason: 'Listrik menyala' }, 'resume body');

  // Message to everyone.
  await openAction(page, 'message');
  await page.check('#target-other');
  await page.fill('#act-reason', 'Pengumuman');
  await dialogError(page, 'Isi pesan yang akan dikirim.');
  await page.fill('#act-text', 'Sisa waktu 30 menit.');
  await confirmAndWait(page);
  p = (await posts()).pop();
  assertEqual(p.body, { action: 'message', candidates: 'all', text: 'Sisa waktu 30 menit.', reason: 'Pengumuman' }, 'message body');

  // Reset login, unlock, password (shown once, printable).
  for (const [act, reason] of [['reset_login', 'Pindah ke PC cadangan 12'], ['unlock', 'Lupa kata sandi'], ['password', 'Kartu hilang']]) {
    await openAction(page, act);
    await page.fill('#act-reason', reason);
    await confirmAndWait(page);
    p = (await posts()).pop();
    assertEqual(p.body, { action: act, candidates: [a.regno, b.regno], reason }, act + ' body');
  }
  await page.waitForSelector('#passwords-table');
  const pw = await page.$$eval('#passwords-table tbody tr', (t) => t.map((r) => [...r.cells].map((c) => c.textContent)));
  assertEqual(pw.map((r) => r[0]), [a.regno, b.regno], 'passwords per regno');
  assertEqual(pw[0][1], a.name, 'with the name');
  assert(pw.every((r) => r[2].length >= 6), 'passwords shown');
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => document.documentElement.classList.add('print-passwords'));
  assertEqual(await page.$eval('#passwords', (e) => getComputedStyle(e).visibility), 'visible', 'passwords printed');
  assertEqual(await page.$eval('#roster', (e) => getComputedStyle(e).visibility), 'hidden', 'the table is not');
  await page.evaluate(() => document.documentElement.classList.remove('print-passwords'));
  await page.emulateMedia({ media: 'screen' });
  await page.click('#result-close');
  assertEqual(await page.$$eval('#passwords', (x) => x.length), 0, 'gone once closed');

  // Credit outage: no selection → the server picks those offline in the window.
  await page.click('#sel-clear');
  assertEqual(await page.textContent('#sel-count'), 'Dipilih: 0', 'cleared');
  await openAction(page, 'credit');
  assert(await page.isChecked('#target-other'), 'offline candidates by default');
  await page.fill('#act-to', await page.inputValue('#act-from'));
  await page.fill('#act-reason', 'Padam');
  await dialogError(page, 'Waktu akhir harus sesudah waktu awal.');
  await page.fill('#act-from', '2026-12-02T09:00');
  await page.fill('#act-to', '2026-12-02T09:10');
  await confirmAndWait(page);
  p = (await posts()).pop();
  assertEqual(Object.keys(p.body).sort(), ['action', 'from', 'reason', 'to'], 'credit without candidates');
  assertEqual(Date.parse(p.body.to) - Date.parse(p.body.from), 600000, 'a 10-minute window');
  assertEqual(p.body.from, new Date(2026, 11, 2, 9, 0).toISOString(), 'local time sent as RFC 3339');

  // Finish one; disqualify one with the typed confirmation.
  await page.check(`#roster .roster-row[data-id="${a.id}"] input`);
  await openAction(page, 'finish');
  await page.fill('#act-reason', 'Meminta selesai lebih awal');
  await confirmAndWait(page);
  p = (await posts()).pop();
  assertEqual(p.body, { action: 'finish', candidates: [a.regno], reason: 'Meminta selesai lebih awal' }, 'finish body');
  await page.click('#sel-clear');
  await page.check(`#roster .roster-row[data-id="${b.id}"] input`);
  await openAction(page, 'disqualify');
  assert((await page.textContent('#dialog-body')).includes(`Ketik ${b.regno} untuk mengonfirmasi`), 'asks for the regno');
  await page.fill('#act-reason', 'Membawa catatan');
  await page.fill('#act-typed', 'salah');
  await dialogError(page, 'Teks konfirmasi tidak sesuai.');
  await page.fill('#act-typed', b.regno);
  await confirmAndWait(page);
  p = (await posts()).pop();
  assertEqual(p.body, { action: 'disqualify', candidates: [b.regno], reason: 'Membawa catatan' }, 'disqualify body');
  await waitUntil(async () => (await rowText(page, b.id, 'status')) === 'Diskualifikasi', 3000, 'row disqualified');
  // Several at once: type DISKUALIFIKASI.
  await page.check(`#roster .roster-row[data-id="${working[2].id}"] input`);
  await openAction(page, 'disqualify');
  assert((await page.textContent('#dialog-body')).includes('Ketik DISKUALIFIKASI'), 'the word for several');
  await page.keyboard.press('Escape');

  // The server's refusal is shown inside the dialog.
  await openAction(page, 'token');
  const old = f.sittings.get(1).token;
  assert((await page.textContent('#dialog-body')).includes(old), 'shows the current token');
  await page.fill('#act-reason', 'Token terlihat peserta sesi lain');
  await confirmAndWait(page);
  await waitUntil(async () => (await page.textContent('#token-dash')) === f.sittings.get(1).token && f.sittings.get(1).token !== old, 3000, 'new token shown');

  // Close: the bar goes quiet; a later action is refused by the server.
  await openAction(page, 'close');
  await dialogError(page, 'Isi alasan tindakan.');
  await page.fill('#act-reason', 'Semua peserta selesai');
  await confirmAndWait(page);
  p = (await posts()).pop();
  assertEqual(p.body, { action: 'close', reason: 'Semua peserta selesai' }, 'close body');
  await page.waitForSelector('#closed-note:not([hidden])');
  assert(await page.isDisabled('#action-bar [data-action="extend"]'), 'actions disabled after closing');
  assert((await page.textContent('#sitting-info')).includes('Ditutup'), 'closed in the header');
  const r = await page.evaluate(async () => {
    const me = await fetch('/api/v1/staff/me').then((x) => x.json());
    const x = await fetch('/api/v1/staff/sittings/1/actions', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: JSON.stringify({ action: 'message', candidates: 'all', text: 'x', reason: 'y' }) });
    return x.status;
  });
  assertEqual(r, 409, 'the fake refuses after closing');
  assert((await posts()).every((x) => x.csrf), 'every POST carried the CSRF token');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('start together: Mulai sesi shown while waiting, starts everyone', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pengawas', 3);
  assert((await page.textContent('#sitting-info')).includes('menunggu tombol Mulai sesi'), 'waiting note');
  await openAction(page, 'start');
  await page.fill('#act-reason', 'Semua peserta siap');
  await confirmAndWait(page);
  const waiting = cand(f, 3).filter((x) => x.status === 'in_progress');
  assertEqual(waiting.length, 10, 'ten started');
  await waitUntil(async () => (await rowText(page, waiting[0].id, 'status')) === 'Mengerjakan', 3000, 'rows started');
  await page.waitForSelector('#sitting-actions [data-action="start"]', { state: 'hidden' });
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('observer: the same dashboard without any action control or token', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pemantau', 1);
  assertEqual(await page.$$eval('#roster .roster-body .roster-row', (t) => t.length), 40, 'rows');
  for (const sel of ['#action-bar', '#sitting-actions', '#roster input[type="checkbox"]', '#select-shown', '#sel-count']) {
    assertEqual(await page.$$eval(sel, (x) => x.length), 0, 'no ' + sel);
  }
  assert(await page.isHidden('.token-box'), 'no token');
  await hook(f, `incident?sitting=1&regno=${cand(f, 1)[20].regno}&type=paste`);
  await waitUntil(async () => ((await page.textContent('#incidents li:first-child')) || '').includes('Mencoba menempel'), 3000, 'incidents live');
  await page.goto(`${f.url}/proctor/`);
  await page.waitForSelector('.sitting-card');
  assertEqual(await page.$$eval('.token-box', (x) => x.length), 0, 'no token on the cards');
  assert((await page.textContent('.lead')).includes('tanpa tindakan'), 'the observer lead');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('berita acara: the document, its log with reasons, closing hash, signatures; print hides the chrome', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pengawas', 1);
  await page.goto(`${f.url}/proctor/#/sitting/1/report`);
  await page.waitForSelector('#berita-acara');
  assert(await page.isVisible('#report-draft'), 'draft before closing');
  // Close through the API as another tab would, then reload the report.
  await page.evaluate(async () => {
    const me = await fetch('/api/v1/staff/me').then((x) => x.json());
    await fetch('/api/v1/staff/sittings/1/actions', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: JSON.stringify({ action: 'close', reason: 'Selesai' }) });
  });
  await page.reload();
  await page.waitForSelector('#berita-acara');
  assertEqual(await page.$$eval('#report-draft', (x) => x.length), 0, 'no draft note once closed');
  const text = await page.textContent('#berita-acara');
  assert(text.includes('BERITA ACARA PELAKSANAAN UJIAN'), 'title');
  assert(text.includes('Ruang 1 (Lab Komputer A)'), 'room');
  assert(text.includes('Komputer membeku 5 menit, diganti ke kursi cadangan'), 'an action reason');
  assert(text.includes('Insiden: Keluar layar penuh'), 'an incident');
  assert(text.includes(f.sittings.get(1).closed_head), 'the audit head hash');
  const cs = cand(f, 1);
  assertEqual(await page.textContent('#ba-counts [data-count="registered"]'), '40', 'registered');
  assertEqual(await page.textContent('#ba-counts [data-count="absent"]'), String(cs.filter((x) => x.status === 'absent').length), 'absent');
  assertEqual(await page.$$eval('.ba-sign-name', (x) => x.map((e) => e.textContent)), ['( Siti Aminah )', '( Dedi Kurniawan )'], 'a signature block per proctor');
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['#topbar', '#print-report', '.page-head']) {
    assertEqual(await page.$eval(sel, (e) => getComputedStyle(e).display), 'none', sel + ' hidden in print');
  }
  assert(await page.isVisible('#berita-acara'), 'the document printed');
  const pdf = await page.pdf({ format: 'A4' });
  assert(pdf.length > 1000, 'prints to A4');
  await page.emulateMedia({ media: 'screen' });
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('English, keyboard selection, accessibility at 1366, 1024 and 390 px, no sideways scroll', async (f) => {
  for (const vp of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    const page = await newPage(browser, { viewport: vp });
    await login(page, f, 'pengawas', '');
    await page.waitForSelector('.sitting-card');
    await axeScan(page, `sittings ${vp.width}`);
    await noSideways(page, `sittings ${vp.width}`);
    await page.goto(`${f.url}/proctor/#/sitting/1`);
    await page.waitForSelector('#conn[data-state="open"]');
    await axeScan(page, `dashboard ${vp.width}`);
    await noSideways(page, `dashboard ${vp.width}`);
    await openAction(page, 'extend');
    await axeScan(page, `dialog ${vp.width}`);
    await page.keyboard.press('Escape');
    await page.goto(`${f.url}/proctor/#/sitting/1/report`);
    await page.waitForSelector('#berita-acara');
    await axeScan(page, `report ${vp.width}`);
    await noSideways(page, `report ${vp.width}`);
    assertEqual(page.errors, [], 'page errors');
    await page.context().close();
  }
  // Keyboard: select with Space, open an action with Enter, type, confirm.
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await openDashboard(page, f, 'pengawas', 1);
  const first = await page.$eval('#roster .roster-body .roster-row input', (e) => e.getAttribute('data-id'));
  await page.focus('#roster .roster-body .roster-row input');
  await page.keyboard.press('Space');
  assertEqual(await page.textContent('#sel-count'), 'Dipilih: 1', 'Space selects');
  await page.focus('#action-bar [data-action="message"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#dialog:not([hidden])');
  assertEqual(await page.evaluate(() => document.activeElement.id), 'act-text', 'focus in the first field');
  await page.keyboard.type('Harap tenang');
  await page.focus('#act-reason');
  await page.keyboard.type('Ruangan ramai');
  await page.focus('#dialog-confirm');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  const posts = (await fetch(`${f.url}/__fake/posts`).then((r) => r.json())).posts;
  assertEqual(posts.pop().body.candidates, [cand(f, 1).find((x) => String(x.id) === first).regno], 'the keyboard-selected candidate');
  // Select all shown follows the filter.
  await page.click('#sel-clear');
  await page.check('#filter-offline');
  await page.check('#select-shown');
  const off = cand(f, 1).filter((x) => !x.online && ['in_progress', 'paused', 'login', 'waiting'].includes(x.status)).length;
  assertEqual(await page.textContent('#sel-count'), `Dipilih: ${off}`, 'select all shown = the offline ones');
  // English.
  await page.click('.lang-toggle [data-lang="en"]');
  await page.waitForSelector('#conn[data-state="open"]');
  assertEqual(await page.getAttribute('html', 'lang'), 'en', 'lang=en');
  assertEqual(await page.textContent('#action-bar [data-action="extend"]'), 'Extend time', 'English action');
  assert((await page.textContent('#counts')).includes('Working'), 'English statuses');
  await page.click('.lang-toggle [data-lang="id"]');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('1,000 candidates: a burst of 1,000 row updates a second for 5 s; frame times (p50/p95/max) and the final state', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  const t0 = Date.now();
  await openDashboard(page, f, 'pengawas', 2);
  await waitUntil(async () => (await page.$$eval('#roster .roster-body .roster-row', (t) => t.length)) === 1000, 10000, '1,000 rows');
  const loadMs = Date.now() - t0;
  // Two bursts of 1,000 row updates a second for 5 s: as the server
  // coalesces (one event per 200 ms, 200 rows each) and finer (every 50 ms).
  for (const flush of [200, 50]) {
    await page.evaluate(() => {
      window.__stop = false;
      window.__frames = [];
      let last = performance.now();
      const loop = (now) => {
        window.__frames.push(now - last);
        last = now;
        if (!window.__stop) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    const result = await fetch(`${f.url}/__fake/burst?sitting=2&rate=1000&seconds=5&flush=${flush}`, { method: 'POST' }).then((r) => r.json());
    // A control stays answered right after the burst.
    const clickT = Date.now();
    await page.selectOption('#sort', flush === 200 ? 'name' : 'slowest');
    const clickMs = Date.now() - clickT;
    const frames = await page.evaluate(() => {
      window.__stop = true;
      return window.__frames.slice(1);
    });
    assertEqual(result.rows, 5000, '5,000 row updates sent');
    // The last update of a candidate is what the table shows.
    const cs = cand(f, 2).filter((x) => x.status === 'in_progress');
    for (const c of cs.slice(0, 5)) {
      await waitUntil(async () => (await rowText(page, c.id, 'progress')).startsWith(c.answered + '/110'), 5000, 'final state of ' + c.regno);
    }
    const sorted = frames.slice().sort((x, y) => x - y);
    const pct = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const stats = { flush_ms: flush, events: result.flushes, frames: frames.length, p50: +pct(0.5).toFixed(1), p95: +pct(0.95).toFixed(1),
      max: +sorted[sorted.length - 1].toFixed(1), load_ms: loadMs, select_ms: clickMs };
    console.log('# frame times during the burst (ms): ' + JSON.stringify(stats));
    assert(sorted[sorted.length - 1] < 500, 'no frame gap above 500 ms: ' + JSON.stringify(stats));
    assert(frames.length > 25, 'frames kept coming: ' + frames.length);
  }
  assertEqual(page.errors, [], 'page errors');
});

await runInBrowser((b) => {
  browser = b;
});
