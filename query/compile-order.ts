/**
 * `orderBy` compiled to sort keys, and the keyset conditions that continue a list after (or before) a
 * cursor. The primary key is always the last key, so every row has one place and pages are stable.
 */

import { createHash } from 'node:crypto';
import { or, type SQL, sql } from 'drizzle-orm';
import { parseKey, sqlTypeOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { inputError } from '../errors.ts';
import type { GraphField } from '../schema/graph.ts';
import type { Aliases, Scope } from './scope.ts';

export interface OrderKey {
  /** The column, or a subquery reading a field of a linked row. */
  readonly expression: SQL;
  /** The field whose values the key orders by. */
  readonly field: GraphField;
  /** The SQL type a cursor value is cast back to. */
  readonly type: SQL;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface Ordering {
  readonly keys: readonly OrderKey[];
  /** Distinguishes cursors of different orderings, so one is never used with another. */
  readonly signature: string;
}

const DIRECTIONS: Record<string, { descending: boolean; nullsFirst: boolean }> = {
  ASC: { descending: false, nullsFirst: false },
  DESC: { descending: true, nullsFirst: true },
  ASC_NULLS_FIRST: { descending: false, nullsFirst: true },
  ASC_NULLS_LAST: { descending: false, nullsFirst: false },
  DESC_NULLS_FIRST: { descending: true, nullsFirst: true },
  DESC_NULLS_LAST: { descending: true, nullsFirst: false },
};

function fieldKey(scope: Scope, field: GraphField, direction: string): OrderKey {
  const type = sql.raw(sqlTypeOf(field));
  return {
    expression: scope.value(field),
    field,
    type,
    ...(DIRECTIONS[direction] ?? DIRECTIONS.ASC),
  } as OrderKey;
}

function orderKey(aliases: Aliases, scope: Scope, item: Record<string, unknown>, path: string): OrderKey {
  const given = Object.entries(item).filter(([, value]) => value != null);
  const [entry, extra] = given;
  if (!entry || extra) {
    throw inputError(
      path,
      `give exactly one field per orderBy item; put several keys in the list, in order. Received ${given.length}.`,
    );
  }
  const [name, value] = entry;
  const field = scope.model.fields.get(name);
  if (field) return fieldKey(scope, field, String(value));
  const relation = scope.model.relations.get(name);
  if (!relation || relation.many)
    throw inputError(`${path}.${name}`, `${scope.model.name} has no field or to-one relation "${name}".`);
  const target = aliases.scope(relation.target);
  const inner = orderKey(aliases, target, value as Record<string, unknown>, `${path}.${name}`);
  const link = sql`${target.column(relation.targetKey)} = ${scope.column(relation.sourceKey)}`;
  // A linked row the viewer may not read orders as if there were none (its value is null).
  const rule = aliases.rules?.rowCondition(relation.target, target, aliases);
  const where = rule ? sql`${link} and ${rule}` : link;
  return { ...inner, expression: sql`(select ${inner.expression} from ${target.from} where ${where})` };
}

/**
 * The sort keys of `orderBy`, with the primary key appended as the final tie-breaker (unless
 * `tieBreak` is false: a pivot's keys come before its target's, whose primary key breaks ties).
 */
export function compileOrder(
  aliases: Aliases,
  scope: Scope,
  orderBy: unknown,
  path: string,
  tieBreak = true,
): Ordering {
  const items = (orderBy ?? []) as Array<Record<string, unknown>>;
  const keys = items.map((item, i) => orderKey(aliases, scope, item, `${path}[${i}]`));
  const primary = scope.model.primaryKey;
  const last = items.at(-1);
  if (
    tieBreak &&
    !(items.length > 0 && last && Object.keys(last).length === 1 && last[primary.name] != null)
  ) {
    keys.push(fieldKey(scope, primary, 'ASC'));
  }
  const signature = createHash('sha1').update(JSON.stringify(items)).digest('base64url').slice(0, 8);
  return { keys, signature };
}

/** `ORDER BY …` for the keys, or for the reverse order (paging backwards). */
export function orderSql(ordering: Ordering, reverse = false): SQL {
  return sql.join(
    ordering.keys.map((key) => {
      const descending = key.descending !== reverse;
      const nullsFirst = key.nullsFirst !== reverse;
      return sql`${key.expression} ${sql.raw(descending ? 'desc' : 'asc')} nulls ${sql.raw(nullsFirst ? 'first' : 'last')}`;
    }),
    sql`, `,
  );
}

/** The order values of rows, selected as text so they come back exactly (no lost microseconds). */
export function orderSelection(ordering: Ordering): Record<string, SQL.Aliased<string | null>> {
  return Object.fromEntries(
    ordering.keys.map((key, i) => [`__o${i}`, sql<string | null>`(${key.expression})::text`.as(`__o${i}`)]),
  );
}

/** The cursor values of a row selected with `orderSelection`. */
export const orderValues = (ordering: Ordering, row: Row): unknown[] =>
  ordering.keys.map((_, i) => row[`__o${i}`] ?? null);

const TEXT_FORMS: Partial<Record<GraphField['keyType'], RegExp>> = {
  float: /^(-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?|-?Infinity|NaN)$/i,
  decimal: /^-?(\d+\.?\d*|\.\d+)$/,
  boolean: /^(true|false)$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  datetime: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:?\d{2})?|Z)?$/,
};

/** Whether cursor values are ones this ordering can have produced (PostgreSQL's text of each key). */
export function validCursorValues(ordering: Ordering, values: readonly unknown[]): boolean {
  return ordering.keys.every((key, i) => {
    const value = values[i];
    if (value === null) return true;
    if (typeof value !== 'string') return false;
    const { field } = key;
    if (field.kind === 'enum') return field.enumValues?.includes(value) ?? false;
    const form = TEXT_FORMS[field.keyType];
    if (form) return form.test(value);
    return field.keyType === 'text' || 'key' in parseKey(field, value);
  });
}

/** Rows strictly after (or, with `backwards`, before) the row whose order values are `values`. */
export function beyondCursor(ordering: Ordering, values: readonly unknown[], backwards: boolean): SQL {
  const equal = (key: OrderKey, value: unknown) =>
    value === null ? sql`${key.expression} is null` : sql`${key.expression} = ${value}::${key.type}`;
  const beyond = (key: OrderKey, value: unknown): SQL => {
    const descending = key.descending !== backwards;
    const nullsFirst = key.nullsFirst !== backwards;
    if (value === null) return nullsFirst ? sql`${key.expression} is not null` : sql`false`;
    const strictly = sql`${key.expression} ${sql.raw(descending ? '<' : '>')} ${value}::${key.type}`;
    return nullsFirst ? strictly : sql`(${strictly} or ${key.expression} is null)`;
  };
  const branches = ordering.keys.map((key, i) => {
    const prefix = ordering.keys.slice(0, i).map((earlier, j) => equal(earlier, values[j]));
    return sql.join([...prefix, beyond(key, values[i])], sql` and `);
  });
  return or(...branches.map((branch) => sql`(${branch})`)) as SQL;
}
