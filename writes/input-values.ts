/** Input values (as GraphQL coerced them) turned into column values, checked against the field. */

import { parseKey } from '../db/keys.ts';
import { inputError } from '../errors.ts';
import type { GraphField } from '../schema/graph.ts';
import type { WriteShape } from '../schema/input-names.ts';
import { inputFields } from '../schema/mutation-type-defs.ts';
import type { WriteContext } from './write-context.ts';

export type Values = Record<string, unknown>;

function checkLength(field: GraphField, value: string, path: string): void {
  const { minLength: min, maxLength: max } = field;
  const length = [...value].length;
  if (min !== undefined && length < min) {
    throw inputError(
      path,
      `${field.model}.${field.name} needs at least ${min} character${min === 1 ? '' : 's'}; received ${length}.`,
    );
  }
  if (max !== undefined && length > max) {
    throw inputError(
      path,
      `${field.model}.${field.name} takes at most ${max} characters; received ${length}.`,
    );
  }
}

/** The column value of `value` for `field`; keys are parsed like keys (`"7"` → 7). */
function columnValue(context: WriteContext, field: GraphField, value: unknown, path: string): unknown {
  if (value === null) {
    if (!field.nullable)
      throw inputError(path, `${field.model}.${field.name} is required and cannot be null.`);
    return null;
  }
  if (field.primary || context.foreignKeys.has(field)) {
    const parsed = parseKey(field, value);
    if ('error' in parsed) throw inputError(path, parsed.error);
    if (field.keyType === 'integer') return Number(parsed.key);
    return field.keyType === 'bigint' ? BigInt(parsed.key) : parsed.key;
  }
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw inputError(path, 'text cannot contain the NUL character (\\u0000).');
    checkLength(field, value, path);
  }
  if (field.kind === 'bigint') return BigInt(value as string);
  if (field.kind === 'datetime') return new Date(value as string);
  return value;
}

/** The column values of the fields present in `input` (relations are written separately). */
export function fieldValues(context: WriteContext, shape: WriteShape, input: Values, path: string): Values {
  const values: Values = {};
  for (const field of inputFields(shape)) {
    if (field.name in input && input[field.name] !== undefined) {
      values[field.name] = columnValue(context, field, input[field.name], `${path}.${field.name}`);
    }
  }
  return values;
}
