/** The database connection: embedded PGlite by default, a node-postgres pool when a URL is given. */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { createPostgresPool } from './postgres-pool.ts';
import { scopedStatementLogger } from './statement-counter.ts';

/** One Drizzle type for both drivers. */
export type Database = PgDatabase<PgQueryResultHKT>;

export type Driver = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server. Default: embedded PGlite. */
  url?: string | undefined;
  /** PGlite data folder. Default: in memory (nothing kept after `close`). */
  dataDir?: string | undefined;
  /** Connection pool size (PostgreSQL). Default 10. */
  poolSize?: number | undefined;
  /** How long a statement waits for a connection before it fails, in ms (PostgreSQL). Default 5000. */
  connectTimeoutMs?: number | undefined;
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
  /** Runs `select 1`, outside the pool when it is saturated: rejects when the database cannot answer. */
  ping(): Promise<DatabaseStatus>;
  /** Closes the pool or the embedded database; an open PGlite keeps Node alive. */
  close(): Promise<void>;
}

async function connectPglite(dataDir: string | undefined): Promise<DatabaseConnection> {
  // PGlite creates its data folder but not the folders above it.
  if (dataDir && !dataDir.includes('://')) await mkdir(dirname(resolve(dataDir)), { recursive: true });
  const client = await PGlite.create(dataDir);
  return {
    driver: 'pglite',
    shared: drizzlePglite({ client, logger: scopedStatementLogger }) as unknown as Database,
    database: (logger) => drizzlePglite({ client, ...(logger && { logger }) }) as unknown as Database,
    // One connection, its statements queued: nothing to tell apart.
    ping: async () => {
      await client.query('select 1');
      return 'ready';
    },
    close: () => client.close(),
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

function connectPostgres(url: string, poolSize: number, connectTimeoutMs: number): DatabaseConnection {
  const { pool: client, end } = createPostgresPool(url, poolSize, connectTimeoutMs);
  return {
    driver: 'postgres',
    shared: drizzlePostgres({ client, logger: scopedStatementLogger }) as unknown as Database,
    database: (logger) => drizzlePostgres({ client, ...(logger && { logger }) }) as unknown as Database,
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
    return connectPostgres(options.url, options.poolSize ?? 10, options.connectTimeoutMs ?? 5000);
  return connectPglite(options.dataDir);
}
