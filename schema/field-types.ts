/** The GraphQL type of each field kind. */
import type { ForeignKeys, GraphField, KeyType } from './graph.ts';
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

/** Key types a client passes as `ID`: those a primary key can have. */
const ID_KEY_TYPES: ReadonlySet<KeyType> = new Set(['integer', 'bigint', 'uuid']);

/**
 * The GraphQL type of a field. Primary keys are `ID`; a foreign key is `ID` when it references an
 * integer, bigint or uuid key, and otherwise takes the type of the key it references (`String` for a
 * unique text key, that field's enum for an enum key), so it gets that type's filter operators.
 */
export function fieldTypeOf(field: GraphField, keys: ForeignKeys): string {
  if (field.primary) return 'ID';
  const referenced = keys.get(field);
  if (referenced && ID_KEY_TYPES.has(field.keyType)) return 'ID';
  // A key that is itself a foreign key (rare) stops the walk: its own kind gives the type.
  if (referenced && !keys.has(referenced)) return fieldTypeOf(referenced, keys);
  if (field.kind === 'enum') return enumTypeName({ name: field.model }, field);
  return SCALARS[field.kind] ?? 'String';
}
