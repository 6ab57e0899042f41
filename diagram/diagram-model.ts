/**
 * What the relationship diagram shows, read from the relation graph: every model with its fields, and
 * every link with the cardinality of each end. The SVG and Mermaid renderers draw only this.
 */
import { fieldTypeOf } from '../schema/field-types.ts';
import type { GraphLink, GraphModel, GraphPivot, PivotEnd, RelationGraph } from '../schema/graph.ts';
import type { OnDelete } from '../schema/relation.ts';

export interface DiagramField {
  readonly name: string;
  /** The GraphQL type, `!` when required: what a client sees. */
  readonly type: string;
  readonly primary: boolean;
  readonly unique: boolean;
  /** The key a foreign key points at, `User.id`. */
  readonly references: string | undefined;
}

export interface DiagramModel {
  readonly name: string;
  readonly table: string;
  readonly description: string | undefined;
  readonly fields: readonly DiagramField[];
}

/** How many rows of an end's model one row at the other end has. */
export type Cardinality = '1' | '0..1' | '0..n';

export interface DiagramEnd {
  readonly model: string;
  /** The field this end of the link is: the foreign key, or the key it references. */
  readonly field: string;
  /** The relation by which the other end's model reaches this one, when declared. */
  readonly relation: string | undefined;
  readonly cardinality: Cardinality;
}

export interface DiagramLink {
  /** `1–1` when the foreign key is unique, else `1–n`. */
  readonly kind: '1–1' | '1–n';
  /** The model holding the foreign key. */
  readonly holder: DiagramEnd;
  /** The model the foreign key points at. */
  readonly referenced: DiagramEnd;
  readonly onDelete: OnDelete;
}

export interface Diagram {
  readonly models: readonly DiagramModel[];
  readonly links: readonly DiagramLink[];
}

function diagramModel(model: GraphModel, graph: RelationGraph): DiagramModel {
  const fields = [...model.fields.values()].map((field) => {
    const target = graph.foreignKeys.get(field);
    return {
      name: field.name,
      type: fieldTypeOf(field, graph.foreignKeys) + (field.nullable ? '' : '!'),
      primary: field.primary,
      unique: field.unique && !field.primary,
      references: target && `${target.model}.${target.name}`,
    };
  });
  return { name: model.name, table: model.table, description: model.description, fields };
}

function diagramLink(link: GraphLink): DiagramLink {
  return {
    kind: link.unique ? '1–1' : '1–n',
    holder: {
      model: link.holder.name,
      field: link.foreignKey.name,
      relation: link.parent?.name,
      cardinality: link.unique ? '0..1' : '0..n',
    },
    referenced: {
      model: link.referenced.name,
      field: link.referencedKey.name,
      relation: link.child?.name,
      cardinality: link.optional ? '0..1' : '1',
    },
    onDelete: link.onDelete,
  };
}

/**
 * A many-to-many link is drawn through its pivot: a box for the pivot table, and a `1–n` link from it
 * to each side, named by that side's `manyToMany` through it (`Book.tags` on the link to `Book`).
 */
function pivotLinks(pivot: GraphPivot): DiagramLink[] {
  const link = (end: PivotEnd): DiagramLink => ({
    kind: '1–n',
    holder: {
      model: pivot.model.name,
      field: end.pivotKey.name,
      relation: [...end.model.manyToMany.values()].find(
        (relation) => relation.pivot === pivot && relation.pivotSourceKey === end.pivotKey,
      )?.name,
      cardinality: '0..n',
    },
    referenced: { model: end.model.name, field: end.key.name, relation: undefined, cardinality: '1' },
    onDelete: 'cascade',
  });
  return pivot.ends.map(link);
}

/**
 * The diagram of `graph`: models in declaration order, then pivots; links in the order the graph built
 * them, then each pivot's two.
 */
export function buildDiagram(graph: RelationGraph): Diagram {
  return {
    models: [...graph.models.values(), ...graph.pivots.map((pivot) => pivot.model)].map((model) =>
      diagramModel(model, graph),
    ),
    links: [...graph.links.map(diagramLink), ...graph.pivots.flatMap(pivotLinks)],
  };
}

/** `Phone.userId → User.id (1–1, on delete cascade)`: the link in words, for titles and tooltips. */
export const describeLink = (link: DiagramLink) =>
  `${link.holder.model}.${link.holder.field} → ${link.referenced.model}.${link.referenced.field} (${link.kind}, on delete ${link.onDelete})`;
