/**
 * A map that keeps at most `limit` entries, the least recently used going first: what every
 * per-process cache keyed by a query's shape uses (prepared statements, compiled documents, compiled
 * filters), so a stream of distinct queries cannot grow memory without bound.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  /** The most entries kept. */
  readonly limit: number;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  /**
   * `limit`: the most entries kept (at least 1). `onEvict`: told of each entry pushed out by a newer
   * one (not of `delete`), to release what it holds elsewhere; default none.
   */
  constructor(limit: number, onEvict?: (key: K, value: V) => void) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`A cache's limit must be a positive integer; received ${limit}.`);
    this.limit = limit;
    this.#onEvict = onEvict;
  }

  /** How many entries are kept now (never more than `limit`). */
  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `key`, which becomes the most recently used; `undefined` when there is none. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // A Map iterates in insertion order: re-inserted, the key is last, its first key the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Keeps `value` for `key` as the most recently used, pushing out the least recently used past `limit`. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.limit) {
      const [oldest, old] = this.#entries.entries().next().value as [K, V];
      this.#entries.delete(oldest);
      this.#onEvict?.(oldest, old);
    }
  }

  /** The entry for `key`, made by `make` (and kept) when there is none. */
  getOrSet(key: K, make: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    this.set(key, value);
    return value;
  }

  /** Forgets `key` without telling `onEvict`. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** The entries' values, least recently used first. */
  values(): IterableIterator<V> {
    return this.#entries.values();
  }
}
