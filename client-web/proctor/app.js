// app.js - entry module of the proctor pages: the session (GET /me; without
// one, the administration login at /admin/?next=… brings the user back),
// the top bar, and the hash router that renders one page at a time into
// #screen-page: the sitting list (#/), a sitting's live dashboard
// (#/sitting/ID) and its berita acara (#/sitting/ID/report). Strings, the
// dialog and dom helpers are shared with ../admin/. See docs/CLIENT.md
// ("The proctor web").

import { api, setCsrf, setSessionLostHandler } from './api.js';
import { loadLang, setLang, getLang, t, applyStatic, errorText, label } from './i18n/index.js';
import { h, fill } from '../admin/dom.js';
import { confirmDialog } from '../admin/dialog.js';
import * as sittingsPage from './pages/sittings.js';
import * as dashboardPage from './pages/dashboard.js';
import * as reportPage from './pages/report.js';

const $ = (id) => document.getElementById(id);
const ROLES = ['admin', 'proctor', 'observer'];
const ACTORS = ['admin', 'proctor'];
const HOME = '#/';

const ROUTES = [
  { re: /^\/$/, page: sittingsPage, nav: 'nav-sittings' },
  { re: /^\/sitting\/(\d+)$/, page: dashboardPage },
  { re: /^\/sitting\/(\d+)\/report$/, page: reportPage },
];

const state = {
  me: null,
  render: 0, // bumped on every route change; stale async renders give up
  leave: [], // cleanups of the current page (streams, timers)
};

function hasRole() {
  const roles = (state.me && state.me.roles) || [];
  for (let i = 0; i < arguments.length; i++) if (roles.indexOf(arguments[i]) >= 0) return true;
  return false;
}

/** The administration login, coming back to this page afterwards. */
function toLogin() {
  const back = '/proctor/' + (window.location.hash || '');
  window.location.replace('/admin/?next=' + encodeURIComponent(back));
}

function showScreen(name) {
  ['loading', 'page'].forEach((s) => {
    $('screen-' + s).hidden = s !== name;
  });
  const inside = name === 'page';
  $('topnav').hidden = !inside;
  $('account').hidden = !inside;
  $('logout-button').hidden = !inside;
}

function setMe(me) {
  state.me = me;
  setCsrf(me.csrf);
  $('account-name').textContent = me.name || me.username;
  $('account-roles').textContent = (me.roles || []).map((r) => label('role_', r)).join(', ');
}

function currentPath() {
  const hash = window.location.hash || '';
  return hash.indexOf('#') === 0 ? hash.slice(1) : hash;
}

function navigate(href) {
  if (window.location.hash === href) route();
  else window.location.hash = href;
}

function leavePage() {
  const list = state.leave;
  state.leave = [];
  for (let i = 0; i < list.length; i++) {
    try {
      list[i]();
    } catch (e) {
      /* a cleanup never stops the next page */
    }
  }
}

async function route() {
  if (!state.me) return;
  leavePage();
  let path = currentPath();
  if (!path) path = '/';
  state.render += 1;
  const token = state.render;
  window.scrollTo(0, 0);
  showScreen('page');
  const root = $('screen-page');
  fill(root);
  let found = null;
  let params = [];
  for (let i = 0; i < ROUTES.length; i++) {
    const m = ROUTES[i].re.exec(path);
    if (m) {
      found = ROUTES[i];
      params = m.slice(1);
      break;
    }
  }
  const here = $('nav-sittings');
  if (found && found.nav === 'nav-sittings') here.setAttribute('aria-current', 'page');
  else here.removeAttribute('aria-current');
  const ctx = makeContext(token, root);
  if (!found) {
    ctx.problem('notFoundTitle', t('notFoundText'));
    return;
  }
  if (!hasRole.apply(null, ROLES)) {
    ctx.forbidden();
    return;
  }
  try {
    await found.page.render(ctx, root, params);
  } catch (e) {
    if (!ctx.alive()) return;
    ctx.showError(e);
  }
}

/** What a page gets (as in ../admin/app.js) plus canAct (admin or proctor:
 *  the action controls) and onLeave(fn) (run when the route changes). */
function makeContext(token, root) {
  const ctx = {
    me: state.me,
    hasRole: hasRole,
    canAct: hasRole.apply(null, ACTORS),
    alive: () => token === state.render && !!state.me,
    navigate: navigate,
    confirm: confirmDialog,
    announce: announce,
    onLeave: (fn) => {
      if (token === state.render) state.leave.push(fn);
      else fn();
    },
    title: (text, sub, focus) => {
      document.title = text + ' — Ujian';
      const h1 = h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1' }, text);
      const head = h('div', { class: 'page-head' }, h('div', null, sub ? h('p', { class: 'page-kicker' }, sub) : null, h1));
      root.appendChild(head);
      if (focus !== false && (document.activeElement === document.body || !document.activeElement ||
        document.activeElement.closest('.topbar, .page-head') || document.activeElement.tagName === 'MAIN')) h1.focus();
      return head;
    },
    problem: (titleKey, text) => {
      fill(root);
      ctx.title(t(titleKey));
      root.appendChild(h('div', { class: 'panel problem', dataset: { problem: titleKey } },
        h('p', null, text),
        h('p', null, h('a', { href: HOME }, t('backToSittings')))));
    },
    forbidden: () => {
      const roles = (state.me.roles || []).map((r) => label('role_', r)).join(', ') || '—';
      ctx.problem('forbiddenTitle', t('proctorForbidden', { roles: roles }));
    },
    showError: (e) => {
      if (!ctx.alive()) return;
      if (e && e.status === 401) return; // the session-lost handler took over
      if (e && e.code === 'forbidden') {
        ctx.forbidden();
        return;
      }
      if (e && e.status === 404) {
        ctx.problem('notFoundTitle', e.code === 'no_such_sitting' ? t('err_no_such_sitting') : t('notFoundText'));
        return;
      }
      fill(root);
      ctx.title(t('loadErrorTitle'));
      root.appendChild(h('div', { class: 'panel' },
        h('p', { class: 'message', dataset: { state: 'error' }, role: 'alert' }, errorText(e)),
        h('button', { type: 'button', class: 'button', on: { click: route } }, t('retry'))));
    },
  };
  return ctx;
}

function announce(text) {
  const live = $('live');
  live.textContent = '';
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}

async function boot() {
  showScreen('loading');
  $('loading-retry').hidden = true;
  $('loading-text').textContent = t('loadingText');
  try {
    const me = await api.me();
    setMe(me);
    route();
  } catch (e) {
    if (e.status === 401) {
      toLogin();
      return;
    }
    $('loading-text').textContent = errorText(e);
    $('loading-retry').hidden = false;
  }
}

async function onLogout() {
  leavePage();
  try {
    await api.logout();
  } catch (e) {
    /* the session ends on the server anyway when it expires */
  }
  state.me = null;
  window.location.replace('/admin/');
}

function relabel() {
  applyStatic();
  const buttons = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-lang') === getLang()));
  if (state.me) {
    setMe(state.me);
    route();
  }
}

function init() {
  loadLang();
  relabel();
  const buttons = document.querySelectorAll('.lang-toggle [data-lang]');
  for (let i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', () => {
      if (setLang(buttons[i].getAttribute('data-lang'))) relabel();
    });
  }
  $('logout-button').addEventListener('click', onLogout);
  $('loading-retry').addEventListener('click', boot);
  window.addEventListener('hashchange', route);
  setSessionLostHandler(() => {
    if (!state.me) return;
    state.me = null;
    leavePage();
    toLogin();
  });
  boot();
}

init();
