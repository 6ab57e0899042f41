/** A root list (`Query.users`): filtered, ordered, one page by keyset; page and total each fetched only when selected. */
import { and, type SQL, sql } from 'drizzle-orm';
import { planUnderRules, visibleSelection } from '../../access/statement-rules.ts';
import { prepareRows } from '../../db/prepared-rows.ts';
import type { PreparedStatement } from '../../db/statement-cache.ts';
import type { ModelTable } from '../../db/tables.ts';
import type { Row } from '../../loaders/load-rows.ts';
import type { RequestContext } from '../../server/context.ts';
import { type Connection, encodeCursor, once, type Page } from '../connection.ts';
import { type ModelSelection, pickColumns, selectionOf } from '../selected-fields.ts';
import { compileList } from './compile-list.ts';
import { type Ordering, orderSelection, orderSql, orderValues } from './compile-order.ts';
import { type ListArguments, type PageWindow, pageOf, windowConditions } from './page-window.ts';
import type { StatementRules } from './scope.ts';

/** The values of the placeholders of the viewer's rules. */
type RuleValues = Readonly<Record<string, unknown>>;

/** Everything a list request needs, compiled and prepared once for the same arguments and rule shapes. */
interface ListPlan {
  readonly ordering: Ordering;
  readonly window: PageWindow;
  readonly page: PreparedStatement<Row[], RuleValues>;
  readonly count: PreparedStatement<Array<{ count: number }>, RuleValues>;
}

function planList(
  context: RequestContext,
  table: ModelTable,
  args: ListArguments,
  rules: StatementRules | undefined,
  wanted: ModelSelection | undefined,
): ListPlan {
  const { aliases, scope, where, ordering, window } = compileList(context, table, args, rules);
  const conditions: Array<SQL | undefined> = [where, ...windowConditions(ordering, window)];
  const name = `relgraph_list_${table.model.table}`;
  const selection = {
    ...pickColumns(visibleSelection(table, scope, aliases), table.model, wanted),
    ...((wanted?.cursors ?? true) && orderSelection(ordering)),
  };
  const page = prepareRows<RuleValues>(
    context.db,
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
    .prepare(`${name}_count`) as unknown as ListPlan['count'];
  return { ordering, window, page, count };
}

export function listRows(context: RequestContext, table: ModelTable, args: ListArguments): Connection {
  const wanted = selectionOf(context.selection.fields, table.model);
  const key = `${context.options.maxPageSize}:${wanted?.key ?? '*'}:${JSON.stringify(args)}`;
  const { plan, values } = planUnderRules(context.db, context.access, table, key, (rules) =>
    planList(context, table, args, rules, wanted),
  );
  const { ordering, window, page, count } = plan;
  return {
    model: table.model,
    page: once(async (): Promise<Page> => {
      const read = pageOf(await page.execute(values), window);
      context.loaders.prime(table.model, read.nodes);
      return read;
    }),
    cursorOf: (row) => encodeCursor(ordering.signature, orderValues(ordering, row)),
    totalCount: async () => (await count.execute(values))[0]?.count ?? 0,
  };
}
