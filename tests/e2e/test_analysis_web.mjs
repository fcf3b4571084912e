// test_analysis_web.mjs - the item and test analysis pages (issue 14) in a
// real Chromium against the fake committee server (fake_committee_server.mjs
// with fake_analysis.mjs: the contract's JSON shapes over 274 simulated
// candidates): the admin web's bank view (statistics and flags with their
// reasons beside each item, the flagged-only, flag and section filters, the
// option table in bank order with the key and a suspect distractor marked,
// the exam selector, thresholds kept in localStorage and sent as query
// parameters, analysis.csv), the calibrations page (POST with the CSRF header,
// the list and the detail follow, the SVG dot plot), the committee's test
// report (summary, threshold lines at the right x, within-SEM sentences,
// flagged items, print without navigation, a PDF), roles, English, axe, and
// geometry at 1024x768 and 390 px (no sideways scrolling, controls in view).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, waitUntil, test, runInBrowser, assert, assertEqual, TOP } from './harness.mjs';
import { startFake } from './fake_committee_server.mjs';

const AXE = readFileSync(join(TOP, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function axeScan(page, where) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assertEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `serious/critical accessibility violations on ${where}`);
}

let browser;
const BANK = 'BANK-TALENTA';

function fakeTest(name, fn) {
  test(name, async () => {
    const f = await startFake({});
    try {
      await fn(f);
    } finally {
      await f.close();
    }
  });
}

async function adminLogin(page, f, user) {
  await page.goto(`${f.url}/admin/`);
  await page.waitForSelector('#screen-login:visible');
  await page.fill('#login-username', user);
  await page.fill('#login-password', 'sandi-' + user);
  await page.click('#login-submit');
  await page.waitForSelector('#screen-page:visible');
}

async function openBank(page, f) {
  await page.goto(`${f.url}/admin/#/bank/${BANK}`);
  await page.waitForSelector('.bank-item.with-stats');
}

const get = (page, path) => page.evaluate(async (p) => (await fetch('/api/v1/staff' + p)).json(), path);
const pctId = (v) => String(Math.round(v * 1000) / 10).replace('.', ',');

async function noSideways(page, where) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(over <= 1, `${where}: the page scrolls sideways by ${over}px`);
}

async function inView(page, sel, where) {
  const r = await page.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el) return null;
    const b = el.getBoundingClientRect();
    return { left: b.left, right: b.right, w: window.innerWidth };
  }, sel);
  assert(r, `${where}: ${sel} exists`);
  assert(r.left >= 0 && r.right <= r.w + 0.5, `${where}: ${sel} within the width (${Math.round(r.left)}..${Math.round(r.right)} of ${r.w})`);
}

fakeTest('bank view: statistics and flags with their reasons beside each item; flagged-only, flag and section filters', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'penulis');
  assert((await page.$$eval('#menu a', (as) => as.map((a) => a.textContent))).includes('Bank soal'), 'an author has the bank menu');
  await openBank(page, f);
  const a = await get(page, `/banks/${BANK}/analysis`);
  const flagged = a.items.filter((it) => it.flags.length);
  assert(flagged.length >= 6, 'the fake has flagged items');
  const kinds = new Set(flagged.flatMap((it) => it.flags));
  for (const k of ['too_easy', 'too_hard', 'weak', 'negative', 'suspect_key', 'suspect_distractor']) assert(kinds.has(k), 'the fake flags ' + k);
  // Every item's badges are its flags.
  const shown = await page.$$eval('.bank-item', (as) => as.map((x) => [x.getAttribute('data-item'), [...x.querySelectorAll('.flag-badges .badge')].map((b) => b.getAttribute('data-flag')).sort()]));
  assertEqual(shown.length, a.items.length, 'one card per item');
  const byCode = Object.fromEntries(a.items.map((it) => [it.item_code, it]));
  for (const [code, badges] of shown) assertEqual(badges, byCode[code].flags.slice().sort(), 'badges of ' + code);
  // The figures beside an item, Indonesian decimals.
  const easy = flagged.find((it) => it.flags.includes('too_easy') && it.type === 'right_wrong' && it.p < 1);
  const card = `.bank-item[data-item="${easy.item_code}"]`;
  assertEqual(await page.textContent(`${card} [data-stat="stP"]`), easy.p.toFixed(2).replace('.', ','), 'p with a decimal comma');
  assertEqual(await page.textContent(`${card} [data-stat="stR"]`), easy.r_corrected.toFixed(2).replace('.', ','), 'corrected r');
  assertEqual(await page.textContent(`${card} [data-stat="stD"]`), easy.d.toFixed(2).replace('.', ','), 'D');
  assertEqual(await page.textContent(`${card} [data-stat="stOmit"]`), pctId(easy.omit_rate) + '%', 'omit rate');
  assertEqual(await page.textContent(`${card} [data-stat="stTime"]`), `${Math.round(easy.time_median_s)} detik`, 'median time');
  // The reasons in plain Indonesian with the numbers.
  assertEqual(await page.textContent(`${card} .flag-reasons [data-flag="too_easy"]`),
    `Terlalu mudah: ${pctId(easy.p)}% peserta menjawab benar (batas 90%).`, 'too easy reason');
  const hard = flagged.find((it) => it.flags.includes('too_hard') && it.type === 'right_wrong');
  assertEqual(await page.textContent(`.bank-item[data-item="${hard.item_code}"] .flag-reasons [data-flag="too_hard"]`),
    `Terlalu sulit: hanya ${pctId(hard.p)}% peserta menjawab benar (batas 20%).`, 'too hard reason');
  const neg = flagged.find((it) => it.flags.includes('negative'));
  assert((await page.textContent(`.bank-item[data-item="${neg.item_code}"] .flag-reasons [data-flag="negative"]`))
    .startsWith(`Daya beda negatif: r terkoreksi ${neg.r_corrected.toFixed(2).replace('.', ',')};`), 'negative reason');
  const key = flagged.find((it) => it.flags.includes('suspect_key'));
  const keyText = await page.textContent(`.bank-item[data-item="${key.item_code}"] .flag-reasons [data-flag="suspect_key"]`);
  const best = key.options.filter((o) => o.index !== key.key).sort((x, y) => y.r_pb - x.r_pb)[0];
  assertEqual(keyText, `Kunci diragukan: pilihan ${best.letter} (r_pb ${best.r_pb.toFixed(2).replace('.', ',')}) lebih banyak dipilih peserta bernilai tinggi daripada kunci ${'ABCDE'[key.key]} (r_pb ${key.options[key.key].r_pb.toFixed(2).replace('.', ',')}).`, 'suspect key reason');
  // Flagged only: exactly the flagged items; then one kind; then a section.
  await page.check('#bank-flagged');
  const codes = () => page.$$eval('.bank-item', (as) => as.map((x) => x.getAttribute('data-item')));
  assertEqual((await codes()).sort(), flagged.map((it) => it.item_code).sort(), 'flagged only hides the unflagged items');
  await page.selectOption('#bank-section', 'TEKNIS');
  assertEqual((await codes()).sort(), flagged.filter((it) => it.section === 'TEKNIS').map((it) => it.item_code).sort(), 'flagged in one section');
  await page.selectOption('#bank-section', '');
  await page.selectOption('#bank-flag', 'suspect_key');
  assertEqual((await codes()).sort(), flagged.filter((it) => it.flags.includes('suspect_key')).map((it) => it.item_code).sort(), 'one kind of flag');
  await page.selectOption('#bank-flag', '');
  await page.uncheck('#bank-flagged');
  assertEqual((await codes()).length, a.items.length, 'all items again');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('bank view: the option table in bank order, key marked "kunci", the suspect distractor highlighted', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'admin');
  await openBank(page, f);
  const a = await get(page, `/banks/${BANK}/analysis`);
  const bank = await get(page, `/banks/${BANK}`);
  const item = a.items.find((it) => it.flags.includes('suspect_distractor') && it.flags.includes('suspect_key'));
  const card = `.bank-item[data-item="${item.item_code}"]`;
  assert(!(await page.isVisible(`${card} .opt-table`)), 'the table is folded at first');
  await page.click(`${card} .opt-details > summary`);
  const rows = await page.$$eval(`${card} .opt-table tbody tr[data-option]`, (trs) => trs.map((tr) => ({
    letter: tr.getAttribute('data-option'), key: !!tr.querySelector('.badge.ok'), keyText: (tr.querySelector('.badge.ok') || {}).textContent || '',
    flagged: tr.classList.contains('opt-flagged'), share: tr.cells[1].textContent })));
  assertEqual(rows.map((r) => r.letter), ['A', 'B', 'C', 'D', 'E'], 'bank order');
  const bankItem = bank.items.find((x) => x.id === item.item_code);
  const correct = 'ABCDE'[bankItem.options.findIndex((o) => o.correct)];
  assertEqual(rows.filter((r) => r.key).map((r) => r.letter), [correct], 'the key is the bank\'s correct option');
  assertEqual(rows.find((r) => r.key).keyText, 'kunci', 'marked "kunci"');
  assertEqual(rows.filter((r) => r.flagged).map((r) => r.letter), item.options.filter((o) => o.flagged).map((o) => o.letter), 'flagged distractor highlighted');
  const o = item.options[0];
  assertEqual(rows[0].share, `${pctId(o.share)}% (${o.n})`, 'share and count');
  // The reason names the distractor's upper and lower shares.
  const fo = item.options.find((x) => x.flagged);
  assert((await page.textContent(`${card} .flag-reasons [data-flag="suspect_distractor"]`)).includes(`pilihan ${fo.letter} dipilih ${pctId(fo.upper_share)}% kelompok atas`), 'distractor reason');
  // A weighted item: points per option, no key.
  const w = a.items.find((it) => it.type === 'weighted');
  await page.click(`.bank-item[data-item="${w.item_code}"] .opt-details > summary`);
  assertEqual(await page.$$eval(`.bank-item[data-item="${w.item_code}"] .opt-table .badge.ok`, (b) => b.length), 0, 'no key on a weighted item');
  assertEqual(await page.$$eval(`.bank-item[data-item="${w.item_code}"] .opt-table tbody tr[data-option]`, (trs) => trs.map((tr) => tr.cells[1].textContent)),
    w.options.map((x) => String(x.points)), 'points column');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('bank view: exam selector, thresholds in localStorage sent as query parameters, analysis.csv', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'penulis');
  await openBank(page, f);
  // Several exams feed the bank: a selector; choosing one asks ?exam=.
  const opts = await page.$$eval('#bank-exam option', (os) => os.map((o) => o.value));
  assertEqual(opts, ['', 'TALENTA-DEMO', 'TALENTA-SUSULAN'], 'exam choices');
  assert(await page.isVisible('text=Pilih satu ujian untuk mengunduh CSV.'), 'CSV needs one exam');
  let req = page.waitForRequest((r) => r.url().includes('/analysis?') && r.url().includes('exam=TALENTA-SUSULAN'));
  await page.selectOption('#bank-exam', 'TALENTA-SUSULAN');
  await req;
  await waitUntil(async () => (await page.$$('.flag-badges [data-flag="few"]')).length > 0, 5000, 'few-data flags of the small exam');
  assert((await page.textContent('.flag-reasons [data-flag="few"]')).startsWith('Data sedikit: baru '), 'few reason');
  // CSV: ';' by default (Excel Indonesia), ',' on request, with the thresholds.
  const href = await page.getAttribute('#analysis-csv', 'href');
  assertEqual(href, '/api/v1/staff/exams/TALENTA-SUSULAN/analysis.csv?sep=semicolon&easy=0.9&hard=0.2&weak=0.2', 'CSV link');
  const csv = await page.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer()).slice(0, 26)), href);
  assertEqual(Buffer.from(csv).toString('utf8'), '\ufeffkode_soal;bagian;jenis;', 'BOM and Indonesian headers with ;');
  await page.selectOption('#analysis-sep', ',');
  assert((await page.getAttribute('#analysis-csv', 'href')).startsWith('/api/v1/staff/exams/TALENTA-SUSULAN/analysis.csv?easy='), 'comma: no sep parameter');
  await page.selectOption('#bank-exam', '');
  await waitUntil(async () => (await page.$$('.flag-badges [data-flag="few"]')).length === 0, 5000, 'all exams again');
  // Thresholds: a bad one is refused before sending; a good one is kept and sent.
  await page.click('#thresholds > summary');
  await page.fill('#th-easy', '1,5');
  let sent = 0;
  page.on('request', (r) => { if (r.url().includes('/analysis?')) sent++; });
  await page.click('[data-action="thresholds-apply"]');
  assertEqual(await page.textContent('#th-easy-error'), 'Isi bilangan 0 sampai 1 (misalnya 0,9).', 'range error');
  assertEqual(sent, 0, 'nothing sent');
  const before = (await page.$$('.flag-badges [data-flag="too_easy"]')).length;
  await page.fill('#th-easy', '0,8');
  await page.fill('#th-weak', '0,3');
  req = page.waitForRequest((r) => r.url().includes('/analysis?') && r.url().includes('easy=0.8') && r.url().includes('weak=0.3'));
  await page.click('[data-action="thresholds-apply"]');
  await req;
  await waitUntil(async () => (await page.$$('.flag-badges [data-flag="too_easy"]')).length > before, 5000, 'more items too easy at 0.8');
  assertEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('ujian.analysis.thresholds'))), { easy: 0.8, hard: 0.2, weak: 0.3 }, 'kept in localStorage');
  const easy = await page.$eval('.flag-reasons [data-flag="too_easy"]', (e) => e.textContent);
  assert(/\(batas 80%\)\.$/.test(easy), 'the reason names the new limit: ' + easy);
  // A reload keeps them and sends them.
  req = page.waitForRequest((r) => r.url().includes('/analysis?') && r.url().includes('easy=0.8'));
  await page.reload();
  await req;
  await page.waitForSelector('.bank-item.with-stats');
  assertEqual(await page.inputValue('#th-easy'), '0,80', 'shown with a decimal comma');
  await page.click('[data-action="thresholds-reset"]');
  await waitUntil(async () => (await page.evaluate(() => localStorage.getItem('ujian.analysis.thresholds'))) === null, 5000, 'defaults again');
  // A bad parameter from the server names the field (the fake's 400).
  const bad = await page.evaluate(async () => { const r = await fetch('/api/v1/staff/banks/BANK-TALENTA/analysis?hard=x'); return [r.status, (await r.json()).error.errors[0].field]; });
  assertEqual(bad, [400, 'hard'], 'a bad threshold is refused by field');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('calibrations: list, "Kalibrasi sekarang" POSTs with the CSRF header, the list and detail follow, the dot plot', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'penulis');
  await openBank(page, f);
  await page.click('#calibrations-link');
  await page.waitForSelector('#calibrations-table tbody tr');
  assertEqual(await page.$$eval('#calibrations-table tbody tr', (r) => r.length), 1, 'one calibration at first');
  await page.waitForSelector('#cal-chart');
  let cal = await get(page, `/banks/${BANK}/calibrations/1`);
  const drawn = cal.items.filter((x) => typeof x.difficulty === 'number');
  assertEqual(await page.$$eval('#cal-chart .cal-dot', (d) => d.length), drawn.length, 'one dot per item with a difficulty');
  const misfits = drawn.filter((x) => x.infit < 0.7 || x.infit > 1.3).map((x) => x.item_code).sort();
  assert(misfits.length > 0, 'the fake has misfitting items');
  assertEqual((await page.$$eval('#cal-chart .cal-misfit', (g) => g.map((x) => x.getAttribute('data-item')))).sort(), misfits, 'misfits highlighted');
  // Sorted: the dots' heights fall (difficulty rises) from left to right.
  const ys = await page.$$eval('#cal-chart .cal-dot', (d) => d.map((c) => Number(c.getAttribute('cy'))));
  assert(ys.every((y, i) => i === 0 || y <= ys[i - 1] + 1e-9), 'sorted by difficulty');
  assertEqual(await page.$$eval('#cal-items-table tbody tr', (r) => r.length), cal.items.length, 'a row per item');
  const extreme = cal.items.find((x) => x.extreme);
  assertEqual(await page.$eval(`#cal-items-table tr[data-item="${extreme.item_code}"]`, (tr) => tr.cells[7].textContent), 'semua benar', 'extreme in words');
  // Calibrate: confirm, the POST carries X-CSRF-Token, the list grows.
  const post = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/banks/${BANK}/calibrations`));
  await page.click('[data-action="calibrate"]');
  await page.waitForSelector('#dialog:visible');
  await page.click('#dialog-confirm');
  const r = await post;
  assert(/^[0-9a-f]{32}$/.test(r.headers()['x-csrf-token'] || ''), 'X-CSRF-Token sent');
  await waitUntil(async () => (await page.$$('#calibrations-table tbody tr')).length === 2, 5000, 'the list updated');
  assert((await page.textContent('#cal-action')).startsWith('Kalibrasi nomor 2 selesai: 60 soal, 274 peserta,'), 'done message');
  await page.waitForSelector('#cal-detail [data-calibration="2"]');
  assertEqual(await page.$eval('#calibrations-table tbody tr', (tr) => tr.getAttribute('data-calibration')), '2', 'newest first');
  const puts = (await (await fetch(`${f.url}/__fake/puts`)).json()).puts.filter((p) => p.path.endsWith('/calibrations'));
  assertEqual(puts.map((p) => [p.user, p.csrf]), [['penulis', true]], 'one POST by penulis with the token');
  // Without the token the server refuses (the fake checks like the real one).
  const st = await page.evaluate(async () => (await fetch('/api/v1/staff/banks/BANK-TALENTA/calibrations', { method: 'POST' })).status);
  assertEqual(st, 403, 'no CSRF token: 403');
  // The older one by its link.
  await page.click('#calibrations-table tr[data-calibration="1"] a');
  await page.waitForSelector('#cal-detail [data-calibration="1"]');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('roles: the bank analysis is for admin and author; the committee reaches the test report from the results', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'pansel');
  await page.waitForURL(/./);
  await page.goto(`${f.url}/admin/#/bank/${BANK}/kalibrasi`);
  await page.waitForSelector('[data-problem="forbiddenTitle"]');
  assert(!(await page.$$eval('#menu a', (as) => as.map((a) => a.textContent))).includes('Bank soal'), 'no bank menu for the committee');
  // The admin web's results link to the committee's report.
  await page.goto(`${f.url}/admin/#/hasil/TALENTA-DEMO`);
  await page.waitForSelector('#results-table');
  assertEqual(await page.getAttribute('#analysis-link', 'href'), '/committee/#/analisis/TALENTA-DEMO', 'admin results link');
  assertEqual(await page.textContent('#analysis-link'), 'Analisis ujian (keandalan nilai)', 'its text');
  await page.goto(`${f.url}/committee/#/hasil/TALENTA-DEMO`);
  await page.waitForSelector('#analysis-link');
  await page.click('#analysis-link');
  await page.waitForSelector('#analysis-summary');
  assert(/#\/analisis\/TALENTA-DEMO$/.test(page.url()), 'the report\'s route');
  assertEqual(await page.textContent('#page-title'), 'Analisis Ujian', 'title');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('committee report: summary per section and total, threshold lines at the right x, within-SEM shares, flagged items, print', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'pansel');
  await page.goto(`${f.url}/committee/#/analisis/TALENTA-DEMO`);
  await page.waitForSelector('.dist-svg');
  const a = await get(page, '/exams/TALENTA-DEMO/analysis');
  const parts = a.test.sections.concat([a.test.total]);
  // Summary: a row per section and the total; alpha with its method in words.
  const rows = await page.$$eval('#analysis-summary tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-part'),
    tr.querySelector('[data-stat="mean"]').textContent, tr.querySelector('[data-stat="alpha"]').textContent, tr.querySelector('[data-stat="sem"]').textContent]));
  const d2 = (v) => v.toFixed(2).replace('.', ',');
  const methodShort = { pairwise: 'kovarians berpasangan', complete: 'KR-20/alpha, soal sama' };
  assertEqual(rows, parts.map((p) => [p.code || 'total', d2(p.mean), d2(p.alpha) + methodShort[p.alpha_method], d2(p.sem)]), 'summary rows');
  assert(await page.isVisible('[data-method="pairwise"]'), 'the pairwise method said in words');
  // A threshold line per pass threshold, inside the bar of the bin holding it, at its proportional place.
  let lines = 0;
  for (const p of parts) {
    const id = '#dist-' + (p.code || 'total');
    const geo = await page.$eval(id + ' .dist-svg', (s) => ({
      lines: [...s.querySelectorAll('.threshold-line')].map((l) => ({ min: Number(l.getAttribute('data-min')), x: Number(l.getAttribute('x1')) })),
      bars: [...s.querySelectorAll('.hist-bar')].map((b) => ({ x: Number(b.getAttribute('x')), w: Number(b.getAttribute('width')) })),
      band: [...s.querySelectorAll('.sem-band')].map((b) => ({ min: Number(b.getAttribute('data-min')), x: Number(b.getAttribute('x')), w: Number(b.getAttribute('width')) })),
    }));
    assertEqual(geo.lines.map((l) => l.min), p.thresholds.map((x) => x.min), `${id}: a line per threshold`);
    assertEqual(geo.bars.length, p.histogram.counts.length, `${id}: a bar per bin`);
    const step = geo.bars[1].x - geo.bars[0].x; // one bin in viewBox units
    for (const l of geo.lines) {
      const bin = Math.floor((l.min - p.histogram.lo) / p.histogram.width);
      const want = geo.bars[0].x - 0.5 + step * ((l.min - p.histogram.lo) / p.histogram.width);
      assert(Math.abs(l.x - want) < 0.01, `${id}: line ${l.min} at x ${l.x}, expected ${want}`);
      assert(l.x >= geo.bars[bin].x - 0.5 && l.x <= geo.bars[bin].x + geo.bars[bin].w + 0.5, `${id}: line ${l.min} within bin ${bin}`);
      const band = geo.band.find((b) => b.min === l.min);
      assert(Math.abs(band.x + band.w / 2 - l.x) < 0.01 && Math.abs(band.w - 2 * step * (p.sem / p.histogram.width)) < 0.01, `${id}: ±SEM band around ${l.min}`);
      lines++;
    }
    // The sentences: share within one SEM per threshold.
    const said = await page.$$eval(id + ' .within-list li', (li) => li.map((x) => x.textContent));
    assertEqual(said, p.thresholds.map((x) => `${pctId(x.within_sem)}% peserta jalur ${x.track} (${x.n_within} dari ${x.n_track}) berada dalam satu SEM dari ambang batas ${x.min} ` +
      `(nilai ${(x.min - p.sem).toFixed(1).replace('.', ',')} sampai ${(x.min + p.sem).toFixed(1).replace('.', ',')}).`), `${id}: within-SEM sentences`);
  }
  assertEqual(lines, 5, 'five thresholds in the fake exam (umum 3, jpt 2)');
  assert((await page.textContent('#within-explain')).startsWith('Apa artinya:'), 'the plain explanation');
  // Flagged items: codes and flags only.
  const flagged = a.items.filter((it) => it.flags.length);
  assertEqual(await page.$$eval('#flagged-items tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-item'))), flagged.map((it) => it.item_code), 'flagged items');
  assertEqual(await page.$$eval('#flagged-items thead th', (th) => th.length), 2, 'two columns');
  // Print: no navigation, no buttons; A4 PDF.
  await page.emulateMedia({ media: 'print' });
  assertEqual(await page.isVisible('#topnav'), false, 'print: no navigation');
  assertEqual(await page.isVisible('#topbar'), false, 'print: no top bar');
  assertEqual(await page.isVisible('#print-button'), false, 'print: no buttons');
  assertEqual(await page.isVisible('#analysis-summary'), true, 'print: the summary');
  assert(await page.isVisible('.print-only'), 'print: the exam and the print time');
  const pdf = await page.pdf({ format: 'A4' });
  assert(pdf.length > 10000 && pdf.slice(0, 5).toString() === '%PDF-', 'a PDF');
  await page.emulateMedia({ media: 'screen' });
  // English: method and sentences, decimal points.
  await page.click('.lang-toggle [data-lang="en"]');
  await page.waitForSelector('#within-explain');
  await waitUntil(async () => (await page.textContent('#page-title')) === 'Test analysis', 5000, 'English title');
  const total = a.test.total;
  assert((await page.textContent('#dist-total .within-list li')).startsWith(`${Math.round(total.thresholds[0].within_sem * 1000) / 10}% of the jpt track's candidates`), 'English sentence');
  assertEqual(await page.textContent('#analysis-summary tr[data-part="total"] [data-stat="sem"]'), total.sem.toFixed(2), 'decimal point in English');
  await page.click('.lang-toggle [data-lang="id"]');
  assertEqual(page.errors, [], 'page errors');
});

fakeTest('English reasons in the bank view; axe on the three pages at 1366 px', async (f) => {
  const page = await newPage(browser, { viewport: { width: 1366, height: 768 } });
  await adminLogin(page, f, 'admin');
  await openBank(page, f);
  await axeScan(page, 'bank view');
  await page.click('.bank-item .opt-details > summary');
  await axeScan(page, 'bank view, option table open');
  await page.click('.lang-toggle [data-lang="en"]');
  await page.waitForSelector('.bank-item.with-stats');
  await page.check('#bank-flagged');
  const easy = await page.$eval('.flag-reasons [data-flag="too_easy"]', (e) => e.textContent);
  assert(/^Too easy: \d+(\.\d)?% of candidates answered correctly \(limit 90%\)\.$/.test(easy), 'English reason: ' + easy);
  await page.click('.lang-toggle [data-lang="id"]');
  await page.goto(`${f.url}/admin/#/bank/${BANK}/kalibrasi`);
  await page.waitForSelector('#cal-chart');
  await axeScan(page, 'calibrations');
  await page.goto(`${f.url}/committee/#/analisis/TALENTA-DEMO`);
  await page.waitForSelector('.dist-svg');
  await axeScan(page, 'test report');
  assertEqual(page.errors, [], 'page errors');
});

for (const [w, hgt] of [[1024, 768], [390, 844]]) {
  fakeTest(`geometry at ${w}x${hgt}: no sideways scrolling, the main controls within view`, async (f) => {
    let page = await newPage(browser, { viewport: { width: w, height: hgt } });
    await adminLogin(page, f, 'penulis');
    await openBank(page, f);
    await noSideways(page, 'bank view');
    for (const s of ['#bank-section', '#bank-flagged', '#bank-exam', '#calibrations-link']) await inView(page, s, 'bank view');
    await page.check('#bank-flagged');
    await page.click('.bank-item .opt-details > summary');
    await noSideways(page, 'bank view, option table open');
    await inView(page, '.bank-item .item-stats', 'bank view');
    await page.click('#thresholds > summary');
    await noSideways(page, 'thresholds open');
    await inView(page, '[data-action="thresholds-apply"]', 'thresholds');
    await page.click('#calibrations-link');
    await page.waitForSelector('#cal-chart');
    await noSideways(page, 'calibrations');
    await inView(page, '[data-action="calibrate"]', 'calibrations');
    await inView(page, '#cal-chart', 'calibrations');
    assertEqual(page.errors, [], 'page errors');
    // The committee's report (an author cannot open the committee pages).
    await page.context().close();
    page = await newPage(browser, { viewport: { width: w, height: hgt } });
    await adminLogin(page, f, 'pansel');
    await page.goto(`${f.url}/committee/#/analisis/TALENTA-DEMO`);
    await page.waitForSelector('.dist-svg');
    await noSideways(page, 'test report');
    for (const s of ['#print-button', '#back-to-results', '#dist-MANAJERIAL .dist-svg', '#dist-total .dist-svg']) await inView(page, s, 'test report');
    // the first controls are above the fold
    const top = await page.$eval('#print-button', (b) => b.getBoundingClientRect().bottom);
    assert(top <= hgt, 'the print button is in the first screen');
    assertEqual(page.errors, [], 'page errors');
  });
}

runInBrowser((b) => { browser = b; });
