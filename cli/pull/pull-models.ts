/**
 * `relgraph pull` without the command line: read a database schema and write its models into a folder,
 * refusing to replace a file that pull did not write.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../db/client.ts';
import { readOutput } from '../../server/commands/output-file.ts';
import { introspectSchema } from './introspect.ts';
import { planModels } from './plan-models.ts';
import { PULL_MARKER, writeModels } from './write-models.ts';

export interface PullOptions {
  /** The PostgreSQL schema to read. Default `public`. */
  readonly schema?: string | undefined;
  /** What the model files import `model`, `field` … from. Default `relgraph`. */
  readonly importFrom?: string | undefined;
}

export interface PulledModels {
  /** Source text by file name (`user.ts`, …, `index.ts`). */
  readonly files: ReadonlyMap<string, string>;
  readonly models: number;
  /** How many things the models do not say (each written as a comment). */
  readonly notes: number;
}

/** Reads the schema and returns the model files' text; writes nothing. */
export async function pullModels(db: Database, options: PullOptions = {}): Promise<PulledModels> {
  const schema = options.schema ?? 'public';
  const plan = planModels(await introspectSchema(db, schema));
  return {
    files: writeModels(plan, schema, options.importFrom ?? 'relgraph'),
    models: plan.models.length,
    notes: plan.notes.length + plan.models.reduce((sum, model) => sum + model.notes.length, 0),
  };
}

/** A pull would replace files it did not write: the person moves them away or passes `--force`. */
export class PullOverwriteError extends Error {
  override readonly name = 'PullOverwriteError';
}

/**
 * Writes `files` into `folder` (created if needed). Unless `force`, nothing is written when any file
 * exists without pull's first line. Returns the names of the files whose text changed.
 */
export async function writePulledFiles(
  folder: string,
  files: ReadonlyMap<string, string>,
  force = false,
): Promise<string[]> {
  const current = new Map<string, string | undefined>();
  for (const name of files.keys()) current.set(name, await readOutput(join(folder, name)));
  const foreign = [...current].filter(([, text]) => text !== undefined && !text.startsWith(PULL_MARKER));
  if (foreign.length > 0 && !force) {
    const names = foreign.map(([name]) => `"${join(folder, name)}"`).join(', ');
    throw new PullOverwriteError(
      `relgraph pull writes only files it wrote before (their first line is "${PULL_MARKER} …"); ${names} ${foreign.length === 1 ? 'is' : 'are'} not. Move ${foreign.length === 1 ? 'it' : 'them'} away, choose another --out, or pass --force to replace ${foreign.length === 1 ? 'it' : 'them'}.`,
    );
  }
  await mkdir(folder, { recursive: true });
  const changed: string[] = [];
  for (const [name, text] of files) {
    if (current.get(name) === text) continue;
    await writeFile(join(folder, name), text);
    changed.push(name);
  }
  return changed;
}
