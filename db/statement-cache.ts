/**
 * Statements prepared once per database handle and reused: no SQL is built again, and PostgreSQL keeps
 * them parsed. Keyed by what determines the SQL and its bound values (a field, or list arguments);
 * bounded per database handle, least recently used first out, so a stream of distinct query shapes
 * (orderBy combinations, filters) cannot grow memory. The cache holds statements, never rows.
 */
import { BoundedCache } from './bounded-cache.ts';
import type { Database } from './client.ts';

/**
 * A statement prepared with Drizzle's `.prepare()`, typed by the rows it returns and the placeholder
 * values it takes (Drizzle's own prepared-query types differ per driver).
 */
export interface PreparedStatement<T, V extends Record<string, unknown> = Record<string, never>> {
  execute(values?: V): Promise<T>;
}

/** Statements kept per database handle, over every model and relation. */
export const STATEMENT_CACHE_LIMIT = 1000;
/** Arguments longer than this (a huge filter value) are not worth keeping. */
const LONGEST_KEY = 4000;

const byDatabase = new WeakMap<Database, BoundedCache<string, unknown>>();
/** A number per owner, so one cache holds every owner's statements apart. */
const ownerIds = new WeakMap<object, number>();
let lastOwnerId = 0;

function ownerId(owner: object): number {
  let id = ownerIds.get(owner);
  if (id === undefined) {
    lastOwnerId += 1;
    id = lastOwnerId;
    ownerIds.set(owner, id);
  }
  return id;
}

function cacheOf(db: Database): BoundedCache<string, unknown> {
  let cache = byDatabase.get(db);
  if (!cache) {
    cache = new BoundedCache(STATEMENT_CACHE_LIMIT);
    byDatabase.set(db, cache);
  }
  return cache;
}

/**
 * The statement `prepare` builds for `owner` (a model's table, a relation: what the SQL is about,
 * so servers sharing a connection never share statements) and `key`, prepared on first use.
 */
export function cachedStatement<T>(db: Database, owner: object, key: string, prepare: () => T): T {
  if (key.length > LONGEST_KEY) return prepare();
  return cacheOf(db).getOrSet(`${ownerId(owner)}\u0000${key}`, prepare) as T;
}

/** How many statements are kept for `db` (at most `STATEMENT_CACHE_LIMIT`). */
export function cachedStatements(db: Database): number {
  return byDatabase.get(db)?.size ?? 0;
}
