/**
 * Row statements on the hot path: built and prepared with Drizzle, executed with the prepared query's
 * `all()` (the driver's rows as they come) and decoded by a mapper compiled once per statement.
 *
 * Drizzle's own `execute()` maps every cell through a generic mapper that asks, per cell, what kind of
 * selection it belongs to; with aliased tables those checks go through proxies. On a 500-row relation
 * page that was a quarter of the server's CPU time. The selection is known when the statement is
 * prepared, so the question is answered once: each field keeps its column's own decoder.
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

interface FieldDecoder {
  readonly field: string;
  /** The name the driver gives the value: the column's name, or the expression's alias. */
  readonly key: string;
  /** The column's own decoding (dates, big integers, JSON); none for expressions. */
  readonly column: Column | undefined;
}

function fieldDecoders(selection: Selection): FieldDecoder[] {
  return Object.entries(selection).map(([field, selected]) =>
    is(selected, Column)
      ? { field, key: selected.name, column: selected }
      : { field, key: selected.fieldAlias, column: undefined },
  );
}

/** Prepares `query` (which selects exactly `selection`) under `name`; rows come back keyed by field. */
export function prepareRows<V extends Record<string, unknown> = Record<string, never>>(
  query: RowsQuery,
  selection: Selection,
  name: string,
): PreparedStatement<Row[], V> {
  const fields = fieldDecoders(selection);
  const statement = query.prepare(name) as RawStatement;
  const decode = (raw: Record<string, unknown>): Row => {
    const row: Row = {};
    for (const { field, key, column } of fields) {
      const value = raw[key] ?? null;
      row[field] = value === null || !column ? value : column.mapFromDriverValue(value);
    }
    return row;
  };
  return {
    async execute(values) {
      const rows = await statement.all(values);
      return rows.map(decode);
    },
  };
}
