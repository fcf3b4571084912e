// screenshots_committee.mjs - screenshots of the committee web
// (client-web/committee/) at 1366x768, 1024x768 and 390x844 (Asia/Jakarta):
// results, the announcement, the nine-box grid with a box chosen, the pool
// and succession, an employee's profile, the selections, a vacancy's
// pipeline with the entry form, the two selection print pages, and the print
// emulation (A4) of each print page.
//
// By default against `ujian demo` (a fresh demo database in a temporary
// directory, logged in as its pansel account) when the server has the talent
// and selection routes, else against the fake server
// (fake_committee_server.mjs); --fake forces the fake; or a running server:
// --url http://127.0.0.1:PORT --user pansel --password X. --out DIR (default
// docs/screenshots), --prefix committee, --pdf (a PDF of each print page).

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
const PREFIX = arg('--prefix', 'committee');
const SIZES = [[1366, 768], [1024, 768], [390, 844]];
mkdirSync(OUT, { recursive: true });

/** `ujian demo` on a fresh database: {url, password (pansel's), close()}. */
async function startDemo() {
  const dir = mkdtempSync(join(tmpdir(), 'ujian-committee-shots-'));
  const proc = spawn(UJIAN, ['demo', '--db', join(dir, 'demo.db'), '--listen', '127.0.0.1:0', '--fresh'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: proc.stdout });
  let password = null;
  const url = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('ujian demo did not start')), 120000);
    rl.on('line', (l) => {
      const p = /pengguna pansel\s+kata sandi (\S+)/.exec(l);
      if (p) password = p[1];
      const m = /listening on (http:\/\/[^/]+)\//.exec(l);
      if (m) {
        clearTimeout(t);
        res(m[1]);
      }
    });
    proc.once('exit', (c) => rej(new Error('ujian demo exited ' + c)));
  });
  return {
    url, password,
    close: async () => {
      await new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let real = false;
if (!arg('--url') && !process.argv.includes('--fake')) {
  try {
    const routes = execFileSync(UJIAN, ['routes'], { encoding: 'utf8' });
    real = routes.includes('/talent/periods') && routes.includes('/selections');
  } catch (e) {
    real = false;
  }
}
const demo = real ? await startDemo() : null;
const fake = arg('--url') || demo ? null : await startFake({});
const URL0 = arg('--url', demo ? demo.url : fake && fake.url);
const USER = arg('--user', 'pansel');
const PASSWORD = arg('--password', demo ? demo.password : 'sandi-' + USER);
console.log('committee screenshots against', demo ? '`ujian demo`' : fake ? 'the fake server' : URL0);
const browser = await launch();
const written = [];
const errors = [];

async function page0(w, hgt) {
  const context = await browser.newContext({ viewport: { width: w, height: hgt }, timezoneId: 'Asia/Jakarta', locale: 'id-ID' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(20000);
  await page.goto(`${URL0}/committee/#/hasil`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', USER);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#exam-pick');
  return page;
}

async function shot(page, name, w, full) {
  await page.mouse.move(0, 0);
  const path = join(OUT, `${PREFIX}-${name}-${w}.png`);
  await page.screenshot({ path, fullPage: !!full });
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (sideways > 0) console.log(`# sideways scroll ${sideways}px: ${name} at ${w}`);
  written.push(path);
}

async function go(page, hash, sel) {
  await page.goto(`${URL0}/committee/${hash}`);
  await page.waitForSelector(sel);
}

try {
  const sel = await (async () => {
    const p = await page0(1366, 768);
    const r = await p.evaluate(async () => (await (await fetch('/api/v1/staff/selections')).json()).selections);
    const s = r[0].code;
    const v = await p.evaluate(async (c) => (await (await fetch('/api/v1/staff/selections/' + c)).json()).vacancies[0].code, s);
    const exams = await p.evaluate(async () => (await (await fetch('/api/v1/staff/exams')).json()).exams.map((e) => e.code));
    const nip = await p.evaluate(async () => {
      const ps = (await (await fetch('/api/v1/staff/talent/periods')).json()).periods;
      if (!ps.length) return { period: null, nip: null };
      const open = ps.filter((x) => !x.closed_at)[0] || ps[0];
      const d = await (await fetch('/api/v1/staff/talent/periods/' + open.code)).json();
      const e = d.employees.filter((x) => x.box === 9 && x.prev_box)[0] || d.employees.filter((x) => x.box === 9)[0] || d.employees[0];
      return { period: open.code, nip: e ? e.nip : null };
    });
    await p.context().close();
    return { s, v, exam: exams.indexOf('TALENTA-DEMO') >= 0 ? 'TALENTA-DEMO' : exams[0], period: nip.period, nip: nip.nip };
  })();
  for (const [w, hgt] of SIZES) {
    const page = await page0(w, hgt);
    await go(page, `#/hasil/${sel.exam}`, '#results-table');
    await shot(page, 'results', w);
    await page.evaluate(() => document.getElementById('histograms').scrollIntoView());
    await shot(page, 'results-charts', w);
    await go(page, `#/cetak/pengumuman/${sel.exam}`, '#announce-table');
    await shot(page, 'announce', w);
    if (sel.period) {
    await go(page, `#/talenta/${sel.period}`, '#ninebox [data-box="9"]');
    await page.waitForSelector('#live-badge[data-state="open"]');
    await shot(page, 'talent', w);
    await page.click('#ninebox [data-box="9"]');
    await page.waitForSelector('#box-table tbody tr');
    await page.evaluate(() => document.getElementById('box-title').scrollIntoView());
    await shot(page, 'talent-box', w);
    await go(page, `#/talenta/${sel.period}/pool`, '#pool-table tbody tr');
    await shot(page, 'pool', w);
    await go(page, `#/pegawai/${sel.nip}`, '#profile-facts');
    await shot(page, 'profile', w);
    }
    await go(page, '#/seleksi', '#selections-table tbody tr');
    await shot(page, 'selections', w);
    await go(page, `#/seleksi/${sel.s}`, '.vacancy-card');
    await shot(page, 'selection', w);
    await go(page, `#/seleksi/${sel.s}/${sel.v}`, '#score-table tbody tr');
    await page.waitForSelector('#live-badge[data-state="open"]');
    await shot(page, 'vacancy', w);
    await page.evaluate(() => document.getElementById('scores-title').scrollIntoView());
    await shot(page, 'vacancy-scores', w);
    if (await page.$('#entry-form')) {
      await page.evaluate(() => document.getElementById('entry-title').scrollIntoView());
      await shot(page, 'vacancy-entry', w);
    }
    await go(page, `#/cetak/berita-acara/${sel.s}/${sel.v}`, '#minutes-table');
    await shot(page, 'minutes', w);
    await go(page, `#/cetak/usulan/${sel.s}/${sel.v}`, '#proposal-table');
    await shot(page, 'proposal', w);
    if (sel.nip) {
      await go(page, `#/cetak/profil/${sel.nip}`, '#profil');
      await shot(page, 'profile-doc', w);
    }
    await page.context().close();
  }
  // Print emulation (A4 width at 96 dpi) of every print page, and a PDF each.
  const page = await page0(794, 1123);
  for (const [name, hash, s] of [['announce', `#/cetak/pengumuman/${sel.exam}`, '#announce-table'], ['minutes', `#/cetak/berita-acara/${sel.s}/${sel.v}`, '#minutes-table'],
    ['proposal', `#/cetak/usulan/${sel.s}/${sel.v}`, '#proposal-table'], ['profile', `#/cetak/profil/${sel.nip}`, '#profil']]) {
    if (name === 'profile' && !sel.nip) continue;
    await go(page, hash, s);
    await page.emulateMedia({ media: 'print' });
    const path = join(OUT, `${PREFIX}-${name}-print.png`);
    await page.screenshot({ path, fullPage: true });
    written.push(path);
    if (process.argv.includes('--pdf')) await page.pdf({ path: join(OUT, `${PREFIX}-${name}.pdf`), format: 'A4', preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
  }
  await page.context().close();
  // The signed result slip of the first finished candidate of the exam (the
  // staff's view, as the results table's "slip" link opens it): on screen at
  // each width and in print ('slip-1366', 'slip-1024', 'slip-390',
  // 'slip-print'; the README shows the print).
  {
    const p = await page0(1366, 768);
    const reg = await p.evaluate(async (e) => {
      const r = await (await fetch('/api/v1/staff/exams/' + e + '/results')).json();
      const rows = Array.isArray(r) ? r : r.results || [];
      const row = rows.find((x) => x.rank != null && !x.disqualified); // ranked: finished, not DIS
      return row ? row.registration_no : null;
    }, sel.exam);
    if (reg) {
      await p.goto(`${URL0}/slip/?exam=${encodeURIComponent(sel.exam)}&reg=${encodeURIComponent(reg)}`);
      await p.waitForSelector('#sheet:visible');
      for (const [name, width] of [['slip-1366', 1366], ['slip-1024', 1024], ['slip-390', 390]]) {
        await p.setViewportSize({ width, height: 800 });
        const path = join(OUT, name + '.png');
        await p.screenshot({ path });
        written.push(path);
      }
      await p.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
      await p.emulateMedia({ media: 'print' });
      const path = join(OUT, 'slip-print.png');
      await p.screenshot({ path, fullPage: true });
      written.push(path);
      await p.emulateMedia({ media: 'screen' });
      // The public check of that slip's code ('verify-1366', 'verify-1024',
      // 'verify-390'), as anyone scanning the QR code sees it.
      const code = (await p.textContent('.slip-code')).trim().replace('-', '');
      await p.goto(`${URL0}/verify/${code}`);
      await p.waitForSelector('#verdict[data-state="ok"]');
      for (const [name, width] of [['verify-1366', 1366], ['verify-1024', 1024], ['verify-390', 390]]) {
        await p.setViewportSize({ width, height: 800 });
        const vpath = join(OUT, name + '.png');
        await p.screenshot({ path: vpath });
        written.push(vpath);
      }
    }
    await p.context().close();
  }
  console.log('wrote', written.length, 'committee screenshots');
  if (errors.length) console.log('# page errors:', errors);
} finally {
  await browser.close();
  if (fake) await fake.close();
  if (demo) await demo.close();
}
