// screenshots.mjs - regenerate docs/screenshots/{login,exam,result}.png from
// the real server with the shipped SKD sample bank (run by `make screenshots`).

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TOP, UJIAN, launch, newPage } from './harness.mjs';

const OUT = join(TOP, 'docs', 'screenshots');
const SAMPLE = join(TOP, 'question-bank', 'skd-sample');
const dir = mkdtempSync(join(tmpdir(), 'ujian-shots-'));
const db = join(dir, 's.db');
const run = (...a) => execFileSync(UJIAN, a, { stdio: ['ignore', 'ignore', 'inherit'] });

run('init', '--db', db);
run('bank', 'import', '--db', db, join(SAMPLE, 'bank.json'));
run('exam', 'create', '--db', db, join(SAMPLE, 'exam-skd-demo.json'));
run('candidates', 'import', '--db', db, '--exam', 'SKD-DEMO', join(SAMPLE, 'candidates-demo.csv'));

const server = spawn(UJIAN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
const line = await new Promise((res) => createInterface({ input: server.stdout }).once('line', res));
const url = 'http://' + /http:\/\/([^/]+)\//.exec(line)[1];
mkdirSync(OUT, { recursive: true });

const browser = await launch();
try {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await page.goto(`${url}/candidate/?exam=SKD-DEMO`);
  await page.waitForSelector('#screen-login:visible');
  await page.fill('#login-regno', '2026000001');
  await page.screenshot({ path: join(OUT, 'login.png') });
  await page.fill('#login-password', 'demo0001');
  await page.click('#login-submit');
  await page.click('#start-button');
  await page.waitForSelector('#screen-exam:visible');
  // Answer a few questions, flag one, leave one unsaved-free state, then show
  // a figure item from the TIU section.
  for (const [n, label, flag] of [[1, 'B', false], [2, 'D', true], [3, 'A', false], [5, 'C', false],
    [31, 'E', false], [32, 'B', true], [66, 'A', false]]) {
    await page.click(`#nav-grid [data-n="${n}"]`);
    await page.click(`#options [data-label="${label}"]`);
    if (flag) await page.click('#flag-toggle');
  }
  for (let n = 31; n <= 65; n++) {
    await page.click(`#nav-grid [data-n="${n}"]`);
    if (await page.locator('#question-images img').count()) break;
  }
  await page.waitForFunction(() => [...document.querySelectorAll('#question-images img')].every((i) => i.complete));
  await page.waitForSelector('#save-status[data-status="saved"]');
  await page.screenshot({ path: join(OUT, 'exam.png') });
  await page.click('#finish-button');
  await page.click('#finish-confirm');
  await page.waitForSelector('#screen-result:visible');
  await page.screenshot({ path: join(OUT, 'result.png') });
  console.log('wrote', ['login', 'exam', 'result'].map((s) => join(OUT, s + '.png')).join(' '));
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
