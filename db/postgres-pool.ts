/**
 * The node-postgres pool behind a `DATABASE_URL`. node-postgres rather than postgres.js: when the
 * server goes away, postgres.js 3.4.9 throws from a timer (a TypeError that kills the process) and
 * leaves pooled connections that never send again (porsager/postgres#1154, #1208), so requests
 * hang after PostgreSQL is back. node-postgres fails each request at once and reconnects; the three
 * adjustments below keep a lost connection from becoming a crash, a leak or an error.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Drizzle names a prepared statement after what it reads (`relgraph_list_users`), and one name may
 * cover several statement texts (a list's filters differ). node-postgres prepares a name once per
 * connection and refuses another text under it, so each text gets its own name: the given one plus
 * a hash of the text. Statements stay prepared per connection and are reused.
 */
const uniqueNames = new WeakMap<object, string>();

function withUniqueName<T>(config: T): T {
  if (config === null || typeof config !== 'object') return config;
  const { name, text } = config as { name?: unknown; text?: unknown };
  if (typeof name !== 'string' || typeof text !== 'string') return config;
  let unique = uniqueNames.get(config);
  if (unique === undefined) {
    unique = `${name.slice(0, 40)}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    uniqueNames.set(config, unique);
  }
  return { ...config, name: unique };
}

class PooledClient extends pg.Client {
  /**
   * Set when Drizzle takes the connection for a transaction. Drizzle (0.45.4) sends BEGIN before its
   * try/finally, so when BEGIN fails (the connection just died) it never gives the connection back,
   * and each such failure would shrink the pool for good: the connection is released here instead.
   */
  startingTransaction = false;

  /**
   * The last statement sent as a promise. A transaction's loaders read in parallel (a mutation's
   * answer), and node-postgres deprecates overlapping queries on one connection (pg@9 refuses them):
   * each waits for the one before instead.
   */
  #previous: Promise<unknown> = Promise.resolve();

  // biome-ignore lint/suspicious/noExplicitAny: node-postgres overloads query() a dozen ways; every call passes through.
  override query(config: any, ...rest: any[]): any {
    // Callback calls come from pg-pool's own query(), which holds the connection alone.
    if (rest.some((argument) => typeof argument === 'function') || typeof config?.submit === 'function')
      return this.#send(config, rest);
    const result = this.#previous.then(() => this.#send(config, rest));
    this.#previous = result.catch(() => {});
    return result;
  }

  // biome-ignore lint/suspicious/noExplicitAny: as query().
  #send(config: any, rest: any[]): any {
    const result = super.query(withUniqueName(config), ...rest);
    if (!this.startingTransaction || !(result instanceof Promise)) return result;
    this.startingTransaction = false;
    return result.catch((error: unknown) => {
      (this as unknown as pg.PoolClient).release(error instanceof Error ? error : true);
      throw error;
    });
  }
}

class Pool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: both of pg-pool's connect() overloads pass through.
  override connect(...args: any[]): any {
    // pg-pool's own query() takes a connection with a callback and releases it itself; Drizzle's
    // transaction takes one as a promise.
    if (args.length > 0) return super.connect(args[0]);
    return super.connect().then((client) => {
      (client as unknown as PooledClient).startingTransaction = true;
      return client;
    });
  }
}

/** A connection that breaks outside a query emits 'error': the next query on it fails instead. */
const ignoreConnectionError = () => {};

export interface PostgresPool {
  readonly pool: pg.Pool;
  /** Ends the pool; connections still busy after `graceMs` (a statement blocked on a lock) are closed. */
  end(graceMs?: number): Promise<void>;
}

export function createPostgresPool(url: string, poolSize: number, connectTimeoutMs: number): PostgresPool {
  const pool = new Pool({
    connectionString: url,
    Client: PooledClient,
    max: poolSize,
    // node-postgres waits forever by default; a request should fail fast while the database is away.
    connectionTimeoutMillis: connectTimeoutMs,
    // Connections are replaced every half hour, so statements prepared on them do not pile up.
    maxLifetimeSeconds: 1800,
  });
  // Without listeners, a connection breaking while idle in the pool, or while checked out between
  // two statements of a transaction, would be an uncaught exception.
  pool.on('error', ignoreConnectionError);
  const clients = new Set<PooledClient>();
  pool.on('connect', (client) => {
    client.on('error', ignoreConnectionError);
    clients.add(client as unknown as PooledClient);
  });
  pool.on('remove', (client) => clients.delete(client as unknown as PooledClient));
  return {
    pool,
    async end(graceMs = 5000) {
      // pool.end() waits for every checked-out connection to come back, which a blocked one never does.
      const deadline = setTimeout(() => {
        for (const client of clients) void client.end();
      }, graceMs);
      await pool.end();
      clearTimeout(deadline);
    },
  };
}
