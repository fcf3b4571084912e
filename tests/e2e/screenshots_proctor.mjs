// screenshots_proctor.mjs - regenerate docs/screenshots/proctor-*.png: the
// proctor web (client-web/proctor/) at 1366x768, 1024x768 and 390x844 against
// the fake proctoring server (fake_proctor_server.mjs): the sitting list, the
// dashboard of 40 and of 1,000 candidates, an action dialog, the result of
// re-issued passwords, the observer's view, and the berita acara on screen
// and in print emulation (run by `make screenshots`).

import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { TOP, launch, newPage } from './harness.mjs';
import { startFake } from './fake_proctor_server.mjs';

const OUT = join(TOP, 'docs', 'screenshots');
const SIZES = [[1366, 768], [1024, 768], [390, 844]];
mkdirSync(OUT, { recursive: true });

const f = await startFake({});
const browser = await launch();
const written = [];

async function login(page, user) {
  await page.goto(`${f.url}/proctor/`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', user);
  await page.fill('#login-password', 'sandi-' + user);
  await page.click('#login-submit');
  await page.waitForSelector('.sitting-card');
}

async function shot(page, name, w) {
  const path = join(OUT, `proctor-${name}-${w}.png`);
  await page.screenshot({ path });
  written.push(path);
}

async function dashboard(page, sid) {
  await page.goto(`${f.url}/proctor/#/sitting/${sid}`);
  await page.waitForSelector('#conn[data-state="open"]');
  await page.waitForSelector('#roster .roster-body .roster-row');
  if (f.sittings.get(sid).log.length) await page.waitForSelector('#incidents li');
  await page.mouse.move(0, 0);
}

try {
  // A little history first: an incident and an action on sitting 1.
  const s1 = [...f.sittings.get(1).cands.values()];
  await fetch(`${f.url}/__fake/incident?sitting=1&regno=${s1[16].regno}&type=window_blur&ms=8000`, { method: 'POST' });
  for (const [w, hgt] of SIZES) {
    const page = await newPage(browser, { viewport: { width: w, height: hgt } });
    await login(page, 'pengawas');
    await shot(page, 'sittings', w);
    await dashboard(page, 1);
    // Two candidates selected, as a proctor about to act.
    const boxes = await page.$$('#roster .roster-body input[type="checkbox"]');
    await boxes[0].check();
    await boxes[1].check();
    await page.evaluate(() => document.querySelector('#roster-empty') && window.scrollTo(0, 0));
    await shot(page, 'dashboard-40', w);
    await page.click('#action-bar [data-action="extend"]');
    await page.waitForSelector('#dialog:not([hidden])');
    await page.fill('#act-minutes', '10');
    await page.fill('#act-reason', 'Komputer peserta membeku, dipindah ke kursi cadangan');
    await shot(page, 'dialog', w);
    await page.keyboard.press('Escape');
    await page.click('#action-bar [data-action="disqualify"]');
    await page.waitForSelector('#dialog:not([hidden])');
    await page.fill('#act-reason', 'Kedapatan membawa catatan');
    await shot(page, 'dialog-disqualify', w);
    await page.keyboard.press('Escape');
    await dashboard(page, 2);
    await shot(page, 'dashboard-1000', w);
    await page.goto(`${f.url}/proctor/#/sitting/1/report`);
    await page.waitForSelector('#berita-acara');
    await shot(page, 'report', w);
    await page.context().close();
  }
  // Re-issued passwords (shown once), the observer, the closed report and its print.
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await login(page, 'pengawas');
  await dashboard(page, 1);
  const boxes = await page.$$('#roster .roster-body input[type="checkbox"]');
  await boxes[2].check();
  await page.click('#action-bar [data-action="password"]');
  await page.fill('#act-reason', 'Peserta lupa kata sandi');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#passwords-table');
  await shot(page, 'passwords', 1366);
  await page.click('#result-close');
  await page.click('#sitting-actions [data-action="close"]');
  await page.fill('#act-reason', 'Semua peserta selesai');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#closed-note:not([hidden])');
  await page.goto(`${f.url}/proctor/#/sitting/1/report`);
  await page.waitForSelector('#berita-acara');
  await shot(page, 'report-closed', 1366);
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.screenshot({ path: join(OUT, 'proctor-report-print.png'), fullPage: true });
  written.push(join(OUT, 'proctor-report-print.png'));
  await page.context().close();
  for (const [w, hgt] of SIZES) {
    const obs = await newPage(browser, { viewport: { width: w, height: hgt } });
    await login(obs, 'pemantau');
    await dashboard(obs, 1);
    await shot(obs, 'observer', w);
    await obs.context().close();
  }
  console.log('wrote', written.length, 'proctor screenshots');
} finally {
  await browser.close();
  await f.close();
}
