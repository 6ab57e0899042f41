/** GraphQL SDL generated from the relation graph: model types, connections, lookups, scalars, enums. */

import { fieldTypeOf } from './field-types.ts';
import type { ForeignKeys, GraphModel, GraphPivotRelation, GraphRelation, RelationGraph } from './graph.ts';
import { lookupFieldName, modelNames, pivotListNames } from './graphql-names.ts';
import { buildListTypeDefs, listArguments, orderByName, whereName } from './list-type-defs.ts';
import { buildMutationTypeDefs } from './mutation-type-defs.ts';

const SCALAR_DESCRIPTIONS: Record<string, string> = {
  DateTime: 'An instant in time, as an ISO-8601 string with time zone (`2026-01-31T12:00:00.000Z`).',
  Date: 'A calendar day, `YYYY-MM-DD`.',
  JSON: 'Any JSON value.',
  BigInt: 'A 64-bit integer, as a string so no precision is lost.',
  Decimal: 'An exact decimal number, as a string so no precision is lost.',
};

const PAGE_INFO = `"""Where a page stands in its list (Relay cursor connections)."""
type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}`;

// A JSON string is a valid GraphQL string and keeps any text exactly: a block string would strip the
// indentation of a multi-line description and break on one that ends with a quote.
const docString = (text: string | undefined, indent = '') =>
  text ? `${indent}${JSON.stringify(text)}\n` : '';

function describeRelation(relation: GraphRelation): string {
  if (relation.description) return relation.description;
  const { target, targetKey, sourceKey, model } = relation;
  if (relation.kind === 'belongsTo') {
    return `The ${target.name} whose ${targetKey.name} is this ${model.name}'s ${sourceKey.name}.`;
  }
  const subject = relation.many ? `The ${target.name} rows` : `The ${target.name}`;
  return `${subject} whose ${targetKey.name} is this ${model.name}'s ${sourceKey.name}.`;
}

/** `tags(where, orderBy, pivotWhere, pivotOrderBy, first, after, last, before): BookTagsConnection!` */
function pivotRelationField(relation: GraphPivotRelation): string {
  const { target, pivot, model } = relation;
  const description =
    relation.description ??
    `The ${target.name} rows linked to this ${model.name} through ${pivot.model.table}.`;
  const args = `where: ${whereName(target)}, orderBy: [${orderByName(target)}!], pivotWhere: ${whereName(pivot.model)}, pivotOrderBy: [${orderByName(pivot.model)}!], first: Int, after: String, last: Int, before: String`;
  return `${docString(description, '  ')}  ${relation.name}(${args}): ${pivotListNames(relation).connection}!`;
}

/** The connection and edge types of a many-to-many list: each edge carries the pivot row of its link. */
function pivotConnectionTypes(relation: GraphPivotRelation): string {
  const { connection, edge } = pivotListNames(relation);
  const { target, pivot } = relation;
  return `${docString(`A page of the ${target.name} rows linked to a ${relation.model.name}.`)}type ${connection} {
  nodes: [${target.name}!]!
  edges: [${edge}!]!
  pageInfo: PageInfo!
  """The number of rows in the whole list, not only this page (counted only when asked for)."""
  totalCount: Int!
}

type ${edge} {
  cursor: String!
  node: ${target.name}!
  """The link itself: its row of ${pivot.model.table}, with the pivot columns."""
  pivot: ${pivot.model.name}!
}`;
}

function relationType(relation: GraphRelation): string {
  if (relation.many) return `${modelNames(relation.target).connection}!`;
  return relation.nullable ? relation.target.name : `${relation.target.name}!`;
}

function modelType(model: GraphModel, keys: ForeignKeys): string {
  const lines: string[] = [];
  for (const field of model.fields.values()) {
    const type = fieldTypeOf(field, keys) + (field.nullable ? '' : '!');
    lines.push(
      `${docString(field.description ?? (field.primary ? 'The primary key.' : undefined), '  ')}  ${field.name}: ${type}`,
    );
  }
  for (const name of Object.keys(model.definition.relations)) {
    const pivotRelation = model.manyToMany.get(name);
    if (pivotRelation) lines.push(pivotRelationField(pivotRelation));
    const relation = model.relations.get(name);
    if (!relation) continue;
    const args = relation.many ? `(${listArguments(relation.target)})` : '';
    lines.push(
      `${docString(describeRelation(relation), '  ')}  ${relation.name}${args}: ${relationType(relation)}`,
    );
  }
  return `${docString(model.description)}type ${model.name} {\n${lines.join('\n')}\n}`;
}

function connectionTypes(model: GraphModel): string {
  const names = modelNames(model);
  return `"""A page of ${model.name} rows."""
type ${names.connection} {
  nodes: [${model.name}!]!
  edges: [${names.edge}!]!
  pageInfo: PageInfo!
  """The number of rows in the whole list, not only this page (counted only when asked for)."""
  totalCount: Int!
}

type ${names.edge} {
  cursor: String!
  node: ${model.name}!
}`;
}

function queryFields(model: GraphModel, keys: ForeignKeys): string[] {
  const names = modelNames(model);
  const key = model.primaryKey;
  const fields = [
    `  """The ${model.name} with this ${key.name}, or null."""\n  ${names.one}(${key.name}: ID!): ${model.name}`,
  ];
  for (const field of model.uniqueFields) {
    if (field.primary) continue;
    const type = fieldTypeOf(field, keys);
    fields.push(
      `  """The ${model.name} with this ${field.name}, or null."""\n  ${lookupFieldName(model, field)}(${field.name}: ${type}!): ${model.name}`,
    );
  }
  fields.push(
    `  """${model.name} rows matching \`where\`, in \`orderBy\` order (then ${key.name}), a page at a time: \`first\` after the cursor \`after\`, or \`last\` before \`before\`."""\n  ${names.list}(${listArguments(model)}): ${names.connection}!`,
  );
  return fields;
}

/**
 * The custom scalars the SDL of `graph` declares, sorted: the resolvers give an implementation to
 * exactly these (a scalar no field uses is left out of the schema).
 */
export function usedScalars(graph: RelationGraph): string[] {
  const used = new Set<string>();
  // Pivot models are types of the schema too (a link's columns on its edges).
  for (const model of [...graph.models.values(), ...graph.pivots.map((pivot) => pivot.model)]) {
    for (const field of model.fields.values()) {
      const type = fieldTypeOf(field, graph.foreignKeys);
      if (type in SCALAR_DESCRIPTIONS) used.add(type);
    }
  }
  return [...used].sort();
}

/** The complete SDL of the API generated from `graph`, deterministic for a given graph. */
export function buildTypeDefs(graph: RelationGraph): string {
  const keys = graph.foreignKeys;
  const models = [...graph.models.values()];
  const enums: string[] = [];
  for (const model of [...models, ...graph.pivots.map((pivot) => pivot.model)]) {
    for (const field of model.fields.values()) {
      const type = fieldTypeOf(field, keys);
      // A foreign key to an enum key shares that key's enum type.
      if (field.kind === 'enum' && !keys.has(field)) {
        const values = (field.enumValues ?? []).map((value) => `  ${value}`).join('\n');
        enums.push(`${docString(`The values of ${model.name}.${field.name}.`)}enum ${type} {\n${values}\n}`);
      }
    }
  }
  const scalars = usedScalars(graph).map((name) => `"""${SCALAR_DESCRIPTIONS[name]}"""\nscalar ${name}`);
  return [
    ...scalars,
    ...enums,
    PAGE_INFO,
    ...models.flatMap((model) => [
      modelType(model, keys),
      connectionTypes(model),
      ...[...model.manyToMany.values()].map(pivotConnectionTypes),
    ]),
    ...graph.pivots.map((pivot) => modelType(pivot.model, keys)),
    `type Query {\n${models.flatMap((model) => queryFields(model, keys)).join('\n')}\n}`,
    buildListTypeDefs(graph),
    buildMutationTypeDefs(graph),
  ].join('\n\n');
}
