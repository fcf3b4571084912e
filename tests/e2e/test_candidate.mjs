// test_candidate.mjs - the candidate client in a real Chromium against the real
// server: a whole exam, network cuts, reloads and a second PC, a server
// SIGKILL, time-up, keyboard only, and an accessibility scan.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, newPage, waitUntil, test, worldTest, run, assert, assertEqual, TOP, SLOW,
} from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let browser;

async function visible(page, sel) {
  return page.locator(sel).isVisible();
}

// Log in through the form; start the exam if it is not started yet.
async function login(page, w, regno, { start = true } = {}) {
  await page.goto(`${w.url}/candidate/?exam=E2E`);
  await page.fill('#login-regno', regno);
  await page.fill('#login-password', w.passwords[regno]);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-ready:visible, #screen-exam:visible');
  if (start && await visible(page, '#screen-ready')) {
    await page.click('#start-button');
  }
  if (start) await page.waitForSelector('#screen-exam:visible');
}

// What the page shows for the current question: its item id and options.
async function current(page) {
  const text = await page.textContent('#question-text');
  const m = /\[Q:([A-Z]+-\d+)\]/.exec(text);
  assert(m, 'question marker in ' + text);
  const options = await page.$$eval('#options [data-label]', (els) =>
    els.map((e) => ({ label: e.dataset.label, text: e.textContent })));
  const n = Number(await page.getAttribute('#nav-grid [aria-current="true"]', 'data-n'));
  return { id: m[1], options, n };
}

function pointsOf(w, q, label) {
  const item = w.info[q.id];
  const opt = q.options.find((o) => o.label === label);
  const key = Object.keys(item.points).find((t) => opt.text.includes(t));
  assert(key, `option text ${opt.text} of ${q.id}`);
  return item.points[key];
}

function bestLabel(w, q) {
  let best = null, bp = -1;
  for (const o of q.options) {
    const p = pointsOf(w, q, o.label);
    if (p > bp) { bp = p; best = o.label; }
  }
  return best;
}

// Cuts the browser off the network. Chromium's offline emulation alone
// has let a request made right after it through on a busy machine, so the
// API is also refused at the route level (installed first, so nothing slips).
async function cutNetwork(ctx) {
  await ctx.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await ctx.setOffline(true);
}

async function restoreNetwork(ctx) {
  await ctx.unroute('**/api/**');
  await ctx.setOffline(false);
}

async function savedStatus(page) {
  return page.getAttribute('#save-status', 'data-status');
}

async function gotoQuestion(page, n) {
  await page.click(`#nav-grid [data-n="${n}"]`);
  await waitUntil(async () => (await current(page)).n === n, 5000, `question ${n}`);
}

worldTest('a whole exam through the UI is scored as expected', async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  const total = w.draw * 3;
  assertEqual(await page.$$eval('#nav-grid [data-n]', (e) => e.length), total, 'grid size');
  // The tiny markup: bold rendered, angle brackets literal.
  assert(await page.$eval('#question-text', (e) => e.querySelector('strong') !== null), 'bold');
  assert((await page.textContent('#question-text')).includes('<b>literal</b>'), 'literal <b>');
  const expected = { TWK: 0, TIU: 0, TKP: 0 };
  for (let i = 0; i < total; i++) {
    const q = await current(page);
    // Change of mind on even questions: the last choice counts.
    const best = bestLabel(w, q);
    const label = i % 3 === 2 ? null : best;
    if (i % 2 === 0) await page.click(`#options [data-label="${best === 'A' ? 'B' : 'A'}"]`);
    if (label) {
      await page.click(`#options [data-label="${label}"]`);
      expected[w.info[q.id].section] += pointsOf(w, q, label);
    } else if (i % 2 === 0) {
      await page.click('#clear-answer');
    }
    // Nothing chosen (or the choice cleared) and saved: "Belum dijawab".
    await waitUntil(async () => (await savedStatus(page)) === (label ? 'saved' : 'empty'), 5000, 'saved');
    if (i < total - 1) await page.click('#next-button');
  }
  await page.click('#finish-button');
  await page.waitForSelector('#finish-dialog:visible');
  const unanswered = Number(await page.textContent('#finish-unanswered'));
  assertEqual(unanswered, w.draw, 'unanswered count in the confirmation');
  await page.click('#finish-confirm');
  await page.waitForSelector('#screen-result:visible');
  const sum = expected.TWK + expected.TIU + expected.TKP;
  assertEqual(Number((await page.textContent('#result-total')).trim()), sum, 'total on screen');
  for (const sec of ['TWK', 'TIU', 'TKP']) {
    const cell = (await page.textContent(`tr[data-section="${sec}"] .score`)).trim();
    assertEqual(Number(cell), expected[sec], `${sec} on screen`);
  }
  assertEqual(w.attempt('P001'), { status: 'finished', finish_reason: 'submitted', total: sum },
    'stored result');
  assertEqual(page.errors, [], 'page errors');
});

worldTest('network cut: answers wait unsaved and are saved when the network returns', async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  await page.click('#options [data-label="A"]');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'first answer saved');
  await cutNetwork(page.context());
  await page.click('#next-button');
  await page.click('#options [data-label="C"]');
  await page.click('#next-button');
  await page.click('#options [data-label="D"]');
  await page.click('#flag-toggle');
  await waitUntil(async () => (await page.getAttribute('#connection', 'data-online')) === 'false',
    15000, 'the connection indicator to show offline');
  assertEqual(await savedStatus(page), 'unsaved', 'current question unsaved');
  assertEqual(await page.getAttribute('#nav-grid [data-n="2"]', 'data-saved'), 'false', 'q2 unsaved');
  assertEqual(w.answers('P001').map((a) => a.n), [1], 'only question 1 reached the server');
  await restoreNetwork(page.context());
  await waitUntil(async () => w.answers('P001').length === 3, 15000, 'the queued answers to reach the server');
  const stored = w.answers('P001').map((a) => [a.n, a.label, a.flagged]);
  assertEqual(stored, [[1, 'A', 0], [2, 'C', 0], [3, 'D', 1]], 'stored answers');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 10000, 'saved on screen');
  assertEqual(await page.getAttribute('#connection', 'data-online'), 'true', 'back online');
});

worldTest('unsent answers survive closing the page and are sent from localStorage on the next load', async (w) => {
  const page = await newPage(browser);
  const ctx = page.context();
  await login(page, w, 'P001');
  await page.click('#options [data-label="A"]');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000 * SLOW, 'first answer saved');
  await cutNetwork(ctx);
  await page.click('#next-button');
  await page.click('#options [data-label="C"]');
  await page.click('#options [data-label="E"]'); // changed its mind: E is the answer
  await page.click('#next-button');
  await page.click('#options [data-label="B"]');
  await waitUntil(async () => (await savedStatus(page)) === 'unsaved', 15000 * SLOW, 'unsaved while offline');
  // The power goes: the page is gone with its unsent answers in localStorage.
  await page.close();
  assertEqual(w.answers('P001').map((a) => a.n), [1], 'nothing else reached the server');
  await restoreNetwork(ctx);
  const again = await ctx.newPage();
  await again.goto(`${w.url}/candidate/?exam=E2E`);
  await again.waitForSelector('#screen-exam:visible');
  await waitUntil(async () => w.answers('P001').length === 3, 15000 * SLOW, 'the stored changes to be sent');
  assertEqual(w.answers('P001').map((a) => [a.n, a.label]), [[1, 'A'], [2, 'E'], [3, 'B']],
    'the last choice of each question, in order');
  await waitUntil(async () => (await again.getAttribute('#nav-grid [data-n="3"]', 'data-saved')) === 'true',
    10000 * SLOW, 'saved on screen');
});

worldTest('attempt closed elsewhere: the next change says so and shows the result', async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  await page.click('#options [data-label="B"]');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000 * SLOW, 'saved');
  // A second tab of the same browser (same session) finishes the exam.
  const tab = await page.context().newPage();
  await tab.goto(`${w.url}/candidate/?exam=E2E`);
  await tab.waitForSelector('#screen-exam:visible');
  await tab.click('#finish-button');
  await tab.click('#finish-confirm');
  await tab.waitForSelector('#screen-result:visible');
  assertEqual(w.attempt('P001').status, 'finished', 'finished on the server');
  // The first tab still shows the exam; its next change is refused.
  await page.click('#next-button');
  await page.click('#options [data-label="C"]');
  await page.waitForSelector('#screen-result:visible');
  await waitUntil(async () => (await page.getAttribute('#notice', 'data-kind')) === 'closed', 5000 * SLOW,
    'the attempt-closed notice');
  assertEqual(await page.textContent('#notice-text'),
    'Ujian Anda sudah berakhir, sehingga jawaban tidak dapat diubah lagi. Berikut hasilnya.', 'notice text');
  assertEqual(w.answers('P001').map((a) => [a.n, a.label]), [[1, 'B']], 'the refused change is not stored');
  assertEqual((await page.textContent('#result-total')).trim(), (await tab.textContent('#result-total')).trim(),
    'same result in both tabs');
});

worldTest('reload and a second PC: same question, same answers and flags', async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  await page.click('#options [data-label="B"]');
  await page.click('#next-button');
  await page.click('#options [data-label="E"]');
  await page.click('#flag-toggle');
  await gotoQuestion(page, 5);
  await page.click('#options [data-label="C"]');
  await waitUntil(async () => w.answers('P001').length === 3, 10000, 'answers stored');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'saved');
  const gridBefore = await page.$$eval('#nav-grid [data-n]', (els) => els.map((e) => e.dataset.state));
  await page.reload();
  await page.waitForSelector('#screen-exam:visible');
  assertEqual((await current(page)).n, 5, 'same question after reload');
  assertEqual(await page.getAttribute('#options [data-label="C"]', 'aria-checked'), 'true', 'choice shown');
  const gridAfter = await page.$$eval('#nav-grid [data-n]', (els) => els.map((e) => e.dataset.state));
  assertEqual(gridAfter, gridBefore, 'grid after reload');
  assertEqual(gridAfter.slice(0, 5), ['answered', 'flagged', 'unanswered', 'unanswered', 'answered'],
    'grid states');
  // Another PC (a fresh browser context) - the old one is replaced - lands
  // on the question the candidate was on.
  await waitUntil(async () => w.sql("SELECT position FROM attempts")[0].position === 5, 5000,
    'the position to reach the server');
  const other = await newPage(browser);
  await login(other, w, 'P001');
  assertEqual((await current(other)).n, 5, 'same question on the second PC');
  const gridOther = await other.$$eval('#nav-grid [data-n]', (els) => els.map((e) => e.dataset.state));
  assertEqual(gridOther, gridBefore, 'grid on the second PC');
  await gotoQuestion(other, 2);
  assertEqual(await other.getAttribute('#options [data-label="E"]', 'aria-checked'), 'true', 'answer on 2nd PC');
  assertEqual(await other.getAttribute('#flag-toggle', 'aria-pressed'), 'true', 'flag on 2nd PC');
  // The first PC learns that its session was taken over: the exam gives
  // way to the "replaced" state (test_candidate_screen.mjs looks closer).
  await page.click('#options [data-label="A"]');
  await waitUntil(async () => (await visible(page, '#screen-replaced')) &&
    (await visible(page, '#replaced-login')), 10000, 'the session-replaced state');
});

worldTest('server SIGKILL and restart: the client recovers and nothing answered is lost', async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  await page.click('#options [data-label="B"]');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'saved');
  await w.kill9();
  const killedAt = Date.now();
  await page.click('#next-button');
  await page.click('#options [data-label="D"]');
  await page.click('#next-button');
  await page.click('#options [data-label="A"]');
  await waitUntil(async () => (await page.getAttribute('#connection', 'data-online')) === 'false',
    15000, 'offline indicator while the server is down');
  assertEqual(await savedStatus(page), 'unsaved', 'unsaved while down');
  // Stay down for at least 4 s: an outage the server must credit.
  await new Promise((res) => setTimeout(res, Math.max(0, 4000 - (Date.now() - killedAt))));
  await w.start(); // same port, same database
  await waitUntil(async () => w.answers('P001').length === 3, 20000, 'answers saved after restart');
  assertEqual(w.answers('P001').map((a) => [a.n, a.label]), [[1, 'B'], [2, 'D'], [3, 'A']], 'stored');
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 10000, 'saved on screen');
  assertEqual(await page.getAttribute('#connection', 'data-online'), 'true', 'online again');
  // The countdown follows the server, not the PC: the downtime was credited
  // and the replies after the restart moved the countdown up by it.
  const [row] = w.sql(`SELECT a.started_at, a.credit_ms FROM attempts a JOIN candidates c ` +
    `ON c.id = a.candidate_id WHERE c.registration_no = 'P001'`);
  assert(row.credit_ms >= 3000, `downtime credited: ${row.credit_ms} ms`);
  const expected = row.started_at + 3600 * 1000 + row.credit_ms - Date.now();
  const shown = Number(await page.getAttribute('#countdown', 'data-remaining-ms'));
  assert(Math.abs(shown - expected) <= 1500, `countdown ${shown} ms, server says ${expected} ms`);
});

worldTest('time-up on a short exam: the result appears without any click', { duration: 12 }, async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  const q = await current(page);
  const label = bestLabel(w, q);
  await page.click(`#options [data-label="${label}"]`);
  await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000, 'saved');
  const remaining = Number(await page.getAttribute('#countdown', 'data-remaining-ms'));
  assert(remaining > 0 && remaining <= 12000, 'countdown from the server: ' + remaining);
  await page.waitForSelector('#screen-result:visible', { timeout: (12000 + 6000) * SLOW });
  assertEqual(Number((await page.textContent('#result-total')).trim()), pointsOf(w, q, label),
    'scored at time-up');
  assertEqual(w.attempt('P001').finish_reason, 'time_up', 'finished by the server');
});

worldTest('keyboard only: log in, answer, flag, navigate, finish', async (w) => {
  const page = await newPage(browser);
  await page.goto(`${w.url}/candidate/?exam=E2E`);
  const tabTo = async (id) => {
    for (let i = 0; i < 40; i++) {
      if (await page.evaluate(() => document.activeElement && document.activeElement.id) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error('could not reach #' + id + ' with Tab');
  };
  await tabTo('login-regno');
  await page.keyboard.type('P001');
  await tabTo('login-password');
  await page.keyboard.type(w.passwords.P001);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#screen-ready:visible');
  await tabTo('start-button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#screen-exam:visible');
  // W reads the time left out through the polite live region (one hour
  // exam, just started: 59 whole minutes left, never rounded up).
  await page.keyboard.press('w');
  await waitUntil(async () => (await page.textContent('#live-polite')) === 'Sisa waktu 59 menit.',
    3000, 'time left read out');
  const total = w.draw * 3;
  let expected = 0;
  for (let i = 0; i < total; i++) {
    const q = await current(page);
    const label = bestLabel(w, q);
    await page.keyboard.press(label);
    expected += pointsOf(w, q, label);
    if (i === 1) await page.keyboard.press('f');
    await waitUntil(async () => (await page.getAttribute(`#options [data-label="${label}"]`,
      'aria-checked')) === 'true', 3000, 'choice by key');
    if (i < total - 1) await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('ArrowLeft');
  assertEqual((await current(page)).n, total - 1, 'ArrowLeft goes back');
  await page.keyboard.press('Digit1');
  const q = await current(page);
  expected -= pointsOf(w, q, bestLabel(w, q));
  expected += pointsOf(w, q, 'A');
  await waitUntil(async () => w.answers('P001').length === total &&
    w.answers('P001').find((a) => a.n === total - 1).label === 'A', 10000, 'all answers stored');
  assertEqual(w.answers('P001').find((a) => a.n === 2).flagged, 1, 'F flagged question 2');
  await tabTo('finish-button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#finish-dialog:visible');
  assertEqual(Number(await page.textContent('#finish-flagged')), 1, 'flagged count');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#screen-result:visible');
  assertEqual(Number((await page.textContent('#result-total')).trim()), expected, 'total');
});

test('the time left read out: hours, minutes, seconds, never more than is left', async () => {
  // clock.js is an ES module without imports of its own, served as .js; Node
  // 18 loads such a file as a module only from a data: URL (Node 20 detects it).
  const src = readFileSync(new URL('../../client-web/candidate/clock.js', import.meta.url), 'utf8');
  const { spokenParts } = await import('data:text/javascript,' + encodeURIComponent(src));
  const cases = [
    [6000 * 1000, [[1, 'hour'], [40, 'minute']]],
    [3600 * 1000, [[1, 'hour']]],
    [3599 * 1000 + 999, [[59, 'minute']]],
    [(4 * 60 + 30) * 1000 + 500, [[4, 'minute'], [30, 'second']]],
    [5 * 60 * 1000 + 20000, [[5, 'minute']]],
    [60 * 1000, [[1, 'minute']]],
    [59999, [[59, 'second']]],
    [0, [[0, 'second']]],
    [-5000, [[0, 'second']]],
  ];
  for (const [ms, want] of cases) assertEqual(spokenParts(ms), want, `spokenParts(${ms})`);
});

// Time warnings (only on crossing a mark): test_candidate_screen.mjs.

async function axeScan(page, where) {
  // Evaluated through the DevTools protocol: the page's CSP (no inline
  // scripts) stays in force for the page itself.
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on the ${where} screen`);
}

worldTest('accessibility: no serious or critical axe violations on login, exam and result', async (w) => {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 375, height: 740 }]) {
    const page = await newPage(browser, { viewport });
    await page.goto(`${w.url}/candidate/?exam=E2E`);
    await page.waitForSelector('#screen-login:visible');
    await axeScan(page, `login (${viewport.width}px)`);
    const regno = viewport.width === 1024 ? 'P001' : 'P002';
    await login(page, w, regno);
    await page.click('#options [data-label="B"]');
    await page.click('#flag-toggle');
    await axeScan(page, `exam (${viewport.width}px)`);
    // The page must not scroll sideways at this width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 1, `horizontal overflow of ${overflow}px at ${viewport.width}px`);
    await page.click('#finish-button');
    await page.waitForSelector('#finish-dialog:visible');
    await axeScan(page, `finish dialog (${viewport.width}px)`);
    await page.click('#finish-confirm');
    await page.waitForSelector('#screen-result:visible');
    await axeScan(page, `result (${viewport.width}px)`);
  }
});

worldTest('phone width: the time left stays in view while the page scrolls', async (w) => {
  const page = await newPage(browser, { viewport: { width: 375, height: 740 } });
  await login(page, w, 'P001');
  const state = () => page.evaluate(() => {
    const bar = document.getElementById('mini-bar');
    const r = bar.getBoundingClientRect();
    return {
      shown: getComputedStyle(bar).display !== 'none' && r.top === 0 && r.height > 0,
      height: r.height,
      mini: document.getElementById('mini-countdown').textContent,
      main: document.getElementById('countdown').textContent,
      online: document.getElementById('mini-connection').dataset.online,
      card: document.getElementById('question').getBoundingClientRect().top,
    };
  });
  assertEqual((await state()).shown, false, 'mini bar hidden while the header is in view');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await waitUntil(async () => (await state()).shown, 3000, 'mini bar after scrolling down');
  const s1 = await state();
  assert(/^\d\d:\d\d:\d\d$/.test(s1.mini), `mini countdown shows a time, got ${s1.mini}`);
  // Same clock as the header (allowing one tick between the two reads).
  const secs = (x) => x.split(':').reduce((a, b) => a * 60 + Number(b), 0);
  assert(Math.abs(secs(s1.mini) - secs(s1.main)) <= 1, `mini ${s1.mini} vs header ${s1.main}`);
  assertEqual(s1.online, 'true', 'mini bar connection state');
  // The next question opens with its card below the bar, not under it.
  await page.click('#next-button');
  await waitUntil(async () => (await current(page)).n === 2, 5000, 'question 2');
  const s2 = await state();
  assert(!s2.shown || s2.card >= s2.height - 1, `question card at ${s2.card}px under a ${s2.height}px bar`);
  // Going offline shows in the bar too.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await cutNetwork(page.context());
  await page.click('#options [data-label="A"]');
  await waitUntil(async () => (await state()).online === 'false', 10000 * SLOW, 'mini bar offline');
  await restoreNetwork(page.context());
  await waitUntil(async () => (await state()).online === 'true', 15000 * SLOW, 'mini bar back online');
  await page.evaluate(() => window.scrollTo(0, 0));
  await waitUntil(async () => !(await state()).shown, 3000, 'mini bar gone at the top');
  // Wide screens never show it, even when the page is marked scrolled: the
  // header stays put there.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.evaluate(() => document.documentElement.classList.add('topbar-away'));
  assertEqual((await state()).shown, false, 'no mini bar at 1024px');
});

worldTest('front page: server status, open exams linking to the login, English, API unreachable', async (w) => {
  const page = await newPage(browser);
  await page.goto(`${w.url}/`);
  await page.waitForSelector('#health[data-state="ok"]');
  assert(/^Server berjalan normal \(versi \d+\.\d+\.\d+\)\.$/.test(await page.textContent('#health')),
    'health sentence: ' + await page.textContent('#health'));
  await page.waitForSelector('#exams:visible');
  const rows = await page.$$eval('#exams tbody tr', (trs) => trs.map((tr) =>
    Array.from(tr.cells).map((c) => c.textContent.trim())));
  assertEqual(rows, [['E2E', 'Ujian Uji Peramban', '60', 'Tidak']], 'open exams table');
  await axeScan(page, 'front page');
  await page.click('.lang-toggle [data-lang="en"]');
  assert(/^The server is running normally/.test(await page.textContent('#health')), 'English health');
  assertEqual(await page.textContent('#exams tbody td.token'), 'No', 'English yes/no');
  await page.click('.lang-toggle [data-lang="id"]');
  // The API cannot be reached (the page itself loaded): the page says so
  // and offers a retry that works once the API answers again.
  const refuse = (route) => route.abort('connectionrefused');
  await page.route('**/api/v1/**', refuse);
  await page.reload();
  await page.waitForSelector('#health[data-state="error"]');
  assert(/^Server tidak dapat diperiksa: server tidak dapat dihubungi/.test(await page.textContent('#health')),
    'outage sentence: ' + await page.textContent('#health'));
  assert(/^Daftar ujian tidak dapat dimuat/.test(await page.textContent('#exams-message')), 'exam list error');
  await page.waitForSelector('#retry:visible');
  await page.unroute('**/api/v1/**', refuse);
  await page.click('#retry');
  await page.waitForSelector('#health[data-state="ok"]');
  await page.waitForSelector('#retry', { state: 'hidden' });
  // The exam's link opens the candidate login with the exam chosen.
  await page.click('#exams tbody a');
  await page.waitForSelector('#screen-login:visible');
  assertEqual(await page.inputValue('#login-exam'), 'E2E', 'exam preset from the link');
});

worldTest('login errors: each is a clear Indonesian sentence; the sitting token field', { token: 'MERAH7' }, async (w) => {
  const page = await newPage(browser);
  // Without ?exam= the open exams are listed from the server.
  await page.goto(`${w.url}/candidate/`);
  await page.waitForSelector('#login-exam option[value="E2E"]', { state: 'attached' });
  assertEqual(await page.$$eval('#login-exam option', (os) => os.map((o) => o.value).filter(Boolean)),
    ['E2E'], 'open exams in the list');
  await page.selectOption('#login-exam', 'E2E');
  // The exam needs a sitting token: the field is shown for it.
  await page.waitForSelector('#login-token-field:visible');
  // Submit the form; unless the form itself refuses (sent = false), wait for
  // the server's reply so that repeated identical messages are each new.
  const attempt = async (regno, password, token, want, sent = true) => {
    await page.fill('#login-regno', regno);
    await page.fill('#login-password', password);
    await page.fill('#login-token', token);
    if (sent) {
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/candidate/login')),
        page.click('#login-submit'),
      ]);
    } else {
      await page.click('#login-submit');
    }
    await waitUntil(async () => (await page.textContent('#login-error')) === want, 5000 * SLOW,
      `login error "${want}"`);
    assert(await visible(page, '#screen-login'), 'still on the login screen');
  };
  await attempt('P001', 'salah-sekali', 'MERAH7',
    'Nomor peserta, kata sandi, atau ujian tidak cocok. Periksa kartu ujian Anda.');
  await attempt('P001', w.passwords.P001, 'BIRU', 'Token sesi salah. Periksa kembali token yang dibacakan pengawas.');
  // An empty token is caught before sending, and the token field gets focus.
  await attempt('P001', w.passwords.P001, '', 'Isi token sesi yang dibacakan pengawas.', false);
  assertEqual(await page.evaluate(() => document.activeElement.id), 'login-token', 'focus on the token');
  // Six wrong passwords are answered as such (the limit is "more than 5"),
  // the seventh attempt gets the rate-limit sentence (the server's 429).
  for (let i = 0; i < 6; i++) {
    await attempt('P002', 'salah-' + i, 'MERAH7',
      'Nomor peserta, kata sandi, atau ujian tidak cocok. Periksa kartu ujian Anda.');
  }
  await attempt('P002', 'salah-lagi', 'MERAH7',
    'Terlalu banyak percobaan masuk yang gagal. Tunggu beberapa menit, lalu coba lagi, atau hubungi pengawas.');
  // The right credentials and token get in.
  await page.fill('#login-regno', 'P001');
  await page.fill('#login-password', w.passwords.P001);
  await page.fill('#login-token', 'MERAH7');
  await page.click('#login-submit');
  await page.waitForSelector('#screen-ready:visible');
});

worldTest('the grid tells states apart without colour: marks, border style, words', async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  await page.click('#options [data-label="A"]'); // 1: answered
  await gotoQuestion(page, 2);
  await page.click('#flag-toggle'); // 2: ragu-ragu, no answer
  await gotoQuestion(page, 3);
  await page.click('#options [data-label="B"]');
  await page.click('#flag-toggle'); // 3: answered and ragu-ragu, current
  await waitUntil(async () => (await page.getAttribute('#nav-grid [data-n="3"]', 'data-saved')) === 'true' &&
    (await page.getAttribute('#nav-grid [data-n="3"]', 'data-state')) === 'flagged', 5000 * SLOW, 'q3 saved');
  const look = (n) => page.$eval(`#nav-grid [data-n="${n}"]`, (b) => {
    const m = b.querySelector('.nav-mark');
    const st = getComputedStyle(b);
    return {
      marks: getComputedStyle(m, '::before').content + getComputedStyle(m, '::after').content,
      border: st.borderTopStyle,
      outline: st.outlineStyle,
      label: b.getAttribute('aria-label'),
    };
  });
  const [q1, q2, q3, q4] = [await look(1), await look(2), await look(3), await look(4)];
  assertEqual(q1.marks, '"✓"none', 'answered mark');
  assertEqual(q2.marks, 'none"R"', 'ragu-ragu mark');
  assertEqual(q3.marks, '"✓""R"', 'answered + ragu-ragu marks');
  assertEqual(q4.marks, 'nonenone', 'unanswered: no mark');
  assertEqual([q1.border, q2.border, q4.border], ['solid', 'dashed', 'solid'], 'ragu-ragu border is dashed');
  assert(q3.outline !== 'none' && q1.outline === 'none', 'only the current question is outlined');
  assertEqual([q1.label, q2.label, q3.label, q4.label], [
    'Soal 1, dijawab', 'Soal 2, belum dijawab, ragu-ragu', 'Soal 3, dijawab, ragu-ragu, soal saat ini',
    'Soal 4, belum dijawab'], 'spoken labels');
});

worldTest('figure items scale and enlarge; text size and high contrast stay after a reload', { draw: 5 }, async (w) => {
  // every item drawn: TIU-1 has the figures
  const page = await newPage(browser, { viewport: { width: 375, height: 740 } });
  await login(page, w, 'P001');
  let q = await current(page);
  for (let n = 2; q.id !== 'TIU-1'; n++) {
    await gotoQuestion(page, n);
    q = await current(page);
  }
  // The figure loads through the plain <img> (cookie) and fits the width.
  await waitUntil(() => page.$eval('#question .question-image', (i) => i.complete && i.naturalWidth > 0),
    5000 * SLOW, 'question image loaded');
  const fit = await page.$eval('#question .question-image', (i) =>
    [i.getBoundingClientRect().width, document.getElementById('question').clientWidth]);
  assert(fit[0] > 0 && fit[0] <= fit[1], `image ${fit[0]}px in a ${fit[1]}px question`);
  assertEqual(await page.$$eval('#options .option-image', (is) => is.length), 1, 'one option image');
  // Enlarged in a dialog; Escape closes it and focus returns to the image button.
  await page.click('#question .zoom-image');
  await page.waitForSelector('#image-dialog:visible');
  await waitUntil(() => page.$eval('#image-dialog-img', (i) => i.complete && i.naturalWidth > 0),
    5000 * SLOW, 'enlarged image loaded');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#image-dialog', { state: 'hidden' });
  assertEqual(await page.evaluate(() => document.activeElement.className), 'zoom-image', 'focus back');
  // Text size two steps up and high contrast, kept after a reload.
  const rootPx = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const before = await rootPx();
  await page.click('#font-larger');
  await page.click('#font-larger');
  await page.click('#contrast-toggle');
  const after = await rootPx();
  assert(after > before, `text larger: ${before}px -> ${after}px`);
  const look = () => page.evaluate(() => ({
    bg: getComputedStyle(document.body).backgroundColor,
    pressed: document.getElementById('contrast-toggle').getAttribute('aria-pressed'),
  }));
  assertEqual(await look(), { bg: 'rgb(0, 0, 0)', pressed: 'true' }, 'high contrast on');
  await page.reload();
  await page.waitForSelector('#screen-exam:visible');
  assertEqual(await rootPx(), after, 'text size after reload');
  assertEqual(await look(), { bg: 'rgb(0, 0, 0)', pressed: 'true' }, 'high contrast after reload');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `no sideways scrolling at 375px with large text: ${overflow}px`);
});

worldTest('english can be chosen and hidden scores show a confirmation only', { showScore: false }, async (w) => {
  const page = await newPage(browser);
  await login(page, w, 'P001');
  await page.click('#finish-button');
  await page.click('#finish-confirm');
  await page.waitForSelector('#screen-result:visible');
  assert(await visible(page, '#result-recorded'), 'recorded message');
  assertEqual(await page.locator('#result-total').count() === 0 ||
    !(await visible(page, '#result-total')), true, 'no total shown');
  assertEqual(await page.getAttribute('html', 'lang'), 'id', 'Indonesian by default');
  await page.click('[data-lang="en"]');
  await waitUntil(async () => (await page.getAttribute('html', 'lang')) === 'en', 3000, 'english');
});

browser = await launch();
let code = 1;
try {
  code = await run();
} finally {
  await browser.close();
}
process.exit(code);
