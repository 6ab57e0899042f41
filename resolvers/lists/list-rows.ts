/** A root list (`Query.users`): filtered, ordered, one page by keyset; page and total each fetched only when selected. */
import { and, type SQL, sql } from 'drizzle-orm';
import { prepareRows } from '../../db/prepared-rows.ts';
import { cachedStatement, type PreparedStatement } from '../../db/statement-cache.ts';
import type { ModelTable } from '../../db/tables.ts';
import type { Row } from '../../loaders/load-rows.ts';
import type { RequestContext } from '../../server/context.ts';
import { type Connection, encodeCursor, once, type Page } from '../connection.ts';
import {
  beyondCursor,
  compileOrder,
  type Ordering,
  orderSelection,
  orderSql,
  orderValues,
} from './compile-order.ts';
import { compileWhere } from './compile-where.ts';
import { type ListArguments, type PageWindow, pageWindow } from './page-window.ts';
import { Aliases, tableScope } from './scope.ts';

/** Everything a list request needs, compiled and prepared once for the same arguments. */
interface ListPlan {
  readonly ordering: Ordering;
  readonly window: PageWindow;
  readonly page: PreparedStatement<Row[]>;
  readonly count: PreparedStatement<Array<{ count: number }>>;
}

function planList(context: RequestContext, table: ModelTable, args: ListArguments): ListPlan {
  const aliases = new Aliases(context.tables);
  const scope = tableScope(table);
  const where = compileWhere(aliases, scope, args.where, context.graph.foreignKeys, 'where');
  const ordering = compileOrder(aliases, scope, args.orderBy, 'orderBy');
  const window = pageWindow(args, ordering, context.options.maxPageSize);
  const conditions: Array<SQL | undefined> = [
    where,
    window.after && beyondCursor(ordering, window.after, false),
    window.before && beyondCursor(ordering, window.before, true),
  ];
  const name = `relgraph_list_${table.model.table}`;
  const selection = { ...table.columns, ...orderSelection(ordering) };
  const page = prepareRows(
    context.db
      .select(selection)
      .from(table.table)
      .where(and(...conditions))
      .orderBy(orderSql(ordering, window.backwards))
      .limit(window.size + 1),
    selection,
    name,
  );
  const count = context.db
    .select({ count: sql<number>`count(*)::int` })
    .from(table.table)
    .where(where)
    .prepare(`${name}_count`) as unknown as PreparedStatement<Array<{ count: number }>>;
  return { ordering, window, page, count };
}

export function listRows(context: RequestContext, table: ModelTable, args: ListArguments): Connection {
  const key = `${context.options.maxPageSize}:${JSON.stringify(args)}`;
  const { ordering, window, page, count } = cachedStatement(context.db, table, key, () =>
    planList(context, table, args),
  );
  return {
    model: table.model,
    page: once(async (): Promise<Page> => {
      const rows = await page.execute();
      const more = rows.length > window.size;
      const nodes = rows.slice(0, window.size);
      if (window.backwards) nodes.reverse();
      context.loaders.prime(table.model, nodes);
      return {
        nodes,
        hasNextPage: window.backwards ? window.before !== undefined : more,
        hasPreviousPage: window.backwards ? more : window.after !== undefined,
      };
    }),
    cursorOf: (row) => encodeCursor(ordering.signature, orderValues(ordering, row)),
    totalCount: async () => (await count.execute())[0]?.count ?? 0,
  };
}
