// paper.js - the candidate's paper as the server sent it (questions,
// sections) and the answer state the server has confirmed, per question:
// {option, flagged, rev}. What the screen shows is that state overlaid with
// the newest queued change in the outbox (see view()).
//
// No answer key, points or score ever exist here: the server never sends them.

const EMPTY = { option: null, flagged: false, rev: 0 };

function str(x) {
  return typeof x === 'string' ? x : '';
}

export function createPaper(raw) {
  const questions = (Array.isArray(raw.questions) ? raw.questions : [])
    .filter((q) => q && Number.isInteger(q.n))
    .map((q) => ({
      n: q.n,
      section: str(q.section),
      text: str(q.text),
      images: Array.isArray(q.images) ? q.images.filter((u) => typeof u === 'string') : [],
      options: (Array.isArray(q.options) ? q.options : [])
        .filter((o) => o && typeof o.label === 'string')
        .map((o) => ({ label: o.label, text: str(o.text), image: typeof o.image === 'string' ? o.image : null })),
    }))
    .sort((a, b) => a.n - b.n);
  const byN = {};
  for (let i = 0; i < questions.length; i++) byN[questions[i].n] = questions[i];

  let sections = (Array.isArray(raw.sections) ? raw.sections : [])
    .filter((s) => s && Number.isInteger(s.from) && Number.isInteger(s.to))
    .map((s) => ({ code: str(s.code), title: str(s.title), from: s.from, to: s.to }));
  if (sections.length === 0 && questions.length > 0)
    sections = [{ code: '', title: '', from: questions[0].n, to: questions[questions.length - 1].n }];

  const server = {}; // n -> {option, flagged, rev}

  const paper = {
    questions: questions,
    sections: sections,
    total: questions.length,

    question: (n) => byN[n] || null,
    has: (n) => Object.prototype.hasOwnProperty.call(byN, n),
    first: () => (questions.length ? questions[0].n : 1),

    /** The question after / before n in delivery order, or null. */
    next(n) {
      const i = questions.indexOf(byN[n]);
      return i >= 0 && i + 1 < questions.length ? questions[i + 1].n : null;
    },
    prev(n) {
      const i = questions.indexOf(byN[n]);
      return i > 0 ? questions[i - 1].n : null;
    },

    sectionOf(n) {
      for (let i = 0; i < sections.length; i++) if (n >= sections[i].from && n <= sections[i].to) return sections[i];
      const q = byN[n];
      if (q) for (let i = 0; i < sections.length; i++) if (sections[i].code === q.section) return sections[i];
      return null;
    },

    serverRev: (n) => (server[n] ? server[n].rev : 0),

    /** Adopt a state from the server unless we already know a newer one. */
    adopt(n, s) {
      if (!byN[n] || !s || !Number.isInteger(s.rev)) return false;
      if (server[n] && server[n].rev > s.rev) return false;
      const option = typeof s.option === 'string' ? s.option : null;
      const flagged = s.flagged === true;
      const old = server[n];
      server[n] = { option: option, flagged: flagged, rev: s.rev };
      return !old || old.option !== option || old.flagged !== flagged || old.rev !== s.rev;
    },

    adoptAll(answers) {
      const changed = [];
      if (!Array.isArray(answers)) return changed;
      for (let i = 0; i < answers.length; i++) {
        const a = answers[i];
        if (a && Number.isInteger(a.n) && paper.adopt(a.n, a)) changed.push(a.n);
      }
      return changed;
    },

    /** What the screen shows for n: the newest queued change, else the server's. */
    view(n, outbox) {
      const e = outbox ? outbox.latest(n) : null;
      const s = e || server[n] || EMPTY;
      return { option: s.option, flagged: s.flagged };
    },

    counts(outbox) {
      let answered = 0;
      let flagged = 0;
      for (let i = 0; i < questions.length; i++) {
        const v = paper.view(questions[i].n, outbox);
        if (v.option !== null) answered++;
        if (v.flagged) flagged++;
      }
      return { answered: answered, flagged: flagged, unanswered: questions.length - answered };
    },

    firstUnanswered(outbox) {
      for (let i = 0; i < questions.length; i++) if (paper.view(questions[i].n, outbox).option === null) return questions[i].n;
      return null;
    },
  };
  return paper;
}
