/**
 * One process at a time in an embedded data folder: a seed, migrate or second start on the folder a
 * running `npm start` holds is refused in one line naming that process (a seed used to report rows
 * that the server then overwrote), a lock left by a process that is gone is taken over, and a start
 * on a port in use says so in one line before it opens any database. Real CLI processes throughout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../db/client.ts';
import { LOCK_FILE } from '../db/data-dir-lock.ts';
import { DataDirInUseError } from '../index.ts';
import { runScript, startServerProcess } from './support/cli.ts';
import { findFreePort } from './support/local-postgres.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'relgraph-lock-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const holderOf = (dataDir: string) =>
  JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as {
    pid: number;
    command: string;
    url?: string;
  };

async function totalUsers(url: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ users { totalCount } }' }),
  });
  return ((await response.json()) as { data?: { users: { totalCount: number } } }).data?.users.totalCount;
}

describe('the lock of an embedded data folder, in one process', () => {
  it('refuses a second open of a folder that is open, and allows it once closed', async () => {
    const dataDir = join(folder, 'in-process');
    const first = await connectDatabase({ dataDir });
    try {
      expect(holderOf(dataDir).pid).toBe(process.pid);
      const second = connectDatabase({ dataDir });
      await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(second).rejects.toThrow(`"${dataDir}" is open in this process`);
    } finally {
      await first.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const again = await connectDatabase({ dataDir });
    await again.close();
  });

  it('takes over a lock whose process is gone, and one this pid left in an earlier life', async () => {
    const dataDir = join(folder, 'stale');
    await mkdir(dataDir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    for (const pid of [gone, process.pid]) {
      writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid, command: 'node server/main.ts start' }));
      const connection = await connectDatabase({ dataDir });
      expect(holderOf(dataDir).pid).toBe(process.pid);
      await connection.close();
    }
  });
});

describe('npm start holding an embedded data folder', () => {
  it('refuses seed, migrate and a second start on it in one line naming the server; the seed then adds what it says', {
    timeout: 240_000,
  }, async () => {
    const dataDir = join(folder, 'data');
    const env = { RELGRAPH_DATA_DIR: dataDir };
    const server = await startServerProcess(env);
    let stopped = false;
    try {
      expect(holderOf(dataDir)).toMatchObject({ url: server.url, command: expect.stringContaining('start') });
      const refusals = await Promise.all([
        runScript('seed', ['--model', 'User', '--count', '50'], env),
        runScript('migrate', [], env),
        runScript('start', ['--port', String(await findFreePort())], env),
      ]);
      for (const { code, stdout, stderr } of refusals) {
        expect(code).toBe(1);
        expect(stdout).toBe('');
        expect(stderr.trimEnd().split('\n')).toEqual([
          expect.stringMatching(
            new RegExp(
              `^An embedded PGlite data folder can be open in one process at a time; "${dataDir}" is open in process \\d+ \\(node server/main\\.ts start, serving ${server.url}\\)\\. Stop that process first, or write through its GraphQL API at ${server.url}`,
            ),
          ),
        ]);
      }
      expect(await totalUsers(server.url)).toBe(1000);
      expect(await server.stop()).toBe(0);
      stopped = true;
    } finally {
      if (!stopped) server.kill();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const seeded = await runScript('seed', ['--model', 'User', '--count', '50'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('User 1,050');
    const restarted = await startServerProcess(env);
    try {
      expect(await totalUsers(restarted.url)).toBe(1050);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  });

  it('refuses a port in use in one line naming it and --port, before it opens any database', {
    timeout: 60_000,
  }, async () => {
    const port = await findFreePort();
    const taken = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    try {
      const dataDir = join(folder, 'never-opened');
      const { code, stdout, stderr } = await runScript('start', ['--port', String(port)], {
        RELGRAPH_DATA_DIR: dataDir,
      });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `Cannot listen: port ${port} on 127.0.0.1 is already in use by another process; stop it, or choose another with --port <n> (npm start -- --port 4001) or PORT.\n`,
      );
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      taken.close();
    }
  });
});
