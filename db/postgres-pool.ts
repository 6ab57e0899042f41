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
import { BoundedCache } from './bounded-cache.ts';
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

/** Statements kept prepared per connection by default (`maxPreparedStatements`). */
export const DEFAULT_MAX_PREPARED_STATEMENTS = 256;

/** node-postgres' record of the statements a connection has prepared (not in its types). */
interface PreparedRecord {
  readonly parsedStatements: Record<string, string>;
}

/**
 * The statements prepared on one connection, at most `limit`: the least recently used is forgotten
 * by node-postgres and `DEALLOCATE`d, so distinct query shapes cannot grow the server's memory (each
 * prepared statement holds its parsed query and plans in the backend) while hot shapes stay prepared.
 */
class PreparedStatements {
  readonly #kept: BoundedCache<string, true>;
  /** Evicted, not yet released: a DEALLOCATE waits for a query outside a failed transaction. */
  readonly #evicted = new Set<string>();

  constructor(limit: number) {
    this.#kept = new BoundedCache(limit, (name) => this.#evicted.add(name));
  }

  /** Notes that the statement `name` runs now; returns the names to deallocate before it. */
  use(name: string, client: pg.Client & TransactionStatus): string[] {
    // Back before it was released: it stays prepared.
    this.#evicted.delete(name);
    if (this.#kept.get(name) === undefined) this.#kept.set(name, true);
    // In a failed transaction every statement fails until ROLLBACK, a DEALLOCATE too: it waits.
    if (this.#evicted.size === 0 || client.getTransactionStatus() === 'E') return [];
    const { parsedStatements } = (client as unknown as { connection: PreparedRecord }).connection;
    // A statement whose Parse never completed is not prepared: nothing to release. A DEALLOCATE of
    // a name the server lacks would fail, and abort the transaction it runs in.
    const names = [...this.#evicted].filter((evicted) => parsedStatements[evicted] !== undefined);
    this.#evicted.clear();
    return names;
  }
}

/** node-postgres' transaction status from the last ReadyForQuery ('I' idle, 'T' in one, 'E' failed); not in its types. */
interface TransactionStatus {
  getTransactionStatus(): 'I' | 'T' | 'E' | null;
}

/** `DEALLOCATE "name"`, the name quoted as an identifier. */
const deallocate = (name: string) => `DEALLOCATE "${name.replaceAll('"', '""')}"`;

class PooledClient extends pg.Client {
  readonly #prepared: PreparedStatements;

  constructor(config: pg.ClientConfig & { maxPreparedStatements?: number } = {}) {
    super(config);
    this.#prepared = new PreparedStatements(config.maxPreparedStatements ?? DEFAULT_MAX_PREPARED_STATEMENTS);
  }

  /** Releases `name` on the server, then lets node-postgres prepare it again when it comes back. */
  async #release(name: string): Promise<void> {
    const { parsedStatements } = (this as unknown as { connection: PreparedRecord }).connection;
    try {
      await super.query(deallocate(name));
      delete parsedStatements[name];
    } catch {
      // Still prepared (the connection broke, say): node-postgres keeps reusing it, never preparing it twice.
    }
  }

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

  /** Sends one statement, releasing the prepared statements its name pushed out of the bound first. */
  // biome-ignore lint/suspicious/noExplicitAny: as query().
  #send(config: any, rest: any[]): any {
    const named = withUniqueName(config);
    // A Submittable (a cursor) is answered by what query() returns at once: it passes untracked.
    const stale =
      typeof named?.name === 'string' && typeof named.submit !== 'function'
        ? this.#prepared.use(named.name, this as unknown as pg.Client & TransactionStatus)
        : [];
    if (stale.length === 0) return this.#run(named, rest);
    // One statement at a time on a connection (node-postgres deprecates queueing): the evicted
    // statements are released first, then the query runs, answering its callback or its promise.
    const released = stale.reduce<Promise<void>>(
      (previous, name) => previous.then(() => this.#release(name)),
      Promise.resolve(),
    );
    const callback: ((error: unknown) => void) | undefined =
      rest.find((argument) => typeof argument === 'function') ?? named.callback;
    const result = released.then(() => this.#run(named, rest));
    if (!callback) return result;
    // A query node-postgres refuses at once (it throws) reaches the callback, as it would have.
    result.catch((error: unknown) => callback(error));
    return undefined;
  }

  // biome-ignore lint/suspicious/noExplicitAny: as query().
  #run(config: any, rest: any[]): any {
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
    const result = super.query(config, ...rest);
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

export function createPostgresPool(
  url: string,
  poolSize: number,
  connectTimeoutMs: number,
  maxPreparedStatements = DEFAULT_MAX_PREPARED_STATEMENTS,
): PostgresPool {
  // pg-pool hands its whole configuration to each client it creates, `maxPreparedStatements` too.
  const config: pg.PoolConfig & { maxPreparedStatements: number } = {
    connectionString: url,
    Client: PooledClient,
    maxPreparedStatements,
    max: poolSize,
    // node-postgres waits forever by default; a request should fail fast while the database is away.
    connectionTimeoutMillis: connectTimeoutMs,
    // Connections are replaced every half hour, so what the backends accumulate is let go too.
    maxLifetimeSeconds: 1800,
    // PostgreSQL's JIT compiles a statement with many subqueries (a filter of 24 relation filters)
    // for seconds, and a cancel waits for it to finish: 7.1 s of 7.8 s for such a filter, which
    // runs in 1.3 s without it. A URL that sets `options` replaces this.
    options: '-c jit=off',
  };
  const pool = new Pool(config);
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
