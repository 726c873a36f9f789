// The throughput chart, drawn as SVG: one bar per time slice for instances received, and a line for jobs that
// ended sent (failed jobs as marks on the axis). Sizes are in viewBox units; CSS scales it to the page.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 760;
const HEIGHT = 240;
const PAD = { left: 48, right: 12, top: 12, bottom: 36 };

function el(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round upper bound for the y axis (1, 2, 5 × 10^n). */
function niceMax(value) {
  if (value <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function label(date, range) {
  return range === 'day'
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** data: {range, bucketSeconds, buckets: [{start, instances, jobsSent, jobsFailed}]} */
export function throughputChart(data) {
  const buckets = data.buckets;
  const totalInstances = buckets.reduce((n, b) => n + b.instances, 0);
  const totalSent = buckets.reduce((n, b) => n + b.jobsSent, 0);
  const totalFailed = buckets.reduce((n, b) => n + b.jobsFailed, 0);
  const span = data.range === 'day' ? 'last 24 hours' : 'last hour';
  const unit = data.bucketSeconds >= 60 ? `${data.bucketSeconds / 60} min` : `${data.bucketSeconds} s`;
  const summary = `Throughput over the ${span}, in slices of ${unit}: ${totalInstances} instances received, ${totalSent} jobs sent, ${totalFailed} jobs failed.`;

  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', class: 'chart' });
  svg.append(el('title', { id: 'chart-title' }, `Throughput, ${span}`), el('desc', { id: 'chart-desc' }, summary));

  const max = niceMax(Math.max(1, ...buckets.map(b => Math.max(b.instances, b.jobsSent))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const y = v => PAD.top + plotH - (v / max) * plotH;

  for (const tick of [0, max / 2, max]) {
    svg.append(el('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y(tick) + 4, class: 'axis-label', 'text-anchor': 'end' }, String(tick)));
  }

  buckets.forEach((b, i) => {
    const x = PAD.left + i * slot;
    if (b.instances > 0) {
      const bar = el('rect', { x: x + slot * 0.1, y: y(b.instances), width: Math.max(1, slot * 0.8), height: plotH - (y(b.instances) - PAD.top), class: 'bar-instances' });
      bar.append(el('title', {}, `${label(new Date(b.start), data.range)}: ${b.instances} instances, ${b.jobsSent} jobs sent, ${b.jobsFailed} failed`));
      svg.append(bar);
    }
    if (b.jobsFailed > 0) {
      svg.append(el('rect', { x: x + slot * 0.1, y: PAD.top + plotH + 2, width: Math.max(2, slot * 0.8), height: 5, class: 'mark-failed' }));
    }
  });

  const points = buckets.map((b, i) => `${(PAD.left + (i + 0.5) * slot).toFixed(1)},${y(b.jobsSent).toFixed(1)}`).join(' ');
  svg.append(el('polyline', { points, class: 'line-sent' }));

  const every = Math.ceil(buckets.length / 6);
  buckets.forEach((b, i) => {
    if (i % every !== 0) return;
    svg.append(el('text', { x: PAD.left + i * slot, y: HEIGHT - 12, class: 'axis-label' }, label(new Date(b.start), data.range)));
  });

  const figure = document.createElement('figure');
  figure.className = 'chart-figure';
  const caption = document.createElement('figcaption');
  caption.textContent = summary;
  const legend = document.createElement('ul');
  legend.className = 'legend';
  for (const [cls, text] of [['key-instances', 'Instances received (bars)'], ['key-sent', 'Jobs sent (line)'], ['key-failed', 'Jobs failed (marks under the axis)']]) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${cls}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, text);
    legend.append(item);
  }
  figure.append(svg, legend, caption);
  return figure;
}
