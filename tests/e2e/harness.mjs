// harness.mjs - end-to-end test harness: a temporary database built with the
// real `ujian` CLI, the real server (started, SIGKILLed, restarted), Debian's
// Chromium driven by playwright-core, checks of stored data with the sqlite3
// CLI, and TAP output for scripts/run-tests.sh.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const TOP = resolve(HERE, '..', '..');
export const UJIAN = resolve(process.env.UJIAN_BIN || join(TOP, 'build', 'ujian'));
export const SLOW = process.env.UJIAN_SANITIZED === '1' ? 4 : 1;
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function ujian(...args) {
  return execFileSync(UJIAN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// ---------------------------------------------------------------------------
// A bank whose keys the tests know. Question texts carry a marker "[Q:ID]" so
// a test can find the item from what the page shows.

const SVG = (r) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="80" viewBox="0 0 160 80">` +
  `<rect width="160" height="80" fill="#fff"/><circle cx="80" cy="40" r="${r}" ` +
  `stroke="#000" stroke-width="3" fill="none"/></svg>`;

export function makeBank(dir, perSection = 5) {
  mkdirSync(join(dir, 'img'), { recursive: true });
  writeFileSync(join(dir, 'img', 'fig.svg'), SVG(20));
  writeFileSync(join(dir, 'img', 'opt.svg'), SVG(30));
  const items = [];
  const info = {}; // id -> { section, points: { optionText: points } }
  for (const sec of ['TWK', 'TIU', 'TKP']) {
    for (let i = 1; i <= perSection; i++) {
      const id = `${sec}-${i}`;
      const options = [];
      const points = {};
      for (let k = 0; k < 5; k++) {
        const text = `${id} pilihan ${k}`;
        if (sec === 'TKP') {
          const p = ((k + i) % 5) + 1;
          options.push({ text, points: p });
          points[text] = p;
        } else {
          const correct = k === i % 5;
          options.push(correct ? { text, correct: true } : { text });
          points[text] = correct ? 5 : 0;
        }
      }
      const item = {
        id, section: sec, topic: 'umum', difficulty: 'medium',
        text: `[Q:${id}] Pertanyaan **${sec}** nomor ${i}.\n\nBaris kedua <b>literal</b> & selesai.`,
        options,
      };
      if (sec === 'TIU' && i === 1) {
        item.images = ['img/fig.svg'];
        item.options[2].image = 'img/opt.svg';
      }
      items.push(item);
      info[id] = { section: sec, points };
    }
  }
  const bank = {
    code: 'E2E', title: 'Bank uji E2E',
    sections: [
      { code: 'TWK', title: 'Tes Wawasan Kebangsaan', scoring: { type: 'right_wrong', correct: 5, wrong: 0, blank: 0 } },
      { code: 'TIU', title: 'Tes Intelegensia Umum', scoring: { type: 'right_wrong', correct: 5, wrong: 0, blank: 0 } },
      { code: 'TKP', title: 'Tes Karakteristik Pribadi', scoring: { type: 'weighted', blank: 0 } },
    ],
    items,
  };
  const path = join(dir, 'bank.json');
  writeFileSync(path, JSON.stringify(bank));
  return { path, info };
}

export class World {
  // opts: { duration: seconds, draw: per section, candidates: n, showScore, token,
  //         scoreboard: the public live scoreboard on }
  constructor(opts = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'ujian-e2e-'));
    this.db = join(this.dir, 'e.db');
    this.draw = opts.draw ?? 3;
    ujian('init', '--db', this.db);
    const { path, info } = makeBank(this.dir, Math.max(5, this.draw));
    this.info = info;
    ujian('bank', 'import', '--db', this.db, path);
    const exam = {
      code: 'E2E', title: 'Ujian Uji Peramban', bank: 'E2E', duration_s: opts.duration ?? 3600,
      sections: ['TWK', 'TIU', 'TKP'].map((code) => ({ code, draw: this.draw })),
      show_score: opts.showScore ?? true,
      pass_rules: { umum: { sections: { TWK: 5, TIU: 5, TKP: 5 } } },
    };
    if (opts.token) exam.token = opts.token;
    if (opts.scoreboard) exam.scoreboard = true;
    writeFileSync(join(this.dir, 'exam.json'), JSON.stringify(exam));
    ujian('exam', 'create', '--db', this.db, join(this.dir, 'exam.json'));
    const n = opts.candidates ?? 2;
    const rows = ['registration_no,name,password'];
    this.passwords = {};
    for (let i = 1; i <= n; i++) {
      const regno = `P${String(i).padStart(3, '0')}`;
      rows.push(`${regno},Peserta Uji ${i},sandi-${regno}-rahasia`);
      this.passwords[regno] = `sandi-${regno}-rahasia`;
    }
    writeFileSync(join(this.dir, 'c.csv'), rows.join('\n') + '\n');
    ujian('candidates', 'import', '--db', this.db, '--exam', 'E2E', join(this.dir, 'c.csv'));
    this.proc = null;
    this.port = 0;
    // issue 12: another server binary (the fault-injection build) and extra
    // environment for it (UJIAN_FAULT_FILE).
    this.bin = opts.bin || UJIAN;
    this.env = opts.env || null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const args = ['serve', '--db', this.db, '--listen', `127.0.0.1:${this.port}`,
      '--catalog-poll-ms', '200'];
    // (a World made with Object.create, as test_candidate_screen.mjs does,
    // has neither field: the default binary and environment)
    this.proc = spawn(this.bin || UJIAN, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.env ? { ...process.env, ...this.env } : process.env,
    });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    const rl = createInterface({ input: this.proc.stdout });
    const line = await new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error('server did not start: ' + this.stderr)), 15000 * SLOW);
      rl.once('line', (l) => { clearTimeout(t); res(l); });
      this.proc.once('exit', (code) => { clearTimeout(t); rej(new Error(`server exited ${code}: ${this.stderr}`)); });
    });
    rl.close();
    const m = /listening on http:\/\/[^:]+:(\d+)\//.exec(line);
    if (!m) throw new Error('unexpected banner: ' + line);
    this.port = Number(m[1]);
    return this;
  }

  async kill9() {
    const p = this.proc;
    this.proc = null;
    await new Promise((res) => { p.once('exit', res); p.kill('SIGKILL'); });
  }

  async stop() {
    const p = this.proc;
    if (!p) return;
    this.proc = null;
    const code = await new Promise((res) => { p.once('exit', (c) => res(c)); p.kill('SIGTERM'); });
    if (code !== 0) throw new Error(`server exited with ${code}: ${this.stderr}`);
  }

  // Read the database directly with the sqlite3 CLI (an auditor's view).
  sql(query) {
    const out = execFileSync('sqlite3', ['-json', this.db, query], { encoding: 'utf8' });
    return out.trim() ? JSON.parse(out) : [];
  }

  answers(regno) {
    return this.sql(
      `SELECT a.n, a.label, a.flagged, a.rev FROM answers a JOIN candidates c ON c.id = a.candidate_id ` +
      `WHERE c.registration_no = '${regno}' ORDER BY a.n`);
  }

  attempt(regno) {
    return this.sql(
      `SELECT a.status, a.finish_reason, a.total FROM attempts a JOIN candidates c ON c.id = a.candidate_id ` +
      `WHERE c.registration_no = '${regno}'`)[0];
  }

  async close() {
    if (this.proc) await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Browser

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (run scripts/install-deps.sh)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1024, height: 768 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.setDefaultTimeout(15000 * SLOW);
  return page;
}

// Poll fn until it returns a truthy value (an upper bound, not a sleep).
export async function waitUntil(fn, timeoutMs, what) {
  const end = Date.now() + timeoutMs * SLOW;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------
// TAP runner

const tests = [];
export function test(name, fn) {
  tests.push({ name, fn });
}

// A test in its own World (a fresh database and server), closed afterwards
// whatever the outcome: worldTest(name, [opts,] async (w) => { ... }).
export function worldTest(name, opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  test(name, async () => {
    const w = await new World(opts).start();
    try {
      await fn(w);
    } finally {
      await w.close();
    }
  });
}

export function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
}

export function assertEqual(a, b, msg) {
  const ja = JSON.stringify(a), jb = JSON.stringify(b);
  if (ja !== jb) throw new Error(`${msg || 'not equal'}: got ${ja}, expected ${jb}`);
}

export async function run() {
  let n = 0, failed = 0;
  const only = process.env.E2E_ONLY;
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    n++;
    try {
      await t.fn();
      console.log(`ok ${n} - ${t.name}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${n} - ${t.name}`);
      for (const l of String(e && e.stack || e).split('\n')) console.log('#   ' + l);
    }
  }
  console.log(`1..${n}`);
  return failed ? 1 : 0;
}

/** The end of a browser test file: launch Chromium, hand it to use(browser),
 *  run the tests, close it, and exit with the outcome. */
export async function runInBrowser(use) {
  const browser = await launch();
  use(browser);
  let code = 1;
  try {
    code = await run();
  } finally {
    await browser.close();
  }
  process.exit(code);
}
