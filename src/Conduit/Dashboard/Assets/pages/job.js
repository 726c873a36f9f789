// One job: its status, each step (times, exit code, log tail), each destination's attempts, its history, and the
// operator's Retry and Cancel buttons.
import { getJson, post, isOperator } from '../api.js';
import { h, replace, table, time, status, duration, facts, errorMessage } from '../dom.js';
import { showLive, serialized } from '../live.js';

const CANCELLABLE = ['pending', 'running', 'finished', 'sending'];
const RETRYABLE = ['failed', 'cancelled'];

export async function render(root) {
  const id = decodeURIComponent(location.pathname.split('/').pop());
  const title = document.getElementById('page-title');
  const operator = await isOperator();
  const message = h('p', { id: 'action-message', role: 'status' });
  // Logs the reader opened (or closed) stay so when the page redraws on a change.
  const logState = new Map();
  const content = h('div');
  replace(root, content);

  async function act(action) {
    try {
      await post(`/api/v1/jobs/${encodeURIComponent(id)}/${action}`);
      message.className = 'notice';
      message.textContent = action === 'retry' ? 'Retry requested: the job is queued again.' : 'Cancel requested.';
    } catch (error) {
      message.className = 'error';
      message.textContent = `${action === 'retry' ? 'Retry' : 'Cancel'} refused: ${error.message}`;
    }
    refresh();
  }

  const refresh = serialized(async () => {
    let details;
    try {
      details = await getJson(`/api/v1/jobs/${encodeURIComponent(id)}`);
    } catch (error) {
      replace(content, errorMessage(error));
      return;
    }
    const job = details.job;
    title.textContent = `Job ${job.id}`;
    document.title = `Job ${job.id} · Conduit`;
    const actions = h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Job actions' },
      h('button', { type: 'button', id: 'retry-job', disabled: !operator || !RETRYABLE.includes(job.status), onclick: () => act('retry') }, 'Retry'),
      h('button', { type: 'button', id: 'cancel-job', class: 'danger', disabled: !operator || !CANCELLABLE.includes(job.status), onclick: () => act('cancel') }, 'Cancel'),
      operator ? null : h('span', { class: 'muted' }, 'Only operators can retry or cancel.'),
      ['finished', 'sending', 'sent'].includes(job.status) ? h('a', { href: `/api/v1/jobs/${encodeURIComponent(job.id)}/output.zip` }, 'Download output (zip)') : null);

    replace(content,
      h('section', { 'aria-labelledby': 'summary-heading' },
        h('h2', { id: 'summary-heading' }, 'Summary'),
        facts([
          ['Status', h('span', { id: 'job-status' }, status(job.status, job.statusCode), ' ', h('span', { class: 'muted' }, `(DicomFlow status ${job.statusCode})`))],
          ['Flow', h('a', { href: `/jobs?flow=${encodeURIComponent(job.flowName)}` }, `${job.flowName} ${job.flowVersion}`)],
          ['Priority', String(job.priority)],
          ['Study', job.studyInstanceUid ? h('a', { href: `/jobs?study=${encodeURIComponent(job.studyInstanceUid)}` }, h('code', {}, job.studyInstanceUid)) : '—'],
          ['Created', time(job.createdAt)],
          ['Started', time(job.startedAt)],
          ['Ended', time(job.endedAt)],
          ['Run time', duration(job.startedAt, job.endedAt)],
          ['Attempts', String(job.attempts)],
          job.error ? ['Error', h('span', { class: 'error-text', id: 'job-error' }, job.error)] : null,
        ]),
        actions, message),
      h('section', { 'aria-labelledby': 'steps-heading' },
        h('h2', { id: 'steps-heading' }, 'Steps'),
        details.steps.length ? details.steps.map(s => step(s, logState)) : h('p', { class: 'empty' }, 'This flow has no steps: the received instances are delivered as they are.')),
      h('section', { 'aria-labelledby': 'destinations-heading' },
        h('h2', { id: 'destinations-heading' }, 'Destinations'),
        table(null, [
          { label: 'Destination', cell: d => d.name },
          { label: 'Status', cell: d => status(d.status) },
          { label: 'Attempts', cell: d => String(d.attempts), class: 'num' },
          { label: 'First attempt', cell: d => time(d.startedAt) },
          { label: 'Ended', cell: d => time(d.endedAt) },
          { label: 'Next attempt', cell: d => time(d.nextAttemptAt) },
          { label: 'Last error', cell: d => d.lastError ?? '' },
        ], details.destinations, 'This flow has no destinations.', { id: 'destinations-table' }),
        attempts(details.events)),
      h('section', { 'aria-labelledby': 'history-heading' },
        h('h2', { id: 'history-heading' }, 'History'),
        table(null, [
          { label: 'When', cell: e => time(e.at) },
          { label: 'What', cell: e => (e.name ? `${e.entity} ${e.name}` : e.entity) },
          { label: 'From', cell: e => (e.fromStatus ? status(e.fromStatus) : '—') },
          { label: 'To', cell: e => status(e.toStatus) },
          { label: 'Message', cell: e => e.message ?? '' },
        ], details.events, 'No history.')));
  });

  await showLive(refresh, [['job', 'step', 'destination'], { delay: 300, filter: (kind, change) => change.id === id }]);
}

function step(s, logState) {
  return h('article', { class: 'step', 'data-step': s.name },
    h('h3', {}, s.name, ' ', status(s.status)),
    facts([
      ['Started', time(s.startedAt)],
      ['Ended', time(s.endedAt)],
      ['Run time', duration(s.startedAt, s.endedAt)],
      ['Exit code', s.exitCode === null || s.exitCode === undefined ? '—' : h('span', { class: 'exit-code' }, String(s.exitCode))],
      s.timedOut ? ['Timed out', 'yes'] : null,
      s.error ? ['Error', h('span', { class: 'error-text' }, s.error)] : null,
    ]),
    s.logTail ? log(s, logState) : h('p', { class: 'muted' }, 'No log output.'));
}

function log(s, logState) {
  const details = h('details', { class: 'log', open: logState.get(s.name) ?? s.status === 'failed' },
    h('summary', {}, `Log of ${s.name} (last ${s.logTail.length} characters)`),
    h('pre', { class: 'log-tail', tabindex: '0' }, s.logTail));
  details.addEventListener('toggle', () => logState.set(s.name, details.open));
  return details;
}

/** Each delivery attempt, from the history: sending → sent / pending (retry later) / failed. */
function attempts(events) {
  const rows = events.filter(e => e.entity === 'destination' && e.toStatus !== 'sending' && e.fromStatus === 'sending');
  if (!rows.length) return null;
  return table('Delivery attempts', [
    { label: 'When', cell: e => time(e.at) },
    { label: 'Destination', cell: e => e.name },
    { label: 'Outcome', cell: e => status(e.toStatus === 'pending' ? 'retry-later' : e.toStatus) },
    { label: 'Detail', cell: e => e.message ?? '' },
  ], rows, '', { class: 'attempts-table' });
}
