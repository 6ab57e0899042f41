/** The database connection: embedded PGlite by default, a node-postgres pool when a URL is given. */
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { createPostgresPool } from './postgres-pool.ts';
import { scopedStatementLogger } from './statement-counter.ts';

/** One Drizzle type for both drivers. */
export type Database = PgDatabase<PgQueryResultHKT>;

export type Driver = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server. Default: embedded PGlite. */
  url?: string | undefined;
  /**
   * PGlite data folder, open in one process at a time: a second one is refused while this one has it
   * (`DataDirInUseError`). Default: in memory (nothing kept after `close`).
   */
  dataDir?: string | undefined;
  /** Connection pool size (PostgreSQL). Default 10. */
  poolSize?: number | undefined;
  /** How long a statement waits for a connection before it fails, in ms (PostgreSQL). Default 5000. */
  connectTimeoutMs?: number | undefined;
  /** Statements kept prepared per connection, least recently used deallocated first (PostgreSQL). Default 256. */
  maxPreparedStatements?: number | undefined;
}

/**
 * What the readiness check found: `ready`, or `busy` — every pooled connection is in use (statements
 * queue for one) while the database answers on a connection of its own: load, not an outage.
 */
export type DatabaseStatus = 'ready' | 'busy';

export interface DatabaseConnection {
  readonly driver: Driver;
  /**
   * The Drizzle database requests share: one instance, so statements prepared on it are reused; each
   * statement is counted for the request running it (`statementScope`).
   */
  readonly shared: Database;
  /** A Drizzle database over the shared connection; a `logger` sees every statement it runs. */
  database(logger?: Logger): Database;
  /**
   * Records the URL a server on this connection serves, so that a process refused its embedded data
   * folder is told where to reach it. Does nothing for PostgreSQL or an in-memory database.
   */
  announce(url: string): void;
  /** Runs `select 1`, outside the pool when it is saturated: rejects when the database cannot answer. */
  ping(): Promise<DatabaseStatus>;
  /** Closes the pool or the embedded database; an open PGlite keeps Node alive. */
  close(): Promise<void>;
}

async function connectPglite(dataDir: string | undefined): Promise<DatabaseConnection> {
  // Taken before PGlite reads anything; it creates the folder (PGlite creates only the last level).
  const lock = dataDir && !dataDir.includes('://') ? lockDataDir(dataDir) : undefined;
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  return {
    driver: 'pglite',
    shared: drizzlePglite({ client, logger: scopedStatementLogger }) as unknown as Database,
    database: (logger) => drizzlePglite({ client, ...(logger && { logger }) }) as unknown as Database,
    announce: (url) => lock?.announce(url),
    // One connection, its statements queued: nothing to tell apart.
    ping: async () => {
      await client.query('select 1');
      return 'ready';
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Asks the server on a connection of its own; one refused for too many connections (53300) answered too. */
async function pingOutsidePool(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    if ((error as { code?: unknown }).code !== '53300') throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

function connectPostgres(
  url: string,
  poolSize: number,
  connectTimeoutMs: number,
  maxPreparedStatements: number | undefined,
): DatabaseConnection {
  const { pool: client, end } = createPostgresPool(url, poolSize, connectTimeoutMs, maxPreparedStatements);
  return {
    driver: 'postgres',
    shared: drizzlePostgres({ client, logger: scopedStatementLogger }) as unknown as Database,
    database: (logger) => drizzlePostgres({ client, ...(logger && { logger }) }) as unknown as Database,
    announce: () => {},
    ping: async () => {
      // Every connection checked out: a `select 1` through the pool would queue behind them.
      if (client.totalCount >= poolSize && client.idleCount === 0) {
        await pingOutsidePool(url, connectTimeoutMs);
        return 'busy';
      }
      await client.query('select 1');
      return 'ready';
    },
    close: () => end(),
  };
}

/** Opens the database: PostgreSQL when `url` is set, otherwise embedded PGlite (in `dataDir` or memory). */
export async function connectDatabase(options: DatabaseOptions = {}): Promise<DatabaseConnection> {
  if (options.url)
    return connectPostgres(
      options.url,
      options.poolSize ?? 10,
      options.connectTimeoutMs ?? 5000,
      options.maxPreparedStatements,
    );
  return connectPglite(options.dataDir);
}
