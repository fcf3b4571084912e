// i18n.js - the texts of the result slip and the verification page, in
// Bahasa Indonesia (default) and English. The language choice is the one the
// other pages keep (localStorage `ujian.lang`).

const STRINGS = {
  id: {
    pageTitle: 'Slip Hasil Ujian',
    verifyTitle: 'Verifikasi Slip Hasil Ujian',
    kicker: 'Slip hasil ujian',
    print: 'Cetak',
    back: 'Kembali',
    loading: 'Memuat slip…',
    exam: 'Ujian',
    name: 'Nama',
    regno: 'Nomor peserta',
    nip: 'NIP',
    track: 'Jalur',
    scoresCaption: 'Nilai per bagian',
    section: 'Bagian',
    score: 'Nilai',
    max: 'Maksimum',
    total: 'Total',
    status: 'Keterangan',
    passedYes: 'Memenuhi ambang batas',
    passedNo: 'Tidak memenuhi ambang batas',
    dis: 'Diskualifikasi',
    reason: 'Cara selesai',
    reason_submitted: 'Dikumpulkan peserta',
    reason_time_up: 'Waktu habis',
    reason_proctor: 'Diakhiri pengawas',
    reason_disqualified: 'Diskualifikasi',
    finishedAt: 'Waktu selesai',
    issuedAt: 'Slip diterbitkan',
    code: 'Kode verifikasi',
    verifyHow: 'Keaslian slip ini dapat diperiksa dengan memindai kode QR atau membuka alamat di bawah dan memasukkan kode verifikasi.',
    signedBy: 'Ditandatangani secara elektronik (Ed25519), kunci {key}.',
    qrLabel: 'Kode QR alamat verifikasi',
    errLogin: 'Silakan masuk terlebih dahulu. Slip hasil hanya dapat dibuka oleh peserta yang bersangkutan atau panitia.',
    errNotFinished: 'Slip hasil tersedia setelah ujian selesai.',
    errForbidden: 'Anda tidak berhak membuka slip ini.',
    errNotFound: 'Peserta atau ujian tidak ditemukan.',
    errOther: 'Slip tidak dapat dimuat (HTTP {status}). Coba lagi.',
    errNetwork: 'Server tidak dapat dihubungi. Periksa sambungan jaringan lalu coba lagi.',
    // verification page
    codeLabel: 'Kode verifikasi slip',
    codeHint: '10 karakter, misalnya ABCDE-FGHJK',
    check: 'Periksa',
    checking: 'Memeriksa…',
    genuine: 'Slip ASLI',
    genuineText: 'Isi slip di bawah ini sama dengan yang ditandatangani server ujian dan cocok dengan data ujian yang tersimpan.',
    notGenuine: 'Slip TIDAK ASLI',
    unknownCode: 'Kode tidak dikenal',
    unknownText: 'Tidak ada slip dengan kode ini. Periksa kembali kode yang tertulis pada slip.',
    badCode: 'Kode slip terdiri atas 10 huruf dan angka (tanpa 0, O, 1 dan I).',
    limited: 'Terlalu banyak kode yang tidak dikenal. Coba lagi dalam {seconds} detik.',
    contentCaption: 'Isi slip menurut server',
    detail: 'Rincian teknis',
    privacy: 'Halaman ini hanya menampilkan slip yang kodenya Anda ketahui.',
  },
  en: {
    pageTitle: 'Exam Result Slip',
    verifyTitle: 'Result Slip Verification',
    kicker: 'Exam result slip',
    print: 'Print',
    back: 'Back',
    loading: 'Loading the slip…',
    exam: 'Exam',
    name: 'Name',
    regno: 'Registration no.',
    nip: 'NIP',
    track: 'Track',
    scoresCaption: 'Score per section',
    section: 'Section',
    score: 'Score',
    max: 'Maximum',
    total: 'Total',
    status: 'Status',
    passedYes: 'Meets the threshold',
    passedNo: 'Below the threshold',
    dis: 'Disqualified',
    reason: 'How it ended',
    reason_submitted: 'Submitted by the candidate',
    reason_time_up: 'Time was up',
    reason_proctor: 'Ended by the proctor',
    reason_disqualified: 'Disqualified',
    finishedAt: 'Finished at',
    issuedAt: 'Slip issued',
    code: 'Verification code',
    verifyHow: 'Check that this slip is genuine by scanning the QR code, or open the address below and enter the verification code.',
    signedBy: 'Signed electronically (Ed25519), key {key}.',
    qrLabel: 'QR code of the verification address',
    errLogin: 'Please log in first. A result slip can be opened only by its candidate or by the committee.',
    errNotFinished: 'The result slip is available once the exam is finished.',
    errForbidden: 'You may not open this slip.',
    errNotFound: 'No such candidate or exam.',
    errOther: 'The slip could not be loaded (HTTP {status}). Please try again.',
    errNetwork: 'The server cannot be reached. Check the network and try again.',
    codeLabel: 'Slip verification code',
    codeHint: '10 characters, e.g. ABCDE-FGHJK',
    check: 'Check',
    checking: 'Checking…',
    genuine: 'GENUINE slip',
    genuineText: 'The content below is what the exam server signed, and it matches the stored exam data.',
    notGenuine: 'NOT a genuine slip',
    unknownCode: 'Unknown code',
    unknownText: 'No slip has this code. Check the code printed on the slip.',
    badCode: 'A slip code has 10 letters and digits (no 0, O, 1 or I).',
    limited: 'Too many unknown codes. Try again in {seconds} seconds.',
    contentCaption: 'The slip’s content according to the server',
    detail: 'Technical detail',
    privacy: 'This page shows only a slip whose code you know.',
  },
};

const KEY = 'ujian.lang';
let lang = 'id';

export function loadLang() {
  let v = null;
  try {
    v = window.localStorage.getItem(KEY);
  } catch (e) {
    v = null;
  }
  lang = v === 'en' ? 'en' : 'id';
  return lang;
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (next !== 'id' && next !== 'en') return;
  lang = next;
  try {
    window.localStorage.setItem(KEY, next);
  } catch (e) {
    /* for this page only */
  }
}

export function t(key, vars) {
  let s = STRINGS[lang][key] !== undefined ? STRINGS[lang][key] : STRINGS.id[key] !== undefined ? STRINGS.id[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

/** Fill [data-i18n] elements, the language buttons and <html lang>. */
export function applyStatic() {
  const nodes = document.querySelectorAll('[data-i18n]');
  for (let i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
  const labelled = document.querySelectorAll('[data-i18n-label]');
  for (let i = 0; i < labelled.length; i++) labelled[i].setAttribute('aria-label', t(labelled[i].getAttribute('data-i18n-label')));
  const buttons = document.querySelectorAll('[data-lang]');
  for (let i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-lang') === lang));
  document.documentElement.lang = lang;
}

/** Wire the ID/EN buttons: onChange() redraws what is not data-i18n. */
export function wireLangButtons(onChange) {
  const buttons = document.querySelectorAll('[data-lang]');
  for (let i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', () => {
      setLang(buttons[i].getAttribute('data-lang'));
      applyStatic();
      onChange();
    });
  }
}
