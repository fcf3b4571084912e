// test_candidate_proctor.mjs - the candidate client's side of proctoring
// (issue 10) in a real Chromium.
//
// Two kinds of test:
// - "faked:" tests run against the real server, but Playwright's page.route()
//   rewrites or answers the new proctoring replies (a paused poll, notices, 409
//   waiting, 401 session_reset, a disqualified finish) and captures the
//   incident POSTs. They are browser-level unit tests of the client: they pin
//   down its behaviour whatever the server does.
// - "real:" tests drive the real proctor API (POST /api/v1/staff/sittings/{id}/
//   actions with a proctor's Bearer token) and watch the candidate's screen
//   react through the real control poll.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  World, UJIAN, TOP, launch, newPage, waitUntil, test, worldTest, run, assert, assertEqual, SLOW,
} from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function axeScan(page, where) {
  await page.evaluate(AXE); // through the DevTools protocol: the page's CSP stays in force
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on the ${where}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `no sideways scrolling on the ${where}: ${overflow}px`);
}

let browser;

// Every page a test opens is closed when it ends (so no route handler of a
// finished test talks to a stopped server).
let opened = [];
async function pg(opts) {
  const p = await newPage(browser, opts);
  opened.push(p);
  return p;
}

async function closePages() {
  const list = opened;
  opened = [];
  for (const p of list) await p.context().close().catch(() => {});
}

// worldTest / proctorWorldTest with the pages closed before the world.
function wTest(name, opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  worldTest(name, opts, async (w) => {
    try {
      await fn(w);
    } finally {
      await closePages();
    }
  });
}

const visible = (page, sel) => page.locator(sel).isVisible();

async function login(page, w, regno, { start = true } = {}) {
  await page.goto(`${w.url}/candidate/?exam=E2E`);
  await page.fill('#login-regno', regno);
  await page.fill('#login-password', w.passwords[regno]);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-ready:visible, #screen-exam:visible, #screen-waiting:visible');
  if (start && await visible(page, '#screen-ready')) await page.click('#start-button');
  if (start) await page.waitForSelector('#screen-exam:visible');
}

const savedStatus = (page) => page.getAttribute('#save-status', 'data-status');
const countdownMs = async (page) => Number(await page.getAttribute('#countdown', 'data-remaining-ms'));
const CLOCK = '**/api/v1/attempt?view=clock';

// Rewrite the real clock poll's reply with edit(json) while installed.
async function editPoll(page, edit) {
  await page.route(CLOCK, async (route) => {
    try {
      const res = await route.fetch();
      let body = await res.text();
      if (res.status() === 200) body = JSON.stringify(edit(JSON.parse(body)));
      await route.fulfill({ response: res, body });
    } catch (e) {
      await route.abort('connectionrefused').catch(() => {});
    }
  });
}

// A world whose candidates sit in sitting R1 (start together if asked),
// proctored by "pengawas". Returns the world, started, and the sitting id.
async function proctoredWorld(opts = {}) {
  const w = new World(opts);
  const cli = (...a) => execFileSync(UJIAN, a, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input: a.includes('--password-stdin') ? 'sandi-pengawas-panjang\n' : undefined });
  cli('staff', 'add', '--db', w.db, '--username', 'pengawas', '--role', 'proctor', '--name', 'Bu Pengawas', '--password-stdin');
  const add = ['sitting', 'add', '--db', w.db, '--exam', 'E2E', '--code', 'R1', '--room', 'Ruang 1', '--proctor', 'pengawas'];
  if (opts.together) add.push('--start-together');
  cli(...add);
  cli('sitting', 'assign', '--db', w.db, '--exam', 'E2E', '--code', 'R1', ...Object.keys(w.passwords));
  await w.start();
  const r = await fetch(w.url + '/api/v1/staff/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'pengawas', password: 'sandi-pengawas-panjang', bearer: true }),
  });
  assertEqual(r.status, 200, 'proctor login');
  w.staffToken = (await r.json()).token;
  const list = await staffGet(w, '/api/v1/staff/sittings');
  w.sitting = list.sittings.find((s) => s.code === 'R1').id;
  return w;
}

async function staffGet(w, path) {
  const r = await fetch(w.url + path, { headers: { Authorization: 'Bearer ' + w.staffToken } });
  assertEqual(r.status, 200, 'GET ' + path);
  return r.json();
}

// A proctor action on the world's sitting; returns the reply.
async function act(w, body) {
  const r = await fetch(`${w.url}/api/v1/staff/sittings/${w.sitting}/actions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + w.staffToken },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  assertEqual(r.status, 200, `action ${body.action}: ${JSON.stringify(j)}`);
  return j;
}

function proctorWorldTest(name, opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  test(name, async () => {
    const w = await proctoredWorld(opts);
    try {
      await fn(w);
    } finally {
      await closePages();
      await w.close();
    }
  });
}

// What the client has queued in localStorage for a candidate.
const outboxOf = (page, regno) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || '[]'),
  `ujian.candidate.outbox.E2E.${regno}`);

// ---------------------------------------------------------------------------
// Faked server replies

wTest('faked: the control poll runs every 4 s (±10%) while the exam is open', async (w) => {
  const page = await pg();
  const at = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/attempt?view=clock')) at.push(Date.now()); });
  await login(page, w, 'P001');
  await waitUntil(() => at.length >= 3, 15000, 'three polls');
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  for (const g of gaps) assert(g >= 3500 && g <= 4400 + 1500 * SLOW, `poll gap ${g} ms`);
  assertEqual(page.errors, [], 'page errors');
});

wTest('faked: a paused poll shows the overlay; the clock stands; a 409 paused answer is held and saved after the resume', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  // The server says paused: answers get 409 paused, the poll carries the pause.
  let paused = true;
  let refused = 0;
  await page.route('**/api/v1/attempt/answers/*', (route) => {
    if (!paused) return route.continue();
    refused++;
    return route.fulfill({ status: 409, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'paused', message: 'Listrik padam di ruang 1.' } }) });
  });
  let frozenMs = null;
  let pollPaused = false; // the poll tells only after the 409 showed the overlay
  await editPoll(page, (j) => {
    if (paused && pollPaused && j.attempt) {
      frozenMs = frozenMs ?? j.attempt.remaining_ms;
      j.attempt.paused = { since: new Date().toISOString(), reason: 'Listrik padam di ruang 1.' };
      j.attempt.remaining_ms = frozenMs;
    }
    return j;
  });
  await page.click('#options [data-label="C"]');
  // The 409 alone shows the overlay at once (no need to wait for the poll).
  await page.waitForSelector('#pause-overlay:visible', { timeout: 3000 * SLOW });
  assert(refused >= 1, 'the answer was sent and refused');
  assertEqual((await outboxOf(page, 'P001')).map((e) => [e.n, e.option]), [[1, 'C']], 'the change is kept in the outbox');
  pollPaused = true;
  await waitUntil(async () => (await page.textContent('#pause-reason-text')) === 'Listrik padam di ruang 1.',
    8000, 'the reason from the poll');
  assertEqual(await page.textContent('#pause-title'), 'Dijeda oleh pengawas', 'title');
  assertEqual(await page.getAttribute('#pause-overlay', 'role'), 'alertdialog', 'role');
  assert(await page.evaluate(() => document.activeElement.id === 'pause-box'), 'focus on the overlay');
  assert(await page.evaluate(() => document.getElementById('app').inert === true &&
    document.getElementById('app').getAttribute('aria-hidden') === 'true'), 'the page behind is inert');
  // The countdown stands still.
  const t0 = await page.textContent('#countdown');
  const ms0 = await countdownMs(page);
  await page.waitForTimeout(2200); // the countdown would have moved twice
  assertEqual(await page.textContent('#countdown'), t0, 'countdown frozen');
  assertEqual(await countdownMs(page), ms0, 'remaining ms frozen');
  assert((await page.textContent('#pause-time')).includes(t0), 'the overlay shows the frozen time');
  // Options cannot be clicked (the overlay is on top), keys do nothing.
  const hit = await page.evaluate(() => {
    const r = document.querySelector('#options [data-label="D"]').getBoundingClientRect();
    const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!el.closest('#pause-overlay');
  });
  assert(hit, 'a click on an option lands on the overlay');
  await page.keyboard.press('D');
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.getElementById('pause-overlay').contains(document.activeElement)), 'Tab stays in the overlay');
  assertEqual((await outboxOf(page, 'P001')).map((e) => [e.n, e.option]), [[1, 'C']], 'keys changed nothing');
  assertEqual(w.answers('P001'), [], 'nothing stored yet');
  // Resume: the next poll removes the overlay and the held change is saved.
  paused = false;
  await page.waitForSelector('#pause-overlay', { state: 'hidden', timeout: 6000 * SLOW });
  await waitUntil(() => w.answers('P001').length === 1, 8000, 'the held answer to be stored');
  assertEqual(w.answers('P001')[0].label, 'C', 'stored option');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'saved on screen');
  assert(await page.evaluate(() => !document.getElementById('app').inert), 'the page is live again');
  assert(await page.evaluate(() => document.activeElement && document.activeElement.closest('#screen-exam') !== null),
    'focus back in the exam');
  const t1 = await countdownMs(page);
  await waitUntil(async () => (await countdownMs(page)) < t1 - 900, 4000, 'the countdown to run again');
  assertEqual(page.errors, [], 'page errors');
});

wTest('faked: proctor messages are banners, each closed once and remembered across a reload', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  const notices = [
    { id: 7, at: '2026-12-02T03:04:00Z', text: 'Waktu diperpanjang 10 menit untuk ruang 1.' },
    { id: 9, at: '2026-12-02T03:06:00Z', text: 'Peserta P001: harap duduk tegak.' },
  ];
  await editPoll(page, (j) => Object.assign(j, { notices }));
  await page.waitForSelector('#messages [data-id="9"]', { timeout: 6000 * SLOW });
  assertEqual(await page.getAttribute('#messages', 'aria-live'), 'polite', 'polite live region');
  const texts = await page.$$eval('#messages .proctor-message:not([data-kind])', (els) => els.map((e) => [e.dataset.id, e.textContent]));
  assertEqual(texts.map((x) => x[0]), ['9', '7'], 'two banners, newest first');
  assert(texts[1][1].includes('Waktu diperpanjang 10 menit') && texts[1][1].includes('Pesan dari pengawas'), texts[1][1]);
  // Close message 7 with the keyboard.
  await page.focus('#messages [data-id="7"] button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#messages [data-id="7"]', { state: 'detached' });
  assert(await page.evaluate(() => document.activeElement.closest('[data-id="9"]') !== null), 'focus moves to the next banner');
  assertEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('ujian.candidate.dismissed.E2E.P001'))), [7], 'dismissed ids stored');
  // The next polls still carry 7: it stays closed; after a reload too.
  const polls = [];
  page.on('response', (r) => { if (r.url().endsWith('view=clock')) polls.push(1); });
  await waitUntil(() => polls.length >= 1, 6000, 'another poll');
  assertEqual(await page.locator('#messages [data-id="7"]').count(), 0, 'closed message stays closed');
  await page.reload();
  await page.waitForSelector('#messages [data-id="9"]', { timeout: 6000 * SLOW });
  assertEqual(await page.locator('#messages [data-id="7"]').count(), 0, 'closed message stays closed after a reload');
  assertEqual(page.errors, [], 'page errors');
});

wTest('faked: 409 waiting shows the waiting screen, retries start every 3 s, then opens the exam', async (w) => {
  const page = await pg();
  const starts = [];
  await page.route('**/api/v1/attempt/start', (route) => {
    starts.push(Date.now());
    if (starts.length <= 3) {
      return route.fulfill({ status: 409, contentType: 'application/json', headers: { 'Retry-After': '3' },
        body: JSON.stringify({ error: { code: 'waiting', message: 'Menunggu pengawas memulai sesi.' } }) });
    }
    return route.continue();
  });
  await login(page, w, 'P001', { start: false });
  await page.click('#start-button');
  await page.waitForSelector('#screen-waiting:visible');
  assertEqual(await page.textContent('#waiting-heading'), 'Menunggu pengawas memulai sesi', 'heading');
  assertEqual(await page.textContent('#waiting-name'), 'Peserta Uji 1', 'candidate name');
  assertEqual(await page.textContent('#waiting-exam'), 'Ujian Uji Peramban', 'exam');
  assert(await page.evaluate(() => document.activeElement.id === 'waiting-heading'), 'focus on the heading');
  assert((await page.textContent('#screen-waiting')).includes('dicatat dan dapat dilihat pengawas'), 'the activity note');
  // A reload while waiting goes back to waiting (not to the ready screen).
  await waitUntil(() => starts.length >= 2, 6000, 'a retry');
  assert(starts[1] - starts[0] >= 2600 && starts[1] - starts[0] <= 3300 + 1500 * SLOW, `retry gap ${starts[1] - starts[0]} ms`);
  const beforeReload = starts.length;
  await page.reload();
  await page.waitForSelector('#screen-waiting:visible');
  await page.waitForSelector('#screen-exam:visible', { timeout: 12000 * SLOW });
  const gaps = starts.map((t, i) => t - starts[i - 1]).filter((g, i) => i > 0 && i !== beforeReload);
  for (const g of gaps) assert(g >= 2600 && g <= 3300 + 1500 * SLOW, `retry gap ${g} ms`);
  assert(starts.length >= 4, 'started after the retries');
  // The exam opens without the activity banner: it was shown before the start.
  assertEqual(await page.locator('#messages [data-id="activity"]').count(), 0, 'note not repeated');
  assertEqual(page.errors, [], 'page errors');
});

wTest('faked: logging out of the waiting screen stops the retries', async (w) => {
  const page = await pg();
  const starts = [];
  await page.route('**/api/v1/attempt/start', (route) => {
    starts.push(Date.now());
    return route.fulfill({ status: 409, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'waiting', message: 'Menunggu pengawas memulai sesi.' } }) });
  });
  await login(page, w, 'P001', { start: false });
  await page.click('#start-button');
  await page.waitForSelector('#screen-waiting:visible');
  await waitUntil(() => starts.length >= 2, 6000, 'a retry');
  await page.click('#waiting-logout');
  await page.waitForSelector('#screen-login:visible');
  const n = starts.length;
  await page.waitForTimeout(4000); // longer than one retry period: nothing may come
  assertEqual(starts.length, n, 'no start after the logout');
});

wTest('faked: 401 session_reset ends the exam and the login form says why', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  await page.click('#options [data-label="B"]');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'saved');
  await page.route(CLOCK, (route) => route.fulfill({ status: 401, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'session_reset', message: 'Sesi Anda diakhiri oleh pengawas. Silakan login kembali.' } }) }));
  await page.waitForSelector('#screen-login:visible', { timeout: 6000 * SLOW });
  assertEqual(await page.textContent('#login-error'), 'Sesi Anda diakhiri oleh pengawas. Silakan login kembali.', 'message');
  assertEqual(await page.inputValue('#login-regno'), 'P001', 'registration number kept');
  assert(await page.evaluate(() => document.activeElement.id === 'login-password'), 'focus on the password');
  assertEqual(await page.evaluate(() => localStorage.getItem('ujian.candidate.session')), null, 'token forgotten');
  // Also from the ready screen's start button.
  const p2 = await pg();
  await login(p2, w, 'P002', { start: false });
  await p2.route('**/api/v1/attempt/start', (route) => route.fulfill({ status: 401, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'session_reset', message: 'x' } }) }));
  await p2.click('#start-button');
  await p2.waitForSelector('#screen-login:visible');
  assertEqual(await p2.textContent('#login-error'), 'Sesi Anda diakhiri oleh pengawas. Silakan login kembali.', 'message at start');
  assertEqual(page.errors.concat(p2.errors), [], 'page errors');
});

wTest('faked: a finish by the proctor and a disqualification on the result screen', async (w) => {
  for (const [regno, reason, text] of [['P001', 'proctor', 'Ujian diakhiri oleh pengawas.'],
    ['P002', 'disqualified', 'Anda didiskualifikasi oleh pengawas.']]) {
    const page = await pg();
    await login(page, w, regno);
    const result = {
      status: 'finished', finished_at: new Date().toISOString(), finish_reason: reason, reason: 'Membuka catatan.',
      sections: [{ code: 'TWK', title: 'Tes Wawasan Kebangsaan', score: 10, max: 15 }], total: 10, max_total: 15,
    };
    await page.route(CLOCK, (route) => route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify({ attempt: { status: 'finished', finish_reason: reason, finished_at: result.finished_at }, result, notices: [] }) }));
    await page.waitForSelector('#screen-result:visible', { timeout: 6000 * SLOW });
    assertEqual(await page.textContent('#result-reason'), text, reason + ' text');
    assert((await page.textContent('#result-why')).includes('Membuka catatan.'), 'the reason given');
    assertEqual(await visible(page, '#result-table'), reason !== 'disqualified', 'scores only when not disqualified');
    assertEqual(await visible(page, '#notice'), false, 'no "your exam is over" notice on top');
    assertEqual(page.errors, [], 'page errors');
  }
});

wTest('faked: incidents are batched (≤ 32, ≥ 2 s apart), typed, never block answers, and stop with the attempt', async (w) => {
  const page = await pg();
  const batches = [];
  await page.route('**/api/v1/attempt/incidents', async (route) => {
    const body = JSON.parse(route.request().postData());
    batches.push({ at: Date.now(), items: body.incidents });
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ recorded: body.incidents.length }) });
  });
  // The login form is left alone: copy in a field is not prevented.
  await page.goto(`${w.url}/candidate/?exam=E2E`);
  await page.waitForSelector('#screen-login:visible');
  const loginCopy = await page.evaluate(() => document.getElementById('login-regno')
    .dispatchEvent(new ClipboardEvent('copy', { bubbles: true, cancelable: true })));
  assert(loginCopy, 'copy in the login form not prevented');
  await login(page, w, 'P001');
  // The note about recorded activity was on the ready screen, not again in the exam.
  assertEqual(await page.locator('#messages [data-id="activity"]').count(), 0, 'no banner after the ready screen');
  // Right click on the question: a real context menu event, prevented.
  await page.evaluate(() => {
    window.prevented = [];
    document.addEventListener('contextmenu', (e) => window.prevented.push(e.defaultPrevented));
  });
  await page.click('#question-text', { button: 'right' });
  await waitUntil(() => page.evaluate(() => window.prevented.length === 1), 2000, 'context menu');
  assertEqual(await page.evaluate(() => window.prevented), [true], 'context menu prevented');
  // Copy, cut, paste inside the question: prevented.
  const clip = await page.evaluate(() => ['copy', 'cut', 'paste'].map((t) =>
    document.getElementById('question-text').dispatchEvent(new ClipboardEvent(t, { bubbles: true, cancelable: true }))));
  assertEqual(clip, [false, false, false], 'copy/cut/paste prevented in the question');
  // Page hidden for a while, then visible; window left and back.
  await page.evaluate(async () => {
    const set = (hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    set(true);
    await new Promise((r) => setTimeout(r, 300));
    set(false);
    delete document.hidden;
    delete document.visibilityState;
    window.dispatchEvent(new FocusEvent('blur'));
    await new Promise((r) => setTimeout(r, 200));
    window.dispatchEvent(new FocusEvent('focus'));
  });
  // Full screen entered and left (a real fullscreen request).
  const fs = await page.evaluate(async () => {
    try {
      await document.documentElement.requestFullscreen();
      await new Promise((r) => setTimeout(r, 100));
      await document.exitFullscreen();
      return true;
    } catch (e) {
      return String(e);
    }
  });
  assertEqual(fs, true, 'fullscreen request');
  // An answer while incidents are queued is saved at once.
  await page.click('#options [data-label="A"]');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 3000, 'answer saved without waiting for incidents');
  const want = ['context_menu', 'copy', 'cut', 'paste', 'page_hidden', 'window_blur', 'fullscreen_exit'];
  const types = () => batches.flatMap((b) => b.items.map((i) => i.type));
  await waitUntil(() => want.every((t) => types().includes(t)), 8000, 'every incident type: ' + JSON.stringify(types()));
  const items = batches.flatMap((b) => b.items);
  const hidden = items.find((i) => i.type === 'page_hidden');
  assert(hidden.ms >= 250 && hidden.ms < 5000, 'page_hidden ms ' + hidden.ms);
  const blur = items.find((i) => i.type === 'window_blur');
  assert(blur.ms >= 150 && blur.ms < 5000, 'window_blur ms ' + blur.ms);
  for (const i of items) assert(Number.isInteger(i.at_client) && Math.abs(i.at_client - Date.now()) < 60000, 'at_client');
  // A flood: 40 right clicks make two requests, at least 2 s apart.
  const before = batches.length;
  await page.evaluate(() => {
    for (let i = 0; i < 40; i++) document.getElementById('question-text').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
  });
  await waitUntil(() => batches.slice(before).reduce((n, b) => n + b.items.length, 0) >= 40, 10000, 'the flood sent');
  for (const b of batches) assert(b.items.length <= 32, 'batch of ' + b.items.length);
  for (let i = 1; i < batches.length; i++) assert(batches[i].at - batches[i - 1].at >= 1900, `gap ${batches[i].at - batches[i - 1].at} ms`);
  // Finished: nothing more is recorded or sent.
  await page.click('#finish-button');
  await page.click('#finish-confirm');
  await page.waitForSelector('#screen-result:visible');
  const after = batches.length;
  await page.click('#result-heading', { button: 'right' });
  await page.waitForTimeout(2500);
  assertEqual(batches.length, after, 'no incident after the attempt ended');
  assertEqual(page.errors, [], 'page errors');
});

wTest('faked: reconnect incidents carry the time offline; unsent incidents wait in memory', async (w) => {
  const page = await pg();
  const batches = [];
  let fail = false;
  await page.route('**/api/v1/attempt/incidents', async (route) => {
    if (fail) return route.abort('internetdisconnected');
    const body = JSON.parse(route.request().postData());
    batches.push(body.incidents);
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ recorded: body.incidents.length }) });
  });
  await login(page, w, 'P001');
  fail = true;
  await page.click('#question-text', { button: 'right' }); // queued, its send fails
  await page.context().route('**/api/v1/attempt?*', (route) => route.abort('internetdisconnected'));
  await page.context().setOffline(true);
  await waitUntil(async () => (await page.getAttribute('#connection', 'data-online')) === 'false', 15000, 'offline');
  const off = Date.now();
  await page.waitForTimeout(500);
  await page.context().unroute('**/api/v1/attempt?*');
  await page.context().setOffline(false);
  fail = false;
  await waitUntil(async () => (await page.getAttribute('#connection', 'data-online')) === 'true', 15000, 'online');
  const offlineFor = Date.now() - off;
  await waitUntil(() => batches.flat().some((i) => i.type === 'reconnect'), 40000, 'a reconnect incident');
  const rec = batches.flat().find((i) => i.type === 'reconnect');
  assert(rec.ms >= 400 && rec.ms <= offlineFor + 20000, `reconnect ms ${rec.ms}`);
  assert(batches.flat().some((i) => i.type === 'context_menu'), 'the incident queued while failing was sent later');
  assertEqual(page.errors, [], 'page errors');
});

wTest('faked: the login sends fp = 16 hex of SHA-256 over agent|screen|zone|language', async (w) => {
  const page = await pg();
  let sent = null;
  await page.route('**/api/v1/candidate/login', (route) => {
    sent = JSON.parse(route.request().postData());
    return route.continue();
  });
  await login(page, w, 'P001', { start: false });
  const src = await page.evaluate(() => [navigator.userAgent, screen.width + 'x' + screen.height,
    Intl.DateTimeFormat().resolvedOptions().timeZone, navigator.language].join('|'));
  const want = createHash('sha256').update(src, 'utf8').digest('hex').slice(0, 16);
  assertEqual(sent.fp, want, 'fp');
  assert(/^[0-9a-f]{16}$/.test(sent.fp), 'format');
});

wTest('faked: accessibility of the waiting screen, the messages and the pause overlay, in both languages', { candidates: 3 }, async (w) => {
  const sizes = [[1366, 768, 'P001'], [1024, 768, 'P002'], [390, 844, 'P003']];
  for (const [width, height, regno] of sizes) {
    const page = await pg({ viewport: { width, height } });
    let waiting = true;
    await page.route('**/api/v1/attempt/start', (route) => (waiting
      ? route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'waiting', message: 'x' } }) })
      : route.continue()));
    let pause = false;
    await editPoll(page, (j) => {
      j.notices = [{ id: 3, at: new Date().toISOString(), text: 'Pesan uji untuk semua peserta.' }];
      if (pause) j.attempt.paused = { since: new Date().toISOString(), reason: 'Alasan uji.' };
      return j;
    });
    await login(page, w, regno, { start: false });
    await page.click('#start-button');
    await page.waitForSelector('#screen-waiting:visible');
    await axeScan(page, `waiting screen (${width}px)`);
    waiting = false;
    await page.waitForSelector('#screen-exam:visible', { timeout: 8000 * SLOW });
    await page.waitForSelector('#messages [data-id="3"]', { timeout: 6000 * SLOW });
    await axeScan(page, `exam with a message (${width}px)`);
    pause = true;
    await page.waitForSelector('#pause-overlay:visible', { timeout: 6000 * SLOW });
    await axeScan(page, `pause overlay (${width}px)`);
    if (width === 1024) {
      await page.evaluate(() => document.querySelector('[data-lang="en"]').click()); // the page is inert: not by a click
      await waitUntil(async () => (await page.textContent('#pause-title')) === 'Paused by the proctor', 3000, 'English overlay');
      assert((await page.textContent('#pause-time')).startsWith('The exam clock is stopped'), 'English time line');
      assert((await page.textContent('#messages')).includes('Message from the proctor'), 'English banner head');
      await page.evaluate(() => document.querySelector('[data-lang="id"]').click());
    }
    assertEqual(page.errors, [], 'page errors');
  }
});

// ---------------------------------------------------------------------------
// Real server: the proctor API acts, the candidate's screen follows

proctorWorldTest('real: a proctor pause reaches the screen within 5 s; an answer sent meanwhile is held, then saved after the resume', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  await act(w, { action: 'pause', reason: 'Listrik padam sebentar.', candidates: ['P001'] });
  const t0 = Date.now();
  // Before the poll has seen it, an answer meets the real 409 paused.
  await page.click('#options [data-label="B"]');
  await page.waitForSelector('#pause-overlay:visible', { timeout: 6000 * SLOW });
  assert(Date.now() - t0 < 5000 * SLOW + 1000, 'overlay within 5 s');
  await waitUntil(async () => (await page.textContent('#pause-reason-text')) === 'Listrik padam sebentar.', 6000, 'reason');
  assertEqual((await outboxOf(page, 'P001')).map((e) => e.option), ['B'], 'held in the outbox');
  assertEqual(w.answers('P001'), [], 'not stored while paused');
  const frozen = await page.textContent('#countdown');
  await page.waitForTimeout(1500);
  assertEqual(await page.textContent('#countdown'), frozen, 'countdown frozen');
  await act(w, { action: 'resume', reason: 'Listrik kembali.', candidates: ['P001'] });
  await page.waitForSelector('#pause-overlay', { state: 'hidden', timeout: 6000 * SLOW });
  await waitUntil(() => w.answers('P001').length === 1 && w.answers('P001')[0].label === 'B', 8000, 'the held answer stored');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'saved on screen');
  assertEqual(page.errors, [], 'page errors');
});

proctorWorldTest('real: a proctor message appears as a banner; a disqualification ends the exam without scores', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  await act(w, { action: 'message', reason: 'Pengumuman', text: 'Sisa waktu 30 menit, periksa jawaban.', candidates: 'all' });
  await page.waitForSelector('#messages .proctor-message:not([data-kind])', { timeout: 6000 * SLOW });
  assert((await page.textContent('#messages')).includes('Sisa waktu 30 menit, periksa jawaban.'), 'message text');
  await act(w, { action: 'disqualify', reason: 'Membawa catatan.', candidates: ['P001'] });
  await page.waitForSelector('#screen-result:visible', { timeout: 6000 * SLOW });
  assertEqual(await page.textContent('#result-reason'), 'Anda didiskualifikasi oleh pengawas.', 'disqualified');
  assertEqual(await visible(page, '#result-table'), false, 'no scores');
  assertEqual(w.attempt('P001').finish_reason, 'disqualified', 'stored');
  const p2 = await pg();
  await login(p2, w, 'P002');
  await act(w, { action: 'finish', reason: 'Peserta sakit.', candidates: ['P002'] });
  await p2.waitForSelector('#screen-result:visible', { timeout: 6000 * SLOW });
  assertEqual(await p2.textContent('#result-reason'), 'Ujian diakhiri oleh pengawas.', 'finished by proctor');
  assert(await visible(p2, '#result-table'), 'scores shown');
  assertEqual(page.errors.concat(p2.errors), [], 'page errors');
});

proctorWorldTest('real: reset login ends the session; the candidate resumes on another PC at the same question with every answer', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  await page.click('#options [data-label="A"]');
  await page.click('#next-button');
  await page.click('#options [data-label="D"]');
  await page.click('#flag-toggle');
  await page.click('#next-button');
  // Question 3 is not answered: "Belum dijawab" once nothing is queued.
  await waitUntil(async () => w.answers('P001').length === 2 && (await savedStatus(page)) === 'empty', 8000, 'saved');
  await waitUntil(() => w.sql("SELECT position FROM attempts a JOIN candidates c ON c.id = a.candidate_id WHERE c.registration_no = 'P001'")[0].position === 3,
    5000, 'position 3 reported');
  await act(w, { action: 'reset_login', reason: 'Pindah ke PC cadangan 12.', candidates: ['P001'] });
  await page.waitForSelector('#screen-login:visible', { timeout: 6000 * SLOW });
  assertEqual(await page.textContent('#login-error'), 'Sesi Anda diakhiri oleh pengawas. Silakan login kembali.', 'message');
  // The spare PC: a fresh browser profile.
  const spare = await pg();
  await login(spare, w, 'P001');
  assertEqual(await spare.getAttribute('#nav-grid [aria-current="true"]', 'data-n'), '3', 'same question');
  assertEqual(await spare.getAttribute('#nav-grid [data-n="1"]', 'data-answered'), 'true', 'answer 1');
  assertEqual(await spare.getAttribute('#nav-grid [data-n="2"]', 'data-state'), 'flagged', 'flag 2');
  await spare.click('#nav-grid [data-n="2"]');
  assertEqual(await spare.getAttribute('#options [data-label="D"]', 'aria-checked'), 'true', 'answer 2 is D');
  assertEqual(page.errors.concat(spare.errors), [], 'page errors');
});

proctorWorldTest('real: start together: the candidate waits until the proctor presses Mulai', { together: true }, async (w) => {
  const page = await pg();
  await login(page, w, 'P001', { start: false });
  await page.click('#start-button');
  await page.waitForSelector('#screen-waiting:visible');
  const before = w.attempt('P001');
  assert(!before || before.status === 'not_started', 'not started while waiting: ' + JSON.stringify(before));
  await waitUntil(async () => (await staffGet(w, `/api/v1/staff/sittings/${w.sitting}`)).rows
    .some((r) => r.regno === 'P001' && r.status === 'waiting'), 5000, 'the dashboard to show the candidate waiting');
  await act(w, { action: 'start', reason: 'Mulai sesi pagi.' });
  const t0 = Date.now();
  await page.waitForSelector('#screen-exam:visible', { timeout: 6000 * SLOW });
  assert(Date.now() - t0 < 3300 * SLOW + 1500, 'exam open within one retry');
  assertEqual(w.attempt('P001').status, 'in_progress', 'started');
  assertEqual(page.errors, [], 'page errors');
});

proctorWorldTest('real: incidents raised in the browser reach the sitting log', async (w) => {
  const page = await pg();
  await login(page, w, 'P001');
  await page.click('#question-text', { button: 'right' });
  await page.evaluate(() => document.getElementById('question-text')
    .dispatchEvent(new ClipboardEvent('copy', { bubbles: true, cancelable: true })));
  await waitUntil(async () => {
    const log = await staffGet(w, `/api/v1/staff/sittings/${w.sitting}/log`);
    const got = log.items.filter((i) => i.kind === 'incident' && i.regno === 'P001').map((i) => i.type);
    return got.includes('context_menu') && got.includes('copy');
  }, 8000, 'the incidents in the sitting log');
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
