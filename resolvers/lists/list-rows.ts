/** A root list (`Query.users`): filtered, ordered, one page by keyset, total counted only when asked for. */
import { and, type SQL, sql } from 'drizzle-orm';
import type { ModelTable } from '../../db/tables.ts';
import type { Row } from '../../loaders/load-rows.ts';
import type { RequestContext } from '../../server/context.ts';
import { type Connection, encodeCursor, once, type Page } from '../connection.ts';
import { beyondCursor, compileOrder, orderSelection, orderSql, orderValues } from './compile-order.ts';
import { compileWhere } from './compile-where.ts';
import { type ListArguments, pageWindow } from './page-window.ts';
import { Aliases, tableScope } from './scope.ts';

export function listRows(context: RequestContext, table: ModelTable, args: ListArguments): Connection {
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
  const page = once(async (): Promise<Page> => {
    const rows: Row[] = await context.db
      .select({ ...table.columns, ...orderSelection(ordering) })
      .from(table.table)
      .where(and(...conditions))
      .orderBy(orderSql(ordering, window.backwards))
      .limit(window.size + 1);
    const more = rows.length > window.size;
    const nodes = rows.slice(0, window.size);
    if (window.backwards) nodes.reverse();
    context.loaders.prime(table.model, nodes);
    return {
      nodes,
      hasNextPage: window.backwards ? window.before !== undefined : more,
      hasPreviousPage: window.backwards ? more : window.after !== undefined,
    };
  });
  return {
    page,
    cursorOf: (row) => encodeCursor(ordering.signature, orderValues(ordering, row)),
    totalCount: async () => {
      const [result] = await context.db
        .select({ count: sql<number>`count(*)::int` })
        .from(table.table)
        .where(where);
      return result?.count ?? 0;
    },
  };
}
