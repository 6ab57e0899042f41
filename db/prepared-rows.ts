/**
 * Row statements on the hot path: built and prepared with Drizzle, executed with the prepared query's
 * `all()` (the driver's rows as they come) and decoded by a function generated once per statement.
 *
 * Drizzle's own `execute()` maps every cell through a generic mapper that asks, per cell, what kind of
 * selection it belongs to; with aliased tables those checks go through proxies. On a 500-row relation
 * page that was a quarter of the server's CPU time. The selection is known when the statement is
 * prepared, so the question is answered once, and each row is built as one object literal of a fixed
 * shape; only columns whose Drizzle type converts values (timestamps, big integers, JSON) are called.
 */
import { Column, is, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Row } from '../loaders/load-rows.ts';
import type { PreparedStatement } from './statement-cache.ts';

/**
 * What a statement selects: field name to column, or to an SQL expression with an alias. Expressions
 * come back as the driver gives them (relgraph selects them as text or integers).
 */
export type Selection = Readonly<Record<string, AnyPgColumn | SQL.Aliased>>;

/** A Drizzle select built over `selection`, not yet prepared. */
interface RowsQuery {
  prepare(name: string): unknown;
}

interface RawStatement {
  all(values?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
}

type Decode = (raw: Record<string, unknown>) => Row;

const identity = Column.prototype.mapFromDriverValue;

/** Expressions that stand for a column (a field the viewer may not see everywhere), decoded like it. */
const columnExpressions = new WeakMap<SQL.Aliased, AnyPgColumn>();

/** `expression AS "alias"`, its values decoded as `column`'s are (`case when … then "created_at" end`). */
export function valueOfColumn(expression: SQL, column: AnyPgColumn, alias: string): SQL.Aliased {
  // mapWith: Drizzle's own result mapping (statements not run through `prepareRows`) decodes it too.
  const aliased = expression.mapWith(column).as(alias);
  columnExpressions.set(aliased, column);
  return aliased;
}

/**
 * `raw => ({ id: raw["id"], createdAt: raw["created_at"] == null ? null : c[1](raw["created_at"]) })`:
 * names are embedded with JSON.stringify, so any field or column name is a safe literal.
 */
function rowDecoder(selection: Selection): Decode {
  const converters: Array<(value: unknown) => unknown> = [];
  const properties = Object.entries(selection).map(([field, selected]) => {
    const key = is(selected, Column) ? selected.name : selected.fieldAlias;
    const value = `raw[${JSON.stringify(key)}]`;
    const column = is(selected, Column) ? selected : columnExpressions.get(selected);
    if (!column || column.mapFromDriverValue === identity)
      return `${JSON.stringify(field)}: ${value} ?? null`;
    converters.push((input) => column.mapFromDriverValue(input));
    return `${JSON.stringify(field)}: ${value} == null ? null : c[${converters.length - 1}](${value})`;
  });
  return new Function('c', `return (raw) => ({ ${properties.join(', ')} });`)(converters) as Decode;
}

/**
 * Prepares `query` under `name`; rows come back keyed by field. `selection` names what the query
 * selects, by the same names (for a subquery's columns, the table's own columns decode faster than
 * their aliases).
 */
export function prepareRows<V extends Record<string, unknown> = Record<string, never>>(
  query: RowsQuery,
  selection: Selection,
  name: string,
): PreparedStatement<Row[], V> {
  const decode = rowDecoder(selection);
  const statement = query.prepare(name) as RawStatement;
  return {
    async execute(values) {
      const rows = await statement.all(values);
      return rows.map(decode);
    },
  };
}
