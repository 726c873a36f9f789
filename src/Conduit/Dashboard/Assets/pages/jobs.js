// Jobs: newest first, filtered by status and flow (and by study when a link asks for it); live as jobs change.
// A page is cut at a job (?before=ID older, ?after=ID newer, ?limit=N jobs a page), as the API pages: an older page
// stays put while new jobs arrive, and "Newer"/"Older" follow the API's Link header.
import { getJson, getJsonPage } from '../api.js';
import { h, replace, table, time, status, duration, errorMessage } from '../dom.js';
import { showLive, serialized } from '../live.js';

const STATUSES = ['pending', 'running', 'finished', 'sending', 'sent', 'failed', 'cancelled'];

export async function render(root) {
  const params = new URLSearchParams(location.search);
  const study = params.get('study');
  // The page's cut: kept while the page refreshes live, dropped when a filter changes (back to the newest jobs).
  const cut = new URLSearchParams();
  for (const name of ['before', 'after', 'limit']) if (params.get(name)) cut.set(name, params.get(name));
  const statusSelect = h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'Any status'), STATUSES.map(s => h('option', { value: s, selected: params.get('status') === s }, s)));
  const flowSelect = h('select', { id: 'filter-flow', name: 'flow' }, h('option', { value: '' }, 'Any flow'));
  const flows = await getJson('/api/v1/flows').catch(() => ({ flows: [] }));
  const flowNames = new Set(flows.flows.map(f => f.name));
  if (params.get('flow')) flowNames.add(params.get('flow'));
  for (const name of [...flowNames].sort()) flowSelect.append(h('option', { value: name, selected: params.get('flow') === name }, name));

  const results = h('div', { id: 'job-results' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Job pages' });
  replace(root,
    h('form', { class: 'filters', 'aria-label': 'Filter jobs' },
      h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), statusSelect),
      h('div', { class: 'field' }, h('label', { for: 'filter-flow' }, 'Flow'), flowSelect),
      study ? h('p', { class: 'field' }, 'Study ', h('code', {}, study), ' ', h('a', { href: '/jobs' }, 'Show all studies')) : null),
    results, pager);

  for (const select of [statusSelect, flowSelect]) {
    select.addEventListener('change', () => { cut.delete('before'); cut.delete('after'); syncUrl(); refresh(); });
  }

  function query() {
    const q = new URLSearchParams();
    if (statusSelect.value) q.set('status', statusSelect.value);
    if (flowSelect.value) q.set('flow', flowSelect.value);
    if (study) q.set('study', study);
    for (const [name, value] of cut) q.set(name, value);
    return q;
  }

  /** The page link for an API link: the dashboard's URL takes the same query parameters as GET /api/v1/jobs. */
  function pageLink(apiLink, label, rel, id) {
    if (!apiLink) return h('span', { class: 'muted', 'aria-disabled': 'true', id }, label);
    return h('a', { href: `${location.pathname}${new URL(apiLink, location.href).search}`, rel, id }, label);
  }

  function syncUrl() {
    const q = query().toString();
    history.replaceState(null, '', q ? `?${q}` : location.pathname);
  }

  const refresh = serialized(async () => {
    try {
      const { items: jobs, links } = await getJsonPage(`/api/v1/jobs?${query()}`);
      const paged = cut.has('before') || cut.has('after');
      replace(pager, pageLink(links.prev ?? links.first, '← Newer', 'prev', 'jobs-newer'), ' ',
        pageLink(links.next, 'Older →', 'next', 'jobs-older'));
      pager.hidden = !(links.prev || links.first || links.next);
      replace(results, table(`${jobs.length} job${jobs.length === 1 ? '' : 's'}${paged ? ' on this page' : ''}, newest first`, [
        { label: 'Job', cell: j => h('a', { href: `/jobs/${encodeURIComponent(j.id)}` }, h('code', {}, j.id)) },
        { label: 'Flow', cell: j => `${j.flowName} ${j.flowVersion}` },
        { label: 'Status', cell: j => status(j.status, j.statusCode) },
        { label: 'Created', cell: j => time(j.createdAt) },
        { label: 'Run time', cell: j => duration(j.startedAt, j.endedAt) },
        { label: 'Attempts', cell: j => String(j.attempts), class: 'num' },
        { label: 'Error', cell: j => j.error ?? '' },
      ], jobs.map(j => ({ ...j, __attrs: { 'data-job': j.id, 'data-status': j.status } })), 'No job matches.', { id: 'jobs-table' }));
    } catch (error) {
      replace(results, errorMessage(error));
    }
  });

  await showLive(refresh, [['job'], { delay: 400 }]);
}
