/**
 * Whether a value can be compared with a field's column, checked before it is bound: a value of the
 * wrong type would otherwise reach PostgreSQL as a cast error (`invalid input syntax for type
 * integer`) — a server error for a condition that simply cannot hold.
 */
import type { GraphField, KeyType } from '../schema/graph.ts';
import { hasNul, NUL_TEXT, parseKey } from './keys.ts';

/** The value to bind, or why the field can never hold it (a sentence for an error message). */
export type Comparable = { readonly value: unknown } | { readonly error: string };

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i;
const SPECIAL_FLOAT = /^\s*[+-]?(nan|inf|infinity)\s*$/i;
const BOOLEAN = /^\s*(t|true|f|false|y|yes|n|no|on|off|1|0)\s*$/i;
const DATE = /^(\d{4,})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Whether year-month-day (and hour:minute:second) name a moment of the calendar PostgreSQL accepts. */
function calendarValid(match: RegExpExecArray): boolean {
  const part = (group: number) => Number(match[group] ?? 0);
  const [year, month, day] = [part(1), part(2), part(3)];
  // Date.UTC reads years 0–99 as 1900–1999: the same leap years for 1–99, and PostgreSQL has no year 0.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    part(4) <= 24 &&
    part(5) <= 59 &&
    part(6) <= 60
  );
}

const isFiniteDate = (value: unknown): value is Date =>
  value instanceof Date && !Number.isNaN(value.getTime());

const numeric = (value: unknown, special: boolean) =>
  (typeof value === 'number' && (special || Number.isFinite(value))) ||
  typeof value === 'bigint' ||
  (typeof value === 'string' && (NUMBER.test(value) || (special && SPECIAL_FLOAT.test(value))));

/** Whether a value that is not a key can be cast to the column's type. */
const HOLDS: Record<
  Exclude<KeyType, 'integer' | 'bigint' | 'uuid'>,
  (value: unknown, field: GraphField) => boolean
> = {
  text: (value) =>
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean',
  float: (value) => numeric(value, true),
  decimal: (value) => numeric(value, true),
  boolean: (value) => typeof value === 'boolean' || (typeof value === 'string' && BOOLEAN.test(value)),
  datetime: (value) => {
    if (isFiniteDate(value)) return true;
    const match = typeof value === 'string' ? DATETIME.exec(value.trim()) : null;
    return match !== null && calendarValid(match);
  },
  date: (value) => {
    if (isFiniteDate(value)) return true;
    const match = typeof value === 'string' ? DATE.exec(value.trim()) : null;
    return match !== null && calendarValid(match);
  },
  enum: (value, field) => typeof value === 'string' && (field.enumValues ?? []).includes(value),
  json: (value) => {
    try {
      return JSON.stringify(value) !== undefined;
    } catch {
      return false;
    }
  },
};

const EXPECTED: Partial<Record<KeyType, string>> = {
  text: 'text',
  float: 'a number',
  decimal: 'a decimal number',
  boolean: 'a boolean',
  datetime: 'a date-time',
  date: 'a date YYYY-MM-DD',
  json: 'a JSON value',
};

/**
 * `value` as it is bound for a comparison with `field` — a key (`asKey`: a primary or foreign key, or
 * an integer or uuid field) in its canonical form, JSON as text — or why no row's `field` can equal it.
 * `null` and `undefined` are never comparable (`isNull` asks about missing values).
 */
export function comparableValue(field: GraphField, value: unknown, asKey: boolean): Comparable {
  if (value === null || value === undefined)
    return {
      error: `${String(value)} is not a value to compare; use isNull: true for rows without a ${field.name}.`,
    };
  if (hasNul(value)) return { error: NUL_TEXT };
  const { keyType } = field;
  if (asKey || keyType === 'integer' || keyType === 'bigint' || keyType === 'uuid') {
    const parsed = parseKey(field, value);
    if ('error' in parsed) return parsed;
    return { value: asKey || typeof value !== 'number' ? parsed.key : value };
  }
  if (!HOLDS[keyType](value, field)) {
    const expected =
      keyType === 'enum'
        ? `one of ${JSON.stringify(field.enumValues ?? [])}`
        : (EXPECTED[keyType] ?? keyType);
    return {
      error: `"${field.model}.${field.name}" is ${expected}, but received ${describe(value)}.`,
    };
  }
  return { value: keyType === 'json' ? JSON.stringify(value) : value };
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return 'an invalid Date';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
