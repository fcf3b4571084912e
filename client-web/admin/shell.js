// shell.js - what the staff pages' entry modules share (this folder's
// app.js and ../proctor/app.js): roles, the hash path and its routes, the
// page context every page module gets (title, problem pages, error handling,
// the dialog, the live region), and the language buttons.

import { h, fill } from './dom.js';
import { t, errorText, label, applyStatic, getLang, loadLang, setLang } from './i18n/index.js';
import { confirmDialog } from './dialog.js';

/** True when the account (the /me object) has any of roles. */
export function hasAnyRole(me, roles) {
  const mine = (me && me.roles) || [];
  for (let i = 0; i < roles.length; i++) if (mine.indexOf(roles[i]) >= 0) return true;
  return false;
}

/** The path after '#' ("/ujian"), '' when there is none. */
export function currentPath() {
  const hash = window.location.hash || '';
  return hash.indexOf('#') === 0 ? hash.slice(1) : hash;
}

/** The first route whose re matches path, with its decoded parameters. */
export function matchRoute(routes, path) {
  for (let i = 0; i < routes.length; i++) {
    const m = routes[i].re.exec(path);
    if (m) {
      const params = m.slice(1).map((p) => {
        try {
          return decodeURIComponent(p);
        } catch (e) {
          return p;
        }
      });
      return { route: routes[i], params: params };
    }
  }
  return { route: null, params: [] };
}

/** Say text in the polite live region #live. */
export function announce(text) {
  const live = document.getElementById('live');
  live.textContent = '';
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}

/**
 * The context a page's render(ctx, root, params) gets. o: {me, alive(),
 * root, home (href of the start page), backKey (its link text),
 * forbiddenKey (the sentence naming the roles), focusFrom (where the focus
 * may be taken from to the new heading), notFound(e) (the text of a 404),
 * navigate(href), retry()}. Callers add their own members.
 */
export function pageContext(o) {
  const root = o.root;
  const ctx = {
    me: o.me,
    hasRole: function () {
      return hasAnyRole(o.me, Array.prototype.slice.call(arguments));
    },
    alive: o.alive,
    navigate: o.navigate,
    confirm: confirmDialog,
    announce: announce,
    /** The page's title (h1, focused so keyboard and screen reader users land on it) and the document title. */
    title: (text, sub) => {
      document.title = text + ' — Ujian';
      const h1 = h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1' }, text);
      const head = h('div', { class: 'page-head' }, h('div', null, sub ? h('p', { class: 'page-kicker' }, sub) : null, h1));
      root.appendChild(head);
      const active = document.activeElement;
      if (active === document.body || !active || active.closest(o.focusFrom) || active.tagName === 'MAIN') h1.focus();
      return head;
    },
    problem: (titleKey, text) => {
      fill(root);
      ctx.title(t(titleKey));
      root.appendChild(h('div', { class: 'panel problem', dataset: { problem: titleKey } },
        h('p', null, text),
        h('p', null, h('a', { href: o.home }, t(o.backKey)))));
    },
    forbidden: () => {
      const roles = (o.me.roles || []).map((r) => label('role_', r)).join(', ') || '—';
      ctx.problem('forbiddenTitle', t(o.forbiddenKey, { roles: roles }));
    },
    /** A failed load: 403 is the forbidden page, 404 not found, anything else a message with retry. */
    showError: (e) => {
      if (!ctx.alive()) return;
      if (e && e.status === 401) return; // the session-lost handler took over
      if (e && e.code === 'forbidden') {
        ctx.forbidden();
        return;
      }
      if (e && e.status === 404) {
        ctx.problem('notFoundTitle', o.notFound ? o.notFound(e) : t('notFoundText'));
        return;
      }
      fill(root);
      ctx.title(t('loadErrorTitle'));
      root.appendChild(h('div', { class: 'panel' },
        h('p', { class: 'message', dataset: { state: 'error' }, role: 'alert' }, errorText(e)),
        h('button', { type: 'button', class: 'button', on: { click: o.retry } }, t('retry'))));
    },
  };
  return ctx;
}

/** Render the matched route into root with ctx: not found, refused
 *  (allowed false), or the page (a throw shows the error page). */
export async function renderRoute(ctx, root, match, allowed) {
  if (!match.route) {
    ctx.problem('notFoundTitle', t('notFoundText'));
    return;
  }
  if (!allowed) {
    ctx.forbidden();
    return;
  }
  try {
    await match.route.page.render(ctx, root, match.params);
  } catch (e) {
    if (!ctx.alive()) return;
    ctx.showError(e);
  }
}

/** Fill the static texts and mark the current language's button. */
export function applyLanguage() {
  applyStatic();
  const buttons = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-lang') === getLang()));
}

/** Load the saved language and call relabel() now and after every switch. */
export function wireLanguage(relabel) {
  loadLang();
  relabel();
  const buttons = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', () => {
      if (setLang(buttons[i].getAttribute('data-lang'))) relabel();
    });
  }
}
