/** Medians of the rounds, and bench/RESULTS.md with the machine, versions and date. */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { LoadResult } from './load.ts';
import type { ServerKind } from './server-process.ts';

export interface Sample extends LoadResult {
  readonly kind: ServerKind;
  readonly query: string;
  readonly round: number;
  /** Server CPU milliseconds per request. */
  readonly cpuMs: number;
  /** SQL statements per request counted by pg_stat_statements, or NaN when it is not available. */
  readonly statements: number;
  readonly peakRssMiB: number;
}

export interface Row {
  readonly kind: ServerKind;
  readonly query: string;
  readonly requestsPerSecond: number;
  readonly ratio: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMs: number;
  readonly statements: number;
  readonly peakRssMiB: number;
  readonly errors: number;
}

const median = (values: number[]) => {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** One row per server and query: medians over rounds; the ratio is the median of each round's ratio to floor. */
export function summarise(samples: readonly Sample[]): Row[] {
  const rows: Row[] = [];
  const keys = [...new Set(samples.map((sample) => `${sample.query}\u0000${sample.kind}`))];
  for (const key of keys) {
    const [query = '', kind] = key.split('\u0000') as [string, ServerKind];
    const mine = samples.filter((sample) => sample.query === query && sample.kind === kind);
    const ratios = mine.map((sample) => {
      const floor = samples.find(
        (other) => other.kind === 'floor' && other.query === query && other.round === sample.round,
      );
      return floor ? sample.requestsPerSecond / floor.requestsPerSecond : Number.NaN;
    });
    const of = (pick: (sample: Sample) => number) => median(mine.map(pick));
    rows.push({
      kind,
      query,
      requestsPerSecond: of((sample) => sample.requestsPerSecond),
      ratio: median(ratios),
      p50: of((sample) => sample.p50),
      p99: of((sample) => sample.p99),
      cpuMs: of((sample) => sample.cpuMs),
      statements: of((sample) => sample.statements),
      peakRssMiB: Math.max(...mine.map((sample) => sample.peakRssMiB)),
      errors: mine.reduce((sum, sample) => sum + sample.errors, 0),
    });
  }
  return rows;
}

const fixed = (value: number, digits: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));

export function table(rows: readonly Row[]): string {
  const lines = [
    '| query | server | req/s | ratio to floor | p50 ms | p99 ms | statements/req | CPU ms/req | peak RSS MiB | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.query} | ${row.kind} | ${fixed(row.requestsPerSecond, 0)} | ${fixed(row.ratio, 2)} | ${fixed(row.p50, 1)} | ${fixed(row.p99, 1)} | ${fixed(row.statements, 2)} | ${fixed(row.cpuMs, 2)} | ${fixed(row.peakRssMiB, 0)} | ${row.errors} |`,
    );
  }
  return lines.join('\n');
}

export async function writeResults(
  file: string,
  rows: readonly Row[],
  scaling: readonly Row[],
  settings: string,
): Promise<void> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const versions = ['graphql', 'graphql-yoga', 'graphql-jit', 'dataloader', 'drizzle-orm', 'pg']
    .map((name) => `${name} ${pkg.dependencies[name]}`)
    .join(', ');
  const cpu = cpus();
  const text = `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString()}.

- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}.
- Packages: ${versions}.
- ${settings}

Ratios compare req/s with the \`floor\` server of the same round (one hand-written SQL statement per
query building the whole JSON), the median over rounds; absolute numbers on a shared 2-core machine
drift by ±15%, ratios far less.

## Q1–Q4

${table(rows)}

## Scaling (Q1 at 10, 100 and 1,000 users per request)

${table(scaling)}
`;
  await writeFile(file, text);
}
