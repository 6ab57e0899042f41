/**
 * `hasMany` and `manyToMany` lists with their own filter, order and page: one statement for the pages
 * of all parents (`row_number() over (partition by <foreign key>)`; a many-to-many list joins its
 * pivot and partitions by the pivot's key), and one for all their totals when selected.
 */

import DataLoader from 'dataloader';
import { and, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { planUnderRules, visibleSelection } from '../access/statement-rules.ts';
import { arrayCastOf, keyOf } from '../db/keys.ts';
import { prepareRows, type Row, type Selection, valueOfColumn } from '../db/prepared-rows.ts';
import type { PreparedStatement } from '../db/statement-cache.ts';
import { modelTable } from '../db/tables.ts';
import { compileList, type Through } from '../query/compile-list.ts';
import { compileOrder, orderSelection, orderSql, orderValues } from '../query/compile-order.ts';
import { compileWhere } from '../query/compile-where.ts';
import { type Connection, emptyConnection, type Page } from '../query/connection-page.ts';
import { encodeCursor } from '../query/cursor.ts';
import { type ListArguments, type PageWindow, pageOf, windowConditions } from '../query/page-window.ts';
import type { Aliases, Scope, StatementRules } from '../query/scope.ts';
import { type ModelSelection, pickColumns, selectionOf } from '../query/selected-fields.ts';
import type { GraphModel, GraphPivotRelation, GraphRelation } from '../schema/graph.ts';
import type { RequestContext } from './request-context.ts';

/** A list relation: a `hasMany`, or a `manyToMany` through its pivot. */
type ListRelation = GraphRelation | GraphPivotRelation;

/** The arguments of a many-to-many list: a list's, and the pivot's own filter and order. */
interface PivotArguments extends ListArguments {
  readonly pivotWhere?: unknown;
  readonly pivotOrderBy?: unknown;
}

/** Where a many-to-many row's parent key and pivot columns come back (`__pivot_addedAt`). */
const PARENT = '__parent';
const PIVOT = '__pivot_';

/**
 * How a list's rows reach their parents: the parent key column (the child's foreign key, or the
 * pivot's key to the parent), the pivot joined when there is one, and the pivot columns selected.
 */
interface ListSource {
  readonly parentKey: AnyPgColumn;
  readonly join: <Q extends PgSelect>(query: Q) => Q;
  readonly selection: Selection;
}

/** The pivot of a many-to-many list in the list's statement: its filter and sort keys, and the join. */
function throughPivot(context: RequestContext, relation: GraphPivotRelation, args: PivotArguments) {
  const pivot = modelTable(context.tables, relation.pivot.model.name);
  let joined: { scope: Scope; through: Through } | undefined;
  const through = (aliases: Aliases, _target: Scope): Through => {
    const scope = aliases.root(pivot);
    const keys = context.graph.foreignKeys;
    const where = compileWhere(aliases, scope, args.pivotWhere as never, keys, 'pivotWhere');
    const ordering = compileOrder(aliases, scope, args.pivotOrderBy, 'pivotOrderBy', false);
    joined = { scope, through: { where, ordering } };
    return { where, ordering };
  };
  const source = (target: Scope): ListSource => {
    if (!joined) throw new Error('relgraph: the pivot is compiled with its list');
    const { scope } = joined;
    const parentKey = scope.column(relation.pivotSourceKey);
    const selection: Record<string, Selection[string]> = {
      [PARENT]: valueOfColumn(sql`${parentKey}`, parentKey, PARENT),
    };
    for (const [name, column] of Object.entries(pivot.columns))
      selection[PIVOT + name] = valueOfColumn(sql`${column}`, column, PIVOT + name);
    const on = sql`${scope.column(relation.pivotTargetKey)} = ${target.column(relation.targetKey)}`;
    // Joining changes only the FROM clause: the selection is explicit, so the row type stays.
    const join = <Q extends PgSelect>(query: Q) => query.innerJoin(pivot.table, on) as unknown as Q;
    return { parentKey, join, selection };
  };
  return { through, source };
}

/** The source of a `hasMany` list: the child's own foreign key, nothing joined. */
const childSource = (relation: GraphRelation, scope: Scope): ListSource => ({
  parentKey: scope.column(relation.targetKey),
  join: (query) => query,
  selection: {},
});

/** The keys of a batch of parents, and the values of the viewer's rules. */
type ParentsValues = { keys: readonly string[]; [rule: string]: unknown };

/** A statement over the keys of a batch of parents. */
type ParentsStatement<T> = PreparedStatement<T, ParentsValues>;

/** The page and count statements of one relation for one set of list arguments, prepared once. */
interface ChildPlan {
  readonly pages: ParentsStatement<Row[]>;
  readonly totals: ParentsStatement<Array<{ key: string; count: number }>>;
  readonly window: PageWindow;
  readonly cursorOf: (row: Row) => string;
  /** The parent key a row of the page belongs to. */
  readonly parentOf: (row: Row) => unknown;
}

function planChildren(
  context: RequestContext,
  relation: ListRelation,
  args: PivotArguments,
  rules: StatementRules | undefined,
  wanted: ModelSelection | undefined,
): ChildPlan {
  const table = modelTable(context.tables, relation.target.name);
  const pivot = relation.kind === 'manyToMany' ? throughPivot(context, relation, args) : undefined;
  const { aliases, scope, where, ordering, window } = compileList(
    context,
    table,
    args,
    rules,
    pivot?.through,
  );
  const source = pivot ? pivot.source(scope) : childSource(relation as GraphRelation, scope);
  const foreignKey = source.parentKey;
  const ofParents = sql`${foreignKey} = any(${sql.placeholder('keys')}::${sql.raw(arrayCastOf(relation.kind === 'manyToMany' ? relation.pivotSourceKey : relation.targetKey))})`;
  const selected = {
    ...pickColumns(visibleSelection(table, scope, aliases), table.model, wanted, [relation.targetKey]),
    ...source.selection,
    ...((wanted?.cursors ?? true) && orderSelection(ordering)),
  };
  const ranked = source
    .join(
      context.db
        .select({
          ...selected,
          // Ranked in reading order: from the end for `last`, so the rows nearest `before` come first.
          __rank:
            sql<number>`row_number() over (partition by ${foreignKey} order by ${orderSql(ordering, window.backwards)})`.as(
              '__rank',
            ),
        })
        .from(table.table)
        .$dynamic(),
    )
    .where(and(ofParents, where, ...windowConditions(ordering, window)))
    .as('ranked');
  const name = `relgraph_children_${relation.model.table}_${relation.name}`;
  // The outer statement selects the subquery's columns under the same field names, not the rank.
  const inner = ranked as unknown as Selection;
  const outer = Object.fromEntries(Object.keys(selected).map((field) => [field, inner[field]])) as Selection;
  const pages = prepareRows<ParentsValues>(
    context.db,
    context.db
      .select(outer)
      .from(ranked)
      .where(sql`${ranked.__rank} <= ${window.size + 1}`)
      .orderBy(ranked.__rank),
    selected,
    name,
  );
  const totals = source
    .join(
      context.db
        .select({ key: sql<string>`${foreignKey}::text`, count: sql<number>`count(*)::int` })
        .from(table.table)
        .$dynamic(),
    )
    .where(and(ofParents, where))
    .groupBy(foreignKey)
    .prepare(`${name}_count`) as unknown as ParentsStatement<Array<{ key: string; count: number }>>;
  return {
    pages,
    totals,
    window,
    cursorOf: (row) => encodeCursor(ordering.signature, orderValues(ordering, row)),
    parentOf: relation.kind === 'manyToMany' ? (row) => row[PARENT] : (row) => row[relation.targetKey.name],
  };
}

/** The pivot row of a many-to-many list's row: its `__pivot_` values under the pivot's field names. */
export function pivotOf(row: Row): Row {
  const pivot: Row = {};
  for (const [name, value] of Object.entries(row))
    if (name.startsWith(PIVOT)) pivot[name.slice(PIVOT.length)] = value;
  return pivot;
}

interface ChildQueries {
  readonly pages: DataLoader<string, Page>;
  /** The pages read so far, by parent key: a list loaded ahead answers without a promise. */
  readonly read: ReadonlyMap<string, Page>;
  readonly totals: DataLoader<string, number>;
  readonly cursorOf: (row: Row) => string;
}

/** This request's loaders over a relation's plan: pages and totals of every parent, one statement each. */
function childQueries(context: RequestContext, relation: ListRelation, args: ListArguments): ChildQueries {
  const wanted = selectionOf(context.selection.fields, relation.target);
  const key = `${context.options.maxPageSize}:${wanted?.key ?? '*'}:${JSON.stringify(args)}`;
  const { plan, values } = planUnderRules(context.db, context.access, relation, key, (rules) =>
    planChildren(context, relation, args, rules, wanted),
  );
  const { window } = plan;
  const read = new Map<string, Page>();
  const pages = new DataLoader<string, Page>(async (keys) => {
    const rows = await plan.pages.execute({ ...values, keys });
    const byParent = new Map<string, Row[]>();
    for (const row of rows) {
      const parent = keyOf(plan.parentOf(row)) ?? '';
      const group = byParent.get(parent);
      if (group) group.push(row);
      else byParent.set(parent, [row]);
    }
    const result = keys.map((parent) => pageOf(byParent.get(parent) ?? [], window));
    context.loaders.prime(
      relation.target,
      result.flatMap((page) => page.nodes),
    );
    for (const [i, parent] of keys.entries()) read.set(parent, result[i] as Page);
    return result;
  });
  const totals = new DataLoader<string, number>(async (keys) => {
    const byKey = new Map(
      (await plan.totals.execute({ ...values, keys })).map((row) => [row.key, row.count]),
    );
    return keys.map((parent) => byKey.get(parent) ?? 0);
  });
  return { pages, read, totals, cursorOf: plan.cursorOf };
}

/**
 * One parent's list: methods on a class rather than closures, since a page of parents makes one each
 * (and the TypeScript loader wraps every closure to keep its name).
 */
class ChildConnection implements Connection {
  constructor(
    readonly model: GraphModel,
    private readonly queries: ChildQueries,
    private readonly key: string,
  ) {}

  page(): Page | Promise<Page> {
    return this.queries.read.get(this.key) ?? this.queries.pages.load(this.key);
  }

  totalCount(): Promise<number> {
    return this.queries.totals.load(this.key);
  }

  cursorOf(row: Row): string {
    return this.queries.cursorOf(row);
  }
}

/**
 * The `hasMany` or `manyToMany` list of one parent row, batched with every other parent asking with
 * the same arguments.
 */
export function childPage(
  context: RequestContext,
  relation: ListRelation,
  parent: Row,
  args: ListArguments,
): Connection {
  const key = keyOf(parent[relation.sourceKey.name]);
  if (key === null) return emptyConnection;
  const id = `${relation.model.name}.${relation.name}${JSON.stringify(args)}`;
  return new ChildConnection(
    relation.target,
    context.loaders.memo(id, () => childQueries(context, relation, args)),
    key,
  );
}
