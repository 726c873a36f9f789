// Overview: instances per minute, jobs by status, queue depth, open associations, and the throughput chart.
import { getJson } from '../api.js';
import { h, replace, status, errorMessage } from '../dom.js';
import { showLive, serialized } from '../live.js';
import { throughputChart } from '../chart.js';

export async function render(root) {
  let range = 'hour';
  const numbers = h('section', { 'aria-labelledby': 'now-heading' });
  const jobs = h('section', { 'aria-labelledby': 'jobs-heading' });
  const chart = h('div', { class: 'chart-holder' });
  const rangeButtons = ['hour', 'day'].map(r => h('button', {
    type: 'button', class: 'toggle', 'aria-pressed': String(r === range),
    onclick: () => {
      range = r;
      for (const b of rangeButtons) b.setAttribute('aria-pressed', String(b.dataset.range === range));
      refreshChart();
    },
  }, r === 'hour' ? 'Last hour' : 'Last day'));
  rangeButtons[0].dataset.range = 'hour';
  rangeButtons[1].dataset.range = 'day';

  replace(root,
    numbers,
    jobs,
    h('section', { 'aria-labelledby': 'throughput-heading' },
      h('h2', { id: 'throughput-heading' }, 'Throughput'),
      h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Time range' }, rangeButtons),
      chart));

  const refreshNumbers = serialized(async () => {
    try {
      const o = await getJson('/api/v1/overview');
      replace(numbers,
        h('h2', { id: 'now-heading' }, 'Now'),
        h('ul', { class: 'cards' },
          card('Instances received, last minute', o.instancesLastMinute, 'instances-per-minute'),
          card('Instances received, last hour', o.instancesLastHour),
          card('Queue depth', o.queue.depth, 'queue-depth', `${o.queue.ready} ready, ${o.queue.delayed} waiting to retry, ${o.queue.leased} running`),
          card('Open associations', o.openAssociations, null, h('a', { href: '/associations' }, 'See them'))));
      replace(jobs,
        h('h2', { id: 'jobs-heading' }, 'Jobs by status'),
        h('ul', { class: 'status-counts', id: 'jobs-by-status' }, o.jobsByStatus.map(s =>
          h('li', {}, h('a', { href: `/jobs?status=${s.status}` }, status(s.status, s.statusCode), ' ', h('strong', { 'data-status': s.status }, String(s.count)))))));
    } catch (error) {
      replace(numbers, errorMessage(error));
    }
  });

  const refreshChart = serialized(async () => {
    try {
      replace(chart, throughputChart(await getJson(`/api/v1/throughput?range=${range}`)));
    } catch (error) {
      replace(chart, errorMessage(error));
    }
  });

  const refreshAll = () => Promise.all([refreshNumbers(), refreshChart()]);
  await showLive(refreshAll, [['instance', 'job', 'association', 'batch'], { delay: 1000 }]);
  // Time moves on even when nothing happens: the last-minute count and the chart's window slide.
  setInterval(refreshAll, 30000);
}

function card(title, value, id, detail) {
  return h('li', { class: 'card' },
    h('span', { class: 'card-title' }, title),
    h('span', { class: 'card-value', id }, String(value)),
    detail ? h('span', { class: 'card-detail' }, detail) : null);
}
