// screenshots_analysis.mjs - screenshots of the item and test analysis
// pages (issue 14) at 1366x768, 1024x768 and 390x844 (Asia/Jakarta): the
// admin web's bank view with the statistics and flags ('analysis'), the
// flagged items with an option table open ('analysis-options'), the Rasch
// calibrations ('calibration'), and the committee's test report
// ('analysis', 'analysis-dist'), plus its A4 print emulation
// (committee-analysis-print.png; --pdf writes committee-analysis.pdf).
//
// By default against the fake server (fake_committee_server.mjs +
// fake_analysis.mjs: planted problem items of every kind, pass thresholds
// on every section, a calibration — the demo's talent exam has no pass
// rules, so its report would show no threshold line); --demo runs against
// `ujian demo` (a fresh demo database, its admin and pansel accounts, the
// talent exam TALENTA-DEMO and its bank) when the server has the analysis
// and calibration routes. --out DIR (default docs/screenshots). Run by
// `make screenshots` (screenshots.mjs).

import { join } from 'node:path';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TOP, UJIAN, launch } from './harness.mjs';
import { startFake } from './fake_committee_server.mjs';

const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : d;
};
const OUT = arg('--out', join(TOP, 'docs', 'screenshots'));
const SIZES = [[1366, 768], [1024, 768], [390, 844]];
mkdirSync(OUT, { recursive: true });

/** `ujian demo` on a fresh database: {url, admin, pansel (passwords), close()}. */
async function startDemo() {
  const dir = mkdtempSync(join(tmpdir(), 'ujian-analysis-shots-'));
  const proc = spawn(UJIAN, ['demo', '--db', join(dir, 'demo.db'), '--listen', '127.0.0.1:0', '--fresh'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: proc.stdout });
  const pw = {};
  const url = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('ujian demo did not start')), 120000);
    rl.on('line', (l) => {
      const p = /pengguna (\S+)\s+kata sandi (\S+)/.exec(l);
      if (p) pw[p[1]] = p[2];
      const m = /listening on (http:\/\/[^/]+)\//.exec(l);
      if (m) {
        clearTimeout(t);
        res(m[1]);
      }
    });
    proc.once('exit', (c) => rej(new Error('ujian demo exited ' + c)));
  });
  return {
    url, admin: pw.admin, pansel: pw.pansel, exam: 'TALENTA-DEMO',
    close: async () => {
      await new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startFakeTarget() {
  const f = await startFake({});
  return { url: f.url, admin: 'sandi-penulis', adminUser: 'penulis', pansel: 'sandi-pansel', exam: 'TALENTA-DEMO', close: () => f.close() };
}

let real = false;
if (process.argv.includes('--demo')) {
  try {
    const routes = execFileSync(UJIAN, ['routes'], { encoding: 'utf8' });
    real = /\/banks\/\*\/analysis/.test(routes) && /\/banks\/\*\/calibrations/.test(routes) && /\/exams\/\*\/analysis/.test(routes);
  } catch (e) {
    real = false;
  }
}

const written = [];
const errors = [];
let browser;

async function page0(target, user, password, w, hgt) {
  const context = await browser.newContext({ viewport: { width: w, height: hgt }, timezoneId: 'Asia/Jakarta', locale: 'id-ID' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(30000);
  await page.goto(`${target.url}/admin/`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-page:visible');
  return page;
}

async function shot(page, prefix, name, w, full) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  const path = join(OUT, `${prefix}-${name}-${w}.png`);
  await page.screenshot({ path, fullPage: !!full });
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (sideways > 0) console.log(`# sideways scroll ${sideways}px: ${prefix}-${name} at ${w}`);
  written.push(path);
}

async function run(target) {
  const user = target.adminUser || 'admin';
  // The bank behind the exam (the bank route lists the exams it feeds).
  const p0 = await page0(target, user, target.admin, 1366, 768);
  const bank = await p0.evaluate(async (exam) => {
    const banks = (await (await fetch('/api/v1/staff/banks')).json()).banks || [];
    for (const b of banks) {
      const r = await fetch('/api/v1/staff/banks/' + encodeURIComponent(b.code) + '/analysis');
      if (!r.ok) continue;
      const a = await r.json();
      if ((a.exams || []).some((e) => e.code === exam)) return b.code;
    }
    return banks.length ? banks[0].code : null;
  }, target.exam);
  await p0.context().close();
  if (!bank) throw new Error('no bank with an analysis');
  for (const [w, hgt] of SIZES) {
    const page = await page0(target, user, target.admin, w, hgt);
    await page.goto(`${target.url}/admin/#/bank/${encodeURIComponent(bank)}`);
    await page.waitForSelector('.bank-item.with-stats');
    await shot(page, 'admin', 'analysis', w);
    await page.check('#bank-flagged');
    const first = await page.$('.bank-item.flagged');
    if (first) {
      // the flagged item with the most flags, its option table open
      const id = await page.$$eval('.bank-item.flagged', (as) => as.sort((a, b) => b.getAttribute('data-flags').split(' ').length - a.getAttribute('data-flags').split(' ').length)[0].getAttribute('data-item'));
      await page.click(`.bank-item[data-item="${id}"] .opt-details > summary`);
      await page.evaluate((i) => document.querySelector(`.bank-item[data-item="${i}"]`).scrollIntoView(), id);
    }
    await shot(page, 'admin', 'analysis-options', w);
    await page.goto(`${target.url}/admin/#/bank/${encodeURIComponent(bank)}/kalibrasi`);
    await page.waitForSelector('#cal-list table, #cal-list .message');
    if (!(await page.$('#calibrations-table tbody tr'))) {
      // none yet: make one as an author would
      await page.click('[data-action="calibrate"]');
      await page.click('#dialog-confirm');
      await page.waitForSelector('#calibrations-table tbody tr');
    }
    await page.waitForSelector('#cal-chart');
    await shot(page, 'admin', 'calibration', w);
    await page.context().close();
    const c = await page0(target, 'pansel', target.pansel, w, hgt);
    await c.goto(`${target.url}/committee/#/analisis/${encodeURIComponent(target.exam)}`);
    await c.waitForSelector('.dist-svg');
    await shot(c, 'committee', 'analysis', w);
    await c.evaluate(() => document.getElementById('dist-title').scrollIntoView());
    await shot(c, 'committee', 'analysis-dist', w);
    await c.context().close();
  }
  // Print emulation, A4 at 96 dpi.
  const p = await page0(target, 'pansel', target.pansel, 794, 1123);
  await p.goto(`${target.url}/committee/#/analisis/${encodeURIComponent(target.exam)}`);
  await p.waitForSelector('.dist-svg');
  await p.emulateMedia({ media: 'print' });
  const path = join(OUT, 'committee-analysis-print.png');
  await p.screenshot({ path, fullPage: true });
  written.push(path);
  if (process.argv.includes('--pdf')) await p.pdf({ path: join(OUT, 'committee-analysis.pdf'), format: 'A4', preferCSSPageSize: true });
  await p.context().close();
}

browser = await launch();
try {
  let target = real ? await startDemo() : await startFakeTarget();
  console.log('analysis screenshots against', real ? '`ujian demo`' : 'the fake server');
  try {
    await run(target);
  } catch (e) {
    if (!real) throw e;
    console.log('# the demo failed (' + String(e && e.message) + '); the fake server instead');
    await target.close();
    target = await startFakeTarget();
    written.length = 0;
    await run(target);
  } finally {
    await target.close();
  }
  console.log('wrote', written.length, 'analysis screenshots');
  if (errors.length) console.log('# page errors:', errors);
} finally {
  await browser.close();
}
