/** The diagram as a Mermaid `erDiagram`, for Markdown that renders Mermaid (GitHub, GitLab, many wikis). */
import type { Cardinality, Diagram, DiagramField, DiagramLink } from './diagram-model.ts';

// Crow's-foot ends: the left one belongs to the entity on the left, the right one to the entity on the right.
const LEFT: Record<Cardinality, string> = { '1': '||', '0..1': '|o', '0..n': '}o' };
const RIGHT: Record<Cardinality, string> = { '1': '||', '0..1': 'o|', '0..n': 'o{' };

const quote = (text: string) => `"${text.replaceAll('"', "'")}"`;

function attribute(field: DiagramField): string {
  const keys = [field.primary && 'PK', field.references && 'FK', field.unique && 'UK'].filter(Boolean);
  const optional = !field.type.endsWith('!');
  const comment = [optional && 'optional', field.references && `→ ${field.references}`]
    .filter(Boolean)
    .join(', ');
  return `    ${field.type.replace(/!$/, '')} ${field.name}${keys.length > 0 ? ` ${keys.join(', ')}` : ''}${comment ? ` ${quote(comment)}` : ''}`;
}

function relationship(link: DiagramLink): string {
  const { holder, referenced } = link;
  const names = [holder.relation, referenced.relation].filter(Boolean).join(' / ');
  const label = `${link.kind}${names ? ` ${names}` : ''}`;
  return `  ${referenced.model} ${LEFT[referenced.cardinality]}--${RIGHT[holder.cardinality]} ${holder.model} : ${quote(label)}`;
}

/** Mermaid source of the diagram; the same models always give the same text. */
export function renderMermaid(diagram: Diagram): string {
  const entities = diagram.models.map(
    (model) => `  ${model.name} {\n${model.fields.map(attribute).join('\n')}\n  }`,
  );
  return ['erDiagram', ...entities, ...diagram.links.map(relationship), ''].join('\n');
}
