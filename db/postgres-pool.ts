/**
 * The node-postgres pool behind a `DATABASE_URL`. node-postgres rather than postgres.js: when the
 * server goes away, postgres.js 3.4.9 throws from a timer (a TypeError that kills the process) and
 * leaves pooled connections that never send again (porsager/postgres#1154, #1208), so requests
 * hang after PostgreSQL is back. node-postgres fails each request at once and reconnects; the three
 * adjustments below keep a lost connection from becoming a crash, a leak or an error.
 */
import { AsyncResource } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { watchStatement } from './cancel-statement.ts';

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

  // biome-ignore lint/suspicious/noExplicitAny: node-postgres overloads query() a dozen ways; every call passes through.
  override query(config: any, ...rest: any[]): any {
    // A statement past the statement timeout, or whose client left, is cancelled; it settles
    // through a callback (pg-pool's own query) or the promise returned.
    const settled = watchStatement(this);
    const last = rest.length - 1;
    if (settled && typeof rest[last] === 'function') {
      const callback = rest[last];
      rest[last] = (error: unknown, result: unknown) => {
        settled();
        callback(error, result);
      };
    }
    const result = super.query(withUniqueName(config), ...rest);
    if (settled && result instanceof Promise) result.then(settled, settled);
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
    // The callback runs in the context of whoever releases a connection; bound, it runs in the
    // caller's, so a statement is watched for its own request.
    if (args.length > 0) return super.connect(AsyncResource.bind(args[0]));
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
    // PostgreSQL's JIT compiles a statement with many subqueries (a filter of 24 relation filters)
    // for seconds, and a cancel waits for it to finish: 7.1 s of 7.8 s for such a filter, which
    // runs in 1.3 s without it. A URL that sets `options` replaces this.
    options: '-c jit=off',
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
