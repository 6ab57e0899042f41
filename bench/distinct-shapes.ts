/**
 * Memory under a stream of distinct query shapes (issue 14, item 2): runs `SHAPES` distinct
 * `orderBy` queries against a server over a PostgreSQL pool of 10 connections, and prints the
 * server's RSS, the backends' memory (`pg_backend_memory_contexts`, their RSS from /proc when the
 * server is local) and the statements each connection keeps prepared, before and after.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55440/postgres node --expose-gc --import tsx bench/distinct-shapes.ts [shapes]
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import postgres from 'postgres';
import { demoModels } from '../models/index.ts';
import { seedDemo } from '../models/seed.ts';
import { createServer } from '../server/create-server.ts';
import { queryShapes } from '../test/support/query-shapes.ts';

const SHAPES = Number(process.argv[2] ?? 6000);
const queries = queryShapes.slice(0, SHAPES);

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('Set DATABASE_URL to a PostgreSQL server this may create a database on.');
  const name = `relgraph_shapes_${process.pid}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const api = await createServer({ models: demoModels, databaseUrl: url.toString(), poolSize: 10 });
  try {
    await seedDemo(api.connection.database(), api.tables, 100);
    const pool = (api.connection.shared as unknown as { $client: pg.Pool }).$client;

    /** Each connection's prepared statements, backend memory and RSS; all 10 connections opened. */
    const backends = async () => {
      const clients = await Promise.all(Array.from({ length: 10 }, () => pool.connect()));
      try {
        return await Promise.all(
          clients.map(async (client) => {
            const { rows } = await client.query(`select
              (select count(*)::int from pg_prepared_statements) as prepared,
              (select sum(total_bytes)::bigint from pg_backend_memory_contexts) as bytes,
              pg_backend_pid() as pid`);
            const row = rows[0] as { prepared: number; bytes: string; pid: number };
            const status = await readFile(`/proc/${row.pid}/status`, 'utf8').catch(() => '');
            const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
            return { prepared: row.prepared, bytes: Number(row.bytes), rss };
          }),
        );
      } finally {
        for (const client of clients) client.release();
      }
    };
    const report = async (when: string) => {
      globalThis.gc?.();
      const all = await backends();
      const sum = (pick: (b: (typeof all)[number]) => number) => all.reduce((total, b) => total + pick(b), 0);
      console.log(
        `${when}: server RSS ${megabytes(process.memoryUsage().rss)}, heap ${megabytes(process.memoryUsage().heapUsed)}; ` +
          `10 backends: memory contexts ${megabytes(sum((b) => b.bytes))}, RSS ${megabytes(sum((b) => b.rss))}; ` +
          `prepared per connection max ${Math.max(...all.map((b) => b.prepared))}`,
      );
    };
    const run = async (query: string) => {
      const response = await api.yoga.fetch('http://relgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
    };
    await run(queries[0] as string);
    await report('before');
    const started = performance.now();
    for (let start = 0; start < queries.length; start += 20)
      await Promise.all(queries.slice(start, start + 20).map(run));
    console.log(
      `${queries.length} distinct shapes in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    await report('after');
  } finally {
    await api.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
