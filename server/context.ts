/** What every resolver receives: the request's viewer and rules, database handle, loaders and statement counter. */
import { createRequestAccess, type RequestAccess } from '../access/request-access.ts';
import type { Viewer } from '../access/rules.ts';
import type { Database, DatabaseConnection } from '../db/client.ts';
import { StatementCounter } from '../db/statement-counter.ts';
import { StatementDeadline } from '../db/statement-deadline.ts';
import type { Tables } from '../db/tables.ts';
import { createLoaders, type Loaders } from '../loaders/registry.ts';
import { type SelectedFields, selectionOf } from '../resolvers/selected-fields.ts';
import type { MutationTransaction } from '../resolvers/write/mutation-transaction.ts';
import type { RelationGraph } from '../schema/graph.ts';

export interface ContextOptions {
  /** The largest `first` a list accepts. */
  readonly maxPageSize: number;
  /** Statements one request may run before it fails with QUERY_TOO_COMPLEX. */
  readonly maxStatementsPerRequest: number;
  /** How long each statement of the request may run before it is cancelled. */
  readonly statementTimeoutMs: number;
}

export interface RequestContext {
  readonly graph: RelationGraph;
  readonly tables: Tables;
  /** The shared database; statements count for this request while it runs in `statementScope`. */
  readonly db: Database;
  readonly loaders: Loaders;
  readonly statements: StatementCounter;
  /** Who is asking (`null`: anonymous), from `createServer({ authenticate })`. */
  readonly viewer: Viewer | null;
  /** The models' access rules for this viewer. */
  readonly access: RequestAccess;
  readonly options: ContextOptions;
  /**
   * What the operation reads of each model, set as it starts executing (`useSelectedFields`); `fields`
   * undefined: statements select every column. A box the loaders share: yoga copies the context's
   * properties into its own object, so a property set on that object would not reach them.
   */
  readonly selection: { fields: SelectedFields | undefined };
  /**
   * The transaction of the mutation operation running (`useMutationTransaction`), whose fields commit
   * together; `db` and the loaders then run in it. Undefined for queries.
   */
  readonly mutation?: MutationTransaction | undefined;
}

const loadersOver = (
  db: Database,
  tables: Tables,
  access: RequestAccess,
  selection: RequestContext['selection'],
) => createLoaders(db, tables, access, (model) => selectionOf(selection.fields, model));

/**
 * A fresh context for one request: new loaders (no rows cached across requests) and a new counter,
 * which also stops the request's statements when `signal` aborts (the client went away; default: never).
 */
export function createContext(
  connection: DatabaseConnection,
  graph: RelationGraph,
  tables: Tables,
  options: ContextOptions,
  viewer: Viewer | null = null,
  signal?: AbortSignal,
): RequestContext {
  const statements = new StatementCounter(
    options.maxStatementsPerRequest,
    // PGlite cannot interrupt a statement: there the request as a whole is held to the timeout.
    new StatementDeadline(options.statementTimeoutMs, signal, connection.driver === 'pglite'),
  );
  const db = connection.shared;
  const access = createRequestAccess(graph, tables, viewer);
  const selection: RequestContext['selection'] = { fields: undefined };
  return {
    graph,
    tables,
    db,
    loaders: loadersOver(db, tables, access, selection),
    statements,
    options,
    viewer,
    access,
    selection,
  };
}

/**
 * The context of a mutation operation's fields: the request's, with its database and loaders on the
 * operation's transaction, so each field reads its own writes and those of the fields before it (and
 * PGlite, one connection, is not asked for a second one while the transaction holds it).
 */
export function mutationContext<C extends RequestContext>(context: C, mutation: MutationTransaction): C {
  const { tx } = mutation;
  return {
    ...context,
    db: tx,
    loaders: loadersOver(tx, context.tables, context.access, context.selection),
    mutation,
  };
}
