/**
 * `npm run seed`: the rows it adds to the configured database on both drivers, its progress output,
 * its refusals of bad arguments, and the command as a real process giving the rows the factory gives.
 */
import { execFile as execFileCallback } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../db/client.ts';
import { factory } from '../index.ts';
import { demoModels, Post } from '../models/index.ts';
import { runSeed } from '../server/commands/seed.ts';
import { createServer, type RelgraphServer } from '../server/create-server.ts';
import { createTestDatabase, drivers, type TestDatabase } from './support/databases.ts';
import { linkProblems } from './support/link-integrity.ts';
import { rowCounts, rowsOf } from './support/row-counts.ts';

const execFile = promisify(execFileCallback);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEED_SCRIPT = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { seed: string };
  }
).scripts.seed;

/** Output written to a fake terminal or pipe. */
function capture(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

async function seed(argv: string[], env: NodeJS.ProcessEnv, isTTY = false) {
  const out = capture(isTTY);
  const err = capture();
  const status = await runSeed(argv, { env, out, err });
  return { status, out: out.text(), err: err.text() };
}

/** A server on the database the command wrote, touching nothing (prepare: 'none'), to read it back. */
const reader = (env: NodeJS.ProcessEnv) =>
  createServer({
    models: demoModels,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.RELGRAPH_DATA_DIR,
    prepare: 'none',
  });

describe.each(drivers)('npm run seed on %s', (driver: Driver) => {
  let folder: string;
  let database: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'relgraph-seed-'));
    if (driver === 'postgres') database = await createTestDatabase('postgres');
    env = database ? { DATABASE_URL: database.url } : { RELGRAPH_DATA_DIR: join(folder, 'data') };
  });
  afterAll(async () => {
    await database?.drop();
    await rm(folder, { recursive: true, force: true });
  });

  async function readBack<T>(read: (server: RelgraphServer) => Promise<T>): Promise<T> {
    const server = await reader(env);
    try {
      return await read(server);
    } finally {
      await server.close();
    }
  }

  it('migrates an empty database and adds users with a phone, a profile and an address each', async () => {
    const result = await seed(['--users', '40'], env);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).toContain('creating 40 User rows with phone, profile, address');
    const lines = result.out.split('\n').filter((line) => /^relgraph: \d+% /.test(line));
    expect(lines.at(-1)).toMatch(/^relgraph: 100% 161\/161 rows \(\d+\.\d s\)$/);
    expect(result.out).toContain(
      'rows now in the database: User 40, Phone 40, Profile 40, Address 40, Role 1, Post 0',
    );
    await readBack(async (server) => {
      expect(await rowCounts(server)).toEqual({
        User: 40,
        Phone: 40,
        Profile: 40,
        Address: 40,
        Role: 1,
        Post: 0,
      });
      expect(await linkProblems(server)).toEqual([]);
    });
  });

  it('adds to a database seeded before without repeating a unique value, drawing a bar on a terminal', async () => {
    const result = await seed(
      ['--model', 'Post', '--count=30', '--with', 'author.phone', '--seed', '9'],
      env,
      true,
    );
    expect(result.status).toBe(0);
    expect(result.out).toContain('creating 30 Post rows with author.phone');
    expect(result.out).toMatch(/\r█{30} 100% {2}91\/91 rows {2}\d+\.\d s\n/);
    await readBack(async (server) => {
      expect(await rowCounts(server)).toMatchObject({ User: 70, Phone: 70, Post: 30, Role: 2 });
      const emails = (await rowsOf(server, 'User')).map((user) => user.email);
      expect(new Set(emails).size).toBe(70);
      expect(await linkProblems(server)).toEqual([]);
    });
  });
});

describe('npm run seed arguments', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'relgraph-seed-args-'));
    env = { RELGRAPH_DATA_DIR: join(folder, 'data') };
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('prints the options for --help and opens no database', async () => {
    const result = await seed(['--help'], env);
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/^Usage: npm run seed -- \[options\]/);
    expect(result.out).toContain(
      '--model NAME       the model to create rows of: User, Phone, Profile, Address, Role, Post',
    );
    expect(existsSync(join(folder, 'data'))).toBe(false);
  });

  it.each([
    [['--users', '10', '--verbose'], 'unknown argument "--verbose".'],
    [['--users'], '--users needs a value.'],
    [['--users', '0'], '--users takes a whole number from 1 to 1,000,000; received "0".'],
    [
      ['--model', 'User', '--count', 'many'],
      '--count takes a whole number from 1 to 1,000,000; received "many".',
    ],
    [
      ['--users', '5', '--model', 'Post'],
      '--users is short for --model User --count N; give one or the other.',
    ],
    [['--count', '5'], 'say what to create: --users N, or --model NAME --count N.'],
    [['--model', 'Usr', '--count', '5'], '--model: there is no model "Usr". Did you mean "User"?'],
    [['--users', '5', '--with', 'post'], '--with: User has no relation "post". Did you mean "posts"?'],
    [
      ['--model', 'Post', '--count', '5', '--with', 'author.phone:2'],
      '--with phone: takes a whole number from 0 to 1',
    ],
    [['--users', '5', '--seed', '1', '--seed', '2'], '--seed was given 2 times.'],
    [
      ['--users', '300000'],
      'that makes 1,200,000 rows, and one run makes at most 1,000,000 (they are planned in memory first)',
    ],
  ])('refuses %j with exit status 2 and a message, opening no database', async (argv, message) => {
    const result = await seed(argv, env);
    expect(result.status).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
    expect(result.err).toContain('npm run seed -- --help');
    expect(existsSync(join(folder, 'data'))).toBe(false);
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL', async () => {
    await expect(seed(['--users', '1'], { DATABASE_URL: 'mysql://x' })).rejects.toThrow(
      /DATABASE_URL must be a postgres:\/\//,
    );
  });
});

describe('npm run seed as a real process', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'relgraph-seed-process-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  /** Exactly the command `npm run seed` runs (package.json), with this Node for `node`. */
  function runProcess(args: string[], dataDir: string) {
    const [, ...scriptArgs] = SEED_SCRIPT.split(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, RELGRAPH_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    return execFile(process.execPath, [...scriptArgs, ...args], { cwd: ROOT, env, timeout: 90_000 });
  }

  it('writes the rows the same factory call writes in this process: same seed, same rows', {
    timeout: 120_000,
  }, async () => {
    const dataDir = join(folder, 'data');
    const { stdout } = await runProcess(
      ['--model', 'Post', '--count', '20', '--with', 'author', '--seed', '5'],
      dataDir,
    );
    expect(stdout).toContain('relgraph: done in');
    const fromProcess = await reader({ RELGRAPH_DATA_DIR: dataDir });
    const here = await createServer({ models: demoModels });
    try {
      await factory(Post).seed(5).with('author').createMany(here, 20);
      for (const model of ['Post', 'User', 'Role']) {
        expect(await rowsOf(fromProcess, model)).toEqual(await rowsOf(here, model));
      }
    } finally {
      await Promise.all([fromProcess.close(), here.close()]);
    }
  });

  it('exits with status 2 and the message on stderr for a bad argument', async () => {
    const failure = await runProcess(['--users', 'lots'], join(folder, 'unused')).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('--users takes a whole number from 1 to 1,000,000; received "lots".');
  });
});
