// Small helpers to build the pages from the JSON API without any framework.

/** Creates an element: h('a', {href: '/x', class: 'y'}, 'text', child). Attributes set to null/false are left out. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces the content of an element. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * A status as a word, coloured by a class: the word carries the meaning, the colour only helps.
 * `code` (DicomFlow's number) is given as a tooltip where the API has it.
 */
export function status(word, code) {
  return h('span', { class: `status status-${word ?? 'unknown'}`, title: code === undefined ? null : `DicomFlow status ${code}` }, word ?? 'unknown');
}

export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const at = new Date(iso);
  return h('time', { datetime: iso, title: at.toISOString() }, at.toLocaleString());
}

export function duration(fromIso, toIso) {
  if (!fromIso || !toIso) return '—';
  const ms = new Date(toIso) - new Date(fromIso);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/**
 * A table: columns are {label, cell: row => node|string, class?}. An empty list shows `empty` instead.
 */
export function table(caption, columns, rows, empty, attrs) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', attrs ?? {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', {}, rows.map(row => h('tr', rowAttrs(row), columns.map(c => h('td', { class: c.class }, c.cell(row))))))));
}

function rowAttrs(row) {
  return row && row.__attrs ? row.__attrs : {};
}

/** A definition list from [term, value] pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(p => p).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]));
}

export function errorMessage(error) {
  return h('p', { class: 'error', role: 'alert' }, `Could not load: ${error.message}`);
}
