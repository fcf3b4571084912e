// app.js - entry module of the proctor pages: the session (GET /me; without
// one, the administration login at /admin/?next=… brings the user back),
// the top bar, and the hash router that renders one page at a time into
// #screen-page: the sitting list (#/), a sitting's live dashboard
// (#/sitting/ID) and its berita acara (#/sitting/ID/report). Strings, the
// dialog and dom helpers are shared with ../admin/. See docs/CLIENT.md
// ("The proctor web").

import { api, setCsrf, setSessionLostHandler } from './api.js';
import { t, errorText, label } from './i18n/index.js';
import { fill } from '../admin/dom.js';
import { hasAnyRole, currentPath, matchRoute, renderRoute, pageContext, applyLanguage, wireLanguage } from '../admin/shell.js';
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
  return hasAnyRole(state.me, Array.prototype.slice.call(arguments));
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
  const match = matchRoute(ROUTES, path);
  const here = $('nav-sittings');
  if (match.route && match.route.nav === 'nav-sittings') here.setAttribute('aria-current', 'page');
  else here.removeAttribute('aria-current');
  await renderRoute(makeContext(token, root), root, match, hasRole.apply(null, ROLES));
}

/** What a page gets (../admin/shell.js's pageContext) plus canAct (admin or
 *  proctor: the action controls) and onLeave(fn) (run when the route changes). */
function makeContext(token, root) {
  const ctx = pageContext({
    me: state.me,
    alive: () => token === state.render && !!state.me,
    root: root,
    home: HOME,
    backKey: 'backToSittings',
    forbiddenKey: 'proctorForbidden',
    focusFrom: '.topbar, .page-head',
    notFound: (e) => (e.code === 'no_such_sitting' ? t('err_no_such_sitting') : t('notFoundText')),
    navigate: navigate,
    retry: route,
  });
  ctx.canAct = hasRole.apply(null, ACTORS);
  ctx.onLeave = (fn) => {
    if (token === state.render) state.leave.push(fn);
    else fn();
  };
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
