// The JSON API, the session (who is signed in, the CSRF token) and the operator actions.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
  }
}

let sessionPromise;

/**
 * GET /api/v1/session: {user, role, csrfToken, authRequired} (authRequired is false when no user is configured and
 * everyone on this machine is the local operator). If it cannot be read, the page acts as a viewer: the server
 * decides anyway, the buttons only follow.
 */
export function session() {
  sessionPromise ??= fetch('/api/v1/session', { headers: { Accept: 'application/json' } })
    .then(r => (r.ok ? r.json() : null))
    .catch(() => null)
    .then(s => s ?? { user: 'unknown', role: 'viewer', csrfToken: null, authRequired: true });
  return sessionPromise;
}

export async function isOperator() {
  return (await session()).role === 'operator';
}

function toLogin() {
  const here = location.pathname + location.search;
  location.assign('/login?returnUrl=' + encodeURIComponent(here));
}

async function check(response) {
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, 'Signed out', 'Your session has ended; sign in again.');
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem.title, problem.detail);
  }
  return response;
}

export async function getJson(url) {
  const response = await check(await fetch(url, { headers: { Accept: 'application/json' } }));
  return response.json();
}

/**
 * A GET of a paged list: {items, links}, where links maps each relation of the response's Link header (RFC 8288:
 * next, prev, first) to its URL.
 */
export async function getJsonPage(url) {
  const response = await check(await fetch(url, { headers: { Accept: 'application/json' } }));
  const links = {};
  for (const [, target, rel] of (response.headers.get('Link') ?? '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]+)"/g)) links[rel] = target;
  return { items: await response.json(), links };
}

/** An unsafe request: carries the CSRF token the session gave (cookie sign-ins need it). */
export async function post(url) {
  const { csrfToken } = await session();
  const headers = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-TOKEN'] = csrfToken;
  const response = await check(await fetch(url, { method: 'POST', headers }));
  return response.status === 204 ? null : response.json();
}

export async function logout() {
  const { csrfToken } = await session();
  await fetch('/logout', { method: 'POST', headers: csrfToken ? { 'X-CSRF-TOKEN': csrfToken } : {} });
  location.assign('/login');
}
