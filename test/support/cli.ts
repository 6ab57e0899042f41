/**
 * The command line as a person runs it: the npm scripts of package.json, spawned as real processes
 * (this Node for `node`), with a clean environment so the developer's own settings cannot leak in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findFreePort } from './local-postgres.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SCRIPTS = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The arguments `npm run <name>` gives `node`: exactly the script's command after `node`. */
export function scriptArgs(name: string): string[] {
  const script = SCRIPTS[name];
  if (!script) throw new Error(`package.json has no script "${name}"`);
  const [program, ...args] = script.split(' ');
  if (program !== 'node') throw new Error(`script "${name}" does not start with node: ${script}`);
  return args;
}

/** The environment of a child: ours without the settings a test does not give. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of [
    'DATABASE_URL',
    'NODE_ENV',
    'RELGRAPH_SQL_STATS',
    'RELGRAPH_DATA_DIR',
    'PORT',
    'HOST',
    'RELGRAPH_JWT_SECRET',
    'RELGRAPH_JWKS_FILE',
    'RELGRAPH_JWT_AUDIENCE',
    'RELGRAPH_JWT_ISSUER',
  ]) {
    if (!(name in env)) delete result[name];
  }
  return result;
}

export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run <name> -- ...args` to its end (at most `timeout` ms, then it is killed). */
export function runScript(
  name: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
  timeout = 60_000,
): Promise<ScriptResult> {
  return run([...scriptArgs(name), ...args], env, timeout);
}

/** Runs the command-line entry the scripts call (`server/main.ts`) with `args` as its whole command line. */
export function runCommandLine(args: readonly string[]): Promise<ScriptResult> {
  return run([...scriptArgs('migrate').slice(0, -1), ...args], {}, 60_000);
}

function run(args: readonly string[], env: Record<string, string>, timeout: number): Promise<ScriptResult> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return finished(child, timeout);
}

/** What a child spawned with piped output printed, and its exit code, once it ends (killed after `timeout` ms). */
export function finished(child: ChildProcess, timeout: number): Promise<ScriptResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The `Authorization` header `npm start` printed for the demo's `who` (it prints them when no token
 * settings are given, outside production): the JSON object a person pastes into GraphiQL's Headers tab.
 */
export function printedHeaders(output: string, who: 'admin' | 'member'): string {
  const printed = new RegExp(`${who}, user \\d+: +(\\{.*\\})`).exec(output)?.[1];
  if (!printed) throw new Error(`npm start printed no ${who} token:\n${output}`);
  return printed;
}

export interface RunningServer {
  /** The GraphQL URL it printed ("GraphiQL at <url>"). */
  readonly url: string;
  /** Everything it printed until it served. */
  readonly output: string;
  /** Sends SIGTERM and resolves with the exit code (the process group is killed after 15 s). */
  stop(): Promise<number | null>;
  /** Kills the process group at once. */
  kill(): void;
}

/** Runs `npm start -- ...args` (with `env`, on a free port unless PORT is given) until it prints its URL. */
export async function startServerProcess(
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [...scriptArgs('start'), ...args], {
    cwd: ROOT,
    env: childEnv({ PORT: String(await findFreePort()), ...env }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGKILL');
    }
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "GraphiQL at" within 90 s:\n${output}`)), 90_000);
      const collect = (chunk: Buffer) => {
        output += chunk;
        const found = /(?:GraphiQL|GraphQL endpoint) at (\S+)/.exec(output);
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      void exited.then((code) =>
        reject(new Error(`npm start exited with ${code} before serving:\n${output}`)),
      );
    });
    return {
      url,
      output,
      kill,
      async stop() {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 15_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
    };
  } catch (error) {
    kill();
    throw error;
  }
}
