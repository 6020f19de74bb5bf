// Technologist tools: upload DICOM files, send a study to a remote AE, C-ECHO, inference queue, recent associations, export.
import { getJson, post, exists } from './api.js';
import { h, clear, fmtDate, fmtTime, personName } from './dom.js';

export async function mount(root, me) {
  if (me.role !== 'technologist' && me.role !== 'admin') {
    clear(root, h('div.card', { role: 'alert', testid: 'tools-forbidden' }, 'Technologist tools need the technologist or admin role.'));
    return { unmount() {} };
  }
  // Upload
  const files = h('input', { type: 'file', multiple: true, id: 't-files', testid: 'upload-files' });
  const uploadResults = h('tbody', { testid: 'upload-results' });
  const uploadMsg = h('p.small', { testid: 'upload-message', role: 'status' });
  const upload = h('section.card', { 'aria-labelledby': 't-upload' }, h('h2', { id: 't-upload' }, 'Upload DICOM files'),
    h('form.row', { testid: 'upload-form', onsubmit: async e => {
      e.preventDefault();
      if (!files.files.length) { uploadMsg.textContent = 'Choose one or more files first.'; return; }
      const fd = new FormData();
      for (const f of files.files) fd.append('files', f, f.name);
      uploadMsg.textContent = `Uploading ${files.files.length} file(s)…`;
      try {
        // Every outcome (201 all stored, 207 mixed, 4xx all refused) lists the files; show each one's result.
        const r = await post('/api/upload', fd, { raw: true });
        const body = await r.json().catch(() => ({}));
        const list = body?.files ?? [];
        uploadMsg.textContent = r.status === 201 ? `All ${list.length} file(s) stored.` : r.status === 207 ? 'Some files were refused.' : `Refused: ${body.detail ?? body.title ?? 'HTTP ' + r.status}`;
        clear(uploadResults, list.map(r => h('tr', { testid: 'upload-result', dataset: { status: r.httpStatus } },
          h('td', {}, r.fileName), h('td.num', {}, r.httpStatus), h('td', {}, r.dicomStatus), h('td', {}, r.comment ?? ''))));
        refreshStudies();
      } catch (err) { uploadMsg.textContent = err.message; }
    } }, h('label', { for: 't-files' }, 'Files'), files, h('button.primary', { type: 'submit', testid: 'upload-submit' }, 'Upload')),
    uploadMsg,
    h('table.grid', {}, h('thead', {}, h('tr', {}, ['File', 'HTTP', 'DICOM status', 'Comment'].map(t => h('th', { scope: 'col' }, t)))), uploadResults));

  // Remote AEs, echo, send
  const aeSelect = h('select', { id: 't-ae', testid: 'remote-ae' });
  const studySelect = h('select', { id: 't-study', testid: 'send-study' });
  const netMsg = h('p.small', { testid: 'network-message', role: 'status' });
  // Export, queue and associations are newer server features: shown once the server says they exist.
  const exportLink = h('a.button', { testid: 'export-link', href: '#', download: '', hidden: true }, 'Export study (zip)');
  const network = h('section.card', { 'aria-labelledby': 't-net' }, h('h2', { id: 't-net' }, 'Send, echo and export'),
    h('div.row', {}, h('label', { for: 't-ae' }, 'Remote AE'), aeSelect,
      h('button', { type: 'button', testid: 'echo', onclick: async () => {
        netMsg.textContent = `C-ECHO ${aeSelect.value}…`;
        netMsg.dataset.outcome = '';
        try {
          // {aeTitle, status, success, roundTripMs, comment}; a network failure is a 502 problem.
          const { body } = await post('/api/echo', { aeTitle: aeSelect.value });
          netMsg.textContent = `C-ECHO ${body.aeTitle}: ${body.success ? 'success' : 'failed'} (${body.status}) in ${Math.round(body.roundTripMs)} ms` + (body.comment ? ` — ${body.comment}` : '');
          netMsg.dataset.outcome = body.success ? 'success' : 'failure';
        } catch (err) { netMsg.textContent = `C-ECHO failed: ${err.message}`; netMsg.dataset.outcome = 'failure'; }
      } }, 'C-ECHO')),
    h('div.row', {}, h('label', { for: 't-study' }, 'Study'), studySelect,
      h('button.primary', { type: 'button', testid: 'send', onclick: async () => {
        netMsg.textContent = `Sending to ${aeSelect.value}…`;
        try { const { body } = await post('/api/send', { aeTitle: aeSelect.value, studyInstanceUid: studySelect.value }); netMsg.textContent = `Sent ${body.sent} of ${body.total} to ${body.aeTitle}` + (body.failed ? `, ${body.failed} failed` : '') + '.'; }
        catch (err) { netMsg.textContent = `Send failed: ${err.message}`; }
      } }, 'Send study'), exportLink),
    netMsg);
  studySelect.addEventListener('change', () => { exportLink.href = `/api/studies/${encodeURIComponent(studySelect.value)}/export`; });

  const queueBox = h('div', { testid: 'queue' }, h('p.muted', {}, 'Loading…'));
  const assocBody = h('tbody', { testid: 'associations' });
  const queue = h('section.card', { testid: 'queue-section', hidden: true, 'aria-labelledby': 't-queue' }, h('h2', { id: 't-queue' }, 'Inference queue'), queueBox);
  const assoc = h('section.card', { testid: 'associations-section', hidden: true, 'aria-labelledby': 't-assoc' }, h('h2', { id: 't-assoc' }, 'Recent DICOM associations'),
    h('div.table-wrap', {}, h('table.grid', {}, h('thead', {}, h('tr', {}, ['Calling AE', 'Called AE', 'Peer', 'Start', 'End', 'Stored', 'Refused', 'Requests', 'Outcome'].map(t => h('th', { scope: 'col' }, t)))), assocBody)));

  clear(root, h('section.page', {}, h('h1', {}, 'Technologist tools'), h('div.cards', {}, upload, network, queue, assoc)));

  async function refreshStudies() {
    try {
      const rows = await getJson('/api/worklist?sort=date');
      const keep = studySelect.value;
      clear(studySelect, rows.map(s => h('option', { value: s.studyInstanceUid }, `${personName(s.patientName)} · ${fmtDate(s.studyDate)} · ${s.studyDescription ?? ''} (${s.imageCount})`)));
      if (keep) studySelect.value = keep;
      studySelect.dispatchEvent(new Event('change'));
    } catch { /* keep */ }
  }
  try {
    const aes = await getJson('/api/remote-aes');
    clear(aeSelect, aes.length ? aes.map(a => h('option', { value: a.aeTitle }, `${a.aeTitle} (${a.host}:${a.port})`)) : h('option', { value: '' }, 'no remote AEs configured'));
    for (const b of network.querySelectorAll('[data-testid=echo], [data-testid=send]')) b.disabled = aes.length === 0;
  } catch (err) { netMsg.textContent = err.message; }
  await refreshStudies();
  exportLink.hidden = !(await exists('/api/studies/-/export'));

  const hasQueue = await exists('/api/queue'), hasAssoc = await exists('/api/associations');
  queue.hidden = !hasQueue;
  assoc.hidden = !hasAssoc;
  async function refreshStatus() {
    if (hasQueue) {
      try {
        // GET /api/queue: inference counts at the top level, the same per kind in `kinds`, the last failures.
        const q = await getJson('/api/queue');
        const counts = [['pending', 'Pending'], ['inProgress', 'In progress'], ['failed', 'Failed'], ['doneRecently', `Done (last ${q.recentMinutes} min)`]];
        clear(queueBox,
          h('dl.kv', {}, counts.map(([k, label]) => [h('dt', {}, label), h('dd', { testid: 'queue-' + k }, String(q[k] ?? 0))])),
          (q.kinds ?? []).length > 1 ? h('table.grid', { testid: 'queue-kinds' }, h('thead', {}, h('tr', {}, ['Kind', 'Pending', 'In progress', 'Failed', 'Done', 'Oldest pending'].map(t => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, q.kinds.map(k => h('tr', {}, h('td', {}, k.kind), h('td.num', {}, k.pending), h('td.num', {}, k.inProgress), h('td.num', {}, k.failed), h('td.num', {}, k.doneRecently), h('td', {}, fmtTime(k.oldestPendingAt)))))) : null,
          (q.recentFailures ?? []).length ? h('details', { testid: 'queue-failures' }, h('summary', {}, `Recent failures (${q.recentFailures.length})`),
            h('ul', {}, q.recentFailures.map(f => h('li.small', {}, `${f.kind} ${f.sopInstanceUid} · ${f.attempts} attempt(s) · ${fmtTime(f.createdAt)}: ${f.lastError ?? ''}`)))) : null);
      } catch (err) { clear(queueBox, h('p.error', {}, err.message)); }
    }
    if (hasAssoc) {
      try {
        // GET /api/associations: newest first, as the SCP recorded them when each association ended.
        const list = await getJson('/api/associations?limit=50');
        clear(assocBody, list.length ? list.map(x => h('tr', { testid: 'association-row', dataset: { calling: x.callingAe, outcome: x.outcome } },
          h('td', { testid: 'assoc-calling' }, x.callingAe), h('td', {}, x.calledAe), h('td', {}, x.peerAddress ?? ''),
          h('td', {}, fmtTime(x.startedAt)), h('td', {}, `${fmtTime(x.endedAt)} (${x.durationMs} ms)`),
          h('td.num', { testid: 'assoc-stored' }, x.instancesStored), h('td.num', { testid: 'assoc-refused' }, x.instancesRefused), h('td.num', {}, x.requests),
          h('td', { testid: 'assoc-outcome', title: x.detail ?? '' }, x.outcome)))
          : h('tr', {}, h('td.muted', { colspan: 9 }, 'No associations yet.')));
      } catch (err) { clear(assocBody, h('tr', {}, h('td.error', { colspan: 9 }, err.message))); }
    }
  }
  await refreshStatus();
  const timer = setInterval(refreshStatus, 5000);
  return { unmount() { clearInterval(timer); } };
}
