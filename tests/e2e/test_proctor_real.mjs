// test_proctor_real.mjs - the proctor web (client-web/proctor/) against the
// real server: a sitting made with `ujian sitting add/assign`, staff made
// with `ujian staff add`. Two browsers at once where it matters: the
// candidate answers in the candidate page and the proctor's dashboard shows
// it; the proctor pauses, extends and credits from the dashboard and the
// candidate's own API calls see it (409 paused, a later deadline); an
// incident reported by the candidate appears on the dashboard; closing gives
// the berita acara the audit head the server returned; the observer sees
// no controls. (The candidate page's pause overlay and incident reporting
// are the candidate client's part of issue 10; these checks use the
// candidate API where that page does not yet show them.)

import { execFileSync } from 'node:child_process';
import { newPage, waitUntil, test, runInBrowser, assert, assertEqual, World, UJIAN } from './harness.mjs';

let browser;

// A world with sitting R1 (P001-P003, proctor pengawas), an observer.
function realTest(name, fn) {
  test(name, async () => {
    const w = new World({ candidates: 3, duration: 3600 });
    const staff = (user, role) => execFileSync(UJIAN, ['staff', 'add', '--db', w.db, '--username', user, '--role', role,
      '--name', user === 'pengawas' ? 'Siti Aminah' : 'Yusuf Pemantau', '--password-stdin'],
    { input: `sandi-${user}-panjang\n`, stdio: ['pipe', 'ignore', 'pipe'] });
    staff('pengawas', 'proctor');
    staff('pemantau', 'observer');
    const base = ['--db', w.db, '--exam', 'E2E'];
    execFileSync(UJIAN, ['sitting', 'add', ...base, '--code', 'R1', '--room', 'Ruang 1', '--proctor', 'pengawas'], { stdio: 'ignore' });
    execFileSync(UJIAN, ['sitting', 'assign', ...base, '--code', 'R1', 'P001', 'P002', 'P003'], { stdio: 'ignore' });
    w.sid = w.sql("SELECT id FROM sittings WHERE code = 'R1'")[0].id;
    await w.start();
    try {
      await fn(w);
    } finally {
      await w.close();
    }
  });
}

async function proctorLogin(page, w, user) {
  await page.goto(`${w.url}/proctor/#/sitting/${w.sid}`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', user);
  await page.fill('#login-password', `sandi-${user}-panjang`);
  await page.click('#login-submit');
  await page.waitForSelector('#roster .roster-body .roster-row');
  await page.waitForSelector('#conn[data-state="open"]');
}

// The candidate API with the bearer token from login.
async function candidate(w, regno) {
  const r = await fetch(`${w.url}/api/v1/candidate/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ exam: 'E2E', registration_no: regno, password: w.passwords[regno] }),
  });
  const body = await r.json();
  assertEqual(r.status, 200, 'candidate login ' + JSON.stringify(body));
  const call = async (method, path, data) => {
    const x = await fetch(w.url + path, {
      method, headers: { Authorization: 'Bearer ' + body.token, 'Content-Type': 'application/json' },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await x.text();
    return { status: x.status, json: text ? JSON.parse(text) : null };
  };
  return { call };
}

const idOf = (page, regno) => page.$$eval('#roster .roster-body .roster-row',
  (rows, rn) => rows.find((r) => r.querySelector('.col-regno').textContent === rn).dataset.id, regno);
const cell = (page, id, col) => page.textContent(`#roster .roster-row[data-id="${id}"] .col-${col}${col === 'status' ? ' .st' : ''}`);

async function act(page, action, reason, fill) {
  await page.click(`#action-bar [data-action="${action}"], #sitting-actions [data-action="${action}"]`);
  await page.waitForSelector('#dialog:not([hidden]) #action-form');
  if (fill) await fill();
  await page.fill('#act-reason', reason);
  await page.click('#dialog-confirm');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  await page.waitForSelector('#action-result .result-panel');
  return page.textContent('#action-result');
}

realTest('real server: the dashboard follows a candidate answering in another browser', async (w) => {
  const proctor = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await proctorLogin(proctor, w, 'pengawas');
  assertEqual(await proctor.$$eval('#roster .roster-body .roster-row', (r) => r.length), 3, 'three candidates');
  const id = await idOf(proctor, 'P001');
  assertEqual(await cell(proctor, id, 'status'), 'Belum hadir', 'absent before login');
  const cand = await newPage(browser, { viewport: { width: 1024, height: 768 } });
  await cand.goto(`${w.url}/candidate/?exam=E2E`);
  await cand.fill('#login-regno', 'P001');
  await cand.fill('#login-password', w.passwords.P001);
  await cand.click('#login-submit');
  await cand.waitForSelector('#screen-ready:visible, #screen-exam:visible');
  if (await cand.isVisible('#screen-ready')) await cand.click('#start-button');
  await cand.waitForSelector('#screen-exam:visible');
  await waitUntil(async () => (await cell(proctor, id, 'status')) === 'Mengerjakan', 5000, 'in progress on the dashboard');
  const t0 = Date.now();
  await cand.click('#options [data-label="A"]');
  await waitUntil(async () => (await cell(proctor, id, 'progress')).startsWith('1/9'), 5000, 'the answer on the dashboard');
  const lag = Date.now() - t0;
  console.log(`# answer click to dashboard: ${lag} ms`);
  assertEqual(await cell(proctor, id, 'online'), 'Daring', 'online');
  assert(/^\d+:\d\d:\d\d$|^\d\d:\d\d$/.test(await cell(proctor, id, 'remaining')), 'a countdown');
  assertEqual(await proctor.textContent('#counts [data-status="in_progress"] .chip-n'), '1', 'header count');
  assertEqual(proctor.errors, [], 'proctor page errors');
  assertEqual(cand.errors, [], 'candidate page errors');
});

realTest('real server: pause, resume, extend and message from the dashboard reach the candidate', async (w) => {
  const c = await candidate(w, 'P002');
  assertEqual((await c.call('POST', '/api/v1/attempt/start')).status, 200, 'start');
  const proctor = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await proctorLogin(proctor, w, 'pengawas');
  const id = await idOf(proctor, 'P002');
  await waitUntil(async () => (await cell(proctor, id, 'status')) === 'Mengerjakan', 5000, 'running');
  await proctor.check(`#roster .roster-row[data-id="${id}"] input`);
  // Pause: the candidate's answers are refused with the reason.
  const paused = await act(proctor, 'pause', 'Listrik padam');
  assert(paused.includes('Jeda: 1 peserta'), 'done: ' + paused);
  await waitUntil(async () => (await cell(proctor, id, 'status')) === 'Dijeda', 5000, 'paused on the dashboard');
  assertEqual(await proctor.getAttribute(`#roster .roster-row[data-id="${id}"] .st`, 'title'), 'Dijeda: Listrik padam', 'the reason on the badge');
  const refused = await c.call('PUT', '/api/v1/attempt/answers/1', { option: 'A', flagged: false, rev: 1 });
  assertEqual([refused.status, refused.json.error.code], [409, 'paused'], 'answer refused while paused');
  const clock1 = (await c.call('GET', '/api/v1/attempt?view=clock')).json;
  assert(clock1.attempt.paused && clock1.attempt.paused.reason === 'Listrik padam', 'the candidate sees the pause and its reason: ' + JSON.stringify(clock1.attempt.paused));
  // Resume, then extend by 7 minutes: the candidate's remaining time grows by that.
  await act(proctor, 'resume', 'Listrik menyala');
  await waitUntil(async () => (await cell(proctor, id, 'status')) === 'Mengerjakan', 5000, 'running again');
  assertEqual((await c.call('PUT', '/api/v1/attempt/answers/1', { option: 'A', flagged: false, rev: 1 })).status, 200, 'answers accepted again');
  const before = (await c.call('GET', '/api/v1/attempt?view=clock')).json.attempt.remaining_ms;
  const t0 = Date.now();
  await act(proctor, 'extend', 'PC membeku', () => proctor.fill('#act-minutes', '7'));
  const after = (await c.call('GET', '/api/v1/attempt?view=clock')).json.attempt.remaining_ms;
  const gained = after - before + (Date.now() - t0);
  assert(Math.abs(gained - 7 * 60000) < 5000, `the candidate gained 7 minutes (${gained} ms)`);
  // A message to everyone arrives on the candidate's poll.
  await act(proctor, 'message', 'Pengumuman', async () => {
    await proctor.check('#target-other');
    await proctor.fill('#act-text', 'Sisa waktu 30 menit.');
  });
  const notices = (await c.call('GET', '/api/v1/attempt?view=clock')).json.notices || [];
  assert(notices.some((n) => n.text === 'Sisa waktu 30 menit.'), 'the notice: ' + JSON.stringify(notices));
  // The actions are listed with their reasons.
  await waitUntil(async () => (await proctor.textContent('#incidents')).includes('Kirim pesan'), 5000, 'actions listed');
  const panel = await proctor.textContent('#incidents');
  for (const text of ['Jeda', 'Listrik padam', 'Perpanjang waktu', 'PC membeku']) assert(panel.includes(text), 'panel has ' + text);
  assertEqual(proctor.errors, [], 'page errors');
});

realTest('real server: an incident from the candidate appears on the dashboard; close and the berita acara', async (w) => {
  const c = await candidate(w, 'P003');
  assertEqual((await c.call('POST', '/api/v1/attempt/start')).status, 200, 'start');
  const proctor = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await proctorLogin(proctor, w, 'pengawas');
  const id = await idOf(proctor, 'P003');
  const r = await c.call('POST', '/api/v1/attempt/incidents', { incidents: [{ type: 'page_hidden', ms: 4200 }] });
  assertEqual(r.status, 200, 'incident recorded');
  await waitUntil(async () => ((await proctor.textContent('#incidents li:first-child')) || '').includes('Meninggalkan halaman'), 5000, 'incident listed');
  assert((await proctor.textContent('#incidents li:first-child')).includes('P003'), 'names the candidate');
  await waitUntil(async () => (await cell(proctor, id, 'incidents')) === '1', 5000, 'row count');
  // A token rotation shows the new token (the stream never carries it).
  const old = await proctor.textContent('#token-dash');
  await act(proctor, 'token', 'Token terlihat');
  await waitUntil(async () => (await proctor.textContent('#token-dash')) !== old, 5000, 'new token');
  const now = w.sql(`SELECT token FROM sittings WHERE id = ${w.sid}`)[0].token;
  assertEqual(await proctor.textContent('#token-dash'), now, 'the stored token');
  // Close; the report carries the audit head the server recorded.
  await proctor.click('#sitting-actions [data-action="close"]');
  await proctor.fill('#act-reason', 'Sesi selesai');
  const reply = proctor.waitForResponse((x) => x.url().endsWith('/actions'));
  await proctor.click('#dialog-confirm');
  const head = (await (await reply).json()).audit_head;
  await proctor.waitForSelector('#closed-note:not([hidden])');
  await proctor.click('#report-link');
  await proctor.waitForSelector('#berita-acara');
  const text = await proctor.textContent('#berita-acara');
  assert(head && text.includes(head), 'audit head in the report: ' + head);
  assert(text.includes('Meninggalkan halaman') && text.includes('Token terlihat') && text.includes('Sesi selesai'), 'log with reasons');
  assertEqual(await proctor.textContent('#ba-counts [data-count="registered"]'), '3', 'registered');
  assertEqual(await proctor.$$eval('.ba-sign-name', (x) => x.map((e) => e.textContent)), ['( Siti Aminah )'], 'the proctor signs');
  assertEqual(proctor.errors, [], 'page errors');
});

realTest('real server: the observer sees the live dashboard without controls or token', async (w) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await proctorLogin(page, w, 'pemantau');
  for (const sel of ['#action-bar', '#sitting-actions', '#roster input[type="checkbox"]']) {
    assertEqual(await page.$$eval(sel, (x) => x.length), 0, 'no ' + sel);
  }
  assert(await page.isHidden('.token-box'), 'no token');
  const c = await candidate(w, 'P001');
  await c.call('POST', '/api/v1/attempt/start');
  const id = await idOf(page, 'P001');
  await waitUntil(async () => (await cell(page, id, 'status')) === 'Mengerjakan', 5000, 'live for the observer');
  assertEqual(page.errors, [], 'page errors');
});

await runInBrowser((b) => {
  browser = b;
});
