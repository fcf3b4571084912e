// app.js - entry module of the administration pages: the session (GET /me on
// load; the login form when there is none), the top bar and the menu by role,
// and the hash router that renders one page module at a time into
// #screen-page. Pages live in pages/*.js; see docs/CLIENT.md ("The
// administration web") for how to add one.

import { api, setCsrf, setSessionLostHandler } from './api.js';
import { t, errorText, label } from './i18n/index.js';
import { h, fill } from './dom.js';
import { hasAnyRole, currentPath, matchRoute, renderRoute, pageContext, applyLanguage, wireLanguage } from './shell.js';
import * as examsPage from './pages/exams.js';
import * as candidatesPage from './pages/candidates.js';
import * as banksPage from './pages/banks.js';
import * as bankViewPage from './pages/bank-view.js';
import * as examEditPage from './pages/exam-edit.js';
import * as cardsPage from './pages/cards.js';
import * as sittingsPage from './pages/sittings.js';
import * as resultsPage from './pages/results.js';
import * as accountsPage from './pages/accounts.js';
import * as auditPage from './pages/audit.js';
import * as minePage from './pages/mine.js';
import * as employeesPage from './pages/employees.js';
import * as calibrationsPage from './pages/calibrations.js';

const $ = (id) => document.getElementById(id);
const ALL = ['admin', 'author', 'proctor', 'committee', 'observer'];

// path pattern (after '#'), page module, roles that may open it, menu label
// key (pages without one are reached from other pages).
const ROUTES = [
  { re: /^\/ujian$/, page: examsPage, roles: ALL, menu: 'navExams', href: '#/ujian' },
  { re: /^\/ujian\/([^/]+)\/peserta$/, page: candidatesPage, roles: ['admin', 'proctor', 'observer'] },
  { re: /^\/ujian\/([^/]+)\/kartu$/, page: cardsPage, roles: ['admin'] },
  { re: /^\/ujian\/([^/]+)\/sesi$/, page: sittingsPage, roles: ['admin', 'proctor', 'observer'] },
  { re: /^\/ujian\/([^/]+)\/ubah$/, page: examEditPage, roles: ['admin', 'author'] },
  { re: /^\/hasil\/([^/]+)$/, page: resultsPage, roles: ['admin', 'committee'] },
  { re: /^\/bank$/, page: banksPage, roles: ['admin', 'author'], menu: 'navBanks', href: '#/bank' },
  { re: /^\/bank\/([^/]+)$/, page: bankViewPage, roles: ['admin', 'author'] },
  { re: /^\/bank\/([^/]+)\/kalibrasi$/, page: calibrationsPage, roles: ['admin', 'author'] },
  { re: /^\/bank\/([^/]+)\/kalibrasi\/(\d+)$/, page: calibrationsPage, roles: ['admin', 'author'] },
  { re: /^\/pegawai$/, page: employeesPage, roles: ['admin', 'committee'], menu: 'navEmployees', href: '#/pegawai' },
  { re: /^\/akun$/, page: accountsPage, roles: ['admin'], menu: 'navAccounts', href: '#/akun' },
  { re: /^\/audit$/, page: auditPage, roles: ['admin'], menu: 'navAudit', href: '#/audit' },
  { re: /^\/saya$/, page: minePage, roles: ALL, menu: 'navMine', href: '#/saya' },
];
const HOME = '#/ujian';
// The proctor pages (client-web/proctor/) have no login of their own: they
// send an unauthenticated visitor here with ?next=/proctor/#/...; after
// login a proctor or observer (without other staff roles) lands there.
const PROCTOR = '/proctor/';
const PROCTOR_ROLES = ['admin', 'proctor', 'observer'];
// The committee pages (client-web/committee/) likewise (?next=/committee/#/...);
// the menu links to them for admin and committee accounts.
const COMMITTEE = '/committee/';
const COMMITTEE_ROLES = ['admin', 'committee'];

const state = {
  me: null, // the /me object: {username, name, roles, exams, csrf, ...}
  render: 0, // bumped on every route change; stale async renders give up
  issued: null, // credentials issued in this page's life: {exam, title, opens_at, list}
  loginMessage: '',
};

/* ---- roles -------------------------------------------------------------- */

function hasRole() {
  return hasAnyRole(state.me, Array.prototype.slice.call(arguments));
}

function allowed(route) {
  return hasRole.apply(null, route.roles);
}

/* ---- screens ------------------------------------------------------------ */

function showScreen(name) {
  ['loading', 'login', 'page'].forEach((s) => {
    $('screen-' + s).hidden = s !== name;
  });
  const inside = name === 'page';
  $('sidenav').hidden = !inside;
  $('account').hidden = !inside;
  $('logout-button').hidden = !inside;
  document.documentElement.classList.toggle('signed-in', inside);
}

function showLogin(message) {
  state.me = null;
  setCsrf(null);
  showScreen('login');
  document.title = t('loginTitle') + ' — Ujian';
  $('login-error').textContent = message || '';
  $('login-password').value = '';
  const user = $('login-username');
  (user.value ? $('login-password') : user).focus();
}

function setMe(me) {
  state.me = me;
  setCsrf(me.csrf);
  $('account-name').textContent = me.name || me.username;
  $('account-roles').textContent = (me.roles || []).map((r) => label('role_', r)).join(', ');
  renderMenu();
}

function renderMenu() {
  const items = [];
  const current = currentPath();
  for (let i = 0; i < ROUTES.length; i++) {
    const r = ROUTES[i];
    if (!r.menu || !allowed(r)) continue;
    const here = current === r.href.slice(1) || (r.href === HOME && /^\/(ujian|hasil)\//.test(current)) ||
      (r.href === '#/bank' && current.indexOf('/bank/') === 0);
    items.push(h('li', null, h('a', { href: r.href, 'aria-current': here ? 'page' : null, dataset: { nav: r.href.slice(2) } }, t(r.menu))));
  }
  if (hasRole.apply(null, PROCTOR_ROLES)) items.splice(1, 0, h('li', null, h('a', { href: PROCTOR, dataset: { nav: 'proctor' } }, t('navProctor'))));
  if (hasRole.apply(null, COMMITTEE_ROLES)) items.splice(hasRole.apply(null, PROCTOR_ROLES) ? 2 : 1, 0, h('li', null, h('a', { href: COMMITTEE, dataset: { nav: 'committee' } }, t('navCommittee'))));
  fill($('menu'), items);
}

/* ---- router ------------------------------------------------------------- */

function navigate(href) {
  if (window.location.hash === href) route();
  else window.location.hash = href;
}

async function route() {
  if (!state.me) return;
  const path = currentPath();
  if (!path || path === '/') {
    window.location.replace(HOME);
    return;
  }
  state.render += 1;
  const token = state.render;
  window.scrollTo(0, 0); // a new page starts at its top (hash changes keep the scroll)
  renderMenu();
  showScreen('page');
  const root = $('screen-page');
  fill(root);
  const match = matchRoute(ROUTES, path);
  await renderRoute(makeContext(token, root), root, match, !!match.route && allowed(match.route));
}

/** What a page gets (shell.js's pageContext) plus the credentials issued
 *  in this page's life (for the exam cards) and signedOut. */
function makeContext(token, root) {
  const ctx = pageContext({
    me: state.me,
    alive: () => token === state.render && !!state.me,
    root: root,
    home: HOME,
    backKey: 'backToExams',
    forbiddenKey: 'forbiddenText',
    focusFrom: '.sidenav, .page-head, #screen-login',
    navigate: navigate,
    retry: route,
  });
  ctx.issued = () => state.issued;
  /** The session ended (e.g. "log out everywhere"): the login form, with a message. */
  ctx.signedOut = (key) => showLogin(t(key));
  ctx.setIssued = (v) => {
    state.issued = v;
  };
  return ctx;
}

/* ---- session ------------------------------------------------------------ */

/** Where to go after logging in, or null to stay: a safe ?next= (the
 *  proctor pages only, same origin), else the proctor pages for an account
 *  whose only roles are proctor and observer. */
function landing(me, atLogin) {
  let next = null;
  try {
    next = new URLSearchParams(window.location.search).get('next');
  } catch (e) {
    next = null;
  }
  if (next && /^\/(proctor|committee)\/(#\/[\w\-/.%]*)?$/.test(next)) return next;
  if (!atLogin) return null;
  const roles = (me && me.roles) || [];
  const other = roles.filter((r) => r !== 'proctor' && r !== 'observer');
  return roles.length && !other.length ? PROCTOR : null;
}

async function boot() {
  showScreen('loading');
  $('loading-retry').hidden = true;
  $('loading-text').textContent = t('loadingText');
  try {
    const me = await api.me();
    const next = landing(me, false);
    if (next) {
      window.location.replace(next);
      return;
    }
    setMe(me);
    route();
  } catch (e) {
    if (e.status === 401) {
      showLogin(e.code === 'session_expired' ? t('sessionExpired') : '');
      return;
    }
    $('loading-text').textContent = errorText(e);
    $('loading-retry').hidden = false;
  }
}

async function onLogin(ev) {
  ev.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const err = $('login-error');
  if (!username) {
    err.textContent = t('missingUsername');
    $('login-username').focus();
    return;
  }
  if (!password) {
    err.textContent = t('missingPassword');
    $('login-password').focus();
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  button.textContent = t('loginBusy');
  err.textContent = '';
  try {
    const me = await api.login(username, password);
    $('login-password').value = '';
    const next = landing(me, true);
    if (next) {
      window.location.assign(next);
      return;
    }
    setMe(me);
    if (!currentPath() || currentPath() === '/') window.location.replace(HOME); // hashchange renders it
    else route();
  } catch (e) {
    err.textContent = errorText(e);
    $('login-password').value = '';
    $('login-password').focus();
  } finally {
    button.disabled = false;
    button.textContent = t('loginSubmit');
  }
}

async function onLogout() {
  try {
    await api.logout();
  } catch (e) {
    /* the session ends on the server anyway when it expires; the form is shown */
  }
  state.issued = null;
  // The next person to log in here starts at the exams, not at this page.
  if (window.history && window.history.replaceState) window.history.replaceState(null, '', window.location.pathname);
  showLogin(t('loggedOut'));
}

function relabel() {
  applyLanguage();
  if (state.me) {
    setMe(state.me);
    route();
  } else {
    document.title = t('loginTitle') + ' — Ujian';
  }
}

function init() {
  wireLanguage(relabel);
  $('login-form').addEventListener('submit', onLogin);
  $('logout-button').addEventListener('click', onLogout);
  $('loading-retry').addEventListener('click', boot);
  window.addEventListener('hashchange', route);
  setSessionLostHandler((code) => {
    if (!state.me) return;
    showLogin(code === 'session_expired' ? t('sessionExpired') : t('sessionEnded'));
  });
  boot();
}

init();
