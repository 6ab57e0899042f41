/**
 * The per-request loader registry: one DataLoader per (model, field, one|many), created on first use.
 * Never shared between requests, so no request sees rows cached for another.
 */
import DataLoader from 'dataloader';
import type { RequestAccess } from '../access/request-access.ts';
import type { Database } from '../db/client.ts';
import { keyOf, parseKey } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { modelTable, type Tables } from '../db/tables.ts';
import type { ModelSelection } from '../query/selected-fields.ts';
import type { GraphField, GraphModel } from '../schema/graph.ts';
import { loadRowsByKeys } from './load-rows.ts';

export interface Loaders {
  /**
   * The row of `field.model` whose `field` (unique) equals `key`, or `null`; at once (no promise) when
   * the request has already read it, and without a statement for a null key.
   */
  one(field: GraphField, key: unknown): Row | null | Promise<Row | null>;
  /** The rows of `field.model` whose `field` equals `key`, by primary key; a null key runs nothing. */
  many(field: GraphField, key: unknown): Promise<Row[]>;
  /** Caches rows in the primary-key and unique-field loaders of their model (walking back costs nothing). */
  prime(model: GraphModel, rows: readonly Row[]): void;
  /**
   * Something of this request built once per `id` (a query compiled for one set of list arguments,
   * with its loaders), so every parent asking the same shares one batch.
   */
  memo<T>(id: string, create: () => T): T;
  /** Forgets every cached row: after a write, reads see the database as it is now. */
  clear(): void;
}

/**
 * The key in the form rows carry (`"007"` → `"7"`, upper-case uuids lower-cased), or `null` for a null
 * key or one that no row can have, so neither runs a statement.
 */
function canonicalKey(field: GraphField, key: unknown): string | null {
  if (key === null || key === undefined) return null;
  // Hot path: integer keys straight from rows (every relation of every row comes through here).
  if (
    typeof key === 'number' &&
    Number.isSafeInteger(key) &&
    (field.keyType === 'integer' || field.keyType === 'bigint')
  ) {
    return String(key);
  }
  const parsed = parseKey(field, key instanceof Date ? key.toISOString() : key);
  return 'key' in parsed ? parsed.key : null;
}

/**
 * Creates the loaders of one request over `db`. With `access`, every statement of a model with rules
 * reads only what the request's viewer may read; `wanted` tells the fields of each model the request
 * reads (undefined: every column).
 */
export function createLoaders(
  db: Database,
  tables: Tables,
  access?: RequestAccess,
  wanted: (model: GraphModel) => ModelSelection | undefined = () => undefined,
): Loaders {
  // Every row this request has read, by unique field and key (null: known to be missing or not
  // readable), so a lookup of a row already seen answers at once, without a promise or a statement.
  // Every row got here through a statement under this request's rules for its model, and one
  // viewer's rules hold for the whole request, so a row in `seen` is readable wherever it is asked
  // for; writes clear it, since they can change what a rule lets through.
  const seen = new Map<GraphField, Map<string, Row | null>>();
  const unique = new Map<GraphField, DataLoader<string, Row | null>>();
  const grouped = new Map<GraphField, DataLoader<string, Row[]>>();
  const memos = new Map<string, unknown>();

  const tableOf = (field: GraphField) => modelTable(tables, field.model);

  const seenBy = (field: GraphField) => {
    let rows = seen.get(field);
    if (!rows) {
      rows = new Map();
      seen.set(field, rows);
    }
    return rows;
  };

  const prime = (model: GraphModel, rows: readonly Row[]) => {
    for (const field of model.uniqueFields) {
      const byKey = seenBy(field);
      for (const row of rows) {
        const key = keyOf(row[field.name]);
        if (key !== null && !byKey.get(key)) byKey.set(key, row);
      }
    }
  };

  const uniqueLoader = (field: GraphField) => {
    let loader = unique.get(field);
    if (!loader) {
      const table = tableOf(field);
      // No DataLoader cache: `seen` keeps the answers, one map instead of a promise per key.
      loader = new DataLoader(
        async (keys) => {
          const byKey = await loadRowsByKeys(db, table, field, keys, access, wanted(table.model));
          const rows = keys.map((key) => byKey.get(key)?.[0] ?? null);
          const misses = seenBy(field);
          for (const [i, key] of keys.entries()) if (!rows[i]) misses.set(key, null);
          prime(
            table.model,
            rows.filter((row) => row !== null),
          );
          return rows;
        },
        { cache: false },
      );
      unique.set(field, loader);
    }
    return loader;
  };

  const groupedLoader = (field: GraphField) => {
    let loader = grouped.get(field);
    if (!loader) {
      const table = tableOf(field);
      loader = new DataLoader(async (keys) => {
        const byKey = await loadRowsByKeys(db, table, field, keys, access, wanted(table.model));
        const groups = keys.map((key) => byKey.get(key) ?? []);
        prime(table.model, groups.flat());
        return groups;
      });
      grouped.set(field, loader);
    }
    return loader;
  };

  return {
    one(field, key) {
      const normalised = canonicalKey(field, key);
      if (normalised === null) return null;
      const known = seen.get(field)?.get(normalised);
      return known !== undefined ? known : uniqueLoader(field).load(normalised);
    },
    many(field, key) {
      const normalised = canonicalKey(field, key);
      return normalised === null ? Promise.resolve([]) : groupedLoader(field).load(normalised);
    },
    prime,
    memo<T>(id: string, create: () => T): T {
      if (!memos.has(id)) memos.set(id, create());
      return memos.get(id) as T;
    },
    clear() {
      seen.clear();
      unique.clear();
      grouped.clear();
      memos.clear();
    },
  };
}
