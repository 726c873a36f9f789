// Associations: every accepted DICOM association still open, and the last ones that ended (an echo or a short send is
// over before anyone could see it open).
import { getJson } from '../api.js';
import { h, replace, table, time, bytes, errorMessage } from '../dom.js';
import { showLive } from '../live.js';

const COMMON = [
  { label: 'Calling AE', cell: a => a.callingAeTitle },
  { label: 'Called AE', cell: a => a.calledAeTitle },
  { label: 'Peer', cell: a => a.peer ?? '—' },
  { label: 'Started', cell: a => time(a.startedAt) },
];
const COUNTS = [
  { label: 'Instances stored', cell: a => String(a.instancesStored), class: 'num' },
  { label: 'Failed', cell: a => String(a.instancesFailed), class: 'num' },
  { label: 'Received', cell: a => bytes(a.bytesStored), class: 'num' },
  { label: 'C-ECHO', cell: a => String(a.echoesAnswered), class: 'num echoes' },
  { label: 'Id', cell: a => h('code', {}, a.id) },
];

export async function render(root) {
  async function refresh() {
    try {
      const [open, ended] = await Promise.all([getJson('/api/v1/associations'), getJson('/api/v1/associations/recent')]);
      const rows = list => list.map(a => ({ ...a, __attrs: { 'data-association': a.id, 'data-calling-ae': a.callingAeTitle } }));
      replace(root,
        h('p', {}, `${open.length} association${open.length === 1 ? '' : 's'} open. Counts update as instances arrive.`),
        table('Open associations', [...COMMON, ...COUNTS], rows(open), 'No association is open.', { id: 'open-associations' }),
        h('h2', {}, 'Recently ended'),
        table(`The last ${ended.length} that ended, newest first`, [...COMMON, { label: 'Ended', cell: a => time(a.endedAt) }, ...COUNTS],
          rows(ended), 'No association has ended since Conduit started.', { id: 'ended-associations' }));
    } catch (error) {
      replace(root, errorMessage(error));
    }
  }
  await showLive(refresh, [['association', 'instance'], { delay: 700 }]);
}
