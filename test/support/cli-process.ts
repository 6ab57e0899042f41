/** The command-line server (`node --import tsx cli/main.ts`) as a child process of a test. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findFreePort } from './local-postgres.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  /** What it wrote to stdout and stderr so far (the last 256 KB). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves with the endpoint URL once the server says where it listens. */
  serving(): Promise<string>;
  /** SIGKILLs the process group if it still runs (test clean-up). */
  kill(): void;
}

/**
 * Starts the CLI with `env` on top of this process's environment (less NODE_ENV, DATABASE_URL and
 * LOG_LEVEL unless given), with Node's `nodeOptions` before the script.
 */
export async function startCli(env: Record<string, string>, nodeOptions: string[] = []): Promise<CliProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(await findFreePort()), ...env };
  for (const name of ['DATABASE_URL', 'NODE_ENV', 'LOG_LEVEL']) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', 'cli/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last 256 KB: a server logging every request under load must not fill the test's memory.
  let output = '';
  const collect = (chunk: Buffer) => {
    output = `${output}${chunk}`.slice(-256 * 1024);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    serving: () =>
      new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          const found = /(?:GraphiQL|GraphQL endpoint) at (\S+)/.exec(output);
          if (found?.[1]) {
            clearInterval(timer);
            resolve(found[1]);
          }
        }, 50);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`the server exited with ${code} before serving:\n${output}`));
        });
      }),
    kill() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid, 'SIGKILL');
      }
    },
  };
}
