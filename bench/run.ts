/**
 * `npm run bench`: builds the dataset in a private PostgreSQL, checks that every server answers every
 * query identically, then loads each server in turn and writes bench/RESULTS.md.
 * Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP (2), BENCH_DATABASE_URL (a server to use).
 */
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { connectDatabase } from '../db/client.ts';
import { findBinDir, startThrowawayServer } from '../test/support/local-postgres.ts';
import { createDataset } from './dataset.ts';
import { load } from './load.ts';
import { type BenchQuery, q1, queries } from './queries.ts';
import { type Row, type Sample, summarise, table, writeResults } from './report.ts';
import { type ServerKind, startServer } from './server-process.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const KINDS: readonly ServerKind[] = ['floor', 'naive', 'relgraph'];
const PORT = 4700;
const scalingQueries = [q1(10), q1(100), q1(1000)];

/** JSON with object keys sorted, so equal answers compare equal as text. */
function normalise(value: unknown): string {
  const sort = (item: unknown): unknown =>
    Array.isArray(item)
      ? item.map(sort)
      : item && typeof item === 'object'
        ? Object.fromEntries(
            Object.entries(item)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sort(v)]),
          )
        : item;
  return JSON.stringify(sort(value));
}

async function post(url: string, query: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.text();
}

/** Each server's exact answer text per query, as checked: the load compares every answer with it. */
type Answers = Map<string, string>;
const answerKey = (kind: ServerKind, query: BenchQuery) => `${kind}\u0000${query.graphql}`;

/** Every server must answer every query exactly as the floor does before anything is timed. */
async function checkResponses(databaseUrl: string): Promise<Answers> {
  const answers: Answers = new Map();
  const expected = new Map<string, string>();
  for (const kind of KINDS) {
    const server = await startServer(kind, databaseUrl, PORT);
    try {
      for (const query of [...queries, ...scalingQueries]) {
        const text = await post(server.url, query.graphql);
        answers.set(answerKey(kind, query), text);
        const answer = normalise(JSON.parse(text));
        if (answer.includes('"errors"'))
          throw new Error(`${kind} answered ${query.name} with errors: ${answer.slice(0, 500)}`);
        const floor = expected.get(query.graphql);
        if (floor === undefined) expected.set(query.graphql, answer);
        else if (floor !== answer) {
          throw new Error(
            `${kind} answered ${query.name} differently from floor:\n  floor: ${floor.slice(0, 300)}\n  ${kind}: ${answer.slice(0, 300)}`,
          );
        }
      }
    } finally {
      await server.stop();
    }
    console.log(`bench: ${kind} answers all ${queries.length + scalingQueries.length} queries like floor`);
  }
  return answers;
}

async function measure(
  databaseUrl: string,
  stats: postgres.Sql | undefined,
  kinds: readonly ServerKind[],
  list: readonly BenchQuery[],
  rounds: number,
  answers: Answers,
) {
  const samples: Sample[] = [];
  const count = async () => {
    if (!stats) return Number.NaN;
    const [row] = await stats`select coalesce(sum(calls), 0)::int as calls from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database()) and query not ilike '%pg_stat_statements%'`;
    return Number(row?.calls);
  };
  for (let round = 1; round <= rounds; round++) {
    for (const kind of kinds) {
      const server = await startServer(kind, databaseUrl, PORT);
      for (const query of list) {
        const expected = answers.get(answerKey(kind, query)) ?? '';
        await load(server.url, query.graphql, expected, WARMUP);
        const before = { cpu: await server.cpuSeconds(), statements: await count() };
        const result = await load(server.url, query.graphql, expected, SECONDS);
        const cpu = (await server.cpuSeconds()) - before.cpu;
        const statements = (await count()) - before.statements;
        samples.push({
          ...result,
          kind,
          query: query.name,
          round,
          cpuMs: (cpu * 1000) / Math.max(result.requests, 1),
          statements: statements / Math.max(result.requests, 1),
          peakRssMiB: await server.peakRssMiB(),
        });
        console.log(
          `bench: round ${round} ${kind} ${query.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99} ms, ${result.errors} failed`,
        );
      }
      await server.stop();
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const started = Date.now();
  let server = process.env.BENCH_DATABASE_URL;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!server) {
    const binDir = await findBinDir();
    if (!binDir)
      throw new Error('bench: no PostgreSQL binaries; install postgresql or set BENCH_DATABASE_URL.');
    const local = await startThrowawayServer(binDir, [
      "shared_preload_libraries = 'pg_stat_statements'",
      'shared_buffers = 256MB',
    ]);
    server = local.url;
    stopPostgres = local.stop;
  }
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe('drop database if exists relgraph_bench with (force)');
    await admin.unsafe('create database relgraph_bench');
    const url = new URL(server);
    url.pathname = '/relgraph_bench';
    const databaseUrl = url.toString();
    const connection = await connectDatabase({ url: databaseUrl });
    await createDataset(connection.database());
    await connection.close();
    console.log(`bench: dataset ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const stats = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const available = await stats`create extension if not exists pg_stat_statements`.then(
      () => true,
      () => false,
    );
    const answers = await checkResponses(databaseUrl);
    const samples = await measure(
      databaseUrl,
      available ? stats : undefined,
      KINDS,
      queries,
      ROUNDS,
      answers,
    );
    const scalingSamples = await measure(
      databaseUrl,
      available ? stats : undefined,
      ['floor', 'relgraph'],
      scalingQueries,
      1,
      answers,
    );
    await stats.end();
    const rows: Row[] = summarise(samples);
    const scaling: Row[] = summarise(scalingSamples);
    const settings = `${ROUNDS} rounds; per server and query ${WARMUP} s warm-up then ${SECONDS} s measured; 20 connections; pool of 10 connections per server; scaling 1 round.`;
    await writeResults(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), rows, scaling, settings);
    console.log(
      `\n${table(rows)}\n\n${table(scaling)}\n\nbench: wrote bench/RESULTS.md in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await admin.unsafe('drop database if exists relgraph_bench with (force)').catch(() => undefined);
    await admin.end();
    await stopPostgres?.();
  }
}

await main();
