/** Key values in one canonical form, so `"7"`, `7` and `7n` are the same key everywhere. */
import type { GraphField, KeyType } from '../schema/graph.ts';

const INTEGER = /^-?\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT32 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/**
 * The canonical key of a value read from a row or already parsed, or `null` for a null key.
 * PostgreSQL prints uuids in lower case, and `parseKey` lower-cases client uuids to match.
 */
export function keyOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function integerKey(raw: string, range: { min: bigint; max: bigint }): string | undefined {
  if (!INTEGER.test(raw)) return undefined;
  const value = BigInt(raw);
  return value >= range.min && value <= range.max ? value.toString() : undefined;
}

const PARSERS: Partial<Record<KeyType, (raw: string) => string | undefined>> = {
  integer: (raw) => integerKey(raw, INT32),
  bigint: (raw) => integerKey(raw, INT64),
  uuid: (raw) => (UUID.test(raw) ? raw.toLowerCase() : undefined),
};

const EXPECTED: Partial<Record<KeyType, string>> = {
  integer: 'a 32-bit integer',
  bigint: 'a 64-bit integer',
  uuid: 'a uuid',
};

/**
 * The canonical key of a client-supplied value for `field`, or an error message when the value can
 * never match (so malformed input never reaches the database).
 */
export function parseKey(field: GraphField, raw: unknown): { key: string } | { error: string } {
  const text =
    typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : undefined;
  const parse = PARSERS[field.keyType];
  const key = text === undefined ? undefined : parse ? parse(text) : keyOf(text);
  if (key !== undefined && key !== null && !key.includes('\u0000')) return { key };
  const expected = EXPECTED[field.keyType] ?? `a ${field.keyType} value`;
  return { error: `"${field.model}.${field.name}" is ${expected}, but received ${JSON.stringify(raw)}.` };
}

/**
 * `$1::<type>[]` for a whole array of values: enum arrays travel as text (no driver can serialise an
 * array of a custom type) and are cast on the server.
 */
export function arrayCastOf(field: GraphField): string {
  const type = sqlTypeOf(field);
  return field.kind === 'enum' ? `text[]::${type}[]` : `${type}[]`;
}

/** PostgreSQL text cannot hold the NUL character; a value with one can match nothing and store nowhere. */
export const NUL_TEXT = 'text cannot contain the NUL character (\\u0000), so no row can match it.';

/** Whether `value` is text with a NUL character in it (see `NUL_TEXT`). */
export const hasNul = (value: unknown) => typeof value === 'string' && value.includes('\u0000');

/** The PostgreSQL type a canonical key string is cast to (`$1::int4`); enums use their own type. */
export function sqlTypeOf(field: GraphField): string {
  const types: Partial<Record<KeyType, string>> = {
    integer: 'int4',
    bigint: 'int8',
    uuid: 'uuid',
    text: 'text',
    float: 'float8',
    decimal: 'numeric',
    boolean: 'bool',
    datetime: 'timestamptz',
    date: 'date',
    enum: `"${field.enumType}"`,
    json: 'jsonb',
  };
  return types[field.keyType] ?? 'text';
}
