// Studies and series: search by patient ID, accession number, modality and study date; each study opens its series.
import { getJson } from '../api.js';
import { h, replace, table, time, errorMessage } from '../dom.js';
import { showLive, serialized } from '../live.js';

const FIELDS = [
  ['patientId', 'Patient ID', 'text'],
  ['accessionNumber', 'Accession number', 'text'],
  ['modality', 'Modality', 'text'],
  ['dateFrom', 'Study date from', 'date'],
  ['dateTo', 'Study date to', 'date'],
];

export async function render(root) {
  const params = new URLSearchParams(location.search);
  const open = new Set();
  const inputs = {};
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search studies' },
    FIELDS.map(([name, label, type]) => {
      const input = h('input', { id: `f-${name}`, name, type, value: fromParam(params.get(name) ?? '', type) });
      inputs[name] = input;
      return h('div', { class: 'field' }, h('label', { for: `f-${name}` }, label), input);
    }),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search'), h('button', { type: 'reset', class: 'secondary' }, 'Clear')));
  const results = h('div', { id: 'study-results' });
  replace(root, form, results);

  form.addEventListener('submit', event => {
    event.preventDefault();
    syncUrl();
    refresh();
  });
  form.addEventListener('reset', () => setTimeout(() => { syncUrl(); refresh(); }));

  function query() {
    const q = new URLSearchParams();
    for (const [name, , type] of FIELDS) {
      const value = inputs[name].value.trim();
      if (value) q.set(name, type === 'date' ? value.replaceAll('-', '') : value);
    }
    return q;
  }

  function syncUrl() {
    const q = query().toString();
    history.replaceState(null, '', q ? `?${q}` : location.pathname);
  }

  const refresh = serialized(async () => {
    try {
      const studies = await getJson(`/api/v1/studies/search?${query()}`);
      const series = new Map();
      await Promise.all(studies.filter(s => open.has(s.studyInstanceUid)).map(async s =>
        series.set(s.studyInstanceUid, await getJson(`/api/v1/studies/${encodeURIComponent(s.studyInstanceUid)}/series`))));
      replace(results, h('p', { class: 'muted' }, `${studies.length} stud${studies.length === 1 ? 'y' : 'ies'} found, most recently updated first.`),
        studies.length ? h('div', { class: 'study-list' }, studies.map(s => study(s, series.get(s.studyInstanceUid)))) : h('p', { class: 'empty' }, 'No study matches.'));
    } catch (error) {
      replace(results, errorMessage(error));
    }
  });

  function study(s, series) {
    const isOpen = open.has(s.studyInstanceUid);
    const toggle = h('button', {
      type: 'button', class: 'secondary', 'aria-expanded': String(isOpen),
      onclick: () => { if (open.has(s.studyInstanceUid)) open.delete(s.studyInstanceUid); else open.add(s.studyInstanceUid); refresh(); },
    }, isOpen ? 'Hide series' : `Show ${s.seriesCount} series`);
    return h('article', { class: 'study', 'data-study': s.studyInstanceUid },
      h('h2', {}, `${s.patientName || 'No name'} — ${s.patientId || 'no patient ID'}`),
      h('dl', { class: 'facts inline' },
        h('dt', {}, 'Accession'), h('dd', {}, s.accessionNumber || '—'),
        h('dt', {}, 'Study date'), h('dd', {}, formatDate(s.studyDate)),
        h('dt', {}, 'Description'), h('dd', {}, s.studyDescription || '—'),
        h('dt', {}, 'Modalities'), h('dd', {}, s.modalities.join(', ') || '—'),
        h('dt', {}, 'Instances'), h('dd', { class: 'study-instances' }, String(s.instanceCount)),
        h('dt', {}, 'Updated'), h('dd', {}, time(s.updatedAt)),
        h('dt', {}, 'Study UID'), h('dd', {}, h('code', {}, s.studyInstanceUid))),
      toggle,
      isOpen && series ? table(`Series of study ${s.studyInstanceUid}`, [
        { label: 'Number', cell: r => r.seriesNumber ?? '—' },
        { label: 'Modality', cell: r => r.modality ?? '—' },
        { label: 'Description', cell: r => r.seriesDescription ?? '—' },
        { label: 'Instances', cell: r => (r.expectedInstances ? `${r.instanceCount} of ${r.expectedInstances}` : String(r.instanceCount)), class: 'num' },
        { label: 'Series UID', cell: r => h('code', {}, r.seriesInstanceUid) },
        { label: 'Jobs', cell: r => h('a', { href: `/jobs?study=${encodeURIComponent(r.studyInstanceUid)}` }, 'Jobs of the study') },
      ], series.map(r => ({ ...r, __attrs: { 'data-series': r.seriesInstanceUid } })), 'No series.', { class: 'series-table' }) : null);
  }

  await showLive(refresh, [['instance', 'batch'], { delay: 700 }]);
}

function formatDate(da) {
  return da && da.length === 8 ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6)}` : da || '—';
}

function fromParam(value, type) {
  return type === 'date' && /^\d{8}$/.test(value) ? formatDate(value) : value;
}
