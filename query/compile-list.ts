/**
 * What a root list and a `hasMany` list compile alike from their arguments: the table's scope, the
 * filter joined with the viewer's read rule, the ordering and the page window.
 */
import { and, type SQL } from 'drizzle-orm';
import type { ModelTable, Tables } from '../db/tables.ts';
import type { RelationGraph } from '../schema/graph.ts';
import { compileOrder, type Ordering } from './compile-order.ts';
import { compileWhere } from './compile-where.ts';
import { type ListArguments, type PageWindow, pageWindow } from './page-window.ts';
import { Aliases, type Scope, type StatementRules } from './scope.ts';

export interface CompiledList {
  readonly aliases: Aliases;
  readonly scope: Scope;
  /** The `where` argument and the read rule; undefined when neither restricts. */
  readonly where: SQL | undefined;
  readonly ordering: Ordering;
  readonly window: PageWindow;
}

/**
 * What compiling a list needs of its request (a request context has it): the tables, the foreign keys
 * and the page-size limit; no request state, so the compiler sits below the loaders.
 */
export interface ListSource {
  readonly tables: Tables;
  readonly graph: RelationGraph;
  readonly options: { readonly maxPageSize: number };
}

/** What a list reads through besides its table (a many-to-many list's pivot): a filter, and sort keys first. */
export interface Through {
  readonly where: SQL | undefined;
  readonly ordering: Ordering;
}

/**
 * `through` (default none) adds the filter and the leading sort keys of a joined pivot, compiled in
 * the same statement; cursors then carry the pivot's order values too.
 */
export function compileList(
  context: ListSource,
  table: ModelTable,
  args: ListArguments,
  rules: StatementRules | undefined,
  through?: (aliases: Aliases, scope: Scope) => Through,
): CompiledList {
  const aliases = new Aliases(context.tables, rules);
  const scope = aliases.root(table);
  const filter = compileWhere(aliases, scope, args.where, context.graph.foreignKeys, 'where');
  const readable = rules?.rowCondition(table.model, scope, aliases);
  const own = compileOrder(aliases, scope, args.orderBy, 'orderBy');
  const joined = through?.(aliases, scope);
  const ordering = joined
    ? { keys: [...joined.ordering.keys, ...own.keys], signature: joined.ordering.signature + own.signature }
    : own;
  return {
    aliases,
    scope,
    where: and(filter, readable, joined?.where),
    ordering,
    window: pageWindow(args, ordering, context.options.maxPageSize),
  };
}
