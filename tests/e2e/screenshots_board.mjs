// screenshots_board.mjs - docs/screenshots/board-{1366,1024,390}.png: the
// public live scoreboard of the shipped SKD sample exam (with "scoreboard":
// true) after a dozen demo candidates finished with varied answers, one of
// them disqualified (as a proctor's action stores it). Run by
// screenshots.mjs (`make screenshots`), or alone: node screenshots_board.mjs.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { TOP, UJIAN, launch, newPage } from './harness.mjs';

const OUT = join(TOP, 'docs', 'screenshots');
const SAMPLE = join(TOP, 'question-bank', 'skd-sample');

async function serve(db) {
  const server = spawn(UJIAN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((res) => createInterface({ input: server.stdout }).once('line', res));
  return { server, url: 'http://' + /http:\/\/([^/]+)\//.exec(line)[1] };
}

async function stop(server) {
  await new Promise((res) => { server.once('exit', res); server.kill('SIGTERM'); });
}

async function api(url, method, path, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return r.json();
}

export async function boardShots(browser) {
  const dir = mkdtempSync(join(tmpdir(), 'ujian-board-shots-'));
  const db = join(dir, 'b.db');
  const run = (...a) => execFileSync(UJIAN, a, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exam = JSON.parse(readFileSync(join(SAMPLE, 'exam-skd-demo.json'), 'utf8'));
  exam.scoreboard = true;
  writeFileSync(join(dir, 'exam.json'), JSON.stringify(exam));
  run('init', '--db', db);
  run('bank', 'import', '--db', db, join(SAMPLE, 'bank.json'));
  run('exam', 'create', '--db', db, join(dir, 'exam.json'));
  run('candidates', 'import', '--db', db, '--exam', 'SKD-DEMO', join(SAMPLE, 'candidates-demo.csv'));
  const creds = readFileSync(join(SAMPLE, 'candidates-demo.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(',')).slice(0, 12);
  let { server, url } = await serve(db);
  try {
    // Varied papers: candidate i picks the keyed option (looked up by its
    // text in the bank) on a different share of the questions and a fixed
    // pattern of labels on the rest, so totals spread and some candidates
    // meet every threshold.
    const bank = JSON.parse(readFileSync(join(SAMPLE, 'bank.json'), 'utf8'));
    const value = new Map();
    for (const item of bank.items) for (const o of item.options) value.set(o.text, o.points ?? (o.correct ? 5 : 0));
    const best = (q) => q.options.reduce((a, o) => ((value.get(o.text) ?? 0) > (value.get(a.text) ?? 0) ? o : a)).label;
    for (let i = 0; i < creds.length; i++) {
      const [regno, , password] = creds[i];
      const tok = (await api(url, 'POST', '/api/v1/candidate/login', null, { exam: 'SKD-DEMO', registration_no: regno, password })).token;
      const paper = await api(url, 'POST', '/api/v1/attempt/start', tok);
      const share = 0.2 + ((i * 7) % 12) / 16;
      let rev = 1;
      for (const q of paper.questions) {
        const keyed = (q.n * 37 + i * 11) % 100 < share * 100;
        const label = keyed ? best(q) : 'ABCDE'[(q.n * (i + 3) + i) % q.options.length];
        await api(url, 'PUT', '/api/v1/attempt/answers/' + q.n, tok, { option: label, flagged: false, rev: rev++ });
      }
      await api(url, 'POST', '/api/v1/attempt/finish', tok);
    }
    // One disqualified (what the proctor's action stores), then restart.
    await stop(server);
    execFileSync('sqlite3', [db, `UPDATE attempts SET finish_reason = 'disqualified' WHERE candidate_id =
      (SELECT id FROM candidates WHERE registration_no = '${creds[4][0]}')`]);
    ({ server, url } = await serve(db));
    mkdirSync(OUT, { recursive: true });
    for (const [width, height] of [[1366, 768], [1024, 768], [390, 844]]) {
      const page = await newPage(browser, { viewport: { width, height } });
      await page.goto(`${url}/board/?exam=SKD-DEMO`);
      await page.waitForSelector('#board-rows tr');
      await page.waitForSelector('#live[data-state="live"]');
      await page.screenshot({ path: join(OUT, `board-${width}.png`) });
      await page.context().close();
    }
    console.log('wrote board screenshots at 1366, 1024, 390 px');
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const browser = await launch();
  try {
    await boardShots(browser);
  } finally {
    await browser.close();
  }
}
