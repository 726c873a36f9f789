// One EventSource per page on /api/v1/events. Pages ask to be told about some kinds of change; changes are gathered
// for a moment so that a series of 500 instances costs a few refetches, not 500.

const KINDS = ['instance', 'batch', 'job', 'step', 'destination', 'association', 'flows', 'resync'];
const listeners = new Set();
let source = null;
let lostConnection = false;

function setStatus(state, text) {
  const el = document.getElementById('live-status');
  if (!el) return;
  el.className = `live live-${state}`;
  el.textContent = text;
}

function dispatch(kind, data) {
  for (const listener of listeners) listener(kind, data);
}

function connect() {
  if (source) return;
  source = new EventSource('/api/v1/events');
  for (const kind of KINDS) {
    source.addEventListener(kind, event => dispatch(kind, JSON.parse(event.data)));
  }
  source.addEventListener('open', () => {
    setStatus('on', 'Live');
    // Changes made while the stream was down were not seen: everyone refetches.
    if (lostConnection) dispatch('resync', {});
    lostConnection = false;
  });
  source.addEventListener('error', () => {
    lostConnection = true;
    if (source.readyState === EventSource.CLOSED) setStatus('off', 'Offline: reload to retry');
    else setStatus('connecting', 'Reconnecting…');
  });
}

/**
 * Calls `callback(changes)` after changes of the given kinds (and after a resync), at most once per `delay` ms.
 * `filter(kind, data)` may narrow them further (say, one job). Returns a function that stops listening.
 */
export function onChange(kinds, callback, { delay = 500, filter } = {}) {
  const wanted = new Set(kinds);
  let pending = [];
  let timer = null;
  const listener = (kind, data) => {
    if (kind !== 'resync' && (!wanted.has(kind) || (filter && !filter(kind, data)))) return;
    pending.push({ kind, ...data });
    timer ??= setTimeout(() => {
      const changes = pending;
      pending = [];
      timer = null;
      callback(changes);
    }, delay);
  };
  listeners.add(listener);
  connect();
  return () => listeners.delete(listener);
}

export function start() {
  connect();
}
