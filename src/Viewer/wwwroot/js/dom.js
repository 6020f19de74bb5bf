// Tiny DOM helpers: h('div.class', {attrs}, children...) builds elements; text is always set as text (no innerHTML).
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'testid') el.dataset.testid = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function fmtDate(da) {
  if (!da || da.length !== 8) return da ?? '';
  return `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;
}

export function fmtPct(p) {
  return p === null || p === undefined ? '—' : `${(p * 100).toFixed(1)} %`;
}

export function fmtTime(ms) {
  if (ms === null || ms === undefined) return '';
  const d = typeof ms === 'number' ? new Date(ms) : new Date(ms);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

export function personName(pn) {
  return (pn ?? '').replaceAll('^', ' ').trim() || '(no name)';
}
