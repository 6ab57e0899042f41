/** SQL migration files generated from the models, in the folder layout Drizzle's migrator reads. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database, Driver } from './client.ts';
import { diffSnapshots, type Snapshot, snapshotOf } from './snapshots.ts';
import type { Tables } from './tables.ts';

interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}

interface Journal {
  version: string;
  dialect: 'postgresql';
  entries: JournalEntry[];
}

const journalPath = (folder: string) => join(folder, 'meta', '_journal.json');
const snapshotPath = (folder: string, idx: number) =>
  join(folder, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`);

async function readJournal(folder: string): Promise<Journal> {
  try {
    return JSON.parse(await readFile(journalPath(folder), 'utf8')) as Journal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { version: '7', dialect: 'postgresql', entries: [] };
    throw error;
  }
}

async function latestSnapshot(folder: string, journal: Journal): Promise<Snapshot> {
  const last = journal.entries.at(-1);
  if (!last) return snapshotOf(undefined);
  return JSON.parse(await readFile(snapshotPath(folder, last.idx), 'utf8')) as Snapshot;
}

const REGENERATE = 'Decide by hand: write that migration yourself in the migrations folder.';

/** SQL still needed to bring the committed migrations up to the models; empty when they match. */
export async function pendingMigration(tables: Tables, folder: string): Promise<string[]> {
  const journal = await readJournal(folder);
  return diffSnapshots(await latestSnapshot(folder, journal), await snapshotOf(tables), REGENERATE);
}

/**
 * Writes the next migration (`NNNN_<name>.sql` plus its snapshot and journal entry) when the models
 * changed since the last one. Returns the file written, or `undefined` when nothing changed.
 */
export async function generateMigration(
  tables: Tables,
  folder: string,
  name = 'models',
): Promise<string | undefined> {
  const journal = await readJournal(folder);
  const previous = await latestSnapshot(folder, journal);
  const current = await snapshotOf(tables, previous.id);
  const statements = await diffSnapshots(previous, current, REGENERATE);
  if (statements.length === 0) return undefined;
  const idx = journal.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_${name}`;
  journal.entries.push({ idx, version: '7', when: Date.now(), tag, breakpoints: true });
  await mkdir(join(folder, 'meta'), { recursive: true });
  const file = join(folder, `${tag}.sql`);
  await writeFile(file, `${statements.join('\n--> statement-breakpoint\n')}\n`);
  await writeFile(snapshotPath(folder, idx), `${JSON.stringify(current, null, 2)}\n`);
  await writeFile(journalPath(folder), `${JSON.stringify(journal, null, 2)}\n`);
  return file;
}

/** Applies the folder's migrations not yet applied (Drizzle's migrator; history in `drizzle.__drizzle_migrations`). */
export async function applyMigrations(db: Database, driver: Driver, folder: string): Promise<void> {
  if (driver === 'pglite') await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder: folder });
  else await migratePostgres(db as unknown as NodePgDatabase, { migrationsFolder: folder });
}
