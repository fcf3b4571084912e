// fake_analysis.mjs - simulated item and test analysis for the fake
// committee server (issue 14; /work/notes/contract-14.md "JSON shapes"): a
// bank of 80 items in three sections (MANAJERIAL and TEKNIS right/wrong,
// SOSIOKULTURAL weighted), 250 candidates of TALENTA-DEMO and 24 of
// TALENTA-SUSULAN answering random draws of it (incomplete design) under a
// two-parameter logistic model, with planted problem items: too easy, too
// hard, weak, negative, a miskeyed item, a distractor the strong candidates
// like, one item everyone gets right (extreme in the calibration). The
// statistics are computed from the simulated responses the way the contract
// describes them (p, r_pb, corrected r, D, option shares, flags, section
// alpha, SEM, share within one SEM of a threshold), so the numbers a page
// shows hang together. Calibrations are a PROX approximation of the Rasch
// model (difficulty, SE, infit, outfit) — good enough for a picture, not
// the server's CML. Node standard library only.

const LETTERS = 'ABCDEF';

export const BANK_CODE = 'BANK-TALENTA';

// section: code, title, items in the bank, drawn per paper, points (rw)
const SECTIONS = [
  { code: 'MANAJERIAL', title: 'Kompetensi Manajerial', pool: 25, draw: 18, rw: true, correct: 10 },
  { code: 'SOSIOKULTURAL', title: 'Kompetensi Sosial Kultural', pool: 20, draw: 20, rw: false },
  { code: 'TEKNIS', title: 'Kompetensi Teknis', pool: 35, draw: 24, rw: true, correct: 5 },
];

// Planted problems: item code -> kind.
const PLANTED = {
  'MANAJERIAL-003': 'easy', 'MANAJERIAL-007': 'hard', 'MANAJERIAL-011': 'weak', 'MANAJERIAL-016': 'miskey',
  'MANAJERIAL-021': 'extreme', 'MANAJERIAL-024': 'omit',
  'TEKNIS-004': 'trap', 'TEKNIS-009': 'negative', 'TEKNIS-013': 'easy', 'TEKNIS-018': 'hard', 'TEKNIS-027': 'weak', 'TEKNIS-031': 'trap',
  'SOSIOKULTURAL-006': 'weak',
};

const STEMS = {
  MANAJERIAL: ['Sebagai kepala bidang, Anda menerima laporan bahwa dua subbagian saling menunggu data. Langkah pertama Anda adalah …',
    'Rencana kerja tahunan unit Anda harus dipangkas 20%. Yang paling tepat Anda lakukan adalah …',
    'Seorang staf berkinerja baik meminta pindah ke unit lain. Sikap Anda …',
    'Target layanan triwulan ini tidak tercapai. Dalam rapat evaluasi Anda …'],
  SOSIOKULTURAL: ['Di tempat tugas baru, kebiasaan rapat berbeda dengan yang Anda kenal. Anda …',
    'Warga dari kelompok minoritas mengeluhkan pelayanan yang lambat. Anda …',
    'Rekan kerja berbeda pendapat tajam dalam diskusi terbuka. Anda …'],
  TEKNIS: ['Berdasarkan PP 94/2021, hukuman disiplin sedang terdiri atas …',
    'Dokumen perencanaan lima tahunan perangkat daerah disebut …',
    'Dalam pengadaan barang/jasa, pejabat yang menetapkan HPS adalah …',
    'Nilai SKP dengan predikat "Baik" berarti kinerja pegawai …'],
};

function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

function normal(rand) {
  const u = Math.max(1e-12, rand());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const sig = (z) => 1 / (1 + Math.exp(-z));
const r4 = (x) => (x === null || !isFinite(x) ? null : Math.round(x * 10000) / 10000);
const r1 = (x) => (x === null || !isFinite(x) ? null : Math.round(x * 10) / 10);

function mean(a) {
  return a.length ? a.reduce((s, x) => s + x, 0) / a.length : null;
}

function sd(a) {
  if (!a.length) return null;
  const m = mean(a);
  return Math.sqrt(a.reduce((s, x) => s + (x - m) * (x - m), 0) / a.length);
}

function pearson(x, y) {
  const n = x.length;
  if (n < 2) return null;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

function quantile(a, q) {
  if (!a.length) return null;
  const s = a.slice().sort((x, y) => x - y);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(s.length - 1, lo + 1)] - s[lo]) * (pos - lo);
}

function shuffle(rand, a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The bank: sections and items as GET /banks/CODE gives them, plus the
 *  simulation's hidden parameters (_a, _b, _kind, _true). */
function makeBank(rand) {
  const items = [];
  let id = 1000;
  for (const s of SECTIONS) {
    for (let i = 1; i <= s.pool; i++) {
      const code = `${s.code}-${String(i).padStart(3, '0')}`;
      const kind = PLANTED[code] || '';
      const stems = STEMS[s.code];
      const options = [];
      const key = s.rw ? (i * 3) % 5 : -1;
      const pts = s.rw ? null : shuffle(rand, [1, 2, 3, 4, 5]);
      for (let k = 0; k < 5; k++) {
        const o = { text: `Pilihan ${LETTERS[k]} untuk soal ${code}` };
        if (s.rw && k === key) o.correct = true;
        if (!s.rw) o.points = pts[k];
        options.push(o);
      }
      let a = 0.6 + rand() * 0.9;
      let b = normal(rand) * 0.8;
      if (kind === 'easy') b = -3.2;
      if (kind === 'hard') { b = 2.6; a = 0.9; }
      if (kind === 'weak') a = 0.12;
      if (kind === 'negative') { a = -0.7; b = 0.3; }
      if (kind === 'extreme') { b = -9; a = 1; }
      items.push({
        id: code, item_id: ++id, section: s.code, topic: s.code.toLowerCase(), difficulty: b < -0.7 ? 'easy' : b > 0.7 ? 'hard' : 'medium',
        text: `${stems[i % stems.length]} (${code})`, options,
        _a: a, _b: b, _kind: kind, _key: key, _true: kind === 'miskey' ? (key + 2) % 5 : key, _pts: pts,
        _time: 25 + rand() * 50,
      });
    }
  }
  return items;
}

/** One person answering one item: {option (-1 blank), points, time_s}. */
function answer(rand, sec, it, theta) {
  const blankP = it._kind === 'extreme' ? 0 : it._kind === 'omit' ? 0.16 : 0.015 + (theta < -1 ? 0.03 : 0);
  const time = Math.round(it._time * Math.exp(0.45 * normal(rand)) * (it._kind === 'hard' ? 1.6 : 1) * 10) / 10;
  if (rand() < blankP) return { option: -1, points: 0, time };
  let opt;
  if (sec.rw) {
    const pr = sig(1.7 * it._a * (theta - it._b));
    if (it._kind === 'trap') {
      // a distractor the strong candidates fall for
      const trap = (it._key + 1) % 5;
      const pTrap = 0.45 * sig(1.8 * theta);
      const u = rand();
      opt = u < pr * (1 - pTrap) ? it._true : u < pr * (1 - pTrap) + pTrap ? trap : pickWrong(rand, it, [it._true, trap]);
    } else if (rand() < pr) opt = it._true;
    else if (it._kind === 'miskey' && rand() < 0.55) opt = it._key;
    else opt = pickWrong(rand, it, [it._true, it._key]);
    return { option: opt, points: opt === it._key ? sec.correct : 0, time };
  }
  // weighted: the higher the ability, the likelier the better options
  const w = it._pts.map((p) => Math.exp((it._kind === 'weak' ? 0.1 : 0.75) * theta * (p - 3) + 0.2 * normal(rand)));
  const sum = w.reduce((x, y) => x + y, 0);
  let u = rand() * sum;
  opt = 0;
  while (opt < 4 && u > w[opt]) { u -= w[opt]; opt++; }
  return { option: opt, points: it._pts[opt], time };
}

function pickWrong(rand, it, not) {
  const pool = [0, 1, 2, 3, 4].filter((k) => not.indexOf(k) < 0);
  // uneven attraction: the first remaining distractor draws the most
  const w = pool.map((k, i) => [0.45, 0.3, 0.15, 0.1][i] || 0.1);
  let u = rand() * w.reduce((x, y) => x + y, 0);
  for (let i = 0; i < pool.length; i++) {
    if (u < w[i]) return pool[i];
    u -= w[i];
  }
  return pool[pool.length - 1];
}

function simulate(rand, items, exam, n) {
  const persons = [];
  for (let p = 0; p < n; p++) {
    const theta = normal(rand) * 1.0 + 0.15;
    const resp = {}; // item code -> answer
    const scores = {};
    let total = 0;
    for (const s of SECTIONS) {
      const pool = items.filter((it) => it.section === s.code);
      const drawn = shuffle(rand, pool.slice()).slice(0, s.draw);
      let sum = 0;
      for (const it of drawn) {
        const a = answer(rand, s, it, theta + (s.code === 'SOSIOKULTURAL' ? normal(rand) * 0.3 : 0));
        resp[it.id] = a;
        sum += a.points;
      }
      scores[s.code] = sum;
      total += sum;
    }
    persons.push({ exam, theta, resp, scores, total, track: p % 4 === 0 && exam === 'TALENTA-DEMO' ? 'jpt' : 'umum' });
  }
  return persons;
}

const maxPoints = (sec, it) => (sec.rw ? sec.correct : Math.max.apply(null, it._pts));

/** The classical statistics of one item over persons, with thresholds th. */
function itemStats(it, persons, th) {
  const sec = SECTIONS.find((s) => s.code === it.section);
  const seen = persons.filter((p) => p.resp[it.id]);
  const x = seen.map((p) => p.resp[it.id].points);
  const S = seen.map((p) => p.scores[it.section]);
  const mx = maxPoints(sec, it);
  const n = seen.length;
  const answered = seen.filter((p) => p.resp[it.id].option >= 0).length;
  const order = seen.map((p, i) => i).sort((a, b) => S[a] - S[b]);
  const g = Math.max(1, Math.round(0.27 * n));
  const lower = order.slice(0, g);
  const upper = order.slice(n - g);
  const pOf = (idx) => (idx.length ? mean(idx.map((i) => x[i])) / mx : null);
  const p = n ? mean(x) / mx : null;
  const rpb = pearson(x, S);
  const rc = pearson(x, S.map((s, i) => s - x[i]));
  const times = seen.map((q) => q.resp[it.id].time);
  const options = it.options.map((o, k) => {
    const chose = seen.map((q) => (q.resp[it.id].option === k ? 1 : 0));
    const nk = chose.reduce((a, b) => a + b, 0);
    const ms = nk ? mean(S.filter((s, i) => chose[i])) : null;
    const up = upper.length ? upper.filter((i) => chose[i]).length / upper.length : null;
    const lo = lower.length ? lower.filter((i) => chose[i]).length / lower.length : null;
    return {
      index: k, letter: LETTERS[k], points: sec.rw ? (k === it._key ? sec.correct : 0) : it._pts[k], n: nk, share: n ? r4(nk / n) : null,
      mean_score: ms === null ? null : r1(ms), r_pb: r4(pearson(chose, S)), upper_share: r4(up), lower_share: r4(lo),
      flagged: !!(sec.rw && k !== it._key && nk >= 5 && up !== null && up - lo >= 0.05),
    };
  });
  const flags = [];
  if (p !== null && p > th.easy) flags.push('too_easy');
  if (p !== null && p < th.hard) flags.push('too_hard');
  if (rc !== null && rc < 0) flags.push('negative');
  else if (rc !== null && rc < th.weak) flags.push('weak');
  if (sec.rw && options[it._key].r_pb !== null && options.some((o) => o.index !== it._key && o.r_pb !== null && o.r_pb > options[it._key].r_pb)) flags.push('suspect_key');
  if (options.some((o) => o.flagged)) flags.push('suspect_distractor');
  if (n < 30) flags.push('few');
  return {
    item_id: it.item_id, item_code: it.id, section: it.section, type: sec.rw ? 'right_wrong' : 'weighted', key: sec.rw ? it._key : null,
    n_presented: n, n_answered: answered, omit_rate: n ? r4(1 - answered / n) : null, p: r4(p), sd: r4(n ? sd(x) / mx : null),
    r_pb: r4(rpb), r_corrected: r4(rc), d: r4(n ? pOf(upper) - pOf(lower) : null),
    time_median_s: r1(quantile(times, 0.5)), time_p90_s: r1(quantile(times, 0.9)),
    options, flags,
  };
}

/** Section (code) or total (null) statistics of persons; rules: the exam's pass rules. */
function testStats(code, persons, items, rules) {
  const secs = code ? SECTIONS.filter((s) => s.code === code) : SECTIONS;
  const scores = persons.map((p) => (code ? p.scores[code] : p.total));
  const maxScore = secs.reduce((s, x) => s + x.draw * (x.rw ? x.correct : 5), 0);
  const k = secs.reduce((s, x) => s + x.draw, 0);
  const n = scores.length;
  const m = mean(scores);
  const s = sd(scores);
  let g1 = null;
  let g2 = null;
  if (n > 2 && s > 0) {
    g1 = scores.reduce((a, v) => a + Math.pow((v - m) / s, 3), 0) / n;
    g2 = scores.reduce((a, v) => a + Math.pow((v - m) / s, 4), 0) / n - 3;
  }
  // alpha from the mean item variance over the items a paper draws
  const vars = [];
  items.filter((it) => secs.some((x) => x.code === it.section)).forEach((it) => {
    const xs = persons.filter((p) => p.resp[it.id]).map((p) => p.resp[it.id].points);
    if (xs.length > 1) vars.push(sd(xs) * sd(xs));
  });
  const alpha = n > 1 && s > 0 && k > 1 ? (k / (k - 1)) * (1 - (k * mean(vars)) / (s * s)) : null;
  const sem = alpha !== null ? s * Math.sqrt(Math.max(0, 1 - alpha)) : null;
  const width = maxScore / 20;
  const counts = new Array(20).fill(0);
  scores.forEach((v) => { counts[Math.min(19, Math.floor(v / width))] += 1; });
  const thresholds = [];
  Object.keys(rules || {}).forEach((track) => {
    const r = rules[track];
    const min = code ? (r.sections || {})[code] : r.total;
    if (typeof min !== 'number') return;
    // the share among the track's candidates (the contract's within_sem)
    const mine = scores.filter((v, i) => persons[i].track === track);
    const within = sem === null ? 0 : mine.filter((v) => Math.abs(v - min) <= sem).length;
    thresholds.push({ track, min, n_track: mine.length, n_within: within, within_sem: mine.length ? r4(within / mine.length) : null });
  });
  const sec = secs.length === 1 ? secs[0] : null;
  return {
    code: code || null, title: sec ? sec.title : 'Total', n, items_per_paper: k, max_score: maxScore,
    mean: r4(m), sd: r4(s), skewness: r4(g1), kurtosis: r4(g2), min: n ? Math.min.apply(null, scores) : null, max: n ? Math.max.apply(null, scores) : null,
    alpha: r4(alpha), alpha_method: secs.every((x) => x.draw === x.pool) ? 'complete' : 'pairwise', sem: r4(sem),
    histogram: { lo: 0, width, counts }, thresholds,
  };
}

/** PROX estimates of the Rasch model for the right/wrong items (a picture,
 *  not the server's CML): difficulty, SE, infit, outfit, extremes. */
function prox(items, persons) {
  const rw = items.filter((it) => SECTIONS.find((s) => s.code === it.section).rw);
  const out = [];
  const pers = persons.map((p) => {
    let r = 0;
    let n = 0;
    rw.forEach((it) => {
      const a = p.resp[it.id];
      if (!a) return;
      n++;
      if (a.option === it._key) r++;
    });
    const q = (r + 0.5) / (n + 1);
    return { p, theta: Math.log(q / (1 - q)) * 1.2, n };
  });
  const bs = [];
  rw.forEach((it) => {
    const seen = pers.filter((x) => x.p.resp[it.id]);
    const r = seen.filter((x) => x.p.resp[it.id].option === it._key).length;
    const n = seen.length;
    let extreme = null;
    if (r === n) extreme = 'all_correct';
    else if (r === 0) extreme = 'all_wrong';
    const mt = mean(seen.map((x) => x.theta));
    const b = extreme ? null : mt + Math.log((n - r) / r) * 1.15;
    bs.push(b);
    out.push({ it, seen, n, r, b, extreme });
  });
  const centre = mean(bs.filter((b) => b !== null));
  return out.map((o) => {
    if (o.extreme) return { item_id: o.it.item_id, item_code: o.it.id, section: o.it.section, n: o.n, difficulty: null, se: null, infit: null, outfit: null, extreme: o.extreme };
    const b = o.b - centre;
    let info = 0;
    let zz = 0;
    let rr = 0;
    o.seen.forEach((x) => {
      const P = sig(x.theta - centre - b);
      const v = P * (1 - P);
      const y = x.p.resp[o.it.id].option === o.it._key ? 1 : 0;
      info += v;
      zz += ((y - P) * (y - P)) / v;
      rr += (y - P) * (y - P);
    });
    return {
      item_id: o.it.item_id, item_code: o.it.id, section: o.it.section, n: o.n, difficulty: r4(b), se: r4(1 / Math.sqrt(info)),
      infit: r4(rr / info), outfit: r4(zz / o.n), extreme: null,
    };
  });
}

/**
 * The simulated analysis. opts: {seed}. Returns
 * {bank (GET /banks/CODE), bankRow (a row of GET /banks), exams (extra exam
 * rows for GET /exams), examAnalysis(code, th), bankAnalysis(exam, th),
 * csv(code, sep), calibrations(), calibrate(username), calibration(id),
 * parseThresholds(query) → {th} | {errors}}.
 */
export function makeAnalysis(opts = {}) {
  const rand = rng(opts.seed || 14);
  const items = makeBank(rand);
  const rules = {
    'TALENTA-DEMO': { umum: { sections: { MANAJERIAL: 90, SOSIOKULTURAL: 50, TEKNIS: 60 } }, jpt: { total: 280, sections: { MANAJERIAL: 100 } } },
    'TALENTA-SUSULAN': { umum: { sections: { MANAJERIAL: 90, SOSIOKULTURAL: 50, TEKNIS: 60 } } },
  };
  const titles = { 'TALENTA-DEMO': 'Asesmen Kompetensi Pemetaan Talenta 2026', 'TALENTA-SUSULAN': 'Asesmen Kompetensi Susulan 2026' };
  const persons = simulate(rand, items, 'TALENTA-DEMO', 250).concat(simulate(rand, items, 'TALENTA-SUSULAN', 24));
  const generated = Math.floor(Date.UTC(2026, 11, 2, 7, 30) / 1000);
  const bankSections = SECTIONS.map((s) => ({ code: s.code, title: s.title, scoring: s.rw ? { type: 'right_wrong', correct: s.correct, wrong: 0, blank: 0 } : { type: 'weighted', blank: 0 } }));
  const publicItems = items.map((it) => ({ id: it.id, section: it.section, topic: it.topic, difficulty: it.difficulty, text: it.text, options: it.options }));
  const bank = {
    code: BANK_CODE, title: 'Bank Soal Asesmen Talenta', version: 3,
    versions: [{ version: 3, items: items.length, imported_at: '2026-10-01T03:00:00Z' }, { version: 2, items: items.length, imported_at: '2026-08-12T03:00:00Z' }],
    sections: bankSections, items: publicItems,
  };
  const defaults = { easy: 0.9, hard: 0.2, weak: 0.2, min_n: 30 };

  function base(list, th) {
    return {
      bank: BANK_CODE, bank_version: 3, generated_at: generated, n_candidates: list.length,
      thresholds: Object.assign({}, defaults, th), time_source: 'position',
      items: items.map((it) => itemStats(it, list, th)).filter((x) => x.n_presented > 0),
    };
  }

  const cals = [];
  function summary(c) {
    const o = Object.assign({}, c);
    delete o.items;
    delete o.persons;
    return o;
  }
  function calibrate(username, version, at) {
    const list = persons;
    const res = prox(items, list);
    const n_resp = res.reduce((s, x) => s + x.n, 0);
    const thetas = list.map((p) => {
      let r = 0;
      let n = 0;
      items.forEach((it) => {
        const a = p.resp[it.id];
        if (!a || !SECTIONS.find((s) => s.code === it.section).rw) return;
        n++;
        if (a.option === it._key) r++;
      });
      const q = (r + 0.5) / (n + 1);
      return Math.log(q / (1 - q)) * 1.2;
    });
    const counts = new Array(20).fill(0);
    thetas.forEach((t) => { counts[Math.max(0, Math.min(19, Math.floor((t + 5) / 0.5)))] += 1; });
    const c = {
      id: cals.length + 1, bank_version: version, created_at: at, created_by: username, method: 'CML', tolerance: 0.0001,
      iterations: 11 + cals.length * 2, converged: true, n_persons: list.length, n_items: res.length, n_responses: n_resp,
      data_sha256: (cals.length ? '9c1f' : '4be0') + '3a7d5e2b8c61f09e4d7a3b5c2e8f1a6d0b9c4e7f2a5d8b1c3e6f9a0d2b4c7e5',
      items: res, persons: { n: list.length, mean: r4(mean(thetas)), sd: r4(sd(thetas)), histogram: { lo: -5, width: 0.5, counts } },
    };
    cals.push(c);
    return c;
  }
  calibrate('penulis', 2, Math.floor(Date.UTC(2026, 7, 20, 2, 15) / 1000));

  return {
    bank,
    items,
    bankRow: { code: BANK_CODE, title: bank.title, version: 3, items: items.length, imported_at: '2026-10-01T03:00:00Z' },
    exams: [{ code: 'TALENTA-SUSULAN', title: titles['TALENTA-SUSULAN'], opens_at: '2026-11-27T01:00:00Z', closes_at: '2026-11-27T09:00:00Z', duration_s: 5400,
      token_required: true, show_score: true, archived: false, candidates: 24, started: 24, finished: 24, pass_rules: rules['TALENTA-SUSULAN'] }],
    hasExam: (code) => !!titles[code],
    /** GET /exams/CODE/analysis */
    examAnalysis(code, th) {
      const list = persons.filter((p) => p.exam === code);
      const o = Object.assign({ exam: code, title: titles[code] }, base(list, th));
      o.test = { sections: SECTIONS.map((s) => testStats(s.code, list, items, rules[code])), total: testStats(null, list, items, rules[code]) };
      return o;
    },
    /** GET /banks/CODE/analysis[?exam=E] */
    bankAnalysis(exam, th) {
      const list = exam ? persons.filter((p) => p.exam === exam) : persons;
      const o = Object.assign({ exam: exam || null, title: bank.title }, base(list, th));
      // like the server: with ?exam= only that exam is listed
      o.exams = Object.keys(titles).filter((c) => !exam || c === exam).map((c) => ({ code: c, title: titles[c], n_candidates: persons.filter((p) => p.exam === c).length }));
      return o;
    },
    /** analysis.csv (the contract's columns; ';' and a decimal comma with sep=semicolon). */
    csv(code, semicolon, th) {
      const a = this.examAnalysis(code, th);
      const sep = semicolon ? ';' : ',';
      const numf = (v) => (v === null ? '' : semicolon ? String(v).replace('.', ',') : String(v));
      const head = ['kode_soal', 'bagian', 'jenis', 'n_disajikan', 'n_dijawab', 'tidak_dijawab', 'p', 'sd', 'r_pb', 'r_terkoreksi', 'd', 'median_detik', 'p90_detik', 'kunci', 'A', 'B', 'C', 'D', 'E', 'F', 'tanda'];
      const rows = a.items.map((it) => [it.item_code, it.section, it.type, it.n_presented, it.n_answered, numf(it.omit_rate), numf(it.p), numf(it.sd), numf(it.r_pb), numf(it.r_corrected), numf(it.d),
        numf(it.time_median_s), numf(it.time_p90_s), it.key === null ? '' : LETTERS[it.key]].concat([0, 1, 2, 3, 4, 5].map((k) => (it.options[k] ? numf(it.options[k].share) : ''))).concat([it.flags.join(' ')]));
      return '\ufeff' + [head].concat(rows).map((r) => r.join(sep)).join('\r\n') + '\r\n';
    },
    calibrations: () => cals.map(summary),
    calibrate: (username) => summary(calibrate(username, 3, Math.floor(Date.now() / 1000))),
    calibration: (id) => cals.find((c) => c.id === id) || null,
    /** easy, hard, weak from a URLSearchParams: {th} or {errors: [{field, message}]}. */
    parseThresholds(q) {
      const th = { easy: defaults.easy, hard: defaults.hard, weak: defaults.weak };
      const errors = [];
      ['easy', 'hard', 'weak'].forEach((k) => {
        if (!q.has(k)) return;
        const v = Number(q.get(k));
        if (q.get(k) === '' || !isFinite(v) || v < 0 || v > 1) errors.push({ field: k, message: `${k}: harus bilangan 0 sampai 1` });
        else th[k] = v;
      });
      return errors.length ? { errors } : { th };
    },
  };
}
