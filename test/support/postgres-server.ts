/**
 * Vitest globalSetup: gives every test file a PostgreSQL server URL through `inject('databaseUrl')`.
 *
 * TEST_DATABASE_URL wins when set (CI, or a developer's own server). Otherwise a throwaway cluster
 * is started on a free loopback port and deleted in teardown, so `npm test` needs no setup beyond
 * the PostgreSQL server binaries. Tests may create and drop databases on the server they receive.
 */
import { execFile as execFileCallback } from 'node:child_process';
import { access, appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const execFile = promisify(execFileCallback);

// initdb refuses to run as root, so as root every server command runs as the `postgres` user.
const asRoot = process.getuid?.() === 0;

function runServerCommand(bin: string, args: string[]) {
  return asRoot ? execFile('runuser', ['-u', 'postgres', '--', bin, ...args]) : execFile(bin, args);
}

/** The folder holding initdb and pg_ctl: pg_config's answer, else the newest Debian-style install. */
async function findBinDir(): Promise<string | undefined> {
  const candidates: string[] = [];
  try {
    candidates.push((await execFile('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // No pg_config on PATH: the Debian layout below is the common alternative.
  }
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  versions.sort((a, b) => Number(b) - Number(a));
  candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  for (const dir of candidates) {
    try {
      await access(join(dir, 'initdb'));
      return dir;
    } catch {
      // Client-only install (pg_config also ships with libpq-dev): try the next candidate.
    }
  }
  return undefined;
}

/** An unused loopback port; the short race until postgres binds it is acceptable for tests. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a private cluster and returns its URL and a function that stops and deletes it. */
async function startThrowawayServer(binDir: string) {
  const root = await mkdtemp(join(tmpdir(), 'relgraph-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const pgCtl = join(binDir, 'pg_ctl');
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    if (asRoot) await execFile('chown', ['postgres:', root]);
    // --no-sync: nothing here must survive a crash, so initdb need not wait for the disk.
    await runServerCommand(join(binDir, 'initdb'), [
      `--pgdata=${dataDir}`,
      '--username=postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    const port = await findFreePort();
    // Settings go in the config file rather than `pg_ctl -o`, which passes them through a shell.
    // Loopback TCP only, no Unix socket (no folder to own); durability off because the data is disposable.
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        'max_connections = 200',
        'fsync = off',
        'full_page_writes = off',
        'synchronous_commit = off',
        '',
      ].join('\n'),
    );
    await runServerCommand(pgCtl, ['-D', dataDir, '-l', logFile, '-w', 'start']).catch(async (error) => {
      const log = await readFile(logFile, 'utf8').catch(() => '(no server log)');
      throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}.\n${error.message}\n${log}`);
    });
    const stop = async () => {
      await runServerCommand(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      await remove();
    };
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    // Vitest runs no teardown when setup throws, so remove what this attempt created.
    await remove();
    throw error;
  }
}

export async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return;
  }
  const binDir = await findBinDir();
  if (!binDir) {
    throw new Error(
      'The tests need PostgreSQL, but no server binaries (initdb, pg_ctl) were found via pg_config ' +
        'or in /usr/lib/postgresql/*/bin. Either set TEST_DATABASE_URL to a PostgreSQL server the ' +
        'tests may create databases on (e.g. postgres://postgres@127.0.0.1:5432/postgres), or install ' +
        'PostgreSQL (apt-get install postgresql).',
    );
  }
  const server = await startThrowawayServer(binDir);
  project.provide('databaseUrl', server.url);
  return server.stop;
}
