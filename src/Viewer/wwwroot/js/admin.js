// Administration: users (add, disable/enable, reset with a one-time password shown once), audit trail, retrain queue.
import { getJson, post } from './api.js';
import { h, clear, fmtTime } from './dom.js';

export async function mount(root, me) {
  if (me.role !== 'admin') {
    clear(root, h('div.card', { role: 'alert', testid: 'admin-forbidden' }, 'Administration needs the admin role.'));
    return { unmount() {} };
  }
  const secret = h('div.secret', { testid: 'one-time-password', role: 'status', hidden: true });
  const showSecret = (name, pw) => {
    clear(secret, h('p', {}, `One-time password for ${name} — shown once; pass it on now. The user must change it at first sign-in.`),
      h('code', { testid: 'one-time-password-value' }, pw), ' ',
      h('button.ghost', { type: 'button', onclick: () => { secret.hidden = true; secret.replaceChildren(); } }, 'Done'));
    secret.hidden = false;
  };
  const usersBody = h('tbody', { testid: 'users' });
  const userMsg = h('p.small', { testid: 'user-message', role: 'status' });
  const nName = h('input', { id: 'u-name', required: true, pattern: '[a-z0-9._-]+', testid: 'user-name' });
  const nDisplay = h('input', { id: 'u-display', testid: 'user-display-name' });
  const nRole = h('select', { id: 'u-role', testid: 'user-role' }, ['doctor', 'technologist', 'admin'].map(r => h('option', { value: r }, r)));
  const addForm = h('form.row', { testid: 'user-add-form', onsubmit: async e => {
    e.preventDefault();
    try {
      const { body } = await post('/api/admin/users', { name: nName.value, displayName: nDisplay.value, role: nRole.value });
      userMsg.textContent = `Created ${body.user.name}.`;
      if (body.oneTimePassword) showSecret(body.user.name, body.oneTimePassword);
      nName.value = nDisplay.value = '';
      loadUsers();
    } catch (err) { userMsg.textContent = err.message; }
  } }, h('label', { for: 'u-name' }, 'User name'), nName, h('label', { for: 'u-display' }, 'Display name'), nDisplay,
  h('label', { for: 'u-role' }, 'Role'), nRole, h('button.primary', { type: 'submit', testid: 'user-add' }, 'Add user'));

  async function act(name, what) {
    try {
      const { body } = await post(`/api/admin/users/${encodeURIComponent(name)}/${what}`);
      if (what === 'reset' && body?.oneTimePassword) showSecret(name, body.oneTimePassword);
      userMsg.textContent = `${name}: ${what} done.`;
      loadUsers();
    } catch (err) { userMsg.textContent = err.message; }
  }

  async function loadUsers() {
    const users = await getJson('/api/admin/users');
    clear(usersBody, users.map(u => h('tr', { testid: 'user-row', dataset: { name: u.name } },
      h('td', {}, u.name), h('td', {}, u.displayName ?? ''), h('td', {}, u.role),
      h('td', { testid: 'user-state' }, u.disabled ? 'disabled' : u.locked ? 'locked' : u.mustChangePassword ? 'must change password' : 'active'),
      h('td.actions', {},
        u.disabled ? h('button', { type: 'button', testid: 'user-enable', onclick: () => act(u.name, 'enable') }, 'Enable')
          : h('button', { type: 'button', testid: 'user-disable', disabled: u.name === me.name, onclick: () => act(u.name, 'disable') }, 'Disable'),
        h('button', { type: 'button', testid: 'user-reset', onclick: () => { if (confirm(`Reset the password of ${u.name}?`)) act(u.name, 'reset'); } }, 'Reset password')))));
  }

  // Audit
  const aUser = h('input', { id: 'a-user', testid: 'audit-user' });
  const aAction = h('input', { id: 'a-action', testid: 'audit-action', list: 'audit-actions' });
  const aFrom = h('input', { id: 'a-from', type: 'date', testid: 'audit-from' });
  const aTo = h('input', { id: 'a-to', type: 'date', testid: 'audit-to' });
  const actions = h('datalist', { id: 'audit-actions' }, ['sign-in', 'sign-in-failed', 'sign-out', 'locked-out', 'password-changed', 'study-view', 'image-view', 'attributes-view', 'correction', 'upload', 'upload-refused', 'echo', 'export', 'send', 'user-created', 'user-disabled', 'user-enabled', 'password-reset'].map(a => h('option', { value: a })));
  const auditBody = h('tbody', { testid: 'audit' });
  async function loadAudit() {
    const q = new URLSearchParams({ limit: '500' });
    if (aUser.value.trim()) q.set('user', aUser.value.trim());
    if (aAction.value.trim()) q.set('action', aAction.value.trim());
    if (aFrom.value) q.set('from', new Date(aFrom.value + 'T00:00:00').toISOString());
    if (aTo.value) q.set('to', new Date(aTo.value + 'T23:59:59.999').toISOString());
    try {
      const rows = await getJson('/api/admin/audit?' + q);
      clear(auditBody, rows.length ? rows.map(r => h('tr', { testid: 'audit-row' }, h('td', {}, fmtTime(r.at)), h('td', {}, r.userName ?? ''), h('td', {}, r.action),
        h('td.wrap', {}, r.target ?? ''), h('td.wrap', {}, r.detail ?? ''), h('td', {}, r.remoteAddress ?? ''))) : h('tr', {}, h('td.muted', { colspan: 6 }, 'No entries.')));
    } catch (err) { clear(auditBody, h('tr', {}, h('td.error', { colspan: 6 }, err.message))); }
  }
  const auditForm = h('form.filters', { testid: 'audit-filters', onsubmit: e => { e.preventDefault(); loadAudit(); } },
    h('label', { for: 'a-user' }, 'User'), aUser, h('label', { for: 'a-action' }, 'Action'), aAction, actions,
    h('label', { for: 'a-from' }, 'From'), aFrom, h('label', { for: 'a-to' }, 'To'), aTo, h('button', { type: 'submit', testid: 'audit-apply' }, 'Apply'));

  const retrainBody = h('tbody', { testid: 'retrain-queue' });
  async function loadRetrain() {
    try {
      const rows = await getJson('/api/retrain-queue');
      clear(retrainBody, rows.length ? rows.map(c => h('tr', { testid: 'retrain-row' }, h('td', {}, fmtTime(c.correctedAt)), h('td', {}, c.userName), h('td', {}, c.field),
        h('td', {}, `${c.oldLabel ?? '(none)'} → ${c.newLabel}`), h('td', {}, `${c.modelSet} ${c.modelVersion}`), h('td.wrap', {}, c.sopInstanceUid)))
        : h('tr', {}, h('td.muted', { colspan: 6 }, 'The retrain queue is empty.')));
    } catch (err) { clear(retrainBody, h('tr', {}, h('td.error', { colspan: 6 }, err.message))); }
  }

  const th = list => h('thead', {}, h('tr', {}, list.map(t => h('th', { scope: 'col' }, t))));
  clear(root, h('section.page', {}, h('h1', {}, 'Administration'),
    h('section.card', { 'aria-labelledby': 'ad-users' }, h('h2', { id: 'ad-users' }, 'Users'), secret, addForm, userMsg,
      h('div.table-wrap', {}, h('table.grid', {}, th(['Name', 'Display name', 'Role', 'State', '']), usersBody))),
    h('section.card', { 'aria-labelledby': 'ad-audit' }, h('h2', { id: 'ad-audit' }, 'Audit trail'), auditForm,
      h('div.table-wrap.tall', {}, h('table.grid', {}, th(['Time (UTC)', 'User', 'Action', 'Target', 'Detail', 'From']), auditBody))),
    h('section.card', { 'aria-labelledby': 'ad-retrain' }, h('h2', { id: 'ad-retrain' }, 'Retrain queue'),
      h('div.table-wrap', {}, h('table.grid', {}, th(['Corrected (UTC)', 'By', 'Field', 'Change', 'Model', 'Image']), retrainBody)))));
  await Promise.all([loadUsers(), loadAudit(), loadRetrain()]);
  return { unmount() {} };
}
