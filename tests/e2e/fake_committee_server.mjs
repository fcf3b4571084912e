// fake_committee_server.mjs - a stand-in for the committee's part of the
// staff API (/work/notes/contract-11.md: "Talent API", "Employees API",
// "Selections API", and the existing exam results), so the committee web
// (client-web/committee/) can be developed and its screenshots taken
// without the real server. Node 18 standard library only.
//
// Accounts (password "sandi-<username>"): admin (admin), pansel (committee,
// chair of JPT-2026), anggota1 and anggota2 (committee, members), tamu
// (committee, not a member of any selection).
//
// Item and test analysis (issue 14, fake_analysis.mjs): the bank
// BANK-TALENTA (GET /banks, /banks/CODE), GET /exams/E/analysis[.csv],
// GET /banks/B/analysis[?exam=E], GET and POST /banks/B/calibrations,
// GET /banks/B/calibrations/ID, with ?easy=&hard=&weak= (400 naming a bad
// one); the account penulis (author) reaches the bank routes only.
//
// Test hooks (no auth), under /__fake/: POST finish?nip=&potential= (the
// employee's potential changes as if an exam finished: the placement is
// recomputed and published on the period's stream), GET puts (the captured
// score/gate/ppk bodies), POST close (the selection is closed: writes 409).
//
// Standalone: node tests/e2e/fake_committee_server.mjs [--port 8089]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, normalize, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeAnalysis, BANK_CODE } from './fake_analysis.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB = resolve(HERE, '..', '..', 'client-web');
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'";
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

const USERS = {
  admin: { username: 'admin', name: 'Rahmat Hidayat', roles: ['admin'] },
  pansel: { username: 'pansel', name: 'Prof. Dr. Sri Wahyuni, M.Si.', roles: ['committee'] },
  anggota1: { username: 'anggota1', name: 'Dr. Bambang Sutrisno', roles: ['committee'] },
  anggota2: { username: 'anggota2', name: 'Ir. Lestari Handayani, M.T.', roles: ['committee'] },
  tamu: { username: 'tamu', name: 'Tamu Panitia', roles: ['committee'] },
  penulis: { username: 'penulis', name: 'Dra. Endang Pertiwi, M.Pd.', roles: ['author'] },
};

const FIRST = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rizky', 'Putri', 'Andi', 'Nur', 'Eko', 'Fitri', 'Hendra', 'Intan', 'Joko', 'Kartika',
  'Lestari', 'Muhammad', 'Nanda', 'Oktavia', 'Rahmat', 'Sri', 'Taufik', 'Wahyu', 'Yulia', 'Zainal', 'Ayu', 'Bayu', 'Citra', 'Dimas'];
const LAST = ['Santoso', 'Rahayu', 'Saputra', 'Lestari', 'Hidayat', 'Wijaya', 'Pratama', 'Kusuma', 'Nugroho', 'Siregar', 'Harahap',
  'Simanjuntak', 'Sitompul', 'Wulandari', 'Permana', 'Setiawan', 'Gunawan', 'Hakim', 'Syahputra', 'Maharani'];
const UNITS = ['Sekretariat Daerah', 'Badan Kepegawaian dan Pengembangan SDM', 'Dinas Pendidikan', 'Dinas Kesehatan',
  'Badan Perencanaan Pembangunan Daerah', 'Dinas Pekerjaan Umum dan Penataan Ruang'];
const TYPES = ['administrator', 'pengawas', 'fungsional', 'pelaksana', 'jpt'];
const GRADES = ['III/a', 'III/b', 'III/c', 'III/d', 'IV/a', 'IV/b', 'IV/c'];
const POSITIONS = { jpt: 'Kepala Dinas', administrator: 'Kepala Bidang', pengawas: 'Kepala Subbagian', fungsional: 'Analis Kebijakan Ahli Muda', pelaksana: 'Pengadministrasi Umum' };
const PREDIKAT = ['sangat_baik', 'baik', 'butuh_perbaikan'];

const LABELS = { 9: 'Bintang', 8: 'Potensial tinggi', 7: 'Kinerja tinggi', 6: 'Potensial, kinerja kurang', 5: 'Inti', 4: 'Kinerja baik, potensial rendah',
  3: 'Perlu perhatian', 2: 'Perlu pengembangan', 1: 'Kinerja rendah' };
const RECS = {
  9: 'Dipromosikan dan dipertahankan; kelompok rencana suksesi instansi/nasional; penghargaan',
  8: 'Dipertahankan; kelompok rencana suksesi instansi; rotasi/pengayaan jabatan; bimbingan kinerja',
  7: 'Dipertahankan; kelompok rencana suksesi instansi; rotasi/perluasan jabatan; pengembangan kompetensi; tugas belajar',
  6: 'Penempatan yang sesuai; bimbingan kinerja; konseling kinerja',
  5: 'Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi',
  4: 'Rotasi; pengembangan kompetensi',
  3: 'Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai',
  2: 'Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai',
  1: 'Diproses sesuai ketentuan peraturan perundang-undangan',
};
const BASE_CONFIG = {
  components: [
    { code: 'cat', name: 'Tes kompetensi', kind: 'exam', exam: 'TALENTA-DEMO', section: null, weight: 60 },
    { code: 'jpm', name: 'Assessment center (JPM %)', kind: 'entered', weight: 30, max: 100 },
    { code: 'rekam', name: 'Rekam jejak', kind: 'entered', weight: 10, max: 100 },
  ],
  cutoffs: { high: 80, medium: 68 },
  performance: { map: { sangat_baik: 'above', baik: 'meets', butuh_perbaikan: 'below', kurang: 'below', sangat_kurang: 'below' }, years: 2, until_year: 2026 },
  boxes: { above: [4, 7, 9], meets: [2, 5, 8], below: [1, 3, 6] },
  labels: LABELS, recommendations: RECS, pool: [7, 8, 9],
  sanctions: { levels: ['moderate', 'heavy'], years: 2 },
  orientation: { x: 'potential', y: 'performance' },
};
// The period's configuration of the running fake (startFake's opts.orientation
// and opts.boxes change the picture's axes and the numbering).
let CONFIG = BASE_CONFIG;
const SECTIONS = [{ code: 'MANAJERIAL', max: 180 }, { code: 'SOSIOKULTURAL', max: 100 }, { code: 'TEKNIS', max: 120 }];

function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

const pick = (rand, a) => a[Math.floor(rand() * a.length)];
const round2 = (x) => Math.round(x * 100) / 100;

function reply(res, status, body, headers) {
  res.writeHead(status, Object.assign({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, headers || {}));
  res.end(JSON.stringify(body));
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
  if (/^\/(admin|committee|proctor|candidate|slip)$/.test(path)) {
    res.writeHead(302, { Location: path + '/' });
    res.end();
    return;
  }
  const rel = normalize(decodeURIComponent(path)).replace(/^\/+/, '');
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

// ---------------------------------------------------------------------------
// Talent

function level(cut, p) {
  if (p === null) return null;
  return p >= cut.high ? 'high' : p >= cut.medium ? 'medium' : 'low';
}

function boxOf(perf, pot) {
  if (!perf || !pot) return null;
  return CONFIG.boxes[perf][['low', 'medium', 'high'].indexOf(pot)];
}

function nipFor(rand, i) {
  const y = 1968 + Math.floor(rand() * 25);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  const ay = y + 23 + Math.floor(rand() * 5);
  const am = 1 + Math.floor(rand() * 12);
  const p = (n, w) => String(n).padStart(w, '0');
  return `${y}${p(m, 2)}${p(d, 2)}${ay}${p(am, 2)}${1 + Math.floor(rand() * 2)}${p(i % 1000, 3)}`;
}

function makeEmployees(rand, n) {
  const list = [];
  for (let i = 1; i <= n; i++) {
    const type = i <= 3 ? 'jpt' : pick(rand, TYPES.slice(0, 4));
    const nip = nipFor(rand, i);
    const e = {
      nip, name: `${pick(rand, FIRST)} ${pick(rand, LAST)}`, grade: type === 'jpt' ? 'IV/c' : pick(rand, GRADES),
      position: POSITIONS[type], position_type: type, unit: UNITS[i % UNITS.length], agency: 'Pemerintah Provinsi Nusantara',
      education: pick(rand, ['S1', 'S2', 'S3', 'D4']), birth_date: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
      skp: [{ year: 2025, predikat: pick(rand, PREDIKAT) }, { year: 2026, predikat: pick(rand, PREDIKAT) }],
      sanctions: [], potential: round2(55 + rand() * 40), prev_potential: round2(55 + rand() * 40),
    };
    if (i % 23 === 0) e.skp = [];
    if (i % 29 === 0) e.potential = null;
    if (i % 31 === 0) e.sanctions.push({ type: 'Penundaan kenaikan pangkat', level: 'moderate', date: '2025-08-14', note: 'PP 94/2021 pasal 8' });
    if (i % 37 === 0) e.sanctions.push({ type: 'Teguran lisan', level: 'light', date: '2024-03-02', note: '' });
    list.push(e);
  }
  return list;
}

function perfOf(e, years) {
  const map = CONFIG.performance.map;
  const ratings = e.skp.filter((s) => years.includes(s.year));
  if (!ratings.length) return null;
  const order = ['below', 'meets', 'above'];
  let lo = 2;
  for (const r of ratings) lo = Math.min(lo, order.indexOf(map[r.predikat]));
  return order[lo];
}

function placement(e) {
  const perf = perfOf(e, [2025, 2026]);
  const pot = level(CONFIG.cutoffs, e.potential);
  const box = boxOf(perf, pot);
  const prevPerf = perfOf(e, [2025]);
  const prevBox = e.nip.endsWith('7') ? null : boxOf(prevPerf, level(CONFIG.cutoffs, e.prev_potential));
  const sanction = e.sanctions.find((s) => s.level !== 'light');
  let reasonCode = '';
  let reason = '';
  if (!perf) { reasonCode = 'no_skp'; reason = 'Belum ada nilai SKP pada 2 tahun terakhir'; }
  else if (e.potential === null) { reasonCode = 'no_potential'; reason = 'Belum ada hasil asesmen potensial'; }
  else if (sanction) { reasonCode = 'sanction'; reason = `Hukuman disiplin tingkat sedang (${sanction.date})`; }
  return {
    nip: e.nip, name: e.name, grade: e.grade, position: e.position, position_type: e.position_type, unit: e.unit,
    perf, potential: e.potential, pot_level: pot, box, prev_box: prevBox,
    in_pool: !!box && CONFIG.pool.includes(box) && !sanction, excluded: !!sanction, reason_code: reasonCode, reason,
  };
}

function boxesOf(rows) {
  const out = [];
  for (const perf of ['above', 'meets', 'below']) {
    ['low', 'medium', 'high'].forEach((pot, i) => {
      const box = CONFIG.boxes[perf][i];
      const std = BASE_CONFIG.boxes[perf][i]; // labels follow the levels, whatever the number
      out.push({ box, perf, pot, label: LABELS[std], recommendation: RECS[std], count: rows.filter((r) => r.box === box).length });
    });
  }
  return out.sort((a, b) => b.box - a.box);
}

// ---------------------------------------------------------------------------
// Selections

const STAGES = [
  { code: 'administrasi', name: 'Seleksi administrasi', weight: 0, gate: true, source: null },
  { code: 'asesmen', name: 'Asesmen kompetensi', weight: 25, gate: false, source: { exam: 'TALENTA-DEMO', section: null } },
  { code: 'makalah', name: 'Penulisan makalah', weight: 20, gate: false, source: null },
  { code: 'wawancara', name: 'Wawancara', weight: 35, gate: false, source: null },
  { code: 'rekam_jejak', name: 'Penelusuran rekam jejak', weight: 20, gate: false, source: null },
  { code: 'kesehatan', name: 'Tes kesehatan', weight: 0, gate: true, source: null },
];
const MEMBERS = [
  { username: 'pansel', name: USERS.pansel.name, role: 'chair' },
  { username: 'anggota1', name: USERS.anggota1.name, role: 'secretary' },
  { username: 'anggota2', name: USERS.anggota2.name, role: 'member' },
];

function makeSelection(rand, employees, now) {
  const vacs = [
    { code: 'V1', position: 'Kepala Dinas Pendidikan', unit: 'Dinas Pendidikan', openings: 1, min_grade: 'IV/b', requirements: 'S2; pernah menduduki jabatan administrator paling singkat 5 tahun' },
    { code: 'V2', position: 'Kepala Dinas Kesehatan', unit: 'Dinas Kesehatan', openings: 1, min_grade: 'IV/b', requirements: 'S2 kesehatan masyarakat/kedokteran' },
    { code: 'V3', position: 'Kepala Badan Perencanaan Pembangunan Daerah', unit: 'Badan Perencanaan Pembangunan Daerah', openings: 1, min_grade: 'IV/c', requirements: 'S2; pengalaman perencanaan' },
  ];
  let id = 100;
  const S = { code: 'JPT-2026', name: 'Seleksi Terbuka JPT Pratama 2026', agency: 'Pemerintah Provinsi Nusantara', status: 'open', created_at: new Date(now - 40 * 86400000).toISOString(), closed_at: null, vacancies: vacs, clients: new Set(), seq: 0 };
  vacs.forEach((v, vi) => {
    v.ppk = null;
    v.applicants = [];
    const n = vi === 0 ? 9 : vi === 1 ? 7 : 4;
    for (let k = 0; k < n; k++) {
      const internal = k % 3 !== 2;
      const e = employees[10 + vi * 12 + k];
      const a = { id: ++id, kind: internal ? 'internal' : 'external', nip: internal ? e.nip : null, nik: internal ? null : `32730${String(1000000 + Math.floor(rand() * 8999999)).slice(0, 7)}${String(1000 + k)}`,
        name: internal ? e.name : `${pick(rand, FIRST)} ${pick(rand, LAST)}`, origin: internal ? e.unit : pick(rand, ['PT Bank Nusantara (Persero)', 'Universitas Negeri Nusantara', 'Kementerian Dalam Negeri']),
        status: 'active', out_stage: null, out_reason: '', stages: {} };
      const adminPass = !(k === n - 1 && vi < 2);
      // How far the applicant got: V1 complete for most, V2 partway, V3 only assessment.
      const depth = vi === 0 ? (k < 6 ? 5 : 3) : vi === 1 ? 3 : 2;
      STAGES.forEach((st, si) => {
        const s = { score: null, passed: null, reason: '', entries: [], source: st.source ? 'exam' : 'entered', complete: false };
        if (st.gate) {
          if (st.code === 'administrasi') { s.passed = adminPass; s.reason = adminPass ? '' : 'Ijazah S2 tidak dilampirkan'; s.complete = true; }
          if (st.code === 'kesehatan' && depth >= 5 && adminPass) { s.passed = true; s.complete = true; }
        } else if (adminPass && si <= depth) {
          if (st.source) {
            s.score = round2(62 + rand() * 33);
            s.complete = true;
          } else {
            MEMBERS.forEach((m, mi) => {
              if (si === depth && mi === 2 && k % 2) return; // the last stage reached is not complete for some
              s.entries.push({ username: m.username, name: m.name, score: Math.round(65 + rand() * 30), at: new Date(now - (30 - si * 5) * 86400000 + mi * 3600000).toISOString() });
            });
          }
        }
        a.stages[st.code] = s;
      });
      if (!adminPass) { a.status = 'out'; a.out_stage = 'administrasi'; a.out_reason = 'Ijazah S2 tidak dilampirkan'; }
      v.applicants.push(a);
    }
  });
  return S;
}

// Recompute stage scores, final, ranking and proposal of a vacancy.
function recompute(v) {
  for (const a of v.applicants) {
    let out = null;
    for (const st of STAGES) {
      const s = a.stages[st.code];
      if (st.gate) {
        if (s.passed === false && !out) out = { stage: st.code, reason: s.reason };
        continue;
      }
      if (!st.source) {
        s.score = s.entries.length ? round2(s.entries.reduce((x, e) => x + e.score, 0) / s.entries.length) : null;
        s.complete = s.entries.length === MEMBERS.length;
      }
    }
    a.status = out ? 'out' : 'active';
    a.out_stage = out ? out.stage : null;
    a.out_reason = out ? out.reason : '';
    const weighted = STAGES.filter((st) => st.weight > 0);
    const done = weighted.every((st) => a.stages[st.code].complete && a.stages[st.code].score !== null);
    a.final = !out && done ? round2(weighted.reduce((x, st) => x + a.stages[st.code].score * st.weight / 100, 0)) : null;
    a.rank = null;
  }
  const ranked = v.applicants.filter((a) => a.final !== null).sort((x, y) => y.final - x.final ||
    y.stages.asesmen.score - x.stages.asesmen.score || y.stages.wawancara.score - x.stages.wawancara.score);
  ranked.forEach((a, i) => { a.rank = i + 1; });
  v.proposal = ranked.slice(0, 3).map((a) => ({ rank: a.rank, applicant: a.id, name: a.name, final: a.final }));
}

function funnel(v) {
  return STAGES.map((st, si) => {
    let entered = 0;
    let passed = 0;
    for (const a of v.applicants) {
      const reached = si === 0 || STAGES.slice(0, si).every((p) => (p.gate ? a.stages[p.code].passed !== false : a.stages[p.code].score !== null || a.stages[p.code].entries.length));
      if (!reached) continue;
      const s = a.stages[st.code];
      const touched = st.gate ? s.passed !== null : s.score !== null || s.entries.length > 0;
      if (!touched) continue;
      entered++;
      if (st.gate ? s.passed : s.complete) passed++;
    }
    return { stage: st.code, name: st.name, entered, passed };
  });
}

function vacancyBody(S, v) {
  return {
    vacancy: { code: v.code, position: v.position, unit: v.unit, openings: v.openings, min_grade: v.min_grade, requirements: v.requirements, selection: S.code },
    stages: STAGES, members: MEMBERS,
    applicants: v.applicants.map((a) => Object.assign({}, a)), proposal: v.proposal, ppk: v.ppk,
  };
}

function selectionBody(S, user) {
  const me = MEMBERS.find((m) => m.username === user.username);
  return {
    selection: { code: S.code, name: S.name, agency: S.agency, status: S.status, closed_at: S.closed_at, config: { stages: STAGES, tie_break: ['asesmen', 'wawancara'], score_rule: 'mean' }, members: MEMBERS },
    vacancies: S.vacancies.map((v) => ({ code: v.code, position: v.position, unit: v.unit, openings: v.openings, min_grade: v.min_grade, requirements: v.requirements,
      applicants: v.applicants.length, active: v.applicants.filter((a) => a.status === 'active').length, funnel: funnel(v), ppk: v.ppk })),
    me: { member: !!me, role: me ? me.role : null },
  };
}

// ---------------------------------------------------------------------------
// Exams and results

function makeResults(rand, employees) {
  const rows = [];
  employees.forEach((e, i) => {
    if (i % 13 === 5) return;
    const r = { rank: null, registration_no: `TD${String(i + 1).padStart(4, '0')}`, name: e.name, track: i % 4 === 0 ? 'jpt' : 'umum' };
    let total = 0;
    SECTIONS.forEach((s) => {
      const v = Math.round(s.max * (0.35 + rand() * 0.6));
      r[s.code] = v;
      total += v;
    });
    r.total = total;
    const dis = i % 41 === 7;
    r.passed = !dis && r.MANAJERIAL >= 90 && r.SOSIOKULTURAL >= 50 && r.TEKNIS >= 60;
    r.disqualified = dis;
    r.finish_reason = dis ? 'disqualified' : i % 6 === 0 ? 'time_up' : 'submitted';
    r.finished_at = new Date(Date.UTC(2026, 10, 20, 2 + (i % 3), (i * 7) % 60)).toISOString().replace('Z', '+07:00').replace(/T(\d\d)/, (m, hh) => 'T' + String(Number(hh) + 7).padStart(2, '0'));
    r.nip = e.nip;
    rows.push(r);
  });
  const fin = rows.filter((r) => !r.disqualified).sort((a, b) => b.total - a.total);
  fin.forEach((r, i) => { r.rank = i + 1; });
  return rows.sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9));
}

/**
 * Start the fake. opts: {port (0: any), employees (count, default 120),
 * orientation ('performance': performance across, potential up), boxes
 * (another numbering: {above: [..3], meets, below}, low to high potential)}.
 * Resolves {url, close(), finish(nip, potential), puts}.
 */
export async function startFake(opts = {}) {
  CONFIG = Object.assign({}, BASE_CONFIG, {
    orientation: opts.orientation === 'performance' ? { x: 'performance', y: 'potential' } : BASE_CONFIG.orientation,
    boxes: opts.boxes || BASE_CONFIG.boxes,
  });
  if (opts.boxes) {
    const renum = {};
    ['above', 'meets', 'below'].forEach((p) => BASE_CONFIG.boxes[p].forEach((std, i) => { renum[std] = opts.boxes[p][i]; }));
    CONFIG.labels = {};
    CONFIG.recommendations = {};
    Object.keys(renum).forEach((std) => {
      CONFIG.labels[renum[std]] = LABELS[std];
      CONFIG.recommendations[renum[std]] = RECS[std];
    });
    CONFIG.pool = BASE_CONFIG.pool.map((b) => renum[b]);
  }
  const rand = rng(opts.seed || 20261202);
  const now = Date.now();
  const employees = makeEmployees(rand, opts.employees || 120);
  const byNip = new Map(employees.map((e) => [e.nip, e]));
  const results = makeResults(rand, employees);
  const S = makeSelection(rand, employees, now);
  S.vacancies.forEach(recompute);
  const period = { code: 'PT-2026', name: 'Pemetaan Talenta 2026', created_at: new Date(now - 20 * 86400000).toISOString(), closed_at: null, previous: 'PT-2025', clients: new Set(), seq: 0 };
  const exams = [
    { code: 'TALENTA-DEMO', title: 'Asesmen Kompetensi Pemetaan Talenta 2026', opens_at: '2026-11-20T01:00:00Z', closes_at: '2026-11-20T09:00:00Z', duration_s: 5400, token_required: true, show_score: true, archived: false, candidates: employees.length, started: results.length, finished: results.length, pass_rules: { umum: { sections: { MANAJERIAL: 90, SOSIOKULTURAL: 50, TEKNIS: 60 } }, jpt: { total: 280, sections: { MANAJERIAL: 100 } } } },
    { code: 'SKD-DEMO', title: 'Seleksi Kompetensi Dasar (demo)', opens_at: null, closes_at: null, duration_s: 6000, token_required: false, show_score: true, archived: false, candidates: 0, started: 0, finished: 0, pass_rules: {} },
  ];
  const analysis = makeAnalysis({});
  exams.push(...analysis.exams);
  const sessions = new Map();
  const puts = [];
  const audit = [];

  const talentRows = () => employees.map(placement);
  const periodBody = () => {
    const rows = talentRows();
    return { period: { code: period.code, name: period.name, config: CONFIG, created_at: period.created_at, closed_at: null, previous: period.previous }, boxes: boxesOf(rows), employees: rows };
  };

  function session(req) {
    const m = /(?:^|;\s*)ujian_staff=([^;]+)/.exec(req.headers.cookie || '');
    return m ? sessions.get(m[1]) || null : null;
  }

  function publish(topic, event, data) {
    topic.seq++;
    for (const cl of topic.clients) cl.write(`id: ${topic.seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  function stream(req, res, topic, event, body) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    res.write(`id: ${topic.seq}\nevent: ${event}\ndata: ${JSON.stringify(body)}\n\n`);
    topic.clients.add(res);
    res.on('close', () => topic.clients.delete(res));
  }

  const notFound = (res, code) => reply(res, 404, { error: { code: code || 'not_found', message: 'Data tidak ditemukan.' } });

  // Issue 14: the analysis and calibration routes (contract-14.md).
  async function analysisRoutes(req, res, api, q, user) {
    const has = (...roles) => roles.some((r) => user.roles.includes(r));
    let m;
    const thresholds = () => {
      const t = analysis.parseThresholds(q);
      if (t.errors) reply(res, 400, { error: { code: 'invalid_input', message: 'Isian tidak valid.', errors: t.errors } });
      return t.th;
    };
    if ((m = /^\/exams\/([^/]+)\/analysis(\.csv)?$/.exec(api))) {
      if (!has('admin', 'author', 'committee')) return reply(res, 403, { error: { code: 'forbidden' } });
      if (!exams.find((x) => x.code === m[1])) return notFound(res, 'no_such_exam');
      const th = thresholds();
      if (!th) return true;
      if (!analysis.hasExam(m[1])) return reply(res, 400, { error: { code: 'no_data', message: 'Belum ada peserta yang selesai.' } });
      if (m[2]) {
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="analisis-${m[1]}.csv"` });
        res.end(analysis.csv(m[1], q.get('sep') === 'semicolon', th));
        return true;
      }
      return reply(res, 200, analysis.examAnalysis(m[1], th));
    }
    if (api === '/banks') {
      if (!has('admin', 'author')) return reply(res, 403, { error: { code: 'forbidden' } });
      return reply(res, 200, { banks: [analysis.bankRow] });
    }
    if ((m = /^\/banks\/([^/]+)(\/.*)?$/.exec(api))) {
      if (!has('admin', 'author')) return reply(res, 403, { error: { code: 'forbidden' } });
      if (m[1] !== BANK_CODE) return notFound(res, 'no_such_bank');
      const sub = m[2] || '';
      if (sub === '') return reply(res, 200, analysis.bank);
      if (sub === '/analysis') {
        const th = thresholds();
        if (!th) return true;
        const ex = q.get('exam') || null;
        if (ex && !analysis.hasExam(ex)) return notFound(res, 'no_such_exam');
        return reply(res, 200, analysis.bankAnalysis(ex, th));
      }
      if (sub === '/calibrations' && req.method === 'GET') return reply(res, 200, { bank: BANK_CODE, calibrations: analysis.calibrations() });
      if (sub === '/calibrations' && req.method === 'POST') {
        puts.push({ path: api, user: user.username, csrf: !!req.headers['x-csrf-token'] });
        return reply(res, 201, analysis.calibrate(user.username));
      }
      const c = /^\/calibrations\/(\d+)$/.exec(sub);
      if (c && req.method === 'GET') {
        const cal = analysis.calibration(Number(c[1]));
        return cal ? reply(res, 200, cal) : notFound(res, 'no_such_calibration');
      }
      return notFound(res);
    }
    return false;
  }

  async function staff(req, res, api, q, user, sess) {
    const committee = user.roles.includes('admin') || user.roles.includes('committee');
    if (api === '/exams') return reply(res, 200, { exams });
    if (await analysisRoutes(req, res, api, q, user) !== false) return;
    if (!committee) return reply(res, 403, { error: { code: 'forbidden' } });
    let m;
    if ((m = /^\/exams\/([^/]+)$/.exec(api))) {
      if (!user.roles.includes('admin')) return reply(res, 403, { error: { code: 'forbidden' } });
      const e = exams.find((x) => x.code === m[1]);
      if (!e) return notFound(res, 'no_such_exam');
      return reply(res, 200, { exam: e, definition: { code: e.code, sections: SECTIONS.map((s) => ({ code: s.code, draw: 10 })), pass_rules: { umum: { sections: { MANAJERIAL: 90, SOSIOKULTURAL: 50, TEKNIS: 60 } }, jpt: { total: 280, sections: { MANAJERIAL: 100 } } } } });
    }
    if ((m = /^\/exams\/([^/]+)\/results(\.csv|\.xlsx)?$/.exec(api))) {
      if (!exams.find((x) => x.code === m[1])) return notFound(res, 'no_such_exam');
      const rows = m[1] === 'TALENTA-DEMO' ? results : [];
      if (m[2] === '.csv') {
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
        return res.end('\ufeffPeringkat;Nomor Peserta;Nama\r\n' + rows.map((r) => `${r.rank || ''};${r.registration_no};${r.name}`).join('\r\n'));
      }
      if (m[2]) { res.writeHead(200, { 'Content-Type': 'application/octet-stream' }); return res.end('xlsx'); }
      return reply(res, 200, rows.map((r) => { const o = Object.assign({}, r); delete o.nip; return o; }));
    }
    // Talent
    if (api === '/talent/periods') {
      const rows = talentRows();
      return reply(res, 200, { periods: [
        { code: period.code, name: period.name, created_at: period.created_at, closed_at: null, counts: { employees: rows.length, mapped: rows.filter((r) => r.box).length, unmapped: rows.filter((r) => !r.box).length, excluded: rows.filter((r) => r.excluded).length, pool: rows.filter((r) => r.in_pool).length } },
        { code: 'PT-2025', name: 'Pemetaan Talenta 2025', created_at: '2025-11-01T02:00:00Z', closed_at: '2025-12-20T02:00:00Z', counts: { employees: rows.length, mapped: rows.filter((r) => r.prev_box).length, unmapped: 0, excluded: 0, pool: 0 } },
      ] });
    }
    if ((m = /^\/talent\/periods\/([^/]+)(\/[a-z.]+)?$/.exec(api))) {
      if (m[1] !== period.code) return notFound(res, 'no_such_period');
      const sub = m[2] || '';
      if (sub === '') return reply(res, 200, periodBody());
      if (sub === '/events') return stream(req, res, period, 'snapshot', periodBody());
      if (sub === '/pool') {
        const pool = talentRows().filter((r) => r.in_pool).sort((a, b) => b.box - a.box || b.potential - a.potential);
        return reply(res, 200, { pool });
      }
      if (sub === '/succession') {
        const min = GRADES.indexOf(q.get('grade') || 'IV/a');
        const n = Number(q.get('n') || 3);
        const c = talentRows().filter((r) => r.box === 9 && r.in_pool && GRADES.indexOf(r.grade) >= min).sort((a, b) => b.potential - a.potential).slice(0, n);
        return reply(res, 200, { candidates: c });
      }
      return notFound(res);
    }
    // Employees
    if ((m = /^\/employees\/(\d{18})$/.exec(api))) {
      const e = byNip.get(m[1]);
      if (!e) return notFound(res, 'no_such_employee');
      const p = placement(e);
      const emp = { nip: e.nip, name: e.name, grade: e.grade, position: e.position, position_type: e.position_type, unit: e.unit, agency: e.agency, education: e.education, birth_date: e.birth_date };
      const r = results.find((x) => x.nip === e.nip);
      return reply(res, 200, {
        employee: emp, skp: e.skp.slice().reverse(), sanctions: e.sanctions,
        results: r ? [{ exam: 'TALENTA-DEMO', exam_name: exams[0].title, registration_no: r.registration_no, status: r.disqualified ? 'disqualified' : 'finished', finish_reason: r.finish_reason, total: r.total, max_total: 400,
          sections: SECTIONS.map((s) => ({ code: s.code, score: r[s.code], max: s.max })), finished_at: r.finished_at }] : [],
        placements: [
          { period: 'PT-2026', period_name: period.name, perf: p.perf, potential: p.potential, pot_level: p.pot_level, box: p.box, in_pool: p.in_pool, reason: p.reason, detail: { components: { cat: e.potential, jpm: e.potential !== null ? round2(e.potential - 3) : null, rekam: 80 } } },
          { period: 'PT-2025', period_name: 'Pemetaan Talenta 2025', perf: perfOf(e, [2025]), potential: e.prev_potential, pot_level: level(CONFIG.cutoffs, e.prev_potential), box: p.prev_box, in_pool: CONFIG.pool.includes(p.prev_box), reason: '', detail: {} },
        ],
      });
    }
    if (api === '/employees') return reply(res, 200, { employees: employees.map((e) => ({ nip: e.nip, name: e.name, grade: e.grade, position: e.position, position_type: e.position_type, unit: e.unit })), units: UNITS });
    // Selections
    if (api === '/selections') {
      const member = MEMBERS.some((x) => x.username === user.username);
      return reply(res, 200, { selections: [{ code: S.code, name: S.name, agency: S.agency, status: S.status, created_at: S.created_at, closed_at: S.closed_at, vacancies: S.vacancies.length, applicants: S.vacancies.reduce((x, v) => x + v.applicants.length, 0), member }] });
    }
    if ((m = /^\/selections\/([^/]+)(\/.*)?$/.exec(api))) {
      if (m[1] !== S.code) return notFound(res, 'no_such_selection');
      const sub = m[2] || '';
      const member = MEMBERS.find((x) => x.username === user.username);
      if (sub === '' && req.method === 'GET') return reply(res, 200, selectionBody(S, user));
      if (sub === '/events') return stream(req, res, S, 'snapshot', selectionBody(S, user));
      let v;
      if ((m = /^\/vacancies\/([^/]+)(\/[a-z.]+)?$/.exec(sub))) {
        v = S.vacancies.find((x) => x.code === m[1]);
        if (!v) return notFound(res, 'no_such_vacancy');
        if (!m[2] && req.method === 'GET') return reply(res, 200, vacancyBody(S, v));
        if (m[2] === '/ranking.csv') { res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' }); return res.end('\ufeffPeringkat;Nama\r\n'); }
        if (m[2] === '/talent') {
          const c = talentRows().filter((r) => r.box === 9 && r.in_pool && GRADES.indexOf(r.grade) >= GRADES.indexOf(v.min_grade));
          return reply(res, 200, { period: period.code, candidates: c });
        }
        if (m[2] === '/ppk' && req.method === 'POST') {
          const b = await readBody(req) || {};
          puts.push({ path: sub, user: user.username, body: b });
          if (!(user.roles.includes('admin') || (member && member.role === 'chair'))) return reply(res, 403, { error: { code: 'forbidden', message: 'Hanya administrator atau ketua panitia.' } });
          if (S.status === 'closed') return reply(res, 409, { error: { code: 'closed', message: 'Seleksi sudah ditutup.' } });
          const p = v.proposal.find((x) => x.applicant === b.applicant);
          if (!p) return reply(res, 400, { error: { code: 'invalid_input', message: 'Isian tidak valid.', errors: [{ field: 'applicant', message: 'bukan salah satu dari tiga usulan' }] } });
          if (p.rank !== 1 && !(b.note || '').trim()) return reply(res, 400, { error: { code: 'invalid_input', message: 'Isian tidak valid.', errors: [{ field: 'note', message: 'catatan wajib bila memilih selain peringkat 1' }] } });
          v.ppk = { applicant: p.applicant, rank: p.rank, note: b.note || '', at: new Date().toISOString(), by: user.username };
          publish(S, 'vacancy', vacancyBody(S, v));
          return reply(res, 200, { ppk: v.ppk });
        }
        return notFound(res);
      }
      if ((sub === '/scores' || sub === '/gates') && req.method === 'PUT') {
        const b = await readBody(req) || {};
        puts.push({ path: sub, user: user.username, body: b });
        if (!member) return reply(res, 403, { error: { code: 'not_member', message: 'Anda bukan anggota panitia seleksi ini.' } });
        if (S.status === 'closed') return reply(res, 409, { error: { code: 'closed', message: 'Seleksi sudah ditutup.' } });
        let a = null;
        for (const x of S.vacancies) { const f = x.applicants.find((y) => y.id === b.applicant); if (f) { a = f; v = x; } }
        const st = STAGES.find((x) => x.code === b.stage);
        const errors = [];
        if (!a) errors.push({ field: 'applicant', message: 'pelamar tidak dikenal' });
        if (!st) errors.push({ field: 'stage', message: 'tahap tidak dikenal' });
        if (sub === '/scores') {
          if (typeof b.score !== 'number' || b.score < 0 || b.score > 100) errors.push({ field: 'score', message: 'nilai harus 0 sampai 100' });
          if (st && (st.gate || st.source)) errors.push({ field: 'stage', message: 'tahap ini tidak diisi nilai oleh anggota' });
          const old = a && st ? a.stages[st.code].entries.find((x) => x.username === user.username) : null;
          if (old && !(b.reason || '').trim()) errors.push({ field: 'reason', message: 'alasan wajib diisi saat mengubah nilai yang sudah ada' });
          if (errors.length) return reply(res, 400, { error: { code: 'invalid_input', message: 'Isian tidak valid.', errors } });
          audit.push({ at: new Date().toISOString(), kind: 'selection_score', username: user.username, name: user.name, vacancy: v.code, applicant: a.id, applicant_name: a.name,
            stage: st.code, old: old ? old.score : null, new: b.score, reason: b.reason || '' });
          if (old) { old.score = b.score; old.at = new Date().toISOString(); }
          else a.stages[st.code].entries.push({ username: user.username, name: user.name, score: b.score, at: new Date().toISOString() });
        } else {
          if (typeof b.passed !== 'boolean') errors.push({ field: 'passed', message: 'pilih lulus atau tidak lulus' });
          if (st && !st.gate) errors.push({ field: 'stage', message: 'bukan tahap gerbang' });
          if (b.passed === false && !(b.reason || '').trim()) errors.push({ field: 'reason', message: 'alasan wajib diisi bila tidak lulus' });
          if (errors.length) return reply(res, 400, { error: { code: 'invalid_input', message: 'Isian tidak valid.', errors } });
          Object.assign(a.stages[st.code], { passed: b.passed, reason: b.reason || '', complete: true });
        }
        recompute(v);
        publish(S, 'vacancy', vacancyBody(S, v));
        return reply(res, 200, { ok: true });
      }
      if (sub === '/close' && req.method === 'POST') {
        if (!(user.roles.includes('admin') || (member && member.role === 'chair'))) return reply(res, 403, { error: { code: 'forbidden', message: 'Hanya administrator atau ketua panitia.' } });
        if (S.status === 'closed') return reply(res, 409, { error: { code: 'closed', message: 'Seleksi sudah ditutup.' } });
        S.status = 'closed';
        S.closed_at = new Date().toISOString();
        return reply(res, 200, selectionBody(S, user));
      }
      if (sub === '/audit') return reply(res, 200, { selection: S.code, entries: audit });
      return notFound(res);
    }
    return notFound(res);
  }

  const server = createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const path = u.pathname;
    try {
      if (path.startsWith('/__fake/')) {
        const name = path.slice(8);
        if (name === 'puts') return reply(res, 200, { puts });
        if (name === 'finish') {
          const e = byNip.get(u.searchParams.get('nip'));
          if (!e) return notFound(res);
          e.potential = Number(u.searchParams.get('potential'));
          const rows = talentRows();
          publish(period, 'placement', { employee: placement(e), boxes: boxesOf(rows) });
          return reply(res, 200, { employee: placement(e) });
        }
        if (name === 'clients') return reply(res, 200, { period: period.clients.size, selection: S.clients.size });
        if (name === 'close') {
          S.status = 'closed';
          S.closed_at = new Date().toISOString();
          return reply(res, 200, { ok: true });
        }
        return notFound(res);
      }
      if (!path.startsWith('/api/')) return await serveStatic(req, res, path);
      if (!path.startsWith('/api/v1/staff/')) return notFound(res);
      const api = path.slice('/api/v1/staff'.length);
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
      if (req.method !== 'GET' && req.headers['x-csrf-token'] !== sess.csrf) return reply(res, 403, { error: { code: 'csrf' } });
      if (api === '/me') return reply(res, 200, Object.assign({}, sess.user, { csrf: sess.csrf, exams: [] }));
      if (api === '/logout') {
        sessions.forEach((v, k) => { if (v === sess) sessions.delete(k); });
        return reply(res, 200, {});
      }
      return await staff(req, res, api, u.searchParams, sess.user, sess);
    } catch (e) {
      console.error(e);
      if (!res.headersSent) reply(res, 500, { error: { code: 'internal' } });
    }
  });

  const hb = setInterval(() => {
    for (const t of [period, S]) for (const cl of t.clients) cl.write(': hb\n\n');
  }, 15000);
  await new Promise((r) => server.listen(opts.port || 0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url, puts, employees,
    talentRows,
    async close() {
      clearInterval(hb);
      for (const t of [period, S]) for (const cl of t.clients) cl.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const f = await startFake({ port: i > 0 ? Number(process.argv[i + 1]) : 8089 });
  console.log(`fake committee server on ${f.url}/committee/ (log in as pansel / sandi-pansel)`);
}
