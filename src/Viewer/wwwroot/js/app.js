// Entry point: who am I, forced password change, hash router, top bar.
import { getJson, post, refreshCsrf } from './api.js';
import { h, clear } from './dom.js';

const page = document.getElementById('page');
let me = null;
let current = null; // the mounted page: { unmount() }

async function start() {
  try {
    me = await getJson('/api/me');
  } catch {
    return; // 401 already redirected to /login
  }
  await refreshCsrf();
  document.querySelector('[data-testid=current-user]').textContent = `${me.displayName || me.name} (${me.role})`;
  document.querySelector('[data-testid=nav-tools]').hidden = !(me.role === 'technologist' || me.role === 'admin');
  document.querySelector('[data-testid=nav-admin]').hidden = me.role !== 'admin';
  document.querySelector('[data-testid=sign-out]').addEventListener('click', signOut);
  const help = document.getElementById('help');
  document.querySelector('[data-testid=help-button]').addEventListener('click', () => toggleHelp(true));
  document.querySelector('[data-testid=help-close]').addEventListener('click', () => toggleHelp(false));
  help.addEventListener('click', e => { if (e.target === help) toggleHelp(false); });
  document.addEventListener('keydown', e => {
    if (isTyping(e)) return;
    if (e.key === '?') { toggleHelp(help.hidden); e.preventDefault(); }
    else if (e.key === 'Escape' && !help.hidden) toggleHelp(false);
  });
  if (me.mustChangePassword) return showPasswordChange();
  window.addEventListener('hashchange', route);
  route();
}

export function isTyping(e) {
  const t = e.target;
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) && t.type !== 'range' && t.type !== 'checkbox');
}

function toggleHelp(show) {
  const help = document.getElementById('help');
  help.hidden = !show;
  if (show) help.querySelector('button').focus();
}

async function signOut() {
  try { await post('/api/logout'); } catch { /* signed out anyway */ }
  location.href = '/login';
}

function showPasswordChange() {
  const msg = h('p.error', { role: 'alert', testid: 'password-error', hidden: true });
  const cur = h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true, testid: 'password-current' });
  const next = h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true, minlength: 8, testid: 'password-new' });
  const again = h('input', { id: 'pw-again', type: 'password', autocomplete: 'new-password', required: true, testid: 'password-again' });
  const form = h('form.card.narrow', { testid: 'password-form', onsubmit: async e => {
    e.preventDefault();
    msg.hidden = true;
    if (next.value !== again.value) { msg.textContent = 'The two new passwords differ.'; msg.hidden = false; return; }
    try {
      await post('/api/account/password', { current: cur.value, new: next.value });
      await refreshCsrf();
      location.reload();
    } catch (err) {
      msg.textContent = err.message;
      msg.hidden = false;
    }
  } },
  h('h2', {}, 'Choose a new password'),
  h('p.muted', {}, 'Your account has a one-time password. Set your own password before you continue.'),
  msg,
  h('label', { for: 'pw-current' }, 'One-time password'), cur,
  h('label', { for: 'pw-new' }, 'New password'), next,
  h('label', { for: 'pw-again' }, 'New password again'), again,
  h('button.primary', { type: 'submit', testid: 'password-submit' }, 'Change password'));
  clear(page, form);
  cur.focus();
}

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const parts = hash.split('/').filter(Boolean).map(decodeURIComponent);
  current?.unmount?.();
  current = null;
  for (const a of document.querySelectorAll('.topbar nav a')) a.classList.toggle('active', a.getAttribute('href') === '#' + (parts[0] ? '/' + parts[0] : '/'));
  clear(page, h('p.muted.pad', {}, 'Loading…'));
  try {
    if (parts[0] === 'study' && parts[1]) {
      const { mount } = await import('./viewer.js');
      current = await mount(page, me, parts[1], { series: parts[2], instance: parts[3] });
    } else if (parts[0] === 'tools') {
      const { mount } = await import('./tools.js');
      current = await mount(page, me);
    } else if (parts[0] === 'admin') {
      const { mount } = await import('./admin.js');
      current = await mount(page, me);
    } else {
      const { mount } = await import('./worklist.js');
      current = await mount(page, me);
    }
  } catch (err) {
    clear(page, h('div.card', { role: 'alert', testid: 'page-error' }, h('h2', {}, 'Something went wrong'), h('p', {}, err.message)));
  }
}

start();
