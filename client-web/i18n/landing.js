// UI strings of the landing page. Bahasa Indonesia is the default; English is
// the alternative. Placeholders are written {name} and filled by landing.js.

export const DEFAULT_LANG = 'id';

export const STRINGS = {
  id: {
    pageTitle: 'Ujian — Sistem Ujian Berbasis Komputer (CAT)',
    tagline: 'Sistem Ujian Berbasis Komputer (CAT)',
    statusHeading: 'Status server',
    healthLoading: 'Memeriksa server…',
    healthOk: 'Server berjalan normal (versi {version}).',
    healthOkNoVersion: 'Server berjalan normal.',
    healthBad: 'Server menjawab, tetapi melaporkan status tidak normal ({status}). Hubungi panitia.',
    healthError: 'Server tidak dapat diperiksa: {reason}',
    examsHeading: 'Ujian yang sedang dibuka',
    examsCaption: 'Ujian yang menerima login peserta saat ini',
    examsLoading: 'Memuat daftar ujian…',
    examsEmpty: 'Saat ini tidak ada ujian yang dibuka.',
    examsError: 'Daftar ujian tidak dapat dimuat: {reason}',
    colCode: 'Kode',
    colTitle: 'Nama ujian',
    colDuration: 'Durasi (menit)',
    colToken: 'Perlu token sesi',
    yes: 'Ya',
    no: 'Tidak',
    retry: 'Coba lagi',
    reasonNetwork: 'server tidak dapat dihubungi. Periksa sambungan jaringan, lalu coba lagi. Jika masalah berlanjut, hubungi panitia.',
    reasonTimeout: 'server tidak menjawab dalam {seconds} detik. Coba lagi sebentar lagi. Jika masalah berlanjut, hubungi panitia.',
    reasonHttp: 'server menjawab dengan galat (HTTP {status}). Coba lagi sebentar lagi. Jika masalah berlanjut, hubungi panitia.',
    reasonFormat: 'jawaban server tidak dapat dibaca. Hubungi panitia.',
  },
  en: {
    pageTitle: 'Ujian — Computer-Based Test (CAT) System',
    tagline: 'Computer-Based Test (CAT) System',
    statusHeading: 'Server status',
    healthLoading: 'Checking the server…',
    healthOk: 'The server is running normally (version {version}).',
    healthOkNoVersion: 'The server is running normally.',
    healthBad: 'The server answered but reports an abnormal status ({status}). Please contact the exam staff.',
    healthError: 'The server could not be checked: {reason}',
    examsHeading: 'Exams open now',
    examsCaption: 'Exams accepting candidate logins now',
    examsLoading: 'Loading the exam list…',
    examsEmpty: 'No exam is open at the moment.',
    examsError: 'The exam list could not be loaded: {reason}',
    colCode: 'Code',
    colTitle: 'Exam',
    colDuration: 'Duration (minutes)',
    colToken: 'Sitting token required',
    yes: 'Yes',
    no: 'No',
    retry: 'Try again',
    reasonNetwork: 'the server cannot be reached. Check the network connection and try again. If the problem persists, contact the exam staff.',
    reasonTimeout: 'the server did not answer within {seconds} seconds. Try again shortly. If the problem persists, contact the exam staff.',
    reasonHttp: 'the server answered with an error (HTTP {status}). Try again shortly. If the problem persists, contact the exam staff.',
    reasonFormat: 'the server\'s answer could not be read. Please contact the exam staff.',
  },
};

// Locale used for number formatting, per UI language.
export const LOCALES = { id: 'id-ID', en: 'en-GB' };
