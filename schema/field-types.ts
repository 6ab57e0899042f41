/** The GraphQL type of each field kind. */
import type { GraphField, GraphModel } from './graph.ts';
import { enumTypeName } from './graphql-names.ts';

const SCALARS: Partial<Record<GraphField['kind'], string>> = {
  string: 'String',
  text: 'String',
  int: 'Int',
  float: 'Float',
  boolean: 'Boolean',
  uuid: 'String',
  bigint: 'BigInt',
  decimal: 'Decimal',
  datetime: 'DateTime',
  date: 'Date',
  json: 'JSON',
};

/** The GraphQL type of a field: primary and foreign keys are `ID`. */
export function fieldTypeOf(model: GraphModel, field: GraphField, keys: ReadonlySet<GraphField>): string {
  if (field.primary || keys.has(field)) return 'ID';
  if (field.kind === 'enum') return enumTypeName(model, field);
  return SCALARS[field.kind] ?? 'String';
}
