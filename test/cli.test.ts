/**
 * The command line, spawned through the npm scripts as a person runs it: every command's --help, the
 * errors for bad arguments (exit 2), and what migrate, seed, schema:print, diagram, pull and
 * migrations:generate do — migrate and seed on both drivers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../diagram/diagram-model.ts';
import { renderMermaid } from '../diagram/render-mermaid.ts';
import { buildRelationGraph } from '../index.ts';
import { demoModels } from '../models/index.ts';
import { runCommandLine, runScript, startServerProcess } from './support/cli.ts';
import { createTestDatabase, drivers, type TestDatabase } from './support/databases.ts';
import { findFreePort } from './support/local-postgres.ts';

const COMMANDS = ['start', 'migrate', 'migrations:generate', 'seed', 'schema:print', 'diagram', 'pull'];

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'relgraph-cli-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('--help', () => {
  it.each(COMMANDS)('npm run %s -- --help prints its usage and options and exits 0', async (name) => {
    const { code, stdout, stderr } = await runScript(name, ['--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const invocation = name === 'start' ? 'npm start' : `npm run ${name}`;
    expect(stdout).toMatch(new RegExp(`^Usage: ${invocation} -- \\[options\\]\n`));
    expect(stdout).toContain('  --help ');
  });

  it('lists the options a command takes, with their defaults', async () => {
    const { stdout } = await runScript('start', ['-h']);
    expect(stdout).toMatch(/--port <n> +Port to listen on, 0 for any free one \(default: \$PORT or 4000\)\./);
    expect(stdout).toMatch(/--host <address> +Address to listen on/);
  });

  it('keeps npm run db:generate as another name of migrations:generate', async () => {
    const { code, stdout } = await runScript('db:generate', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Write the next migration in db/migrations');
  });
});

describe('bad arguments exit 2 with a message that says what to do', () => {
  const cases: Array<[string, string, string[], RegExp]> = [
    [
      'an unknown option, with a suggestion',
      'start',
      ['--prot', '5000'],
      /unknown option "--prot"; start takes "--port", "--host", "--help"\. Did you mean "--port" or "--host"\?/,
    ],
    [
      'an option without its value',
      'schema:print',
      ['--output'],
      /option "--output" needs a value: --output <file>\./,
    ],
    [
      'an option whose value is another option',
      'start',
      ['--port', '--host', '0.0.0.0'],
      /option "--port" needs a value: --port <n>\./,
    ],
    [
      'a value of the wrong type',
      'start',
      ['--port', 'eighty'],
      /option "--port" must be an integer from 0 to 65535; received "eighty"\./,
    ],
    [
      'a number out of range',
      'start',
      ['--port', '70000'],
      /option "--port" must be an integer from 0 to 65535; received "70000"\./,
    ],
    [
      'a value that is not one of the choices',
      'diagram',
      ['--format', 'svgz'],
      /option "--format" must be one of "svg", "mermaid"; received "svgz"\. Did you mean "svg"\?/,
    ],
    [
      'a value for a flag',
      'schema:print',
      ['--check=yes'],
      /option "--check" takes no value: give it alone, as --check\./,
    ],
    ['an unexpected argument', 'seed', ['lots'], /unexpected argument "lots"; seed takes options only/],
    [
      'a migration name with spaces',
      'migrations:generate',
      ['--name', 'add nickname'],
      /option "--name" must be lowercase letters, digits and _ only; received "add nickname"\./,
    ],
    [
      '--check with standard output',
      'schema:print',
      ['--check', '--output', '-'],
      /option "--check" compares a file/,
    ],
  ];

  it.each(cases)('%s', async (_, name, args, message) => {
    const { code, stdout, stderr } = await runScript(name, args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    const invocation = name === 'start' ? 'npm start' : `npm run ${name}`;
    expect(stderr).toContain(`Run \`${invocation} -- --help\` for its options.`);
  });

  it('names the commands for an unknown one, with a suggestion', async () => {
    const { code, stderr } = await runCommandLine(['seeed']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'relgraph: unknown command "seeed"; use one of start, migrate, migrations:generate, seed, schema:print, diagram, pull. Did you mean "seed"?',
    );
  });

  it('lists every command for --help', async () => {
    const { code, stdout } = await runCommandLine(['--help']);
    expect(code).toBe(0);
    for (const name of COMMANDS)
      expect(stdout).toContain(name === 'start' ? 'npm start ' : `npm run ${name} `);
  });
});

describe('schema:print', () => {
  const committed = () => readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

  it('writes the schema file, and --check accepts it', async () => {
    const file = join(folder, 'schema.graphql');
    const written = await runScript('schema:print', ['--output', file]);
    expect(written).toMatchObject({ code: 0, stderr: '' });
    expect(written.stdout).toContain('relgraph: wrote ');
    expect(readFileSync(file, 'utf8')).toBe(committed());
    const check = await runScript('schema:print', ['--check', '--output', file]);
    expect(check).toMatchObject({ code: 0, stderr: '' });
    expect(check.stdout).toContain('matches the models');
  });

  it('--check fails with exit 1 when the file differs, and writes nothing', async () => {
    const file = join(folder, 'stale.graphql');
    await writeFile(file, 'type Query { stale: Boolean }\n');
    const check = await runScript('schema:print', ['--check', '--output', file]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('differs from the models; run `npm run schema:print`');
    expect(readFileSync(file, 'utf8')).toBe('type Query { stale: Boolean }\n');
  });

  it('prints to standard output with --output -', async () => {
    const { code, stdout } = await runScript('schema:print', ['--output', '-']);
    expect(code).toBe(0);
    expect(stdout).toBe(committed());
  });
});

describe('diagram', () => {
  it('writes Mermaid for a .mmd file and SVG by default', async () => {
    const mermaid = join(folder, 'models.mmd');
    expect((await runScript('diagram', ['--output', mermaid])).code).toBe(0);
    expect(readFileSync(mermaid, 'utf8')).toBe(renderMermaid(buildDiagram(buildRelationGraph(demoModels))));
    const svg = join(folder, 'nested', 'models.svg');
    expect((await runScript('diagram', ['--output', svg])).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toBe(
      readFileSync(new URL('../docs/models.svg', import.meta.url), 'utf8'),
    );
  });
});

describe('migrations:generate', () => {
  it('writes nothing while the migrations match the models', async () => {
    const migrations = new URL('../db/migrations', import.meta.url);
    const before = readdirSync(migrations);
    const { code, stdout } = await runScript('migrations:generate');
    expect(code).toBe(0);
    expect(stdout).toContain('relgraph: the migrations already match the models');
    expect(readdirSync(migrations)).toEqual(before);
  });
});

describe.each(drivers)('migrate and seed on %s', (driver) => {
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    if (driver === 'postgres') {
      database = await createTestDatabase('postgres');
      env = { DATABASE_URL: database.url ?? '' };
    } else {
      env = { RELGRAPH_DATA_DIR: join(folder, 'data') };
    }
  });
  afterAll(() => database?.drop());

  const where = driver === 'postgres' ? 'PostgreSQL' : 'embedded PGlite in ';

  it('migrate applies the migrations, and a second run is fine', { timeout: 120_000 }, async () => {
    for (let run = 0; run < 2; run++) {
      const { code, stdout, stderr } = await runScript('migrate', [], env);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`relgraph: ${where}`);
      expect(stdout).toContain('is up to date with db/migrations');
    }
  });

  it('seed fills the empty database, then leaves it as it is', { timeout: 120_000 }, async () => {
    const first = await runScript('seed', [], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/relgraph: seeded .* with 1000 users/);
    const second = await runScript('seed', [], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already has 1000 users; nothing seeded/);
  });

  it('start serves the seeded database on the port and host its options give', {
    timeout: 120_000,
  }, async () => {
    const port = await findFreePort();
    const server = await startServerProcess({ ...env, PORT: '1', HOST: '192.0.2.1' }, [
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ]);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}/graphql`);
      expect(server.output).not.toContain('seeding');
      expect(server.output).toContain(`relationship diagram at http://127.0.0.1:${port}/diagram`);
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users { totalCount } }' }),
      });
      expect(await response.json()).toMatchObject({ data: { users: { totalCount: 1000 } } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('pull', () => {
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    env = { DATABASE_URL: database.url ?? '' };
    await database.connection
      .database()
      .execute(
        sql`create table notes (id integer generated by default as identity primary key, body text not null)`,
      );
  });
  afterAll(() => database?.drop());

  it('exits 2 and names both ways to give the database when none is given', async () => {
    const { code, stderr } = await runScript('pull', ['--out', join(folder, 'none')]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'relgraph pull: needs a PostgreSQL database to read: pass --database-url postgres://user:password@host:5432/db, or set DATABASE_URL.',
    );
    expect(existsSync(join(folder, 'none'))).toBe(false);
  });

  it('exits 1 in one line, with the reason and the fix, when the database cannot be read', async () => {
    const url = `postgres://postgres:secret@127.0.0.1:${await findFreePort()}/legacy`;
    const { code, stderr } = await runScript('pull', ['--database-url', url, '--out', join(folder, 'none')]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `relgraph pull: cannot read the database "legacy" at ${new URL(url).host}: connect ECONNREFUSED ${new URL(url).host}; check that PostgreSQL runs there and that the URL is right.\n`,
    );
  });

  it('writes the models into --out, and exits 1 without replacing a file it did not write', async () => {
    const out = join(folder, 'pulled');
    const first = await runScript('pull', ['--out', out], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `relgraph: pulled 1 model(s) from schema "public" into ${out} (2 file(s) changed)\n`,
    );
    expect(await readFile(join(out, 'note.ts'), 'utf8')).toContain("export const Note = model('Note', {");

    await writeFile(join(out, 'index.ts'), 'export const models = [];\n');
    const refused = await runScript('pull', ['--out', out], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      expect.stringContaining(
        `"${join(out, 'index.ts')}" is not. Move it away, choose another --out, or pass --force`,
      ),
    ]);
    expect(await readFile(join(out, 'index.ts'), 'utf8')).toBe('export const models = [];\n');

    const forced = await runScript('pull', ['--out', out, '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('(1 file(s) changed)');
  });
});

describe('a database that cannot be used', () => {
  it('exits 1 with the reason for a DATABASE_URL that is not PostgreSQL', async () => {
    const { code, stderr } = await runScript('migrate', [], { DATABASE_URL: 'mysql://localhost/db' });
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('exits 1 with the reason when nothing listens at DATABASE_URL', async () => {
    const url = `postgres://postgres@127.0.0.1:${await findFreePort()}/postgres`;
    const { code, stderr } = await runScript('seed', [], { DATABASE_URL: url });
    expect(code).toBe(1);
    expect(stderr).toContain(`caused by: connect ECONNREFUSED 127.0.0.1:${new URL(url).port}`);
    expect(stderr).toContain('The database at DATABASE_URL cannot be reached');
  });
});
