// Destinations: every destination of every flow, with its last success and its last error.
import { getJson } from '../api.js';
import { h, replace, table, time, errorMessage } from '../dom.js';
import { showLive } from '../live.js';

export async function render(root) {
  async function refresh() {
    try {
      const [activity, catalog] = await Promise.all([getJson('/api/v1/destinations'), getJson('/api/v1/flows')]);
      const seen = new Map(activity.map(a => [`${a.flow}\u0000${a.name}`, a]));
      const rows = [];
      for (const f of catalog.flows) {
        for (const d of f.destinations) {
          const key = `${f.name}\u0000${d.name}`;
          rows.push({ flow: f.name, name: d.name, type: d.type, ...(seen.get(key) ?? { jobs: 0, sent: 0, failed: 0, waiting: 0 }) });
          seen.delete(key);
        }
      }
      // Destinations of jobs whose flow is no longer loaded (or changed) still have a record.
      for (const a of seen.values()) rows.push({ ...a, type: 'not in any loaded flow' });
      replace(root, table('Destinations by flow', [
        { label: 'Flow', cell: r => r.flow },
        { label: 'Destination', cell: r => r.name },
        { label: 'Type', cell: r => r.type },
        { label: 'Jobs', cell: r => String(r.jobs), class: 'num' },
        { label: 'Sent', cell: r => String(r.sent), class: 'num' },
        { label: 'Failed', cell: r => String(r.failed), class: 'num' },
        { label: 'Waiting', cell: r => String(r.waiting), class: 'num' },
        { label: 'Last success', cell: r => (r.lastSuccessAt ? time(r.lastSuccessAt) : h('span', { class: 'muted' }, 'never')) },
        { label: 'Last error', cell: r => (r.lastError
          ? h('span', {}, time(r.lastErrorAt), ': ', h('span', { class: 'error-text' }, r.lastError), ' ', h('a', { href: `/jobs/${encodeURIComponent(r.lastErrorJobId)}` }, '(job)'))
          : h('span', { class: 'muted' }, 'none')) },
      ], rows, 'No flow has a destination.', { id: 'destinations-table' }));
    } catch (error) {
      replace(root, errorMessage(error));
    }
  }
  await showLive(refresh, [['destination'], { delay: 700 }]);
}
