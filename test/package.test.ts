/**
 * relgraph as a user gets it: `npm pack` of this repository (its `prepack` compiles dist/), the
 * tarball installed with `npm install` into a scratch project in a temporary folder outside the
 * repository, so nothing resolves to the repository's node_modules. One install serves every case:
 * what the tarball holds, its dependencies, a plain Node ESM consumer on both drivers, a TypeScript
 * consumer under `tsc --init`'s strict defaults, and the Docker image's command on the compiled demo.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, ROOT, type ScriptResult } from './support/cli.ts';
import { createTestDatabase, drivers, type TestDatabase } from './support/databases.ts';
import { importsOf, packageOf, typeImportsOf } from './support/imports.ts';
import { findFreePort } from './support/local-postgres.ts';

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts?: Record<string, string>;
}

const repoPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/**
 * The environment of a child: ours without the settings that would change what it does — the
 * database, the port, NODE_PATH (a way back to the repository's modules) and the per-script npm_*
 * variables of an enclosing `npm test` (its cache and registry are kept: one shared npm cache).
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const kept = !name.startsWith('npm_') || ['npm_config_cache', 'npm_config_registry'].includes(name);
    if (kept && !['DATABASE_URL', 'NODE_PATH', 'PORT', 'HOST', 'NODE_ENV'].includes(name)) {
      result[name] = value;
    }
  }
  return { ...result, LOG_LEVEL: 'silent', ...env };
}

/** Runs `command` in `cwd` to its end, at most `timeout` ms (then it is killed). */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
  timeout = 120_000,
): Promise<ScriptResult> {
  const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  return finished(child, timeout);
}

/** Fails with everything the command printed, so a broken install or build explains itself. */
function succeeded(result: ScriptResult, what: string): ScriptResult {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

// The consumers: what a user writes in a new project, with models of their own (a one-to-one, a
// one-to-many, a cycle of relations, a legacy table and column).

const SERVER_JS = `import { belongsTo, createServer, field, hasMany, hasOne, model } from 'relgraph';

const Author = model('Author', {
  fields: { id: field.id(), name: field.string() },
  relations: { passport: hasOne(() => Passport), books: hasMany(() => Book) },
});
const Passport = model('Passport', {
  fields: { id: field.id(), number: field.string({ unique: true }) },
  relations: { author: belongsTo(() => Author) },
});
const Book = model('Book', {
  table: 'legacy_books',
  fields: { id: field.id(), title: field.string({ column: 'book_title' }) },
  relations: { author: belongsTo(() => Author) },
});

const server = await createServer({ models: [Author, Passport, Book], databaseUrl: process.env.DATABASE_URL });
const url = await server.listen(0);
const post = async (query) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json();
};
const created = await post(\`mutation {
  createAuthor(input: { name: "Ada", passport: { create: { number: "P-1" } }, books: { create: [{ title: "Notes" }, { title: "Letters" }] } }) {
    id name passport { number } books { nodes { title } }
  }
}\`);
const read = await post('{ authors { nodes { name passport { number } books(orderBy: [{ title: ASC }]) { nodes { title } } } } }');
console.log(JSON.stringify({ created, read }));
await server.close();
`;

const MODELS_TS = `import { belongsTo, field, hasMany, hasOne, type Model, model, type Row } from 'relgraph';

export const Author = model('Author', {
  description: 'A person who writes books.',
  fields: {
    id: field.id(),
    name: field.string({ minLength: 1, maxLength: 200 }),
    email: field.string({ unique: true, optional: true }),
    createdAt: field.datetime({ default: 'now' }),
  },
  relations: {
    passport: hasOne((): Model => Passport),
    books: hasMany((): Model => Book),
  },
  access: { read: ({ viewer }) => viewer !== null || { email: { eq: null } } },
});

export const Passport = model('Passport', {
  fields: { id: field.id({ type: 'uuid' }), number: field.string({ unique: true }) },
  relations: { author: belongsTo(() => Author, { onDelete: 'cascade' }) },
});

export const Book = model('Book', {
  table: 'legacy_books',
  fields: {
    id: field.id({ type: 'bigint' }),
    title: field.string({ column: 'book_title' }),
    status: field.enum(['draft', 'published']),
    pages: field.int({ optional: true }),
  },
  relations: {
    author: belongsTo(() => Author, { optional: true }),
    tags: hasMany((): Model => Tag),
  },
});

export const Tag = model('Tag', {
  fields: { id: field.id(), name: field.string() },
  relations: { book: belongsTo(() => Book) },
});

export type AuthorRow = Row<typeof Author>;
export type BookRow = Row<typeof Book>;

export const models: readonly Model[] = [Author, Passport, Book, Tag];
export const book: BookRow = { id: 1n, title: 'Notes', status: 'draft', pages: null, authorId: null };
// @ts-expect-error a Row is typed: a title is a string (an unused expectation fails if Row is any)
export const wrong: BookRow = { id: 1n, title: 42, status: 'draft', pages: null, authorId: null };
`;

const SERVER_TS = `import { buildRelationGraph, createServer, factory, type RelgraphServer, type ServerOptions, unauthenticated } from 'relgraph';
import { Author, type AuthorRow, book, models } from './models.js';

// Exported values whose types are inferred: each must be nameable from 'relgraph' (TS2883 otherwise).
export const graph = buildRelationGraph(models);
export const authors = factory(Author).with('books', 2);

const options: ServerOptions = {
  models,
  databaseUrl: process.env.DATABASE_URL,
  prepare: 'push',
  graphiql: true,
  authenticate: async (request) => {
    const key = request.headers.get('x-api-key');
    if (key === 'expired') throw unauthenticated('The key has expired; ask for a new one.');
    return key ? { id: key } : null;
  },
};
export const server: RelgraphServer = await createServer(options);
export const greeting = (author: AuthorRow): string => \`\${author.name} wrote \${book.title}\`;
console.log(await server.listen(Number(process.env.PORT ?? 4000)));
`;

let folder: string;
let project: string;
let packed: { files: Array<{ path: string }> };
let installed: ScriptResult;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'relgraph-package-'));
  // `npm pack` runs `prepack` (npm run build) here, as `npm publish` would.
  const pack = succeeded(
    await run('npm', ['pack', '--json', '--pack-destination', folder], ROOT, {}, 300_000),
    'npm pack',
  );
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<typeof packed>)[0] ?? {
    files: [],
  };
  const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
  project = join(folder, 'project');
  await mkdir(project);
  // A new project as `npm init` leaves it, ESM; esbuild (drizzle-kit's) needs no install script.
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'my-app', private: true, type: 'module', allowScripts: { esbuild: false } }),
  );
  installed = succeeded(
    await run(
      'npm',
      [
        'install',
        join(folder, tarball ?? 'missing.tgz'),
        `typescript@${repoPackage.devDependencies.typescript}`,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      project,
      {},
      300_000,
    ),
    'npm install',
  );
}, 600_000);

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('the tarball', () => {
  it('holds dist/, the README and package.json: no sources, tests, benchmarks, docs or PNGs', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('README.md');
    expect(paths.filter((path) => !path.startsWith('dist/'))).toEqual(['README.md', 'package.json'].sort());
    expect(paths.filter((path) => /^dist\/(test|bench)\/|\.png$|\.ts$(?<!\.d\.ts)/.test(path))).toEqual([]);
  });

  it('runs no install script, and installing it prints no install-scripts warning', () => {
    const scripts = (
      JSON.parse(readFileSync(join(project, 'node_modules/relgraph/package.json'), 'utf8')) as PackageJson
    ).scripts;
    for (const name of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(scripts ?? {}).not.toHaveProperty(name);
    }
    expect(`${installed.stdout}\n${installed.stderr}`).not.toMatch(/install-scripts|allow-scripts/);
  });

  it('depends on exactly the packages its compiled JavaScript imports, and the types its .d.ts need', () => {
    const dist = join(project, 'node_modules/relgraph/dist');
    const runtime = new Set<string>();
    const types = new Set<string>();
    for (const file of filesUnder(dist)) {
      const text = readFileSync(join(dist, file), 'utf8');
      if (file.endsWith('.d.ts'))
        for (const name of typeImportsOf(text).map(packageOf)) name && types.add(name);
      else if (file.endsWith('.js'))
        for (const name of importsOf(text).map(packageOf)) name && runtime.add(name);
    }
    // A package the .d.ts name that ships no types of its own is typed by its @types/ package (pg).
    const untyped = [...types].filter((name) => {
      const folder = join(project, 'node_modules', name);
      const manifest = readFileSync(join(folder, 'package.json'), 'utf8');
      return !/"(types|typings)"|\.d\.ts"/.test(manifest) && !existsSync(join(folder, 'index.d.ts'));
    });
    expect(runtime.size).toBeGreaterThan(10);
    expect(Object.keys(repoPackage.dependencies).sort()).toEqual(
      [...runtime, ...untyped.map((name) => `@types/${name}`)].sort(),
    );
    expect(Object.keys(repoPackage.dependencies)).toContain('@types/pg');
    expect(Object.keys(repoPackage.dependencies)).not.toContain('tsx');
  });
});

describe.each(drivers)('a plain Node ESM JavaScript consumer on %s', (driver) => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (driver === 'postgres') database = await createTestDatabase('postgres');
  });
  afterAll(() => database?.drop());

  it('imports relgraph, serves its own models and answers a nested create and a query through every relation', async () => {
    await writeFile(join(project, 'server.js'), SERVER_JS);
    const env: Record<string, string> = database?.url ? { DATABASE_URL: database.url } : {};
    const { stdout } = succeeded(await run(process.execPath, ['server.js'], project, env), 'node server.js');
    const { created, read } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(created).toEqual({
      data: {
        createAuthor: {
          id: '1',
          name: 'Ada',
          passport: { number: 'P-1' },
          books: { nodes: [{ title: 'Notes' }, { title: 'Letters' }] },
        },
      },
      extensions: { sql: { statements: expect.any(Number) } },
    });
    // One statement per level: authors, then their passports and their books.
    expect(read).toEqual({
      data: {
        authors: {
          nodes: [
            {
              name: 'Ada',
              passport: { number: 'P-1' },
              books: { nodes: [{ title: 'Letters' }, { title: 'Notes' }] },
            },
          ],
        },
      },
      extensions: { sql: { statements: 3 } },
    });
  }, 180_000);
});

describe('a TypeScript consumer', () => {
  it('type-checks its models (a cycle, Row types, a legacy table) and createServer options with zero errors under tsc --init, strict', async () => {
    succeeded(await run('npx', ['--no-install', 'tsc', '--init'], project), 'tsc --init');
    const config = readFileSync(join(project, 'tsconfig.json'), 'utf8');
    expect(config).toMatch(/^\s*"strict": true/m);
    expect(config).toMatch(/^\s*"exactOptionalPropertyTypes": true/m);
    expect(config).toMatch(/^\s*"declaration": true/m); // what makes an unnameable type an error (TS2883)
    await writeFile(join(project, 'models.ts'), MODELS_TS);
    await writeFile(join(project, 'server.ts'), SERVER_TS);
    const { stdout, code } = await run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'], project);
    expect(stdout).toBe('');
    expect(code).toBe(0);
  }, 180_000);
});

describe("the Docker image's command", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.drop());

  it('starts the compiled demo (dist/server/main.js, no tsx): migrations from dist/, a query, SIGTERM', async () => {
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '[]';
    const [program, ...args] = JSON.parse(cmd) as string[];
    expect(program).toBe('node');
    expect(args.join(' ')).not.toContain('tsx');
    const port = await findFreePort();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: childEnv({ DATABASE_URL: database.url ?? '', PORT: String(port), NODE_ENV: 'production' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = finished(child, 120_000);
    try {
      const url = `http://127.0.0.1:${port}`;
      let health = 0;
      for (let attempt = 0; attempt < 600 && health !== 200 && child.exitCode === null; attempt += 1) {
        health = await fetch(`${url}/health`).then(
          (response) => response.status,
          () => 0,
        );
        if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health).toBe(200);
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users(first: 2) { nodes { name posts { totalCount } } } }' }),
      });
      const body = (await response.json()) as { data?: { users: { nodes: unknown[] } } };
      expect(body.data?.users.nodes).toHaveLength(2);
    } finally {
      child.kill('SIGTERM');
    }
    const { code, stderr } = await exited;
    expect(stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Cannot find module/);
    expect(code).toBe(0);
  }, 180_000);
});
