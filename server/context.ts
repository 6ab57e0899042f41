/** What every resolver receives: the request's own database handle, loaders and statement counter. */
import type { Database, DatabaseConnection } from '../db/client.ts';
import { StatementCounter } from '../db/statement-counter.ts';
import type { Tables } from '../db/tables.ts';
import { createLoaders, type Loaders } from '../loaders/registry.ts';
import type { RelationGraph } from '../schema/graph.ts';

export interface ContextOptions {
  /** The largest `first` a list accepts. */
  readonly maxPageSize: number;
  /** Statements one request may run before it fails with QUERY_TOO_COMPLEX. */
  readonly maxStatementsPerRequest: number;
}

export interface RequestContext {
  readonly graph: RelationGraph;
  readonly tables: Tables;
  /** The shared database; statements count for this request while it runs in `statementScope`. */
  readonly db: Database;
  readonly loaders: Loaders;
  readonly statements: StatementCounter;
  readonly options: ContextOptions;
}

/** A fresh context for one request: new loaders (no rows cached across requests) and a new counter. */
export function createContext(
  connection: DatabaseConnection,
  graph: RelationGraph,
  tables: Tables,
  options: ContextOptions,
): RequestContext {
  const statements = new StatementCounter(options.maxStatementsPerRequest);
  const db = connection.shared;
  return { graph, tables, db, loaders: createLoaders(db, tables), statements, options };
}
