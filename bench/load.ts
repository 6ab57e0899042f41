/** Load from a separate process (bench/load-runner.ts): autocannon, 20 connections, answers checked. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('./load-runner.ts', import.meta.url));

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Failed requests: errors, timeouts, non-2xx statuses and answers that differ from the expected one. */
  readonly errors: number;
}

/** Sends `query` as fast as 20 connections allow for `seconds`; every answer must equal `expected`. */
export async function load(
  url: string,
  query: string,
  expected: string,
  seconds: number,
  connections = 20,
): Promise<LoadResult> {
  const folder = await mkdtemp(join(tmpdir(), 'relgraph-load-'));
  try {
    const config = join(folder, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ url, body: JSON.stringify({ query }), expected, seconds, connections }),
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', RUNNER, config], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const result = JSON.parse(stdout) as {
      requests: { total: number };
      latency: { p50: number; p99: number };
      errors: number;
      non2xx: number;
      timeouts: number;
      mismatches: number;
    };
    return {
      requests: result.requests.total,
      requestsPerSecond: result.requests.total / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx + result.timeouts + result.mismatches,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
