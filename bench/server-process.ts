/** A benchmark server as a child process, with its CPU time and peak memory read from /proc. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type ServerKind = 'floor' | 'naive' | 'relgraph';

export interface ServerProcess {
  readonly url: string;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): Promise<number>;
  /** Peak resident memory so far, in MiB. */
  peakRssMiB(): Promise<number>;
  stop(): Promise<void>;
}

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const TICKS_PER_SECOND = 100;

async function procStat(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

export async function startServer(
  kind: ServerKind,
  databaseUrl: string,
  port: number,
): Promise<ServerProcess> {
  // Every server runs with the runtime settings `npm start` uses, so ratios compare code, not flags.
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', SERVE, kind, databaseUrl, String(port)],
    {
      // Request logs at info would make the benchmark measure logging too.
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const pid = child.pid ?? 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async cpuSeconds() {
      const fields = await procStat(pid);
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    async peakRssMiB() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kib / 1024;
    },
    stop() {
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
