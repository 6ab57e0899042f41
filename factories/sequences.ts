/**
 * Sequence numbers: the rows a factory makes for a model are numbered 1, 2, 3, … across calls, per
 * model of a relation graph. Unique fields embed the number, and `merge`/`state` callbacks receive it.
 */
import { count, max } from 'drizzle-orm';
import type { Tables } from '../db/tables.ts';
import type { GraphModel } from '../schema/graph.ts';
import { databaseOf, type FactoryTarget } from './target.ts';

const lastUsed = new WeakMap<GraphModel, number>();

/** The next sequence number of `model`. */
export function nextSequence(model: GraphModel): number {
  const next = (lastUsed.get(model) ?? 0) + 1;
  lastUsed.set(model, next);
  return next;
}

/**
 * Continues every model's sequence after the rows its table already holds (the largest integer
 * primary key, or the row count), so factories can add rows to a database filled by an earlier
 * process without repeating a unique value. One statement per model.
 */
export async function resumeSequences(target: FactoryTarget): Promise<void> {
  const db = databaseOf(target);
  const tables: Tables = target.tables;
  for (const { model, table, columns } of tables.byModel.values()) {
    const key = columns[model.primaryKey.name];
    const integerKey = key && model.primaryKey.idType !== 'uuid';
    const [row] = await db.select({ last: integerKey ? max(key) : count() }).from(table);
    const rows = Number(row?.last ?? 0);
    if (rows > (lastUsed.get(model) ?? 0)) lastUsed.set(model, rows);
  }
}
