/** `{ email: "…" }`-style unique inputs: exactly one unique field, turned into a condition. */

import type { SQL } from 'drizzle-orm';
import { parseKey } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { inputError, notFound } from '../errors.ts';
import type { GraphField, GraphModel } from '../schema/graph.ts';
import { tableOf, type WriteContext } from './write-context.ts';
import { visibleMatch } from './write-guard.ts';

/** A unique field and a key of it: what a connect names, and what a create gives. */
export interface UniqueKey {
  readonly field: GraphField;
  readonly key: string;
}

export interface UniqueTarget extends UniqueKey {
  readonly condition: SQL;
  /** `with id "7"`, for messages. */
  readonly description: string;
}

/** The unique field and key that `where` names; a BAD_USER_INPUT unless exactly one field is given. */
export function uniqueKeyOf(model: GraphModel, where: unknown, path: string): UniqueKey {
  const given = Object.entries((where ?? {}) as Record<string, unknown>).filter(([, value]) => value != null);
  const [entry, extra] = given;
  const names = model.uniqueFields.map((field) => field.name).join(', ');
  if (!entry || extra) {
    const received = given.length === 0 ? 'none' : given.map(([name]) => name).join(' and ');
    throw inputError(
      path,
      `give exactly one unique field of ${model.name} (${names}); received ${received}.`,
    );
  }
  const [name, value] = entry;
  const field = model.uniqueFields.find((candidate) => candidate.name === name);
  if (!field)
    throw inputError(path, `"${name}" is not a unique field of ${model.name}; use one of ${names}.`);
  const parsed = parseKey(field, value);
  if ('error' in parsed) throw inputError(`${path}.${name}`, parsed.error);
  return { field, key: parsed.key };
}

/**
 * The condition selecting the one row that `where` names, if the viewer may read it (a row it may not
 * read, or not by a value it can see, is not found); a BAD_USER_INPUT unless exactly one field is given.
 */
export function uniqueTarget(
  context: WriteContext,
  model: GraphModel,
  where: unknown,
  path: string,
): UniqueTarget {
  const { field, key } = uniqueKeyOf(model, where, path);
  return {
    field,
    key,
    condition: visibleMatch(context, model, field, key),
    description: `with ${field.name} "${key}"`,
  };
}

/**
 * How a found row is locked until the transaction ends: `'key share'` for a row that is only
 * referenced (a parent a foreign key points at; what PostgreSQL's own foreign-key check takes, so
 * other writers connecting or updating it are not blocked, only its deletion and key changes are);
 * `'update'` for a row this write then changes.
 */
export type RowLock = 'key share' | 'update';

/** The row `where` names, locked with `lock` for the rest of the transaction, or `undefined`. */
export async function findUnique(
  context: WriteContext,
  model: GraphModel,
  target: UniqueTarget,
  lock: RowLock,
): Promise<Row | undefined> {
  const table = tableOf(context, model);
  const [row] = await context.tx.select().from(table.table).where(target.condition).for(lock);
  return row;
}

/** The parent a `connect` names, locked `FOR KEY SHARE` (like `findUnique`), but a NOT_FOUND naming the model and key when there is no such row. */
export async function requireUnique(
  context: WriteContext,
  model: GraphModel,
  where: unknown,
  path: string,
): Promise<Row> {
  const target = uniqueTarget(context, model, where, path);
  const row = await findUnique(context, model, target, 'key share');
  if (!row) throw notFound(path, model, target.description);
  return row;
}
