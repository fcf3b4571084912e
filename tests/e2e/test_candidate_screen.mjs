// test_candidate_screen.mjs - issue 13, the candidate screen after the field
// trial, in a real Chromium against the real server: navigation in reach and
// the whole grid in view (by element geometry at 1366×768, 1024×768 and
// 390×844, on the shipped SKD sample paper of 110 questions with figure and
// long TKP items), figure items that stay figural, focus boxes only for the
// keyboard, the state of an unanswered question, the replaced session,
// thresholds and the zone on the result, warnings only on crossing a mark,
// the login that finds the exam, the phone front page and the English
// marker, `make run` on another port and `make screenshots`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  World, newPage, waitUntil, worldTest, test, runInBrowser, assert, assertEqual, ujian, TOP, SLOW,
} from './harness.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SAMPLE = join(TOP, 'question-bank', 'skd-sample');
const WIDE = [{ width: 1366, height: 768 }, { width: 1024, height: 768 }];
const PHONE = { width: 390, height: 844 };

let browser;

// A World on the shipped SKD sample: bank, the demo exam (with changes) and
// the demo candidates (2026000001 … with passwords demo0001 …).
function sampleWorld(examChanges = {}) {
  const w = Object.create(World.prototype);
  w.dir = mkdtempSync(join(tmpdir(), 'ujian-e2e-cs-'));
  w.db = join(w.dir, 's.db');
  w.proc = null;
  w.port = 0;
  ujian('init', '--db', w.db);
  ujian('bank', 'import', '--db', w.db, join(SAMPLE, 'bank.json'));
  const exam = Object.assign(JSON.parse(readFileSync(join(SAMPLE, 'exam-skd-demo.json'), 'utf8')), examChanges);
  writeFileSync(join(w.dir, 'exam.json'), JSON.stringify(exam));
  ujian('exam', 'create', '--db', w.db, join(w.dir, 'exam.json'));
  ujian('candidates', 'import', '--db', w.db, '--exam', 'SKD-DEMO', join(SAMPLE, 'candidates-demo.csv'));
  w.passwords = {};
  for (let i = 1; i <= 50; i++) w.passwords['2026' + String(i).padStart(6, '0')] = 'demo' + String(i).padStart(4, '0');
  return w;
}

function sampleTest(name, examChanges, fn) {
  test(name, async () => {
    const w = await sampleWorld(examChanges).start();
    try {
      await fn(w);
    } finally {
      await w.close();
    }
  });
}

async function login(page, w, exam, regno, { start = true } = {}) {
  await page.goto(`${w.url}/candidate/?exam=${exam}`);
  await page.fill('#login-regno', regno);
  await page.fill('#login-password', w.passwords[regno]);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-ready:visible, #screen-exam:visible');
  if (start && await page.locator('#screen-ready').isVisible()) await page.click('#start-button');
  if (start) await page.waitForSelector('#screen-exam:visible');
}

const currentN = (page) => page.getAttribute('#nav-grid [aria-current="true"]', 'data-n').then(Number);

async function go(page, n) {
  await page.click(`#nav-grid [data-n="${n}"]`);
  await waitUntil(async () => (await currentN(page)) === n, 5000, `question ${n}`);
}

// The first question of the TIU section whose options are pictures.
async function figureItem(page) {
  for (let n = 31; n <= 65; n++) {
    await go(page, n);
    if (await page.locator('#options .option-image').count()) {
      await page.waitForFunction(() => [...document.querySelectorAll('#question img')].every((i) => i.complete && i.naturalWidth > 0));
      return n;
    }
  }
  throw new Error('no figure item on the paper');
}

// The TKP question with the longest text and options.
async function longTkpItem(page) {
  const lengths = await page.evaluate(async () => {
    const r = await fetch('/api/v1/attempt', { headers: { Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('ujian.candidate.session')).token } });
    const p = await r.json();
    return p.questions.filter((q) => q.section === 'TKP')
      .map((q) => [q.n, q.text.length + q.options.reduce((a, o) => a + o.text.length, 0)]);
  });
  lengths.sort((a, b) => b[1] - a[1]);
  await go(page, lengths[0][0]);
  return lengths[0][0];
}

const rect = (page, sel) => page.evaluate((s) => {
  const r = document.querySelector(s).getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
}, sel);

async function inViewport(page, sel, what) {
  const r = await rect(page, sel);
  const vh = page.viewportSize().height;
  assert(r.height > 0 && r.top >= 0 && r.bottom <= vh + 0.5, `${what}: ${sel} at ${Math.round(r.top)}–${Math.round(r.bottom)} in a ${vh}px viewport`);
}

async function axeScan(page, where) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on ${where}`);
}

// Words of the elements matching sel that are split over two lines.
function brokenWords(page, sel) {
  return page.evaluate((s) => {
    const out = [];
    for (const el of document.querySelectorAll(s)) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const re = /\S+/g;
        let m;
        while ((m = re.exec(n.data))) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          // One word on two lines: boxes at different heights.
          const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  }, sel);
}

async function noSideways(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 1, `${where}: the page scrolls sideways by ${overflow}px`);
}

// ---------------------------------------------------------------------------
// 1, 2: navigation in reach, the whole grid in view.

sampleTest('wide screens: the whole grid of 110 with legend and counts in view, ten to a row, targets of 24 px or more', {}, async (w) => {
  // 2026000047 and 2026000011: the longest names of the demo candidates,
  // which must not make the header taller.
  const regnos = ['2026000047', '2026000011'];
  for (const viewport of WIDE) {
    const page = await newPage(browser, { viewport });
    await login(page, w, 'SKD-DEMO', regnos.shift());
    const top = await rect(page, '#topbar');
    assert(top.height < 80, `${viewport.width}px: the header is ${top.height}px high`);
    const g = await page.evaluate(() => {
      const body = document.getElementById('nav-body');
      const items = [...document.querySelectorAll('#nav-grid .nav-item')].map((b) => b.getBoundingClientRect());
      const firstRow = items.slice(0, 12).filter((r) => Math.abs(r.top - items[0].top) < 1).length;
      const ranges = [...document.querySelectorAll('.nav-section-range')].map((e) => [e.textContent, e.getClientRects().length]);
      return {
        n: items.length, firstRow, ranges,
        scrolls: body.scrollHeight > body.clientHeight + 1,
        lowest: Math.max(...items.map((r) => r.bottom)),
        smallest: Math.min(...items.map((r) => Math.min(r.width, r.height))),
        legend: document.querySelector('.legend').getBoundingClientRect().bottom,
        summary: document.getElementById('nav-summary').getBoundingClientRect().top,
        finish: document.getElementById('finish-button').getBoundingClientRect().bottom,
      };
    });
    const where = `${viewport.width}×${viewport.height}`;
    assertEqual(g.n, 110, 'grid buttons');
    assert(!g.scrolls, `${where}: the grid scrolls inside its box`);
    assertEqual(g.firstRow, 10, `${where}: numbers in the grid's first row`);
    assert(g.smallest >= 24, `${where}: a grid button is ${g.smallest}px (under 24px)`);
    assert(g.lowest <= viewport.height && g.legend <= viewport.height && g.finish <= viewport.height,
      `${where}: grid ${g.lowest}, legend ${g.legend}, finish ${g.finish} below the fold`);
    assert(g.summary >= 0, `${where}: counts above the top`);
    assertEqual(g.ranges.length, 3, 'three section headings with their ranges');
    for (const [text, lines] of g.ranges) assertEqual(lines, 1, `${where}: "${text}" broken over lines`);
    await noSideways(page, where);
    await page.close();
  }
});

sampleTest('navigation in reach: figure and long TKP items keep Sebelumnya / Ragu-ragu / Berikutnya in view', {}, async (w) => {
  let k = 1;
  for (const viewport of [...WIDE, PHONE]) {
    const page = await newPage(browser, { viewport });
    await login(page, w, 'SKD-DEMO', '20260000' + String(20 + k++));
    const where = `${viewport.width}×${viewport.height}`;
    const n = await figureItem(page);
    for (const sel of ['#prev-button', '#flag-toggle', '#next-button']) await inViewport(page, sel, `${where} figure item ${n}`);
    if (viewport.width >= 1024) {
      // Wide: the whole figure item (question, figure, every option) fits
      // above the bar without scrolling.
      const col = await page.evaluate(() => {
        const c = document.querySelector('.question-col');
        return { scroll: c.scrollHeight - c.clientHeight, page: document.documentElement.scrollHeight - window.innerHeight };
      });
      assert(col.scroll <= 1 && col.page <= 1, `${where}: figure item ${n} needs scrolling (${JSON.stringify(col)})`);
      const last = await rect(page, '#options .option:last-child');
      const bar = await rect(page, '.question-bar');
      assert(last.bottom <= bar.top + 0.5, `${where}: the last option (${last.bottom}) runs under the bar (${bar.top})`);
    } else {
      // Phone: the page scrolls; the bar stays at the foot of the screen.
      await page.evaluate(() => window.scrollTo(0, document.querySelector('#options').getBoundingClientRect().top + window.scrollY - 100));
      await inViewport(page, '#next-button', `${where} figure item scrolled`);
      await noSideways(page, where);
    }
    const t = await longTkpItem(page);
    for (const sel of ['#prev-button', '#flag-toggle', '#next-button']) await inViewport(page, sel, `${where} TKP item ${t}`);
    // The bar works from there (backwards from the last question).
    const last = t === 110;
    await page.click(last ? '#prev-button' : '#next-button');
    await waitUntil(async () => (await currentN(page)) === (last ? t - 1 : t + 1), 5000, 'the next question');
    await page.close();
  }
});

// ---------------------------------------------------------------------------
// 3: figure items stay figural.

sampleTest('figure items: the description is for assistive technology, shown only in the accessibility mode', {}, async (w) => {
  const page = await newPage(browser, { viewport: WIDE[0] });
  await login(page, w, 'SKD-DEMO', '2026000031');
  // Find a figure item whose text carries a description.
  let n = null;
  for (let k = 31; k <= 65 && n === null; k++) {
    await go(page, k);
    if (await page.locator('#question-images img').count() && (await page.textContent('#figure-desc')).length > 20) n = k;
  }
  assert(n !== null, 'a figure item with a description');
  const look = () => page.evaluate(() => {
    const desc = document.getElementById('figure-desc');
    const caps = [...document.querySelectorAll('#options .option-caption')];
    return {
      text: document.getElementById('question-text').textContent,
      desc: desc.textContent,
      descWidth: desc.getBoundingClientRect().width,
      describedBy: [...document.querySelectorAll('#question-images img')].map((i) => i.getAttribute('aria-describedby')),
      capWidths: caps.map((c) => c.getBoundingClientRect().width),
      optionText: [...document.querySelectorAll('#options [role="radio"]')].map((o) => o.textContent.trim().length),
      pressed: document.getElementById('describe-toggle').getAttribute('aria-pressed'),
    };
  });
  const a = await look();
  assert(!/keterangan gambar/i.test(a.text), `the visible text still has the description: ${a.text}`);
  assert(/^Keterangan gambar:/.test(a.desc), `description element: ${a.desc}`);
  assert(a.descWidth <= 1, `the description is on screen (${a.descWidth}px wide)`);
  assert(a.describedBy.every((x) => x === 'figure-desc'), `images described by ${a.describedBy}`);
  const withPictures = await page.locator('#options .option-image').count();
  if (withPictures) {
    assert(a.capWidths.length === withPictures && a.capWidths.every((x) => x <= 1), `option captions on screen: ${a.capWidths}`);
    assert(a.optionText.every((x) => x > 2), 'the captions stay in the options for screen readers');
  }
  await axeScan(page, 'a figure item');
  // The accessibility mode shows both, and stays after a reload.
  await page.click('#describe-toggle');
  const b = await look();
  assertEqual(b.pressed, 'true', 'mode pressed');
  assert(b.descWidth > 200, `description shown in the mode (${b.descWidth}px)`);
  if (withPictures) assert(b.capWidths.every((x) => x > 20), `captions shown in the mode: ${b.capWidths}`);
  await page.reload();
  await page.waitForSelector('#screen-exam:visible');
  assert((await look()).descWidth > 200, 'the mode kept after a reload');
  await axeScan(page, 'a figure item in the accessibility mode');
});

sampleTest('an exam that turns the accessibility mode on shows descriptions to all its candidates', { describe_figures: true }, async (w) => {
  const page = await newPage(browser, { viewport: WIDE[1] });
  await login(page, w, 'SKD-DEMO', '2026000032');
  let n = null;
  for (let k = 31; k <= 65 && n === null; k++) {
    await go(page, k);
    if ((await page.textContent('#figure-desc')).length > 20) n = k;
  }
  assert(n !== null, 'a figure item with a description');
  const d = await rect(page, '#figure-desc');
  assert(d.width > 200, `the description is shown (${d.width}px)`);
  assertEqual(await page.getAttribute('#describe-toggle', 'aria-pressed'), 'true', 'the mode shows as on');
  assertEqual(await page.getAttribute('#describe-toggle', 'aria-disabled'), 'true', 'and cannot be turned off');
  await page.click('#describe-toggle', { force: true }); // aria-disabled: Playwright would wait
  assert((await rect(page, '#figure-desc')).width > 200, 'still shown after a click');
  await axeScan(page, 'an exam in the accessibility mode');
});

// ---------------------------------------------------------------------------
// 4, 5: focus boxes for the keyboard only; the state of an unanswered question.

worldTest('focus boxes only for the keyboard; an unanswered question says "Belum dijawab"', async (w) => {
  const page = await newPage(browser);
  const outline = (sel) => page.evaluate((s) => {
    const el = document.querySelector(s);
    return { focused: document.activeElement === el, style: getComputedStyle(el).outlineStyle };
  }, sel);
  await page.goto(`${w.url}/candidate/?exam=E2E`);
  await page.fill('#login-regno', 'P001');
  await page.fill('#login-password', w.passwords.P001);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-ready:visible');
  assertEqual(await outline('#ready-heading'), { focused: true, style: 'none' }, '"Siap memulai ujian" after a click');
  await page.click('#start-button');
  await page.waitForSelector('#screen-exam:visible');
  assertEqual(await outline('#question-number'), { focused: true, style: 'none' }, '"Soal 1 dari 9" after a click');
  // 5: never answered: not "Tersimpan".
  assertEqual(await page.getAttribute('#save-status', 'data-status'), 'empty', 'state of an unanswered question');
  assertEqual((await page.textContent('#save-status')).trim(), 'Belum dijawab', 'its words');
  await page.click('#options [data-label="B"]');
  await waitUntil(async () => (await page.getAttribute('#save-status', 'data-status')) === 'saved', 5000, 'saved');
  assertEqual((await page.textContent('#save-status')).trim(), 'Tersimpan', 'an answer saved');
  await page.click('#clear-answer');
  await waitUntil(async () => (await page.getAttribute('#save-status', 'data-status')) === 'empty', 5000, 'cleared');
  assertEqual((await page.textContent('#save-status')).trim(), 'Belum dijawab', 'a cleared answer');
  await page.click('#next-button');
  await waitUntil(async () => (await currentN(page)) === 2, 5000, 'question 2');
  assertEqual((await page.textContent('#save-status')).trim(), 'Belum dijawab', 'question 2, never answered');
  // The keyboard keeps its focus box.
  await page.click('#nav-grid [data-n="3"]');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowRight');
  await waitUntil(async () => (await currentN(page)) === 4, 5000, 'question 4 by keyboard');
  const k = await outline('#question-number');
  assert(k.focused && k.style !== 'none', `keyboard focus on the heading drawn: ${JSON.stringify(k)}`);
  // The result's heading after a click.
  await page.click('#finish-button');
  await page.click('#finish-confirm');
  await page.waitForSelector('#screen-result:visible');
  assertEqual(await outline('#result-heading'), { focused: true, style: 'none' }, '"Ujian selesai" after a click');
});

// ---------------------------------------------------------------------------
// 6: a replaced session.

worldTest('a session replaced by a login on another PC switches to a state with only the way back to login', async (w) => {
  for (const viewport of [WIDE[1], PHONE]) {
    const regno = viewport === PHONE ? 'P002' : 'P001';
    const first = await newPage(browser, { viewport });
    await login(first, w, 'E2E', regno);
    await first.click('#options [data-label="A"]');
    await waitUntil(async () => (await first.getAttribute('#save-status', 'data-status')) === 'saved', 5000, 'saved');
    const second = await newPage(browser, { viewport });
    await login(second, w, 'E2E', regno);
    // Without touching the first screen: its next clock sync (4 s) notices.
    await first.waitForSelector('#screen-replaced:visible', { timeout: 12000 * SLOW });
    const s = await first.evaluate(() => {
      const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const focusable = [...document.querySelectorAll('main button, main a[href], main input, main select, main [tabindex="0"], main [role="radio"]')]
        .filter(shown).map((e) => e.id || e.textContent.trim());
      return {
        exam: shown(document.getElementById('screen-exam')),
        status: shown(document.getElementById('status-area')),
        heading: document.getElementById('replaced-heading').textContent,
        focused: document.activeElement && document.activeElement.id,
        focusable,
      };
    });
    assertEqual(s.exam, false, 'the exam is gone');
    assertEqual(s.status, false, 'no "Terhubung" indicator');
    assertEqual(s.heading, 'Sesi ini digantikan oleh login di komputer lain', 'the heading');
    assertEqual(s.focused, 'replaced-heading', 'focus on the heading');
    assertEqual(s.focusable, ['replaced-login'], 'nothing to click in the page but the way back to login');
    await axeScan(first, `the replaced state (${viewport.width}px)`);
    await noSideways(first, 'the replaced state');
    await first.click('#replaced-login');
    await first.waitForSelector('#screen-login:visible');
    assertEqual(await first.inputValue('#login-regno'), regno, 'number kept for the login');
    // The second PC carries on with the answer.
    assertEqual(await second.getAttribute('#options [data-label="A"]', 'aria-checked'), 'true', 'answer on the second PC');
    await first.close();
    await second.close();
  }
});

// ---------------------------------------------------------------------------
// 7: thresholds and the zone on the result.

worldTest('the result shows each section\'s threshold met or not, no overall verdict, and the time with its zone', async (w) => {
  // E2E: every candidate on track umum, 5 points needed per section.
  const page = await newPage(browser, { viewport: WIDE[1] });
  await login(page, w, 'E2E', 'P001');
  // Answer nothing right in TWK, something in the others: no way to know the
  // keys here, so the test reads what the server says and compares.
  await page.click('#options [data-label="A"]');
  await page.click('#finish-button');
  const reply = page.waitForResponse((r) => r.url().endsWith('/api/v1/attempt/finish'));
  await page.click('#finish-confirm');
  const res = await (await reply).json();
  await page.waitForSelector('#screen-result:visible');
  const rows = await page.$$eval('#result-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.section, tr.querySelector('.threshold-col').textContent]));
  assertEqual(rows.length, 3, 'three sections');
  for (const s of res.sections) {
    const row = rows.find((r) => r[0] === s.code);
    assertEqual(row[1], `≥ ${s.threshold} ${s.met ? 'Memenuhi' : 'Tidak memenuhi'}`, `threshold of ${s.code}`);
  }
  assert(await page.locator('th.threshold-col').isVisible(), 'the thresholds column heading');
  const body = await page.textContent('#screen-result');
  assert(!/lulus|tidak lulus|passed/i.test(body), 'no overall verdict on the screen');
  const when = await page.textContent('#result-finished-at');
  assert(/ WIB$/.test(when), `finish time names the zone: ${when}`);
  const d = new Date(res.finished_at);
  const wib = new Date(d.getTime() + 7 * 3600000);
  const hm = String(wib.getUTCHours()).padStart(2, '0') + '.' + String(wib.getUTCMinutes()).padStart(2, '0');
  assert(when.includes(hm), `finish time ${when} is WIB (${hm})`);
  await axeScan(page, 'the result with thresholds');
  // On a phone: no sideways scrolling, no word cut in two.
  await page.setViewportSize(PHONE);
  await noSideways(page, 'the result with thresholds at 390');
  assertEqual(await brokenWords(page, '#screen-result'), [], 'words broken over two lines on the result');
  // English.
  await page.click('.lang-toggle [data-lang="en"]');
  assert((await page.textContent('#result-table thead')).includes('Passing threshold'), 'English heading');
});

sampleTest('a WITA exam names WITA on the result; show_thresholds off hides them', { timezone: 'WITA', show_thresholds: false }, async (w) => {
  const page = await newPage(browser, { viewport: PHONE });
  await login(page, w, 'SKD-DEMO', '2026000041');
  await page.click('#finish-button');
  const reply = page.waitForResponse((r) => r.url().endsWith('/api/v1/attempt/finish'));
  await page.click('#finish-confirm');
  const res = await (await reply).json();
  await page.waitForSelector('#screen-result:visible');
  const when = await page.textContent('#result-finished-at');
  const wita = new Date(new Date(res.finished_at).getTime() + 8 * 3600000);
  const hm = String(wita.getUTCHours()).padStart(2, '0') + '.' + String(wita.getUTCMinutes()).padStart(2, '0');
  assert(/ WITA$/.test(when) && when.includes(hm), `finish time in WITA (${hm}): ${when}`);
  assertEqual(await page.locator('th.threshold-col').isVisible(), false, 'no thresholds column');
  await noSideways(page, 'result at 390');
});

worldTest('the exam settings page sets show_thresholds and describe_figures', async (w) => {
  const password = 'sandi-admin-panjang';
  execFileSync(process.env.UJIAN_BIN || join(TOP, 'build', 'ujian'),
    ['staff', 'add', '--db', w.db, '--username', 'admin', '--role', 'admin', '--password-stdin'],
    { input: password + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
  const page = await newPage(browser, { viewport: WIDE[0] });
  await page.goto(`${w.url}/admin/#/ujian/E2E/ubah`);
  await page.fill('#login-username', 'admin');
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#edit-show-thresholds');
  assertEqual(await page.isChecked('#edit-show-thresholds'), true, 'thresholds shown by default');
  assertEqual(await page.isChecked('#edit-describe-figures'), false, 'descriptions off by default');
  await page.uncheck('#edit-show-thresholds');
  await page.check('#edit-describe-figures');
  await page.click('[data-action="exam-save"]');
  await waitUntil(async () => (await page.textContent('#exam-edit-result')).startsWith('Perubahan ujian telah disimpan.'), 10000, 'saved');
  // A candidate's paper and result follow.
  const cand = await newPage(browser, { viewport: WIDE[1] });
  const paper = cand.waitForResponse((r) => r.url().endsWith('/api/v1/attempt/start'));
  await login(cand, w, 'E2E', 'P001');
  assertEqual((await (await paper).json()).describe_figures, true, 'the paper asks for descriptions');
  assertEqual(await cand.getAttribute('#describe-toggle', 'aria-pressed'), 'true', 'the mode on for the candidate');
  await cand.click('#finish-button');
  await cand.click('#finish-confirm');
  await cand.waitForSelector('#screen-result:visible');
  assertEqual(await cand.locator('th.threshold-col').isVisible(), false, 'no thresholds on the result');
});

// ---------------------------------------------------------------------------
// 8: warnings only when crossing a mark.

worldTest('time warnings only on crossing a mark: a short exam starts quietly, then 5 minutes', { duration: 306 }, async (w) => {
  const page = await newPage(browser);
  // Every text the warning box ever shows, from the first moment.
  await page.addInitScript(() => {
    window.__warnings = [];
    new MutationObserver(() => {
      const el = document.getElementById('time-warning-text');
      if (el && el.textContent && window.__warnings[window.__warnings.length - 1] !== el.textContent) window.__warnings.push(el.textContent);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await login(page, w, 'E2E', 'P001');
  // Starts at 5:06, under the 10-minute mark: nothing. The box appears when
  // the 5-minute mark is crossed, about six seconds in.
  await page.waitForSelector('#time-warning:visible', { timeout: 20000 * SLOW });
  await waitUntil(async () => (await page.evaluate(() => window.__warnings)).length > 0, 3000, 'the warning text');
  const seen = await page.evaluate(() => window.__warnings);
  assertEqual(seen, ['Perhatian: sisa waktu 5 menit.'], 'the only warning shown');
  const left = Number(await page.getAttribute('#countdown', 'data-remaining-ms'));
  assert(left <= 300000 && left > 280000, `shown when crossing 5:00 (${left} ms left)`);
});

// ---------------------------------------------------------------------------
// 9: the login finds the exam.

worldTest('several open exams: the login finds the candidate\'s exam; a wrong pick says to check it', async (w) => {
  // A second open exam on the same bank, with other candidates.
  const exam = { code: 'E2F', title: 'Ujian Kedua', bank: 'E2E', duration_s: 3600, sections: ['TWK', 'TIU', 'TKP'].map((code) => ({ code, draw: 2 })) };
  writeFileSync(join(w.dir, 'e2f.json'), JSON.stringify(exam));
  ujian('exam', 'create', '--db', w.db, join(w.dir, 'e2f.json'));
  writeFileSync(join(w.dir, 'f.csv'), 'registration_no,name,password\nF001,Peserta Kedua,sandi-F001-rahasia\n');
  ujian('candidates', 'import', '--db', w.db, '--exam', 'E2F', join(w.dir, 'f.csv'));
  await waitUntil(async () => (await (await fetch(`${w.url}/api/v1/exams/open`)).json()).length === 2, 5000, 'two open exams');
  const page = await newPage(browser);
  await page.goto(`${w.url}/candidate/`);
  await waitUntil(async () => (await page.$$('#login-exam option')).length === 3, 5000, 'the chooser');
  assertEqual(await page.inputValue('#login-exam'), '', 'nothing picked');
  assertEqual((await page.textContent('#login-exam option[value=""]')).trim(), 'Otomatis (menurut nomor peserta)', 'the automatic entry');
  // A wrong pick: the message says to check the exam.
  await page.selectOption('#login-exam', 'E2F');
  await page.fill('#login-regno', 'P001');
  await page.fill('#login-password', w.passwords.P001);
  await page.click('#login-submit');
  await waitUntil(async () => (await page.textContent('#login-error')).includes('Periksa juga pilihan ujian'), 5000, 'the hint');
  // Automatic: the server finds E2E.
  await page.selectOption('#login-exam', '');
  await page.fill('#login-password', w.passwords.P001);
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/candidate/login'));
  await page.click('#login-submit');
  assert(!('exam' in JSON.parse((await sent).postData())), 'no exam sent');
  await page.waitForSelector('#screen-ready:visible');
  assertEqual(await page.textContent('#ready-exam'), 'Ujian Uji Peramban', 'the exam found');
  await page.click('#start-button');
  await page.waitForSelector('#screen-exam:visible');
  // An unknown number reads like any wrong login.
  const other = await newPage(browser);
  await other.goto(`${w.url}/candidate/`);
  await waitUntil(async () => (await other.$$('#login-exam option')).length === 3, 5000, 'the chooser');
  await other.fill('#login-regno', 'TIDAKADA');
  await other.fill('#login-password', 'apa-saja-123');
  await other.click('#login-submit');
  await waitUntil(async () => (await other.textContent('#login-error')).length > 0, 5000, 'the error');
  assert((await other.textContent('#login-error')).startsWith('Nomor peserta, kata sandi, atau ujian tidak cocok'), 'the usual sentence');
  assert(!(await other.textContent('#login-error')).includes('Periksa juga pilihan ujian'), 'no exam hint without a pick');
});

// ---------------------------------------------------------------------------
// 10: the phone front page, labels and the English marker.

worldTest('phone front page: no word broken inside; the contrast button has a word; English marks unsure with U', async (w) => {
  const page = await newPage(browser, { viewport: PHONE });
  await page.goto(`${w.url}/`);
  await page.waitForSelector('#exams:visible');
  assertEqual(await brokenWords(page, '#exams'), [], 'words broken over two lines');
  const caption = await rect(page, '#exams caption');
  assert(caption.height < 60, `the caption squeezed into ${caption.height}px`);
  await noSideways(page, 'front page at 390');
  await axeScan(page, 'the front page at 390');
  // The candidate page: the contrast button says "Kontras" on a phone.
  await login(page, w, 'E2E', 'P001');
  const c = await page.evaluate(() => {
    const b = document.getElementById('contrast-toggle');
    return { text: b.innerText.replace(/\s+/g, ' ').trim(), name: b.getAttribute('aria-label') };
  });
  assertEqual(c.text, '◐ Kontras', 'visible label of the contrast button');
  assertEqual(c.name, 'Kontras tinggi', 'its name');
  const d = await page.evaluate(() => document.getElementById('describe-toggle').innerText.replace(/\s+/g, ' ').trim());
  assert(/Keterangan/.test(d), `the accessibility mode button has a word: ${d}`);
  await noSideways(page, 'exam at 390');
  // English: "U" for unsure, in the button, the grid and the legend.
  await page.click('.lang-toggle [data-lang="en"]');
  await page.click('#flag-toggle');
  await page.waitForSelector('#nav-grid [data-n="1"][data-state="flagged"][data-saved="true"]');
  await page.setViewportSize(WIDE[1]);
  const marks = await page.evaluate(() => ({
    button: document.querySelector('#flag-toggle .flag-icon').textContent,
    grid: getComputedStyle(document.querySelector('#nav-grid [data-n="1"] .nav-mark'), '::after').content,
    legend: getComputedStyle(document.querySelector('.legend-key[data-state="flagged"]'), '::after').content,
  }));
  assertEqual(marks, { button: 'U', grid: '"U"', legend: '"U"' }, 'the unsure marker in English');
  await page.click('.lang-toggle [data-lang="id"]');
  assertEqual(await page.textContent('#flag-toggle .flag-icon'), 'R', 'R again in Indonesian');
});

// ---------------------------------------------------------------------------
// 11: make run on another port; make screenshots writes every README image.

test('make run takes LISTEN= or PORT=; make screenshots writes every image the README shows', async () => {
  const dry = (...vars) => execFileSync('make', ['-s', '-n', '-C', TOP, 'run', ...vars], { encoding: 'utf8' });
  const line = (out) => out.split('\n').find((l) => l.includes(' demo '));
  assert(/--listen 127\.0\.0\.1:8080\b/.test(line(dry())), `default: ${line(dry())}`);
  assert(/--listen 127\.0\.0\.1:9090\b/.test(line(dry('LISTEN=127.0.0.1:9090'))), 'LISTEN=');
  assert(/--listen 127\.0\.0\.1:9191\b/.test(line(dry('PORT=9191'))), 'PORT=');
  assert(/--listen 0\.0\.0\.0:9292\b/.test(line(dry('LISTEN=0.0.0.0:9292'))), 'LISTEN= with another address');
  const readme = readFileSync(join(TOP, 'README.md'), 'utf8');
  assert(/make run LISTEN=/.test(readme) && /PORT=/.test(readme), 'the README says how');
  // Every image the README shows is named by a screenshot script that
  // `make screenshots` runs.
  const scripts = readdirSync(join(TOP, 'tests', 'e2e')).filter((f) => /^(screenshots.*|shots_.*)\.mjs$/.test(f))
    .map((f) => readFileSync(join(TOP, 'tests', 'e2e', f), 'utf8')).join('\n');
  const images = [...readme.matchAll(/docs\/screenshots\/([\w.-]+\.png)/g)].map((m) => m[1]);
  assert(images.includes('landing.png'), 'the README shows landing.png');
  const named = (img) => {
    const base = img.replace(/\.png$/, '');
    if (scripts.includes(`'${img}'`) || scripts.includes(`'${base}'`)) return true;
    // admin-PAGE-WIDTH.png, proctor-…: written as `${prefix}-${name}-${w}.png`
    const m = /^(admin|proctor|board|candidate|committee)-(.+?)(?:-(\d+|print))?$/.exec(base);
    return !!m && (scripts.includes(`'${m[2]}'`) || scripts.includes('`' + m[1] + '-${'));
  };
  const missing = images.filter((i) => !named(i));
  assertEqual(missing, [], 'README images no screenshot script writes');
});

runInBrowser((b) => { browser = b; });
