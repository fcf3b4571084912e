// fake_proctor_server.mjs - a stand-in for the proctoring part of the staff
// API (/work/notes/proctor-contract.md, docs/API.md "Proctoring"), so the
// proctor web (client-web/proctor/) can be developed and tested before and
// independently of the real server. Node 18 standard library only.
//
// It serves client-web/ with the real server's CSP, the staff login, /me
// and logout (cookie + CSRF, as the real server), GET /sittings,
// /sittings/ID, /log, /report, POST /actions (applied to its own state and
// captured for tests), and the SSE stream /sittings/ID/events (snapshot,
// rows, incident, sitting, action; ids; Last-Event-ID resume from a short
// history, else a snapshot; comment heartbeats).
//
// Test hooks (no auth), under /__fake/: GET posts (the captured action
// bodies), POST burst?sitting=&rate=&seconds=&flush= (synthetic row updates;
// replies when done), POST incident?sitting=&cand=&type=, POST
// rows?sitting=&cand=&field=value... (change one candidate), POST drop (end
// every stream: EventSource reconnects), POST auto?on=1 (a trickle of
// synthetic answers and incidents, for screenshots and manual use).
//
// The shapes follow the real server (docs/API.md "Proctoring routes"):
// S has proctor_ids, the token never travels on the stream, an action event
// carries what was recorded in `detail`, an incident's log item names its
// `source`, a bad action is 400 invalid_input with {field, message} items.
//
// Sittings: 1 "R1-PAGI" (40 candidates, mixed statuses), 2 "AULA-SIANG"
// (1,000 candidates by default, --big N), 3 "R2-SIANG" (start together,
// waiting for Mulai). Accounts: admin (admin), pengawas (proctor),
// pemantau (observer), panitia (committee); password "sandi-<username>".
//
// Standalone: node tests/e2e/fake_proctor_server.mjs [--port 8088] [--big N] [--auto]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, normalize, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB = resolve(HERE, '..', '..', 'client-web');
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'";
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const HISTORY = 500; // events kept per sitting for Last-Event-ID resume
const TOTAL = 110;

const FIRST = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rizky', 'Putri', 'Andi', 'Nur', 'Eko', 'Fitri', 'Hendra', 'Intan', 'Joko', 'Kartika',
  'Lestari', 'Muhammad', 'Nanda', 'Oktavia', 'Rahmat', 'Sri', 'Taufik', 'Wahyu', 'Yulia', 'Zainal', 'Ayu', 'Bayu', 'Citra', 'Dimas'];
const LAST = ['Santoso', 'Rahayu', 'Saputra', 'Lestari', 'Hidayat', 'Wijaya', 'Pratama', 'Kusuma', 'Nugroho', 'Siregar', 'Harahap',
  'Simanjuntak', 'Sitompul', 'Wulandari', 'Permana', 'Setiawan', 'Gunawan', 'Hakim', 'Syahputra', 'Maharani'];

const USERS = {
  admin: { username: 'admin', name: 'Rahmat Hidayat', roles: ['admin'] },
  pengawas: { username: 'pengawas', name: 'Siti Aminah', roles: ['proctor'] },
  pengawas2: { username: 'pengawas2', name: 'Dedi Kurniawan', roles: ['proctor'] },
  pemantau: { username: 'pemantau', name: 'Yusuf Pemantau', roles: ['observer'] },
  panitia: { username: 'panitia', name: 'Dr. Bambang Sutrisno', roles: ['committee'] },
};

const iso = (ms) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

function token(rand) {
  let s = '';
  for (let i = 0; i < 6; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

// ---------------------------------------------------------------------------
// State

function makeSitting(id, code, room, n, opts, rand, now) {
  const s = {
    id, exam: 'SKD-DEMO', exam_title: 'Seleksi Kompetensi Dasar CPNS (demo)', code, room,
    starts_at: now - (opts.startedAgoMin || 0) * 60000, rotate_min: opts.rotate || 0,
    start_together: !!opts.together, started_at: opts.started ? now - opts.startedAgoMin * 60000 : null,
    closed_at: null, closed_by: null, proctors: opts.proctors || ['pengawas'], token: token(rand), token_at: now - 7 * 60000,
    seq: 0, history: [], clients: new Set(), log: [], credits: [], cands: new Map(), closed_head: null,
  };
  for (let i = 1; i <= n; i++) {
    const cid = id * 10000 + i;
    const c = {
      id: cid, regno: `2026${String(id).padStart(2, '0')}${String(i).padStart(4, '0')}`,
      name: `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`,
      seat: null, status: 'absent', online: false, offline_since: null, answered: 0, flagged: 0, total: TOTAL,
      position: null, deadline: null, frozen: null, last_activity: null, incidents: 0, extra_s: 0, finish_reason: null, locked: false,
    };
    const r = rand();
    const status = opts.statusOf ? opts.statusOf(i, r) : 'in_progress';
    setStatus(c, status, now, rand, opts);
    s.cands.set(cid, c);
  }
  return s;
}

function setStatus(c, status, now, rand, opts) {
  c.status = status;
  if (status === 'absent') return;
  c.seat = { addr: `10.0.${1 + Math.floor(c.id % 10000 / 250)}.${10 + (c.id % 240)}`, fp: randomBytes(8).toString('hex') };
  c.online = true;
  c.last_activity = now - Math.floor(rand() * 90000);
  if (status === 'login' || status === 'waiting') {
    c.frozen = 100 * 60000;
    return;
  }
  c.answered = Math.floor(rand() * (status === 'finished' ? TOTAL : 80));
  c.flagged = Math.floor(rand() * 4);
  c.position = Math.min(TOTAL, c.answered + 1 + Math.floor(rand() * 3));
  const left = Math.floor((30 + rand() * 60) * 60000);
  if (status === 'in_progress') c.deadline = now + left;
  if (status === 'paused') c.frozen = left;
  if (status === 'finished') c.finish_reason = 'submitted';
  if (status === 'disqualified') c.finish_reason = 'disqualified';
  c.incidents = rand() < 0.15 ? 1 + Math.floor(rand() * 4) : 0;
  if (opts && opts.offline && rand() < opts.offline && (status === 'in_progress' || status === 'paused')) {
    c.online = false;
    c.offline_since = now - Math.floor(30000 + rand() * 400000);
  }
}

function row(c, now) {
  let remaining = null;
  if (c.status === 'in_progress' && c.deadline) remaining = Math.max(0, c.deadline - now);
  else if (c.frozen !== null && (c.status === 'paused' || c.status === 'login' || c.status === 'waiting')) remaining = c.frozen;
  return {
    id: c.id, regno: c.regno, name: c.name, seat: c.seat || { addr: null, fp: null }, status: c.status, online: c.online,
    offline_since: iso(c.offline_since), answered: c.answered, flagged: c.flagged, total: c.total, position: c.position,
    remaining_ms: remaining, deadline: c.status === 'in_progress' ? iso(c.deadline) : null, last_activity: iso(c.last_activity),
    incidents: c.incidents, extra_s: c.extra_s, finish_reason: c.finish_reason, locked: c.locked,
    paused_reason: c.status === 'paused' ? c.pause_reason || '' : null,
  };
}

function counts(s) {
  const c = { registered: 0, absent: 0, login: 0, waiting: 0, in_progress: 0, paused: 0, finished: 0, disqualified: 0, offline: 0, incidents: 0 };
  s.cands.forEach((x) => {
    c.registered++;
    c[x.status]++;
    if (!x.online && ['login', 'waiting', 'in_progress', 'paused'].includes(x.status)) c.offline++;
    c.incidents += x.incidents;
  });
  return c;
}

// S as the server sends it: the token only to admins and proctors, and
// never on the stream (withToken false).
function sittingJson(s, user, withToken) {
  const out = {
    id: s.id, exam: s.exam, exam_title: s.exam_title, code: s.code, room: s.room, starts_at: iso(s.starts_at),
    rotate_min: s.rotate_min, start_together: s.start_together, started_at: iso(s.started_at), closed_at: iso(s.closed_at),
    token_at: iso(s.token_at), token_required: true, proctor_ids: s.proctors.map((u) => Object.keys(USERS).indexOf(u) + 1),
    counts: counts(s),
  };
  if (withToken !== false && user && !user.roles.every((r) => r === 'observer')) out.token = s.token;
  return out;
}

function snapshot(s, user, withToken) {
  const now = Date.now();
  return { sitting: sittingJson(s, user, withToken), server_time: iso(now), rows: [...s.cands.values()].map((c) => row(c, now)) };
}

// ---------------------------------------------------------------------------
// SSE

function emit(s, event, data) {
  s.seq++;
  const ev = { id: s.seq, event, data };
  s.history.push(ev);
  if (s.history.length > HISTORY) s.history.shift();
  for (const cl of s.clients) send(cl, ev);
  return s.seq;
}

function send(cl, ev) {
  const data = typeof ev.data === 'function' ? ev.data(cl.user) : ev.data;
  cl.res.write(`id: ${ev.id}\nevent: ${ev.event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function emitRows(s, cands) {
  const now = Date.now();
  const rows = cands.map((c) => row(c, now));
  emit(s, 'rows', { rows, counts: counts(s), server_time: iso(now) });
}

function emitSitting(s) {
  emit(s, 'sitting', (user) => sittingJson(s, user, false));
}

function logItem(s, item) {
  const it = Object.assign({ id: s.seq + 1, at: iso(Date.now()) }, item);
  s.log.push(it);
  return it;
}

function incident(s, c, type, ms, by) {
  c.incidents++;
  const it = logItem(s, { kind: 'incident', regno: c.regno, name: c.name, type, by: '', source: by || 'client', ms: ms || null });
  const id = emit(s, 'incident', { id: it.id, cand: c.id, regno: c.regno, name: c.name, type, at: it.at, ms: ms || null, by: by || 'client' });
  it.id = id;
  emitRows(s, [c]);
}

// ---------------------------------------------------------------------------
// Actions (the contract's semantics, simplified)

const NEEDS = { extend: 1, pause: 1, resume: 1, reset_login: 1, unlock: 1, password: 1, finish: 1, disqualify: 1, message: 1, credit: 0 };

function act(s, user, body) {
  const problems = [];
  const a = body && body.action;
  const known = ['extend', 'pause', 'resume', 'reset_login', 'unlock', 'password', 'finish', 'disqualify', 'message', 'credit', 'start', 'token', 'close'];
  if (!known.includes(a)) problems.push('action: unknown');
  const reason = body && typeof body.reason === 'string' ? body.reason.trim() : '';
  if (!reason) problems.push('reason: Alasan wajib diisi.');
  if (reason.length > 500) problems.push('reason: at most 500 characters');
  if (a === 'extend' && !(Number.isInteger(body.minutes) && body.minutes >= 1 && body.minutes <= 240)) problems.push('minutes: 1..240');
  if (a === 'message' && !(typeof body.text === 'string' && body.text.trim())) problems.push('text: required');
  if (a === 'credit' && !(Date.parse(body.from) < Date.parse(body.to))) problems.push('from/to: a window');
  const cands = body ? body.candidates : undefined;
  if (NEEDS[a] && !(cands === 'all' || (Array.isArray(cands) && cands.length))) problems.push('candidates: required');
  if (problems.length) {
    return [400, { error: { code: 'invalid_input', message: 'Isian tidak valid.',
      errors: problems.map((x) => ({ field: x.split(':')[0], message: x.split(': ')[1] })) } }];
  }
  if (s.closed_at) return [409, { error: { code: 'sitting_closed', message: 'Sesi sudah ditutup; berita acara sudah dibekukan.' } }];

  const now = Date.now();
  const all = [...s.cands.values()];
  let targets;
  if (cands === 'all') targets = all;
  else if (Array.isArray(cands)) targets = cands.map((r) => all.find((c) => c.regno === r) || { regno: r, missing: true });
  else if (a === 'credit') {
    const from = Date.parse(body.from);
    targets = all.filter((c) => c.offline_since !== null && c.offline_since <= Date.parse(body.to) && !c.online && c.offline_since >= from - 3600000);
  } else targets = [];
  const done = [];
  const skipped = [];
  const changed = [];
  const passwords = [];
  const skip = (c, why) => skipped.push({ regno: c.regno, why });
  const working = (c) => c.status === 'in_progress' || c.status === 'paused';
  for (const c of targets) {
    if (c.missing) {
      skip(c, 'not_in_sitting');
      continue;
    }
    switch (a) {
      case 'extend':
        if (!working(c)) { skip(c, c.status === 'absent' || c.status === 'login' || c.status === 'waiting' ? 'not_started' : 'finished'); continue; }
        if (c.status === 'paused') c.frozen += body.minutes * 60000;
        else c.deadline += body.minutes * 60000;
        c.extra_s += body.minutes * 60;
        break;
      case 'pause':
        if (c.status !== 'in_progress') { skip(c, c.status === 'paused' ? 'already_paused' : 'not_running'); continue; }
        c.frozen = Math.max(0, c.deadline - now);
        c.status = 'paused';
        c.pause_reason = reason;
        break;
      case 'resume':
        if (c.status !== 'paused') { skip(c, c.status === 'in_progress' ? 'not_paused' : 'not_running'); continue; }
        c.deadline = now + c.frozen;
        c.frozen = null;
        c.status = 'in_progress';
        break;
      case 'reset_login':
        if (c.status === 'absent' || !c.online) { skip(c, 'no_session'); continue; }
        c.online = false;
        c.offline_since = now;
        break;
      case 'unlock':
        if (!c.locked) { skip(c, 'not_locked'); continue; }
        c.locked = false;
        break;
      case 'password':
        passwords.push({ regno: c.regno, name: c.name, password: randomBytes(6).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 8) });
        break;
      case 'finish':
        if (!working(c)) { skip(c, c.status === 'finished' || c.status === 'disqualified' ? 'finished' : 'not_started'); continue; }
        c.status = 'finished';
        c.finish_reason = 'proctor';
        c.deadline = null;
        c.frozen = null;
        break;
      case 'disqualify':
        if (c.status === 'absent') { skip(c, 'absent'); continue; }
        if (c.status === 'disqualified') { skip(c, 'finished'); continue; }
        c.status = 'disqualified';
        c.finish_reason = 'disqualified';
        c.deadline = null;
        c.frozen = null;
        break;
      case 'message':
        break;
      case 'credit': {
        if (!working(c)) { skip(c, 'not_running'); continue; }
        const delta = Math.max(0, Date.parse(body.to) - Date.parse(body.from));
        if (c.status === 'paused') c.frozen += delta;
        else c.deadline += delta;
        s.credits.push({ regno: c.regno, name: c.name, at: iso(now), delta_ms: delta, note: reason });
        break;
      }
      default:
        break;
    }
    done.push(c.regno);
    changed.push(c);
  }
  if (a === 'start') {
    if (s.started_at) return [409, { error: { code: 'already_started', message: 'Sesi sudah dimulai.' } }];
    s.started_at = now;
    for (const c of all) {
      if (c.status === 'waiting' || c.status === 'login') {
        c.status = 'in_progress';
        c.deadline = now + (c.frozen || 100 * 60000);
        c.frozen = null;
        c.position = 1;
        changed.push(c);
      }
    }
  }
  if (a === 'token') {
    s.token = token(rng(now));
    s.token_at = now;
  }
  const item = logItem(s, { kind: 'action', action: a, reason: reason || null, by: user.name, regno: null, name: null,
    candidates: done, all: cands === 'all' });
  // As the server: what was recorded goes in `detail`.
  const detail = { sitting: s.id, exam: s.exam, action: a, reason: reason || '', by: user.name, all: cands === 'all', candidates: done, skipped };
  if (a === 'extend') detail.minutes = body.minutes;
  if (a === 'message') detail.text = body.text;
  const actionId = emit(s, 'action', { id: item.id, action: a, detail, at: item.at });
  item.id = actionId;
  if (changed.length) emitRows(s, changed);
  if (a === 'close') {
    s.closed_at = now;
    s.closed_by = user.name;
    s.closed_by_username = user.username;
    s.closed_head = randomBytes(32).toString('hex');
  }
  if (a === 'start' || a === 'token' || a === 'close') emitSitting(s);
  const reply = { done, skipped, action_id: actionId };
  if (a === 'password') reply.passwords = passwords;
  if (a === 'token') reply.token = s.token;
  if (a === 'close') reply.audit_head = s.closed_head;
  return [200, reply];
}

function report(s, user) {
  const c = counts(s);
  const log = s.log.slice().sort((a, b) => a.id - b.id);
  const closedAt = s.closed_at;
  return {
    sitting: sittingJson(s, user), exam: { code: s.exam, title: s.exam_title }, date: iso(s.started_at || s.starts_at),
    proctors: s.proctors.map((u) => ({ username: u, name: USERS[u] ? USERS[u].name : u })),
    counts: { registered: c.registered, present: c.registered - c.absent, absent: c.absent, finished: c.finished, disqualified: c.disqualified },
    log: closedAt ? log.filter((x) => Date.parse(x.at) <= closedAt) : log,
    credits: s.credits, closed_at: iso(closedAt), closed_by: s.closed_by, closed_by_username: s.closed_by_username, audit_head: s.closed_head,
    amendments: closedAt ? log.filter((x) => Date.parse(x.at) > closedAt) : [],
  };
}

// ---------------------------------------------------------------------------
// HTTP

function reply(res, status, body, headers) {
  const text = JSON.stringify(body);
  res.writeHead(status, Object.assign({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, headers || {}));
  res.end(text);
}

function readBody(req) {
  return new Promise((res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => {
      try {
        res(b ? JSON.parse(b) : null);
      } catch (e) {
        res(undefined);
      }
    });
  });
}

async function serveStatic(req, res, path) {
  if (path === '/admin' || path === '/proctor' || path === '/candidate') {
    res.writeHead(302, { Location: path + '/' });
    res.end();
    return;
  }
  let rel = normalize(decodeURIComponent(path)).replace(/^\/+/, '');
  if (rel.includes('..')) return reply(res, 404, { error: { code: 'not_found' } });
  let file = join(WEB, rel);
  try {
    const st = await stat(file);
    if (st.isDirectory()) file = join(file, 'index.html');
    const data = await readFile(file);
    const mime = MIME[extname(file)] || 'application/octet-stream';
    const h = { 'Content-Type': mime, 'Cache-Control': 'no-cache' };
    if (mime.startsWith('text/html')) h['Content-Security-Policy'] = CSP;
    res.writeHead(200, h);
    res.end(data);
  } catch (e) {
    reply(res, 404, { error: { code: 'not_found' } });
  }
}

/**
 * Start the fake. opts: {port (0: any), big (candidates of sitting 2),
 * auto (synthetic trickle)}. Resolves {url, close(), sittings, posts, burst()}.
 */
export async function startFake(opts = {}) {
  const rand = rng(opts.seed || 20261202);
  const now = Date.now();
  const mixed = (i, r) => (i <= 3 ? 'absent' : i === 4 ? 'login' : i === 5 ? 'paused' : i <= 9 ? 'finished' : i === 10 ? 'disqualified' : r < 0.04 ? 'absent' : 'in_progress');
  const sittings = new Map();
  const s1 = makeSitting(1, 'R1-PAGI', 'Ruang 1 (Lab Komputer A)', opts.small || 40,
    { started: true, startedAgoMin: 35, rotate: 30, proctors: ['pengawas', 'pengawas2'], statusOf: mixed, offline: 0.08 }, rand, now);
  [...s1.cands.values()][11].locked = true;
  const s2 = makeSitting(2, 'AULA-SIANG', 'Aula Utama', opts.big || 1000,
    { started: true, startedAgoMin: 20, rotate: 0, proctors: ['pengawas'], statusOf: (i, r) => (r < 0.03 ? 'absent' : r < 0.06 ? 'finished' : 'in_progress'), offline: 0.02 }, rand, now);
  const s3 = makeSitting(3, 'R2-SIANG', 'Ruang 2', 12,
    { together: true, started: false, proctors: ['pengawas'], statusOf: (i) => (i <= 2 ? 'absent' : 'waiting') }, rand, now);
  s3.starts_at = now + 20 * 60000;
  for (const s of [s1, s2, s3]) sittings.set(s.id, s);
  // A few past incidents and one action, for the log.
  const c1 = [...s1.cands.values()];
  const pastLog = [[c1[14], 'page_hidden', 12000], [c1[20], 'fullscreen_exit', null], [c1[14], 'copy', null], [c1[27], 'reconnect', 45000]];
  pastLog.forEach(([c, type, ms], i) => {
    c.incidents++;
    s1.seq++;
    s1.log.push({ id: s1.seq, at: iso(now - (20 - i * 4) * 60000), kind: 'incident', regno: c.regno, name: c.name, type, by: '', source: 'client', ms });
  });
  s1.seq++;
  s1.log.push({ id: s1.seq, at: iso(now - 5 * 60000), kind: 'action', action: 'extend', regno: null, name: null, candidates: [c1[5].regno],
    all: false, minutes: 5, reason: 'Komputer membeku 5 menit, diganti ke kursi cadangan', by: 'Siti Aminah' });

  const sessions = new Map(); // cookie -> {user, csrf}
  const posts = [];
  let auto = null;
  let hb = null;

  function session(req) {
    const m = /(?:^|;\s*)ujian_staff=([^;]+)/.exec(req.headers.cookie || '');
    return m ? sessions.get(m[1]) || null : null;
  }

  function mayRead(u) {
    return u.roles.some((r) => r === 'admin' || r === 'proctor' || r === 'observer');
  }

  function mayAct(u) {
    return u.roles.some((r) => r === 'admin' || r === 'proctor');
  }

  function visible(u, s) {
    return u.roles.includes('admin') || u.roles.includes('observer') || s.proctors.includes(u.username);
  }

  async function burst(sid, rate, seconds, flushMs) {
    const s = sittings.get(sid);
    const list = [...s.cands.values()].filter((c) => c.status === 'in_progress');
    const perFlush = Math.max(1, Math.round((rate * flushMs) / 1000));
    const flushes = Math.round((seconds * 1000) / flushMs);
    let k = 0;
    let rowsSent = 0;
    for (let f = 0; f < flushes; f++) {
      const t0 = Date.now();
      const batch = new Map();
      for (let i = 0; i < perFlush; i++) {
        const c = list[k++ % list.length];
        c.answered = (c.answered + 1) % (TOTAL + 1);
        c.position = Math.min(TOTAL, c.answered + 1);
        c.last_activity = t0;
        if (k % 97 === 0) c.flagged = (c.flagged + 1) % 5;
        if (k % 389 === 0) {
          c.online = !c.online;
          c.offline_since = c.online ? null : t0;
        }
        batch.set(c.id, c);
      }
      rowsSent += perFlush;
      emitRows(s, [...batch.values()]);
      const wait = flushMs - (Date.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return { flushes, rows: rowsSent, per_flush: perFlush, last: Object.fromEntries(list.slice(0, 5).map((c) => [c.regno, c.answered])) };
  }

  function trickle() {
    for (const s of [s1, s2]) {
      const list = [...s.cands.values()].filter((c) => c.status === 'in_progress');
      const changed = [];
      for (let i = 0; i < (s === s1 ? 2 : 20); i++) {
        const c = list[Math.floor(Math.random() * list.length)];
        if (!c) continue;
        if (c.answered < TOTAL) c.answered++;
        c.position = Math.min(TOTAL, c.answered + 1);
        c.last_activity = Date.now();
        changed.push(c);
      }
      if (changed.length) emitRows(s, changed);
      if (Math.random() < 0.05 && list.length) incident(s, list[Math.floor(Math.random() * list.length)], ['page_hidden', 'window_blur', 'copy'][Math.floor(Math.random() * 3)], 3000 + Math.floor(Math.random() * 20000));
    }
  }
  if (opts.auto) auto = setInterval(trickle, 1000);

  const server = createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const path = u.pathname;
    try {
      if (path.startsWith('/__fake/')) return await hook(req, res, path.slice(8), u.searchParams);
      if (!path.startsWith('/api/')) return await serveStatic(req, res, path);
      const api = path.slice('/api/v1/staff'.length);
      if (!path.startsWith('/api/v1/staff/')) return reply(res, 404, { error: { code: 'not_found' } });
      if (api === '/login' && req.method === 'POST') {
        const b = await readBody(req);
        const user = b && USERS[b.username];
        if (!user || b.password !== 'sandi-' + b.username) return reply(res, 401, { error: { code: 'invalid_credentials', message: 'Nama pengguna atau kata sandi salah.' } });
        const sid = randomBytes(16).toString('hex');
        const csrf = randomBytes(16).toString('hex');
        sessions.set(sid, { user, csrf });
        return reply(res, 200, Object.assign({}, user, { csrf, exams: [] }), { 'Set-Cookie': `ujian_staff=${sid}; Path=/; HttpOnly; SameSite=Strict` });
      }
      const sess = session(req);
      if (!sess) return reply(res, 401, { error: { code: 'unauthorized', message: 'Belum masuk.' } });
      const user = sess.user;
      if (req.method !== 'GET' && req.headers['x-csrf-token'] !== sess.csrf) return reply(res, 403, { error: { code: 'csrf' } });
      if (api === '/me') return reply(res, 200, Object.assign({}, user, { csrf: sess.csrf, exams: [] }));
      if (api === '/logout') {
        sessions.forEach((v, k) => { if (v === sess) sessions.delete(k); });
        return reply(res, 200, {});
      }
      if (api === '/exams') return reply(res, 200, { exams: [] });
      if (!mayRead(user)) return reply(res, 403, { error: { code: 'forbidden' } });
      if (api === '/sittings') return reply(res, 200, { sittings: [...sittings.values()].filter((s) => visible(user, s)).map((s) => sittingJson(s, user)) });
      const m = /^\/sittings\/(\d+)(\/[a-z]+)?$/.exec(api);
      if (!m) return reply(res, 404, { error: { code: 'not_found' } });
      const s = sittings.get(Number(m[1]));
      if (!s) return reply(res, 404, { error: { code: 'no_such_sitting', message: 'Sesi tidak ditemukan.' } });
      if (!visible(user, s)) return reply(res, 404, { error: { code: 'no_such_sitting', message: 'Sesi tidak ditemukan.' } });
      const sub = m[2] || '';
      if (sub === '' && req.method === 'GET') return reply(res, 200, snapshot(s, user));
      if (sub === '/log' && req.method === 'GET') return reply(res, 200, { items: s.log.slice().sort((a, b) => b.id - a.id) });
      if (sub === '/report' && req.method === 'GET') return reply(res, 200, report(s, user));
      if (sub === '/events' && req.method === 'GET') return stream(req, res, s, user, u.searchParams);
      if (sub === '/actions' && req.method === 'POST') {
        if (!mayAct(user)) return reply(res, 403, { error: { code: 'forbidden' } });
        const b = await readBody(req);
        posts.push({ sitting: s.id, user: user.username, csrf: req.headers['x-csrf-token'] === sess.csrf, body: b });
        const [status, out] = act(s, user, b || {});
        return reply(res, status, out);
      }
      return reply(res, 405, { error: { code: 'method_not_allowed' } });
    } catch (e) {
      console.error(e);
      if (!res.headersSent) reply(res, 500, { error: { code: 'internal' } });
    }
  });

  function stream(req, res, s, user, q) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const cl = { res, user };
    const last = Number(req.headers['last-event-id'] || q.get('last_event_id') || 0);
    const oldest = s.history.length ? s.history[0].id : s.seq + 1;
    if (last && last >= oldest - 1 && last <= s.seq) {
      for (const ev of s.history) if (ev.id > last) send(cl, ev);
      cl.resumed = true;
    } else {
      res.write(`id: ${s.seq}\nevent: snapshot\ndata: ${JSON.stringify(snapshot(s, user, false))}\n\n`);
    }
    s.clients.add(cl);
    s.connects = (s.connects || 0) + 1;
    s.lastResume = !!cl.resumed;
    res.on('close', () => s.clients.delete(cl));
  }

  async function hook(req, res, name, q) {
    const s = sittings.get(Number(q.get('sitting') || 1));
    if (name === 'posts') return reply(res, 200, { posts });
    if (name === 'clients') return reply(res, 200, { clients: s.clients.size, connects: s.connects || 0, resumed: !!s.lastResume, seq: s.seq });
    if (name === 'burst') {
      const out = await burst(s.id, Number(q.get('rate') || 1000), Number(q.get('seconds') || 5), Number(q.get('flush') || 200));
      return reply(res, 200, out);
    }
    if (name === 'incident') {
      const c = s.cands.get(Number(q.get('cand'))) || [...s.cands.values()].find((x) => x.regno === q.get('regno'));
      incident(s, c, q.get('type') || 'page_hidden', q.get('ms') ? Number(q.get('ms')) : null, q.get('by') || 'client');
      return reply(res, 200, { ok: true });
    }
    if (name === 'rows') {
      const c = [...s.cands.values()].find((x) => x.regno === q.get('regno'));
      for (const [k, v] of q) {
        if (k === 'sitting' || k === 'regno') continue;
        if (k === 'online') {
          c.online = v === '1';
          c.offline_since = c.online ? null : Date.now();
        } else if (k === 'remaining_ms') c.deadline = Date.now() + Number(v);
        else c[k] = /^\d+$/.test(v) ? Number(v) : v;
      }
      emitRows(s, [c]);
      return reply(res, 200, row(c, Date.now()));
    }
    if (name === 'drop') {
      for (const cl of s.clients) cl.res.destroy();
      s.clients.clear();
      return reply(res, 200, { ok: true });
    }
    if (name === 'auto') {
      if (q.get('on') === '1' && !auto) auto = setInterval(trickle, 1000);
      if (q.get('on') !== '1' && auto) {
        clearInterval(auto);
        auto = null;
      }
      return reply(res, 200, { ok: true });
    }
    return reply(res, 404, { error: { code: 'not_found' } });
  }

  hb = setInterval(() => {
    for (const s of sittings.values()) for (const cl of s.clients) cl.res.write(': hb\n\n');
  }, 15000);

  await new Promise((r) => server.listen(opts.port || 0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url, sittings, posts,
    burst,
    async close() {
      clearInterval(hb);
      if (auto) clearInterval(auto);
      for (const s of sittings.values()) for (const cl of s.clients) cl.res.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, d) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : d;
  };
  const f = await startFake({ port: Number(arg('--port', 8088)), big: Number(arg('--big', 1000)), auto: process.argv.includes('--auto') });
  console.log(`fake proctor server on ${f.url}/proctor/ (log in as pengawas / sandi-pengawas)`);
}
