/** A model's table as one query level sees it: the outer table itself, or an alias inside a subquery. */
import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias, type PgTable } from 'drizzle-orm/pg-core';
import { type ModelTable, modelTable, type Tables } from '../../db/tables.ts';
import type { GraphField, GraphModel } from '../../schema/graph.ts';

export interface Scope {
  readonly model: GraphModel;
  readonly table: ModelTable;
  /** The column of `field` at this level (`"t2"."user_id"` inside a subquery): keys and joins. */
  column(field: GraphField): AnyPgColumn;
  /** The value of `field` as the viewer may see it, for filters and orderings (null where hidden). */
  value(field: GraphField): SQL;
  /** `"posts"` or `"posts" "t2"`, for a FROM clause. */
  readonly from: SQL;
}

/**
 * The access rules a statement is compiled under: the condition on a model's rows and the visible
 * value of a field the viewer may not always see (`undefined`: no restriction).
 */
export interface StatementRules {
  rowCondition(model: GraphModel, scope: Scope, aliases: Aliases): SQL | undefined;
  visibleValue(field: GraphField, scope: Scope, aliases: Aliases): SQL | undefined;
}

/** How a value compiled into a statement reaches the database: a bound parameter, or a placeholder. */
export type Bind = (value: unknown) => SQL;

const parameter: Bind = (value) => sql`${sql.param(value)}`;

const tableFrom = (table: ModelTable) => sql`${sql.identifier(table.model.table)}`;

export function tableScope(table: ModelTable): Scope {
  return scopeOver(table.model, table, table.columns, tableFrom(table));
}

function scopeOver(
  model: GraphModel,
  table: ModelTable,
  columns: Readonly<Record<string, AnyPgColumn>>,
  from: SQL,
  visible?: (scope: Scope, field: GraphField) => SQL | undefined,
): Scope {
  const scope: Scope = {
    model,
    table,
    column: (field) => columnOf(columns, field),
    value: (field) => visible?.(scope, field) ?? sql`${columnOf(columns, field)}`,
    from,
  };
  return scope;
}

function columnOf(columns: Readonly<Record<string, AnyPgColumn>>, field: GraphField): AnyPgColumn {
  const column = columns[field.name];
  if (!column) throw new Error(`relgraph: no column for "${field.model}.${field.name}"`);
  return column;
}

/**
 * What one statement is compiled with: aliases `t1`, `t2`, … for its subqueries, how values are bound,
 * and the access rules that every level of it applies (none for a rule's own filter: rules are trusted).
 */
export class Aliases {
  readonly #counter: { next: number };

  constructor(
    private readonly tables: Tables,
    /** The rules applied at every level; `undefined`: none. */
    readonly rules?: StatementRules,
    readonly bind: Bind = parameter,
    counter = { next: 0 },
    /**
     * Compiling a rule's own filter: a comparison with a value the field cannot hold (a viewer id that
     * is not an integer, a missing claim) matches no row. Default `false`: a client's filter is refused.
     */
    readonly ruleFilter = false,
  ) {
    this.#counter = counter;
  }

  /** The statement's own table, its fields seen through the rules. */
  root(table: ModelTable): Scope {
    return scopeOver(table.model, table, table.columns, tableFrom(table), this.#visible());
  }

  scope(model: GraphModel): Scope {
    const table = modelTable(this.tables, model.name);
    this.#counter.next += 1;
    const name = `t${this.#counter.next}`;
    const aliased = alias(table.table as PgTable, name) as unknown as Record<string, AnyPgColumn>;
    const from = sql`${sql.identifier(model.table)} ${sql.identifier(name)}`;
    return scopeOver(model, table, aliased, from, this.#visible());
  }

  /** The same statement without rules, binding values with `bind`: for compiling a rule's own filter. */
  trusted(bind: Bind): Aliases {
    return new Aliases(this.tables, undefined, bind, this.#counter, true);
  }

  #visible() {
    const { rules } = this;
    return rules && ((scope: Scope, field: GraphField) => rules.visibleValue(field, scope, this));
  }
}
