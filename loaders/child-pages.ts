/**
 * `hasMany` lists with their own filter, order and page: one statement for the pages of all parents
 * (`row_number() over (partition by <foreign key>)`), and one for all their totals when selected.
 */

import DataLoader from 'dataloader';
import { and, sql } from 'drizzle-orm';
import { planUnderRules, visibleSelection } from '../access/statement-rules.ts';
import { arrayCastOf, keyOf } from '../db/keys.ts';
import { prepareRows, type Row, type Selection } from '../db/prepared-rows.ts';
import type { PreparedStatement } from '../db/statement-cache.ts';
import { modelTable } from '../db/tables.ts';
import { compileList } from '../query/compile-list.ts';
import { orderSelection, orderSql, orderValues } from '../query/compile-order.ts';
import { type Connection, emptyConnection, type Page } from '../query/connection-page.ts';
import { encodeCursor } from '../query/cursor.ts';
import { type ListArguments, type PageWindow, pageOf, windowConditions } from '../query/page-window.ts';
import type { StatementRules } from '../query/scope.ts';
import { type ModelSelection, pickColumns, selectionOf } from '../query/selected-fields.ts';
import type { GraphModel, GraphRelation } from '../schema/graph.ts';
import type { RequestContext } from './request-context.ts';

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
}

function planChildren(
  context: RequestContext,
  relation: GraphRelation,
  args: ListArguments,
  rules: StatementRules | undefined,
  wanted: ModelSelection | undefined,
): ChildPlan {
  const table = modelTable(context.tables, relation.target.name);
  const { aliases, scope, where, ordering, window } = compileList(context, table, args, rules);
  const foreignKey = scope.column(relation.targetKey);
  const ofParents = sql`${foreignKey} = any(${sql.placeholder('keys')}::${sql.raw(arrayCastOf(relation.targetKey))})`;
  const selected = {
    ...pickColumns(visibleSelection(table, scope, aliases), table.model, wanted, [relation.targetKey]),
    ...((wanted?.cursors ?? true) && orderSelection(ordering)),
  };
  const ranked = context.db
    .select({
      ...selected,
      // Ranked in reading order: from the end for `last`, so the rows nearest `before` come first.
      __rank:
        sql<number>`row_number() over (partition by ${foreignKey} order by ${orderSql(ordering, window.backwards)})`.as(
          '__rank',
        ),
    })
    .from(table.table)
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
  const totals = context.db
    .select({ key: sql<string>`${foreignKey}::text`, count: sql<number>`count(*)::int` })
    .from(table.table)
    .where(and(ofParents, where))
    .groupBy(foreignKey)
    .prepare(`${name}_count`) as unknown as ParentsStatement<Array<{ key: string; count: number }>>;
  return {
    pages,
    totals,
    window,
    cursorOf: (row) => encodeCursor(ordering.signature, orderValues(ordering, row)),
  };
}

interface ChildQueries {
  readonly pages: DataLoader<string, Page>;
  /** The pages read so far, by parent key: a list loaded ahead answers without a promise. */
  readonly read: ReadonlyMap<string, Page>;
  readonly totals: DataLoader<string, number>;
  readonly cursorOf: (row: Row) => string;
}

/** This request's loaders over a relation's plan: pages and totals of every parent, one statement each. */
function childQueries(context: RequestContext, relation: GraphRelation, args: ListArguments): ChildQueries {
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
      const parent = keyOf(row[relation.targetKey.name]) ?? '';
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

/** The `hasMany` list of one parent row, batched with every other parent asking with the same arguments. */
export function childPage(
  context: RequestContext,
  relation: GraphRelation,
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
