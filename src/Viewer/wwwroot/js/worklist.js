// Triage worklist: filters, sort by AI priority or date, live updates (Server-Sent Events, else polling every 5 s).
import { getJson } from './api.js';
import { h, clear, fmtDate, fmtPct, personName } from './dom.js';

const STATUSES = ['', 'pending', 'done', 'not analysed', 'failed'];

export async function mount(root, me) {
  const saved = JSON.parse(sessionStorage.getItem('worklist-filters') ?? '{}');
  const from = h('input', { id: 'wl-from', type: 'date', value: saved.from ?? '', testid: 'filter-from' });
  const to = h('input', { id: 'wl-to', type: 'date', value: saved.to ?? '', testid: 'filter-to' });
  const patient = h('input', { id: 'wl-patient', type: 'search', placeholder: 'name or ID', value: saved.patient ?? '', testid: 'filter-patient' });
  const status = h('select', { id: 'wl-status', testid: 'filter-status' }, STATUSES.map(s => h('option', { value: s }, s || 'any')));
  status.value = saved.status ?? '';
  const sort = h('select', { id: 'wl-sort', testid: 'sort' }, h('option', { value: 'priority' }, 'AI priority'), h('option', { value: 'date' }, 'date'));
  sort.value = saved.sort ?? 'priority';
  const live = h('span.live', { testid: 'live-status', title: 'How the list stays up to date' }, 'connecting…');
  const count = h('span.muted', { testid: 'worklist-count' });
  const body = h('tbody', { testid: 'worklist-rows' });
  const table = h('table.grid', { testid: 'worklist' },
    h('caption.sr-only', {}, 'Studies'),
    h('thead', {}, h('tr', {}, ['Patient', 'Patient ID', 'Date', 'Description', 'Modality', 'Images', 'AI status', 'Max malignancy', 'Corrected']
      .map(t => h('th', { scope: 'col' }, t)))),
    body);
  const form = h('form.filters', { testid: 'worklist-filters', onsubmit: e => { e.preventDefault(); load(); } },
    h('label', { for: 'wl-from' }, 'From'), from,
    h('label', { for: 'wl-to' }, 'To'), to,
    h('label', { for: 'wl-patient' }, 'Patient'), patient,
    h('label', { for: 'wl-status' }, 'AI status'), status,
    h('label', { for: 'wl-sort' }, 'Sort by'), sort,
    h('button', { type: 'submit', testid: 'filter-apply' }, 'Apply'),
    h('button.ghost', { type: 'button', testid: 'filter-clear', onclick: () => { from.value = to.value = patient.value = status.value = ''; load(); } }, 'Clear'));
  for (const el of [from, to, status, sort]) el.addEventListener('change', () => load());
  let typing;
  patient.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(load, 300); });
  clear(root, h('section.page', {}, h('div.page-head', {}, h('h1', {}, 'Worklist'), count, live), form, h('div.table-wrap', {}, table),
    h('p.muted.small', {}, 'AI output supports triage only — it is not a diagnosis.')));

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const q = new URLSearchParams();
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    if (patient.value.trim()) q.set('patient', patient.value.trim());
    if (status.value) q.set('status', status.value);
    q.set('sort', sort.value);
    sessionStorage.setItem('worklist-filters', JSON.stringify({ from: from.value, to: to.value, patient: patient.value, status: status.value, sort: sort.value }));
    let rows;
    try {
      rows = await getJson('/api/worklist?' + q);
    } catch (err) {
      if (mine === seq) clear(body, h('tr', {}, h('td.error', { colspan: 9, testid: 'worklist-error' }, err.message)));
      return;
    }
    if (mine !== seq) return;
    count.textContent = `${rows.length} ${rows.length === 1 ? 'study' : 'studies'}`;
    if (rows.length === 0) {
      clear(body, h('tr', {}, h('td.muted', { colspan: 9, testid: 'worklist-empty' }, 'No studies match.')));
      return;
    }
    clear(body, rows.map(row));
  }

  function row(s) {
    const open = () => { location.hash = '#/study/' + encodeURIComponent(s.studyInstanceUid); };
    const p = s.maxMalignancyProbability;
    const level = p === null || p === undefined ? '' : p >= 0.5 ? 'high' : p >= 0.2 ? 'mid' : 'low';
    // The viewer's first requests start when the pointer goes down, a moment before the click opens the study.
    const preopen = e => { if (e.button === 0) import('./viewer.js').then(m => m.preopen(s.studyInstanceUid)).catch(() => {}); };
    return h('tr.clickable', { tabindex: 0, testid: 'worklist-row', dataset: { study: s.studyInstanceUid, status: s.aiStatus },
      onclick: open, onpointerdown: preopen, onkeydown: e => { if (e.key === 'Enter') open(); } },
    h('td', { testid: 'cell-patient' }, h('a', { href: '#/study/' + encodeURIComponent(s.studyInstanceUid), onclick: e => e.stopPropagation() }, personName(s.patientName))),
    h('td', { testid: 'cell-patient-id' }, s.patientId ?? ''),
    h('td', { testid: 'cell-date' }, fmtDate(s.studyDate)),
    h('td', { testid: 'cell-description' }, s.studyDescription ?? ''),
    h('td', { testid: 'cell-modality' }, (s.modalities ?? []).join(', ')),
    h('td.num', { testid: 'cell-images' }, s.imageCount),
    h('td', { testid: 'cell-ai-status' }, h('span.badge.' + s.aiStatus.replace(' ', '-'), {}, s.aiStatus)),
    h('td.num', { testid: 'cell-malignancy' }, h('span.prob.' + level, {}, fmtPct(p))),
    h('td', { testid: 'cell-corrected' }, s.corrected ? '✓ corrected' : ''));
  }

  // Live updates: the server's event stream when it has one, else polling.
  // GET /api/events sends `event: worklist` with {"studyInstanceUid": "…"} per change; one reload per burst.
  let source = null, poll = null, pending = null;
  // Read-only state for the browser tests: how updates arrive and how many reloads each path caused.
  const state = { mode: 'connecting', events: 0, eventReloads: 0, pollReloads: 0, lastEventStudy: null };
  window.__ecWorklist = state;
  const reloadSoon = e => {
    state.events++;
    try { state.lastEventStudy = JSON.parse(e.data).studyInstanceUid ?? null; } catch { /* keep-alive or malformed */ }
    clearTimeout(pending);
    pending = setTimeout(() => { state.eventReloads++; load(); }, 250);
  };
  function startPolling(why) {
    source?.close();
    source = null;
    if (poll) return;
    live.textContent = 'updates every 5 s';
    live.title = why;
    state.mode = 'poll';
    live.dataset.mode = 'poll';
    poll = setInterval(() => { state.pollReloads++; load(); }, 5000);
  }
  if ('EventSource' in window) {
    source = new EventSource('/api/events');
    source.addEventListener('open', () => { live.textContent = 'live'; live.classList.add('on'); state.mode = 'sse'; live.dataset.mode = 'sse'; });
    source.addEventListener('worklist', reloadSoon);
    source.addEventListener('error', () => { if (source?.readyState === EventSource.CLOSED) startPolling('event stream unavailable'); else { live.textContent = 'reconnecting…'; state.mode = 'reconnecting'; } });
  } else {
    startPolling('no EventSource');
  }
  await load();
  root.querySelector('[data-testid=worklist-row] a')?.focus();
  // The viewer's code is loaded ahead (index.html preloads it): run it while the user looks at the list, so that
  // opening a study does not wait for it (and its windowing kernel is compiled by then).
  (window.requestIdleCallback ?? setTimeout)(() => import('./viewer.js').catch(() => {}));
  return {
    unmount() { if (window.__ecWorklist === state) delete window.__ecWorklist; source?.close(); clearInterval(poll); clearTimeout(pending); clearTimeout(typing); },
  };
}
