/**
 * A stream of distinct query shapes (here, `orderBy` combinations) cannot grow memory without bound:
 * each PostgreSQL connection keeps at most `maxPreparedStatements` statements prepared (the least
 * recently used deallocated), and every per-process cache keyed by a query's shape stays within its
 * limit — while every answer stays right, evicted shapes included.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedCache } from '../../db/bounded-cache.ts';
import { DEFAULT_MAX_PREPARED_STATEMENTS } from '../../db/postgres-pool.ts';
import { cachedStatements, STATEMENT_CACHE_LIMIT } from '../../db/statement-cache.ts';
import { demoModels } from '../../models/index.ts';
import { createDocumentCache, DOCUMENTS_KEPT, LONGEST_KEPT } from '../../server/document-cache.ts';
import { COMPILED_DOCUMENTS_LIMIT, compiledDocuments } from '../../server/use-compiled-execution.ts';
import { queryShapes } from '../support/query-shapes.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

const STREAMED = 1400;
const PARALLEL = 8;

describe('BoundedCache', () => {
  it('keeps the most recently used entries up to its limit and tells what it pushes out', () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, number>(2, (key) => evicted.push(key));
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.size, evicted, cache.get('b'), [...cache.values()]]).toEqual([2, ['b'], undefined, [1, 3]]);
    expect(cache.getOrSet('d', () => 4)).toBe(4);
    expect(evicted).toEqual(['b', 'a']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow("A cache's limit must be a positive integer; received 0.");
  });
});

describe('the parsed-document cache', () => {
  it(`keeps at most ${DOCUMENTS_KEPT} documents, none whose text is over ${LONGEST_KEPT} characters`, () => {
    const cache = createDocumentCache<number>();
    // A megabyte of comment costs no token: such a text is parsed each time, never kept.
    const padded = `${'#'.repeat(1024 * 1024)}\n{ users { totalCount } }`;
    cache.set(padded, 1);
    expect(cache.get(padded)).toBeUndefined();
    const texts = Array.from({ length: DOCUMENTS_KEPT + 1 }, (_, i) => `{ user(id: ${i}) { id } }`);
    for (const [i, text] of texts.entries()) cache.set(text, i);
    expect([cache.get(texts[0] as string), cache.get(texts[1] as string)]).toEqual([undefined, 1]);
  });
});

describe('a stream of distinct query shapes on postgres', () => {
  let api: TestServer;
  let pool: pg.Pool;

  /** The statements each pooled connection has prepared, as PostgreSQL counts them. */
  async function preparedPerConnection(): Promise<number[]> {
    const clients = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    try {
      return await Promise.all(
        clients.map(async (client) => {
          const { rows } = await client.query('select count(*)::int as n from pg_prepared_statements');
          return (rows[0] as { n: number }).n;
        }),
      );
    } finally {
      for (const client of clients) client.release();
    }
  }

  /** Runs `queries`, `PARALLEL` at a time, and returns their answers in order. */
  async function run(queries: readonly string[]): Promise<GraphQLResponse[]> {
    const answers: GraphQLResponse[] = [];
    for (let start = 0; start < queries.length; start += PARALLEL) {
      const batch = queries.slice(start, start + PARALLEL);
      answers.push(...(await Promise.all(batch.map((query) => api.query(query)))));
    }
    return answers;
  }

  beforeAll(async () => {
    api = await startTestServer('postgres', demoModels, { seed: demoSeed(12) });
    pool = (api.server.connection.shared as unknown as { $client: pg.Pool }).$client;
  });
  afterAll(() => api?.close());

  it('parses a long padded document each time instead of keeping it', async () => {
    const count = () => compiledDocuments(api.server.schema);
    const short = '{ users(first: 1) { totalCount } }';
    const padded = `${'#'.repeat(LONGEST_KEPT)}\n${short}`;
    const before = count();
    for (const query of [short, short, padded, padded])
      expect((await api.query(query)).errors).toBeUndefined();
    // The short text is one document compiled once; each padded one is parsed (and compiled) anew.
    expect(count() - before).toBe(3);
  });

  it(`keeps at most ${DEFAULT_MAX_PREPARED_STATEMENTS} statements prepared per connection over ${STREAMED} shapes, every answer right`, async () => {
    expect(queryShapes.length).toBe(new Set(queryShapes).size);
    const shapes = queryShapes
      .filter((_, i) => i % Math.floor(queryShapes.length / STREAMED) === 0)
      .slice(0, STREAMED);
    expect(shapes).toHaveLength(STREAMED);
    const first = await run(shapes);
    for (const answer of first) {
      expect(answer.errors).toBeUndefined();
      expect((answer.data?.users ?? answer.data?.posts) as { nodes: unknown[] }).toMatchObject({
        nodes: expect.any(Array),
      });
    }
    const prepared = await preparedPerConnection();
    // Every connection served its share of the stream (about 350 shapes), yet kept only the bound.
    expect(prepared.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(DEFAULT_MAX_PREPARED_STATEMENTS);
    for (const count of prepared) expect(count).toBeLessThanOrEqual(DEFAULT_MAX_PREPARED_STATEMENTS);
    expect(cachedStatements(api.server.connection.shared)).toBeLessThanOrEqual(STATEMENT_CACHE_LIMIT);
    expect(compiledDocuments(api.server.schema)).toBeLessThanOrEqual(COMPILED_DOCUMENTS_LIMIT);
    // The oldest shapes were evicted everywhere: run again, prepared anew, they answer the same.
    const again = shapes.slice(0, 200);
    expect(await run(again)).toEqual(first.slice(0, 200));
    for (const count of await preparedPerConnection())
      expect(count).toBeLessThanOrEqual(DEFAULT_MAX_PREPARED_STATEMENTS);
  });

  it('releases an evicted statement after a failed transaction, not inside it', async () => {
    const client = await pool.connect();
    try {
      const named = (n: number) => ({ name: `shape_${n}`, text: `select ${n} as n` });
      for (let n = 0; n < DEFAULT_MAX_PREPARED_STATEMENTS; n++) await client.query(named(n));
      await client.query('begin');
      await expect(client.query('select 1/0')).rejects.toThrow('division by zero');
      // A new statement in the failed transaction fails as any would, and releases nothing yet.
      await expect(client.query(named(-1))).rejects.toThrow('current transaction is aborted');
      // shape_0, evicted by shape_-1, comes back before its release: it stays prepared; shape_1 goes.
      await expect(client.query(named(0))).rejects.toThrow('current transaction is aborted');
      await client.query('rollback');
      // The next statement releases what was evicted first; shape_0 still answers.
      expect((await client.query(named(-2))).rows).toEqual([{ n: -2 }]);
      expect((await client.query(named(0))).rows).toEqual([{ n: 0 }]);
      const { rows } = await client.query('select name from pg_prepared_statements');
      const names = new Set(rows.map((row: { name: string }) => /^shape_-?\d+/.exec(row.name)?.[0]));
      // shape_1 and shape_2 were pushed out by shape_0's return and by shape_-2; shape_-1 never parsed.
      expect([...names].sort()).toEqual(
        ['shape_-2', 'shape_0', ...Array.from({ length: 253 }, (_, i) => `shape_${i + 3}`)].sort(),
      );
    } finally {
      client.release();
    }
  });
});
