// app.js - entry module of the committee pages (panitia seleksi): the
// session (GET /me; without one, the administration login at
// /admin/?next=… brings the user back), the top bar, and the hash router
// that renders one page at a time into #screen-page: exam results
// (#/hasil), the nine-box talent grid (#/talenta), an employee's profile
// (#/pegawai/NIP), the open-bidding selections (#/seleksi) and the print
// pages (#/cetak/...). Strings, the dialog and dom helpers are shared with
// ../admin/. See docs/PANDUAN-PANSEL.md.

import { api, setCsrf, setSessionLostHandler } from './api.js';
import { t, errorText, label } from './i18n/index.js';
import { fill } from '../admin/dom.js';
import { hasAnyRole, currentPath, matchRoute, renderRoute, pageContext, applyLanguage, wireLanguage } from '../admin/shell.js';
import * as resultsPage from './pages/results.js';
import * as announcePage from './pages/announce.js';
import * as talentPage from './pages/talent.js';
import * as poolPage from './pages/pool.js';
import * as employeePage from './pages/employee.js';
import * as selectionsPage from './pages/selections.js';
import * as vacancyPage from './pages/vacancy.js';
import * as minutesPage from './pages/minutes.js';
import * as analysisPage from './pages/analysis.js';

const $ = (id) => document.getElementById(id);
const ROLES = ['admin', 'committee'];
const HOME = '#/hasil';

const ROUTES = [
  { re: /^\/hasil$/, page: resultsPage, nav: 'nav-hasil' },
  { re: /^\/hasil\/([^/]+)$/, page: resultsPage, nav: 'nav-hasil' },
  { re: /^\/cetak\/pengumuman\/([^/]+)$/, page: announcePage, print: true },
  { re: /^\/analisis\/([^/]+)$/, page: analysisPage, nav: 'nav-hasil' },
  { re: /^\/talenta$/, page: talentPage, nav: 'nav-talenta' },
  { re: /^\/talenta\/([^/]+)$/, page: talentPage, nav: 'nav-talenta' },
  { re: /^\/talenta\/([^/]+)\/pool$/, page: poolPage, nav: 'nav-talenta' },
  { re: /^\/pegawai\/(\d+)$/, page: employeePage, nav: 'nav-talenta' },
  { re: /^\/cetak\/profil\/(\d+)$/, page: employeePage, print: true },
  { re: /^\/seleksi$/, page: selectionsPage, nav: 'nav-seleksi' },
  { re: /^\/seleksi\/([^/]+)$/, page: selectionsPage, nav: 'nav-seleksi' },
  { re: /^\/seleksi\/([^/]+)\/([^/]+)$/, page: vacancyPage, nav: 'nav-seleksi' },
  { re: /^\/cetak\/berita-acara\/([^/]+)\/([^/]+)$/, page: minutesPage, print: 'minutes' },
  { re: /^\/cetak\/usulan\/([^/]+)\/([^/]+)$/, page: minutesPage, print: 'proposal' },
];
const NAV = ['nav-hasil', 'nav-talenta', 'nav-seleksi'];

const state = {
  me: null,
  render: 0, // bumped on every route change; stale async renders give up
  leave: [], // cleanups of the current page (streams)
};

/** The administration login, coming back to this page afterwards. */
function toLogin() {
  const back = '/committee/' + (window.location.hash || '');
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
  $('nav-admin').hidden = !hasAnyRole(me, ['admin']);
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
  const path = currentPath();
  if (!path || path === '/') {
    window.location.replace(HOME);
    return;
  }
  state.render += 1;
  const token = state.render;
  window.scrollTo(0, 0);
  showScreen('page');
  const root = $('screen-page');
  fill(root);
  const match = matchRoute(ROUTES, path);
  const nav = match.route ? match.route.nav : null;
  NAV.forEach((id) => {
    if (id === nav) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  });
  document.documentElement.classList.toggle('print-page', !!(match.route && match.route.print));
  await renderRoute(makeContext(token, root), root, match, hasAnyRole(state.me, ROLES));
}

/** What a page gets (../admin/shell.js's pageContext) plus onLeave(fn)
 *  (run when the route changes) and print (the print variant of a page). */
function makeContext(token, root) {
  const ctx = pageContext({
    me: state.me,
    alive: () => token === state.render && !!state.me,
    root: root,
    home: HOME,
    backKey: 'backToResults',
    forbiddenKey: 'committeeForbidden',
    focusFrom: '.topbar, .page-head',
    notFound: (e) => (e.code && e.code.indexOf('no_such_') === 0 && t('err_' + e.code) !== 'err_' + e.code ? t('err_' + e.code) : t('notFoundText')),
    navigate: navigate,
    retry: route,
  });
  ctx.onLeave = (fn) => {
    if (token === state.render) state.leave.push(fn);
    else fn();
  };
  const m = matchRoute(ROUTES, currentPath());
  ctx.print = m.route ? m.route.print || false : false;
  return ctx;
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
  applyLanguage();
  if (state.me) {
    setMe(state.me);
    route();
  }
}

function init() {
  wireLanguage(relabel);
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
