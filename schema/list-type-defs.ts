/** GraphQL SDL of list arguments: `<Model>Where` filters, `<Model>OrderBy`, and the scalar filters. */
import { fieldTypeOf } from './field-types.ts';
import type { ForeignKeys, GraphModel, GraphRelation, RelationGraph } from './graph.ts';

export const whereName = (model: GraphModel) => `${model.name}Where`;
export const orderByName = (model: GraphModel) => `${model.name}OrderBy`;
export const listFilterName = (model: GraphModel) => `${model.name}ListFilter`;
const scalarFilterName = (type: string) => `${type}Filter`;

/** Operators by GraphQL type; every type also has `isNull`. */
function operatorsOf(type: string): string[] {
  const equality = ['eq', 'ne'];
  const sets = ['in', 'notIn'];
  const range = ['lt', 'lte', 'gt', 'gte'];
  if (type === 'Boolean' || type === 'JSON') return equality;
  if (type === 'String') return [...equality, ...sets, ...range, 'like', 'ilike', 'startsWith', 'contains'];
  if (['ID', 'Int', 'Float', 'BigInt', 'Decimal', 'DateTime', 'Date'].includes(type))
    return [...equality, ...sets, ...range];
  return [...equality, ...sets];
}

const OPERATOR_DOCS: Record<string, string> = {
  like: 'SQL LIKE pattern: `%` any text, `_` one character.',
  ilike: 'Case-insensitive LIKE pattern.',
  startsWith: 'Begins with this text (taken literally, `%` and `_` included).',
  contains: 'Contains this text (taken literally, `%` and `_` included).',
  isNull: '`true`: only rows without a value; `false`: only rows with one.',
};

function scalarFilter(type: string): string {
  const lines = operatorsOf(type).map((operator) => {
    const value = operator === 'in' || operator === 'notIn' ? `[${type}!]` : type;
    const doc = OPERATOR_DOCS[operator];
    return `${doc ? `  """${doc}"""\n` : ''}  ${operator}: ${value}`;
  });
  lines.push(`  """${OPERATOR_DOCS.isNull}"""\n  isNull: Boolean`);
  return `"""Conditions on a ${type} value; all given conditions must hold."""\ninput ${scalarFilterName(type)} {\n${lines.join('\n')}\n}`;
}

function relationFilters(relation: GraphRelation): string[] {
  const { target, name } = relation;
  if (relation.many) {
    return [
      `  """Conditions on the ${target.name} rows of this link."""\n  ${name}: ${listFilterName(target)}`,
    ];
  }
  return [
    `  """The linked ${target.name} exists and matches."""\n  ${name}: ${whereName(target)}`,
    `  """\`true\`: a ${target.name} is linked; \`false\`: none is."""\n  ${name}Exists: Boolean`,
  ];
}

function modelInputs(model: GraphModel, keys: ForeignKeys, scalarTypes: Set<string>): string[] {
  const where: string[] = [];
  const order: string[] = [];
  for (const field of model.fields.values()) {
    const type = fieldTypeOf(field, keys);
    scalarTypes.add(type);
    where.push(`  ${field.name}: ${scalarFilterName(type)}`);
    if (field.kind !== 'json') order.push(`  ${field.name}: SortOrder`);
  }
  const relations = Object.keys(model.definition.relations).flatMap(
    (name) => model.relations.get(name) ?? [],
  );
  for (const name of Object.keys(model.definition.relations)) {
    const target = model.manyToMany.get(name)?.target;
    if (target)
      where.push(
        `  """Conditions on the ${target.name} rows linked through the pivot."""\n  ${name}: ${listFilterName(target)}`,
      );
  }
  for (const relation of relations) {
    where.push(...relationFilters(relation));
    if (!relation.many)
      order.push(
        `  """Order by a field of the linked ${relation.target.name}."""\n  ${relation.name}: ${orderByName(relation.target)}`,
      );
  }
  where.push(
    `  """Every condition in the list holds."""\n  and: [${whereName(model)}!]`,
    `  """At least one condition in the list holds."""\n  or: [${whereName(model)}!]`,
    `  """The condition does not hold."""\n  not: ${whereName(model)}`,
  );
  return [
    `"""Conditions on ${model.name} rows; all given conditions must hold."""\ninput ${whereName(model)} {\n${where.join('\n')}\n}`,
    `"""One sort key of ${model.name} rows: give exactly one field. Several keys go in a list."""\ninput ${orderByName(model)} {\n${order.join('\n')}\n}`,
    `"""Conditions on a list of ${model.name} rows."""\ninput ${listFilterName(model)} {\n  """At least one row matches."""\n  some: ${whereName(model)}\n  """Every row matches (true for no rows)."""\n  every: ${whereName(model)}\n  """No row matches."""\n  none: ${whereName(model)}\n}`,
  ];
}

const SORT_ORDER = `"""Sort direction; ASC puts nulls last and DESC puts them first unless the name says otherwise."""
enum SortOrder {
  ASC
  DESC
  ASC_NULLS_FIRST
  ASC_NULLS_LAST
  DESC_NULLS_FIRST
  DESC_NULLS_LAST
}`;

/** Filter, ordering and list-filter inputs of every model, and the scalar filters they use. */
export function buildListTypeDefs(graph: RelationGraph): string {
  const keys = graph.foreignKeys;
  const scalarTypes = new Set<string>();
  const inputs = [
    ...[...graph.models.values()].flatMap((model) => modelInputs(model, keys, scalarTypes)),
    // A pivot is filtered and ordered only through its link's list: no list filter of its own.
    ...graph.pivots.flatMap((pivot) => modelInputs(pivot.model, keys, scalarTypes).slice(0, 2)),
  ];
  return [SORT_ORDER, ...[...scalarTypes].sort().map(scalarFilter), ...inputs].join('\n\n');
}

/**
 * The arguments of every list field, root lists and `hasMany` fields alike: filter, order and the
 * cursor window, forward (`first`/`after`) or backward (`last`/`before`).
 */
export function listArguments(model: GraphModel): string {
  return `where: ${whereName(model)}, orderBy: [${orderByName(model)}!], first: Int, after: String, last: Int, before: String`;
}
