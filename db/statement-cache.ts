/**
 * Statements prepared once per database handle and reused: no SQL is built again, and PostgreSQL keeps
 * them parsed. Keyed by what determines the SQL and its bound values (a field, or list arguments);
 * bounded, least recently used first out. The cache holds statements, never rows.
 */
import type { Database } from './client.ts';

/**
 * A statement prepared with Drizzle's `.prepare()`, typed by the rows it returns and the placeholder
 * values it takes (Drizzle's own prepared-query types differ per driver).
 */
export interface PreparedStatement<T, V extends Record<string, unknown> = Record<string, never>> {
  execute(values?: V): Promise<T>;
}

const LIMIT = 1000;
/** Arguments longer than this (a huge filter value) are not worth keeping. */
const LONGEST_KEY = 4000;

const byDatabase = new WeakMap<Database, WeakMap<object, Map<string, unknown>>>();

/**
 * The statement `prepare` builds for `owner` (a model's table, a relation: what the SQL is about,
 * so servers sharing a connection never share statements) and `key`, prepared on first use.
 */
export function cachedStatement<T>(db: Database, owner: object, key: string, prepare: () => T): T {
  if (key.length > LONGEST_KEY) return prepare();
  let owners = byDatabase.get(db);
  if (!owners) {
    owners = new WeakMap();
    byDatabase.set(db, owners);
  }
  let cache = owners.get(owner);
  if (!cache) {
    cache = new Map();
    owners.set(owner, cache);
  }
  const hit = cache.get(key) as T | undefined;
  if (hit !== undefined) {
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const statement = prepare();
  cache.set(key, statement);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value as string);
  return statement;
}
