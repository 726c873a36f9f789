// One EventSource per page on /api/v1/events. Pages ask to be told about some kinds of change; changes are gathered
// for a moment so that a series of 500 instances costs a few refetches, not 500. A page listens before it fetches
// (showLive): a change committed between its fetch and its first event would otherwise be missed until the next one.

const KINDS = ['instance', 'batch', 'job', 'step', 'destination', 'association', 'flows', 'resync'];
const listeners = new Set();
let source = null;
let lostConnection = false;
let open = false;
let openWaiters = [];

// How long a page waits for the stream before it fetches anyway (it then refetches when the stream opens).
const OPEN_WAIT_MS = 3000;

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
    // Changes made while the stream was down (or before it first opened, by a page that could not wait for it) were
    // not seen: everyone refetches.
    if (lostConnection) dispatch('resync', {});
    lostConnection = false;
    open = true;
    wakeOpenWaiters();
  });
  source.addEventListener('error', () => {
    lostConnection = true;
    open = false;
    // A page waiting for the stream fetches now; the resync when it reopens covers the gap.
    wakeOpenWaiters();
    if (source.readyState === EventSource.CLOSED) setStatus('off', 'Offline: reload to retry');
    else setStatus('connecting', 'Reconnecting…');
  });
}

function wakeOpenWaiters() {
  const waiters = openWaiters;
  openWaiters = [];
  for (const wake of waiters) wake();
}

/**
 * Resolves once the server has subscribed this page to the change feed: the response headers of /api/v1/events,
 * which fire 'open', are sent only after the subscription is made (EventsEndpoint). If the stream errs or takes longer
 * than OPEN_WAIT_MS it resolves anyway, and the page gets a resync when the stream opens.
 */
function opened() {
  connect();
  if (open) return Promise.resolve();
  return new Promise(resolve => {
    openWaiters.push(resolve);
    setTimeout(() => {
      if (!open) lostConnection = true;
      resolve();
    }, OPEN_WAIT_MS);
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

/**
 * One run of `refresh` at a time: a call while one runs starts one more run after it (however many calls came), so an
 * older answer never draws over a newer one and a change seen during a fetch is fetched again. Returns the wrapper.
 */
export function serialized(refresh) {
  if (refresh.serialized) return refresh;
  let running = null;
  let next = null;
  const run = () => {
    if (!running) {
      running = (async () => {
        try {
          await refresh();
        } finally {
          running = null;
        }
      })();
      return running;
    }
    next ??= running.then(() => {
      next = null;
      return run();
    });
    return next;
  };
  run.serialized = true;
  return run;
}

/**
 * Shows a page's data live without missing a change: listens first (each `[kinds, options]` of `subscriptions` as
 * onChange takes them), waits until the change feed is open, then fetches with `refresh`. A change committed after the
 * server subscribed this page reaches its listener even while the first fetch runs, and runs `refresh` again once that
 * fetch is done. Returns the serialized refresh, for the page's own controls. Resolves after the first refresh.
 */
export async function showLive(refresh, ...subscriptions) {
  const run = serialized(refresh);
  for (const [kinds, options] of subscriptions) onChange(kinds, run, options);
  await opened();
  await run();
  return run;
}

export function start() {
  connect();
}
