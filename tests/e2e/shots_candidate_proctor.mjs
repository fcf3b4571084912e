// shots_candidate_proctor.mjs - screenshots of the candidate screens a proctor
// causes (docs/screenshots/candidate-{waiting,paused,message,reset}-WIDTH.png
// at 1366, 1024 and 390 px), called by screenshots.mjs against the real
// server with the SKD sample. The proctor's side is played by page.route():
// 409 waiting at the start, then a poll reply with a pause, with messages,
// and finally 401 session_reset, so the shots need no proctor setup.

import { join } from 'node:path';
import { newPage } from './harness.mjs';

const WIDTHS = [[1366, 768], [1024, 768], [390, 844]];
const CLOCK = '**/api/v1/attempt?view=clock';
const json = (status, body) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

/** candidates: [[regno, password], ...], one per width, not started yet. */
export async function candidateProctorShots(browser, url, out, candidates) {
  const written = [];
  for (let k = 0; k < WIDTHS.length; k++) {
    const [w, h] = WIDTHS[k];
    const [regno, password] = candidates[k];
    const shot = (name) => page.screenshot({ path: join(out, `candidate-${name}-${w}.png`) });
    const page = await newPage(browser, { viewport: { width: w, height: h } });
    let waiting = true;
    await page.route('**/api/v1/attempt/start', (route) =>
      waiting ? route.fulfill(json(409, { error: { code: 'waiting', message: 'Menunggu pengawas memulai sesi.' } })) : route.continue());
    let poll = null; // (json) => json, or a fixed reply
    await page.route(CLOCK, async (route) => {
      if (poll && poll.status) return route.fulfill(poll);
      const res = await route.fetch();
      const body = await res.json();
      return route.fulfill({ response: res, body: JSON.stringify(poll ? poll(body) : body) });
    });
    await page.goto(`${url}/candidate/?exam=SKD-DEMO`);
    await page.fill('#login-regno', regno);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.click('#start-button');
    await page.waitForSelector('#screen-waiting:visible');
    await page.waitForFunction(() => document.getElementById('waiting-checked').textContent !== '');
    await shot('waiting');

    waiting = false;
    await page.waitForSelector('#screen-exam:visible', { timeout: 10000 });
    await page.click('#options [data-label="B"]');
    await page.waitForSelector('#save-status[data-status="saved"]');
    poll = (j) => {
      j.attempt.paused = { since: new Date().toISOString(), reason: 'Listrik padam di Ruang 1. Waktu Anda tidak berkurang selama dijeda.' };
      return j;
    };
    await page.waitForSelector('#pause-overlay:visible', { timeout: 10000 });
    await page.waitForFunction(() => document.getElementById('pause-reason-text').textContent !== '');
    await shot('paused');

    const at = new Date();
    poll = (j) => {
      j.notices = [
        { id: 41, at: new Date(at.getTime() - 120000).toISOString(), text: 'Waktu ujian Ruang 1 diperpanjang 10 menit karena listrik padam.' },
        { id: 42, at: at.toISOString(), text: 'Peserta dimohon tidak berbicara dengan peserta lain. Angkat tangan bila memerlukan bantuan.' },
      ];
      return j;
    };
    await page.waitForSelector('#pause-overlay', { state: 'hidden', timeout: 10000 });
    await page.waitForSelector('#messages [data-id="42"]', { timeout: 10000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('message');

    poll = json(401, { error: { code: 'session_reset', message: 'Sesi Anda diakhiri oleh pengawas. Silakan login kembali.' } });
    await page.waitForSelector('#screen-login:visible', { timeout: 10000 });
    await page.waitForFunction(() => document.getElementById('login-error').textContent !== '');
    await shot('reset');
    written.push(w);
    await page.context().close();
  }
  console.log('wrote candidate proctoring screenshots at', written.join(', '), 'px');
}
