/**
 * `npm run seed` with factory rows: what it adds to the configured database on both drivers, its
 * progress output, its refusals of bad options, and the command as a real process giving the rows the
 * factory gives. The demo data without options is covered with the other commands in cli.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandOptions, parseCommandArgs, UsageError } from '../../cli/command.ts';
import { runSeed, seed as seedCommand } from '../../cli/seed.ts';
import { readSeedRequest } from '../../cli/seed-request.ts';
import type { Driver } from '../../db/client.ts';
import { buildRelationGraph, factory } from '../../index.ts';
import { demoModels, Post } from '../../models/index.ts';
import { createServer, type RelgraphServer } from '../../server/create-server.ts';
import { runScript } from '../support/cli.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../support/databases.ts';
import { linkProblems } from '../support/link-integrity.ts';
import { rowCounts, rowsOf } from '../support/row-counts.ts';

function optionsOf(argv: readonly string[]): CommandOptions {
  const options = parseCommandArgs(seedCommand, argv);
  if (!options) throw new Error(`${argv.join(' ')} asks for --help`);
  return options;
}

/** Runs the command in this process, printing to a fake terminal or pipe; resolves with what it printed. */
async function seed(argv: readonly string[], env: NodeJS.ProcessEnv, isTTY = false): Promise<string> {
  const chunks: string[] = [];
  await runSeed(optionsOf(argv), { env, out: { isTTY, write: (text: string) => chunks.push(text) } });
  return chunks.join('');
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
    const out = await seed(['--users', '40'], env);
    expect(out).toContain('creating 40 User rows with phone, profile, address');
    const lines = out.split('\n').filter((line) => /^relgraph: \d+% /.test(line));
    expect(lines.at(-1)).toMatch(/^relgraph: 100% 161\/161 rows \(\d+\.\d s\)$/);
    expect(out).toContain(
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
    const out = await seed(
      ['--model', 'Post', '--count=30', '--with', 'author.phone', '--seed', '9'],
      env,
      true,
    );
    expect(out).toContain('creating 30 Post rows with author.phone');
    expect(out).toMatch(/\r█{30} 100% {2}91\/91 rows {2}\d+\.\d s\n/);
    await readBack(async (server) => {
      expect(await rowCounts(server)).toMatchObject({ User: 70, Phone: 70, Post: 30, Role: 2 });
      const emails = (await rowsOf(server, 'User')).map((user) => user.email);
      expect(new Set(emails).size).toBe(70);
      expect(await linkProblems(server)).toEqual([]);
    });
  });

  it('without options leaves a database that has users as it is', async () => {
    const out = await seed([], env);
    expect(out).toMatch(/already has 70 users; nothing seeded \(add rows with --users <n>/);
    await readBack(async (server) => {
      expect(await rowCounts(server)).toMatchObject({ User: 70, Post: 30 });
    });
  });
});

describe('npm run seed options', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'relgraph-seed-args-'));
    env = { RELGRAPH_DATA_DIR: join(folder, 'data') };
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('reads --with given more than once, with counts and nested relations, into one tree', () => {
    const request = readSeedRequest(
      optionsOf(['--model', 'User', '--count', '2', '--with', 'phone,posts:2', '--with', 'posts.author']),
      buildRelationGraph(demoModels),
    );
    expect(request?.model.name).toBe('User');
    expect(request?.count).toBe(2);
    expect(request?.seed).toBe(1);
    const posts = request?.relations.get('posts');
    expect([...(request?.relations.keys() ?? [])]).toEqual(['phone', 'posts']);
    expect(posts?.count).toBe(2);
    expect([...(posts?.nested.keys() ?? [])]).toEqual(['author']);
  });

  it.each([
    [['--users', '10', '--verbose'], 'unknown option "--verbose"; seed takes "--users", "--model"'],
    [['--users'], 'option "--users" needs a value: --users <n>.'],
    [['--users', '0'], 'option "--users" must be an integer from 1 to 1000000; received "0".'],
    [
      ['--model', 'User', '--count', 'many'],
      'option "--count" must be an integer from 1 to 1000000; received "many".',
    ],
    [
      ['--users', '5', '--model', 'Post'],
      'option "--users" is short for --model User --count <n>; give one or the other.',
    ],
    [['--count', '5'], 'say what to create: --users <n>, or --model <name> with --count <n>.'],
    [['--model', 'Post'], 'say what to create: --users <n>, or --model <name> with --count <n>.'],
    [
      ['--with', 'phone'],
      'options "--with" and "--seed" shape the rows of --users <n> or --model <name> --count <n>',
    ],
    [
      ['--model', 'Usr', '--count', '5'],
      'option "--model" must be one of "User", "Phone", "Profile", "Address", "Role", "Post"; received "Usr". Did you mean "User"?',
    ],
    [
      ['--users', '5', '--with', 'post'],
      'option "--with": User has no relation "post". Did you mean "posts"?',
    ],
    [
      ['--model', 'Post', '--count', '5', '--with', 'author.phone:2'],
      'option "--with": the count of "phone" must be an integer from 0 to 1; received "2".',
    ],
    [['--users', '5', '--seed', '1', '--seed', '2'], 'option "--seed" was given 2 times; give it once.'],
    [
      ['--users', '300000'],
      'that makes 1,200,000 rows, and one run makes at most 1,000,000 (they are planned in memory first)',
    ],
  ])('refuses %j with a message, opening no database', async (argv, message) => {
    const error = await seed(argv, env).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
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

  it('writes the rows the same factory call writes in this process: same seed, same rows', {
    timeout: 120_000,
  }, async () => {
    const dataDir = join(folder, 'data');
    const { code, stdout, stderr } = await runScript(
      'seed',
      ['--model', 'Post', '--count', '20', '--with', 'author', '--seed', '5'],
      { RELGRAPH_DATA_DIR: dataDir },
      90_000,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^relgraph: 100% 41\/41 rows \(\d+\.\d s\)$/m);
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

  it('prints its options for --help and exits 2 for a bad one, opening no database either way', async () => {
    const dataDir = join(folder, 'unused');
    const help = await runScript('seed', ['--help'], { RELGRAPH_DATA_DIR: dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      '--model <name>      The model to make rows of: User, Phone, Profile, Address, Role, Post.',
    );
    const failure = await runScript('seed', ['--users', 'lots'], { RELGRAPH_DATA_DIR: dataDir });
    expect(failure.code).toBe(2);
    expect(failure.stdout).toBe('');
    expect(failure.stderr).toContain(
      'option "--users" must be an integer from 1 to 1000000; received "lots".',
    );
    expect(failure.stderr).toContain('Run `npm run seed -- --help` for its options.');
    expect(existsSync(dataDir)).toBe(false);
  });
});
