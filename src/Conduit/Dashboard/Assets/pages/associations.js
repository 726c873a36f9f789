// Live associations: every accepted DICOM association that is still open.
import { getJson } from '../api.js';
import { h, replace, table, time, bytes, errorMessage } from '../dom.js';
import { onChange } from '../live.js';

export async function render(root) {
  async function refresh() {
    try {
      const associations = await getJson('/api/v1/associations');
      replace(root,
        h('p', {}, `${associations.length} association${associations.length === 1 ? '' : 's'} open. Counts update as instances arrive.`),
        table('Open associations', [
          { label: 'Calling AE', cell: a => a.callingAeTitle },
          { label: 'Called AE', cell: a => a.calledAeTitle },
          { label: 'Peer', cell: a => a.peer ?? '—' },
          { label: 'Started', cell: a => time(a.startedAt) },
          { label: 'Instances stored', cell: a => String(a.instancesStored), class: 'num' },
          { label: 'Failed', cell: a => String(a.instancesFailed), class: 'num' },
          { label: 'Received', cell: a => bytes(a.bytesStored), class: 'num' },
          { label: 'Id', cell: a => h('code', {}, a.id) },
        ], associations, 'No association is open.'));
    } catch (error) {
      replace(root, errorMessage(error));
    }
  }
  await refresh();
  onChange(['association', 'instance'], refresh, { delay: 700 });
}
