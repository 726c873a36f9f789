// Folder batches: what the watched folders took, each file's fate and the jobs they caused.
import { getJson } from '../api.js';
import { h, replace, table, time, status, errorMessage } from '../dom.js';
import { showLive } from '../live.js';

export async function render(root) {
  async function refresh() {
    try {
      const batches = await getJson('/api/v1/folder-batches');
      replace(root, batches.length
        ? batches.map(batch)
        : h('p', { class: 'empty' }, 'No folder batch yet. Watched folders are set in conduit.yaml (folders.watch).'));
    } catch (error) {
      replace(root, errorMessage(error));
    }
  }
  await showLive(refresh, [['instance', 'job'], { delay: 1000 }]);
}

function batch(b) {
  return h('article', { class: 'folder-batch', 'data-batch': b.id },
    h('h2', {}, h('code', {}, b.name), ' ', status(b.status)),
    h('dl', { class: 'facts inline' },
      h('dt', {}, 'Watched folder'), h('dd', {}, h('code', {}, b.watched)),
      h('dt', {}, 'Taken'), h('dd', {}, time(b.createdAt)),
      h('dt', {}, 'Finished'), h('dd', {}, time(b.finishedAt)),
      h('dt', {}, 'Folder'), h('dd', {}, b.folderFate ?? '—')),
    b.error ? h('p', { class: 'error-text' }, b.error) : null,
    h('details', {},
      h('summary', {}, `${b.files.length} file${b.files.length === 1 ? '' : 's'}, ${b.jobs.length} job${b.jobs.length === 1 ? '' : 's'}`),
      table('Files', [
        { label: 'File', cell: f => f.name },
        { label: 'Status', cell: f => status(f.status) },
        { label: 'Series', cell: f => (f.seriesInstanceUid ? h('code', {}, f.seriesInstanceUid) : '—') },
        { label: 'Error', cell: f => f.error ?? '' },
      ], b.files, 'No file.'),
      table('Jobs', [
        { label: 'Job', cell: j => h('a', { href: `/jobs/${encodeURIComponent(j.jobId)}` }, h('code', {}, j.jobId)) },
        { label: 'Flow', cell: j => j.flow },
        { label: 'Status', cell: j => status(j.status, j.statusCode) },
        { label: 'Error', cell: j => j.error ?? '' },
      ], b.jobs, 'No job yet.')));
}
