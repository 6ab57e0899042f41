/** The diagram as a standalone SVG document: boxes for models, curves for links, no script, no fonts to fetch. */
import { type DiagramField, describeLink } from './diagram-model.ts';
import { type Box, type Edge, type Layout, METRICS } from './layout.ts';

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

const STYLE = `
  .model rect.body { fill: #ffffff; stroke: #475569; stroke-width: 1.2; }
  .model rect.header { fill: #1e3a5f; }
  .model .name { fill: #ffffff; font-weight: bold; }
  .model .table { fill: #bfd3ea; }
  .model .field { fill: #0f172a; }
  .model .type { fill: #64748b; }
  .model .key { fill: #b45309; font-weight: bold; }
  .model .stripe { fill: #f1f5f9; }
  .link path { fill: none; stroke: #2563eb; stroke-width: 1.4; }
  .link .end { fill: #1d4ed8; }
  .link .kind { fill: #0f172a; font-weight: bold; }
  .link .kind-bg { fill: #ffffff; stroke: #93c5fd; }
`;

const badge = (field: DiagramField) =>
  field.primary ? 'PK' : field.references ? 'FK' : field.unique ? 'UK' : '';

function renderBox(box: Box): string {
  const { header, row, padding, char } = METRICS;
  const { model } = box;
  const rows = model.fields.map((field, index) => {
    const top = box.y + header + padding / 2 + index * row;
    const baseline = top + row / 2 + 4;
    const stripe =
      index % 2 === 1
        ? `<rect class="stripe" x="${box.x + 1}" y="${top}" width="${box.width - 2}" height="${row}"/>`
        : '';
    const title = field.references
      ? `<title>${escapeXml(`${field.name} → ${field.references}`)}</title>`
      : '';
    return `<g class="row" data-field="${escapeXml(field.name)}">${title}${stripe}<text class="field" x="${box.x + padding}" y="${baseline}">${escapeXml(field.name)}</text><text class="type" x="${box.x + padding + (box.nameChars + 2) * char}" y="${baseline}">${escapeXml(field.type)}</text><text class="key" x="${box.x + box.width - padding}" y="${baseline}" text-anchor="end">${badge(field)}</text></g>`;
  });
  const description = model.description ? `<title>${escapeXml(model.description)}</title>` : '';
  return [
    `<g class="model" data-model="${escapeXml(model.name)}">${description}`,
    `<rect class="body" x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6"/>`,
    `<rect class="header" x="${box.x}" y="${box.y}" width="${box.width}" height="${header}" rx="6"/>`,
    `<rect class="header" x="${box.x}" y="${box.y + header - 6}" width="${box.width}" height="6"/>`,
    `<text class="name" x="${box.x + padding}" y="${box.y + header / 2 + 5}">${escapeXml(model.name)}</text>`,
    `<text class="table" x="${box.x + box.width - padding}" y="${box.y + header / 2 + 5}" text-anchor="end">${escapeXml(model.table)}</text>`,
    ...rows,
    '</g>',
  ].join('\n');
}

function renderEdge(edge: Edge): string {
  const [holderEnd, referencedEnd, kind] = edge.labels;
  const text = (label: typeof holderEnd, className: string) =>
    label
      ? `<text class="${className}" x="${label.x}" y="${label.y}" text-anchor="${label.anchor}">${escapeXml(label.text)}</text>`
      : '';
  const kindBox = kind
    ? `<rect class="kind-bg" x="${kind.x - 17}" y="${kind.y - 9}" width="34" height="18" rx="9"/>${text({ ...kind, y: kind.y + 4 }, 'kind')}`
    : '';
  const { holder, referenced } = edge.link;
  return [
    `<g class="link" data-link="${escapeXml(`${holder.model}.${holder.field}`)}" data-references="${escapeXml(`${referenced.model}.${referenced.field}`)}" data-kind="${edge.link.kind}">`,
    `<title>${escapeXml(describeLink(edge.link))}</title>`,
    `<path d="${edge.path}"/>`,
    `<circle class="end" cx="${edge.to.x}" cy="${edge.to.y}" r="3"/>`,
    text(holderEnd, 'end'),
    text(referencedEnd, 'end'),
    kindBox,
    '</g>',
  ].join('\n');
}

/** The SVG document of a laid-out diagram; the same layout always gives the same text. */
export function renderSvg(layout: Layout, title = 'relgraph models'): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="${METRICS.fontSize}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style>`,
    `<rect width="100%" height="100%" fill="#f8fafc"/>`,
    // Links first, so boxes are drawn over a curve that passes behind them.
    ...layout.edges.map(renderEdge),
    ...layout.boxes.map(renderBox),
    '</svg>',
    '',
  ].join('\n');
}
