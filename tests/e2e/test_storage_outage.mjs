// test_storage_outage.mjs - issue 12: the server's disk is full. The candidate
// client keeps the answer in its outbox on 503 storage_unavailable, shows it
// as not saved, keeps it across a reload (reads are still served), and
// saves it by itself once the disk is back. Uses the fault-injection build
// (make fault-build): "disk full" is on while a control file exists.

import { existsSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  newPage, waitUntil, worldTest, runInBrowser, assert, assertEqual, TOP, SLOW,
} from './harness.mjs';

const FAULT_BIN = process.env.UJIAN_FAULT_BIN || join(TOP, 'build-fault', 'ujian');

if (!existsSync(FAULT_BIN)) {
  console.log('ok 1 - storage outage # SKIP no fault-injection build (make fault-build)');
  console.log('1..1');
  process.exit(0);
}

let browser;
const CTL = join(TOP, 'build-fault', `disk-full-e2e-${process.pid}`);

async function answerOf(page) {
  const n = Number(await page.getAttribute('#nav-grid [aria-current="true"]', 'data-n'));
  return n;
}

async function savedStatus(page) {
  return page.getAttribute('#save-status', 'data-status');
}

worldTest('disk full: the answer stays in the outbox, survives a reload and is saved when the disk is back',
  { bin: FAULT_BIN, env: { UJIAN_FAULT_FILE: CTL } }, async (w) => {
    try {
      const page = await newPage(browser);
      await page.goto(`${w.url}/candidate/?exam=E2E`);
      await page.fill('#login-regno', 'P001');
      await page.fill('#login-password', w.passwords.P001);
      await page.click('#login-submit');
      await page.waitForSelector('#screen-ready:visible, #screen-exam:visible');
      if (await page.locator('#screen-ready').isVisible()) await page.click('#start-button');
      await page.waitForSelector('#screen-exam:visible');
      // Question 1 is saved before the disk fills up.
      const n1 = await answerOf(page);
      await page.click('#options [data-label="A"]');
      await waitUntil(async () => (await savedStatus(page)) === 'saved', 5000 * SLOW, 'first answer saved');

      writeFileSync(CTL, 'full\n');
      await page.click('#next-button');
      const n2 = await answerOf(page);
      assert(n2 !== n1, 'moved to the next question');
      const refused = page.waitForResponse((r) => r.url().includes(`/api/v1/attempt/answers/${n2}`) &&
        r.status() === 503);
      await page.click('#options [data-label="C"]');
      const r = await refused;
      assertEqual((await r.json()).error.code, 'storage_unavailable', 'the 503 says why');
      await waitUntil(async () => (await savedStatus(page)) === 'unsaved', 10000 * SLOW, 'shown as not saved');
      assertEqual(w.answers('P001').map((a) => a.n), [n1], 'nothing refused is stored');

      // A reload during the outage: the paper is still served (reads go
      // on) and the unsaved choice is still there, from the outbox.
      await page.reload();
      await page.waitForSelector('#screen-exam:visible');
      await page.click(`#nav-grid [data-n="${n2}"]`);
      await waitUntil(async () => (await answerOf(page)) === n2, 5000 * SLOW, 'back on the question');
      assertEqual(await page.getAttribute('#options [data-label="C"]', 'aria-checked'), 'true',
        'the choice kept across the reload');
      assert((await savedStatus(page)) !== 'saved', 'still not saved while the disk is full');

      unlinkSync(CTL);
      await waitUntil(async () => (await savedStatus(page)) === 'saved', 20000 * SLOW,
        'saved by itself once the disk is back');
      const stored = w.answers('P001');
      assertEqual(stored.map((a) => [a.n, a.label]), [[n1, 'A'], [n2, 'C']].sort((a, b) => a[0] - b[0]),
        'both answers stored');
    } finally {
      if (existsSync(CTL)) unlinkSync(CTL);
    }
  });

runInBrowser((b) => { browser = b; });
