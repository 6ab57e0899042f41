/**
 * A private PostgreSQL cluster on a free loopback port, for the tests and the benchmark: initdb into a
 * temporary folder, start, and a `stop` that stops and deletes it; `halt` and `restart` take it away
 * and bring it back on the same data and port (database-fault tests). As root it runs as `postgres`.
 */
import { execFile as execFileCallback } from 'node:child_process';
import { access, appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFile = promisify(execFileCallback);

// initdb refuses to run as root, so as root every server command runs as the `postgres` user.
const asRoot = process.getuid?.() === 0;

function runServerCommand(bin: string, args: string[]) {
  return asRoot ? execFile('runuser', ['-u', 'postgres', '--', bin, ...args]) : execFile(bin, args);
}

/** The folder holding initdb and pg_ctl: pg_config's answer, else the newest Debian-style install. */
export async function findBinDir(): Promise<string | undefined> {
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

/** An unused loopback port; the short race until a server binds it is acceptable for tests. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a private cluster (with extra `postgresql.conf` lines, which win over the defaults below). */
export async function startThrowawayServer(binDir: string, settings: readonly string[] = []) {
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
        ...settings,
        '',
      ].join('\n'),
    );
    const start = async () => {
      await runServerCommand(pgCtl, ['-D', dataDir, '-l', logFile, '-w', 'start']).catch(async (error) => {
        const log = await readFile(logFile, 'utf8').catch(() => '(no server log)');
        throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}.\n${error.message}\n${log}`);
      });
    };
    const halt = async (mode: 'fast' | 'immediate') => {
      await runServerCommand(pgCtl, ['-D', dataDir, '-m', mode, '-w', 'stop']);
    };
    await start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      /** Stops the server and keeps its data: `immediate` is as abrupt as a crash, `fast` a clean shutdown. */
      halt,
      /** Starts it again on the same data and port. */
      restart: start,
      /** Stops the server (unless halted) and deletes it. */
      async stop() {
        await halt('fast').catch(() => {
          // Already halted: nothing runs, so only the folder is left to remove.
        });
        await remove();
      },
    };
  } catch (error) {
    // Vitest runs no teardown when setup throws, so remove what this attempt created.
    await remove();
    throw error;
  }
}
