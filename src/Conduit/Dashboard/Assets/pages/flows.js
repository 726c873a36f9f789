// Flows: each flow in force (valid) with its YAML and the jobs it made, and each flow file that failed to load.
import { getJson } from '../api.js';
import { h, replace, status, facts, errorMessage } from '../dom.js';
import { showLive } from '../live.js';

// YAML panels the reader opened stay open when the page redraws on a change.
const openYaml = new Set();

export async function render(root) {
  async function refresh() {
    try {
      const catalog = await getJson('/api/v1/flows');
      replace(root,
        h('p', {}, `${catalog.flows.length} flow${catalog.flows.length === 1 ? '' : 's'} in force, ${catalog.errors.length} file${catalog.errors.length === 1 ? '' : 's'} with errors. Flows reload when their files change.`),
        catalog.errors.map(invalid),
        catalog.flows.map(flow),
        catalog.flows.length || catalog.errors.length ? null : h('p', { class: 'empty' }, 'No flow is loaded.'));
    } catch (error) {
      replace(root, errorMessage(error));
    }
  }
  await showLive(refresh, [['flows'], { delay: 300 }], [['job'], { delay: 2000 }]);
}

function flow(f) {
  const jobs = f.jobs ?? {};
  const total = Object.values(jobs).reduce((n, c) => n + c, 0);
  return h('article', { class: 'flow', 'data-flow': f.name },
    h('h2', {}, f.name, ' ', h('span', { class: 'status status-valid' }, 'valid')),
    facts([
      ['Version', f.version || '—'],
      ['Priority', String(f.priority)],
      ['Scope', f.scope],
      ['Format', f.format],
      ['File', h('code', {}, f.file)],
      ['Steps', f.steps.length ? f.steps.map(s => `${s.name} (${s.type})`).join(', ') : 'none'],
      ['Destinations', f.destinations.length ? f.destinations.map(d => `${d.name} (${d.type})`).join(', ') : 'none'],
      ['Jobs made', total ? h('span', {}, h('a', { href: `/jobs?flow=${encodeURIComponent(f.name)}` }, String(total)), ': ',
        Object.entries(jobs).map(([s, n], i) => [i ? ', ' : '', status(s), ` ${n}`])) : '0'],
    ]),
    yaml(f.yaml, `YAML of ${f.name}`));
}

function invalid(e) {
  return h('article', { class: 'flow flow-invalid' },
    h('h2', {}, h('code', {}, e.file.split('/').pop()), ' ', h('span', { class: 'status status-invalid' }, 'invalid')),
    h('p', {}, e.lastGoodVersionActive ? 'The last good version of this file stays in force.' : 'Nothing from this file is in force.'),
    h('ul', { class: 'errors' }, e.messages.map(m => h('li', {}, m))),
    yaml(e.yaml, `YAML of ${e.file}`));
}

function yaml(text, summary) {
  if (!text) return null;
  const details = h('details', { class: 'yaml', open: openYaml.has(summary) }, h('summary', {}, summary), h('pre', { tabindex: '0' }, text));
  details.addEventListener('toggle', () => (details.open ? openYaml.add(summary) : openYaml.delete(summary)));
  return details;
}
