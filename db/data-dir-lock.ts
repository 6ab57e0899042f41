/**
 * One process at a time in an embedded PGlite data folder. PGlite is PostgreSQL inside the process
 * that opened the folder: a second process on the same folder keeps its own pages and overwrites the
 * first one's writes (rows it seeded vanish after a restart), so it must be refused, not warned.
 *
 * The lock is the file `relgraph.pid` in the folder, holding the pid and command line of its process
 * and, once that process serves, its URL. It is created whole and atomically (a complete file hard-linked
 * into place, which fails when one exists), removed on release and when the process exits; a lock
 * whose process is gone (killed, crashed) is taken over.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The lock's file name inside the data folder. */
export const LOCK_FILE = 'relgraph.pid';

/** What the lock file holds: who has the folder open. */
export interface LockHolder {
  readonly pid: number;
  /** The command line of the process (`server/main.ts start --port 4001`). */
  readonly command: string;
  /** Where it serves GraphQL, once it does. */
  readonly url?: string | undefined;
}

/** A data folder held by this process. */
export interface DataDirLock {
  /** Records where this process serves, for the message a second process gets. */
  announce(url: string): void;
  /** Removes the lock (a second call does nothing). */
  release(): void;
}

/** Refusal to open a data folder another process (or another open database of this one) holds. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.pid === process.pid ? 'this process' : `process ${holder.pid}`;
    const serving = holder.url ? `serving ${holder.url}` : 'not serving yet';
    const through = holder.url ? `write through its GraphQL API at ${holder.url}` : 'wait for it to finish';
    super(
      `An embedded PGlite data folder can be open in one process at a time; "${folder}" is open in ${who} (${holder.command}, ${serving}). Stop that process first, or ${through}, or use PostgreSQL (DATABASE_URL) to share a database between processes. If no such process runs, delete "${join(folder, LOCK_FILE)}".`,
    );
  }
}

/** Lock files this process holds, removed when it exits however it exits (short of SIGKILL). */
const held = new Set<string>();
let exitHookInstalled = false;

/** Locks `folder` (creating it) for this process; throws `DataDirInUseError` when a live process holds it. */
export function lockDataDir(folder: string): DataDirLock {
  const path = join(resolve(folder), LOCK_FILE);
  mkdirSync(resolve(folder), { recursive: true });
  let holder: LockHolder = { pid: process.pid, command: commandLine() };
  for (let attempt = 0; ; attempt++) {
    if (create(path, holder)) break;
    const current = readHolder(path);
    if (current && isRunning(current, path)) throw new DataDirInUseError(folder, current);
    if (attempt >= 3) throw new Error(`Could not take over the stale lock "${path}"; delete it and retry.`);
    takeOver(path, folder);
  }
  held.add(path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const file of held) removeIfOurs(file);
    });
  }
  return {
    announce(url) {
      if (!held.has(path)) return;
      holder = { ...holder, url };
      // Written beside and renamed over: a reader never sees half a file.
      const next = `${path}.${process.pid}.next`;
      writeFileSync(next, JSON.stringify(holder));
      renameSync(next, path);
    },
    release() {
      if (held.delete(path)) removeIfOurs(path);
    },
  };
}

/** Creates the lock file with `holder` in it, or answers false when one exists. */
function create(path: string, holder: LockHolder): boolean {
  const whole = `${path}.${process.pid}.new`;
  writeFileSync(whole, JSON.stringify(holder));
  try {
    linkSync(whole, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(whole, { force: true });
  }
}

/** The holder a lock file names; `undefined` when it is gone or unreadable (a stale lock). */
function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (!Number.isSafeInteger(parsed.pid)) return undefined;
    return {
      pid: parsed.pid as number,
      command: String(parsed.command ?? 'unknown command'),
      url: parsed.url,
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether the process a lock names still runs. This process's own pid counts only for a lock it
 * holds now: one left by an earlier life with the same pid (pid 1 in a restarted container) is stale.
 */
function isRunning({ pid }: LockHolder, path: string): boolean {
  if (pid === process.pid) return held.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a stale lock aside, then checks what was moved: when another process took it over in the
 * meantime, it is the new holder's live lock, so it goes back and this process is refused.
 */
function takeOver(path: string, folder: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readHolder(aside);
  if (moved && isRunning(moved, path)) {
    try {
      linkSync(aside, path);
    } finally {
      rmSync(aside, { force: true });
    }
    throw new DataDirInUseError(folder, moved);
  }
  rmSync(aside, { force: true });
}

/** Removes a lock file unless another process has taken it over since. */
function removeIfOurs(path: string): void {
  if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** How this process was started, for the message: the script relative to the working folder, and its arguments. */
function commandLine(): string {
  const [, script = '', ...args] = process.argv;
  return ['node', relative(process.cwd(), script) || script, ...args].join(' ').slice(0, 300);
}
