// The console API, from the browser: the session cookie travels by itself (HttpOnly); the CSRF token is kept for
// this tab in sessionStorage and sent on every request that changes something.
const CSRF_KEY = 'sms-console-csrf';

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function call(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (method !== 'GET') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(json, response.status);
  return json;
}

export async function signIn(token) {
  const session = await call('POST', 'api/session', undefined, { Authorization: `Bearer ${token}` });
  sessionStorage.setItem(CSRF_KEY, session.csrfToken);
  return session;
}

export async function signOut() {
  try {
    await call('DELETE', 'api/session');
  } finally {
    sessionStorage.removeItem(CSRF_KEY);
  }
}

export const me = () => call('GET', 'api/me');
export const setPresence = (presence) => call('PUT', 'api/me/presence', { presence });
export const numbers = () => call('GET', 'api/numbers');
export const queues = () => call('GET', 'api/queues');
export const conversations = () => call('GET', 'api/conversations');
export const conversation = (id) => call('GET', `api/conversations/${encodeURIComponent(id)}`);
export const originate = (businessNumber, customerNumber, text, key) =>
  call('POST', 'api/conversations', { businessNumber, customerNumber, text }, { 'Idempotency-Key': key });
export const send = (id, text) => call('POST', `api/conversations/${encodeURIComponent(id)}/messages`, { text });
export const act = (id, action) => call('POST', `api/conversations/${encodeURIComponent(id)}/${action}`);

/**
 * Opens the event stream; calls onEvent(type, data) for each event, onOpen at each (re)connection, onRetry when the
 * connection dropped and the browser retries, and onClosed when it gives up. The browser reconnects by itself after a dropped connection.
 */
export function events(onEvent, onOpen, onClosed, onRetry) {
  const source = new EventSource('api/events', { withCredentials: true });
  for (const type of ['ready', 'assigned', 'message', 'delivery', 'queued', 'ended', 'lost', 'expired']) {
    source.addEventListener(type, (e) => onEvent(type, JSON.parse(e.data)));
  }
  source.addEventListener('open', () => onOpen && onOpen());
  // A refused reconnect (the session expired) closes the stream for good: let the page find out why.
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) { if (onClosed) onClosed(); } else if (onRetry) onRetry();
  });
  return source;
}
