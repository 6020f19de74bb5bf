// Fetch helpers: JSON in and out, the anti-forgery header on every POST, problem+json errors as ApiError.
let csrfToken = null;

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

/** Fetches a fresh anti-forgery token (call again after sign-in or a password change). */
export async function refreshCsrf() {
  const r = await fetch('/api/antiforgery', { credentials: 'same-origin' });
  if (!r.ok) throw await toError(r);
  csrfToken = (await r.json()).token;
  return csrfToken;
}

export async function toError(r) {
  let title = r.statusText, detail = '';
  try {
    const p = await r.json();
    title = p.title ?? title;
    detail = p.detail ?? '';
  } catch { /* not JSON */ }
  return new ApiError(r.status, title, detail);
}

function onUnauthorized(r) {
  if (r.status === 401) location.href = '/login?returnUrl=' + encodeURIComponent(location.pathname + location.hash);
}

export async function getJson(url, { signal } = {}) {
  const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal });
  if (!r.ok) { onUnauthorized(r); throw await toError(r); }
  return r.status === 204 ? null : r.json();
}

/** POST with the X-CSRF-TOKEN header; body is JSON unless it is FormData. Returns {status, body}. */
export async function post(url, body, { raw = false } = {}) {
  if (!csrfToken) await refreshCsrf();
  const send = () => {
    const headers = { Accept: 'application/json', 'X-CSRF-TOKEN': csrfToken };
    let payload = body;
    if (!(body instanceof FormData) && body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers, body: payload });
  };
  let r = await send();
  if (r.status === 400 && (r.headers.get('content-type') ?? '').includes('problem')) {
    const copy = r.clone();
    const p = await copy.json().catch(() => ({}));
    if ((p.title ?? '').startsWith('Anti-forgery')) { await refreshCsrf(); r = await send(); }
  }
  if (raw) return r;
  if (!r.ok && r.status !== 207) { onUnauthorized(r); throw await toError(r); }
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/**
 * Whether the server has an endpoint, to hide controls for features it lacks. Unknown API paths answer 404 with the
 * title "No such endpoint"; any other answer (including 404 "No such study" for a dummy UID) means it exists.
 * With strict, any 404 counts as absent (for probing a real resource).
 */
export async function exists(url, { strict = false } = {}) {
  try {
    // Only the status is needed: stop the body (a study export can be large) once the headers are in.
    const abort = new AbortController();
    const r = await fetch(url, { credentials: 'same-origin', signal: abort.signal, headers: { Accept: 'application/json' } });
    if (r.status !== 404) { abort.abort(); return true; }
    if (strict) { abort.abort(); return false; }
    const p = await r.json().catch(() => ({}));
    return p.title !== 'No such endpoint';
  } catch {
    return false;
  }
}
