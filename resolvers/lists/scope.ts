/** A model's table as one query level sees it: the outer table itself, or an alias inside a subquery. */
import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias, type PgTable } from 'drizzle-orm/pg-core';
import { type ModelTable, modelTable, type Tables } from '../../db/tables.ts';
import type { GraphField, GraphModel } from '../../schema/graph.ts';

export interface Scope {
  readonly model: GraphModel;
  readonly table: ModelTable;
  /** The column of `field` at this level (`"t2"."user_id"` inside a subquery). */
  column(field: GraphField): AnyPgColumn;
  /** `"posts"` or `"posts" "t2"`, for a FROM clause. */
  readonly from: SQL;
}

export function tableScope(table: ModelTable): Scope {
  return {
    model: table.model,
    table,
    column: (field) => columnOf(table.columns, field),
    from: sql`${sql.identifier(table.model.table)}`,
  };
}

function columnOf(columns: Readonly<Record<string, AnyPgColumn>>, field: GraphField): AnyPgColumn {
  const column = columns[field.name];
  if (!column) throw new Error(`relgraph: no column for "${field.model}.${field.name}"`);
  return column;
}

/** Hands out aliases `t1`, `t2`, … for the subqueries of one statement. */
export class Aliases {
  #next = 0;

  constructor(private readonly tables: Tables) {}

  scope(model: GraphModel): Scope {
    const table = modelTable(this.tables, model.name);
    this.#next += 1;
    const name = `t${this.#next}`;
    const aliased = alias(table.table as PgTable, name) as unknown as Record<string, AnyPgColumn>;
    return {
      model,
      table,
      column: (field) => columnOf(aliased, field),
      from: sql`${sql.identifier(model.table)} ${sql.identifier(name)}`,
    };
  }
}
