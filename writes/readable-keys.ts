/**
 * Foreign keys given as fields (`safeId: 2`): a connect by key, so, like a connect, they find only
 * rows the viewer may read. Without this the database's own check would tell "no such row"
 * (NOT_FOUND) from "a row you cannot see" (the write going through, or a CONFLICT on a one-to-one).
 */
import { sql } from 'drizzle-orm';
import { arrayCastOf, keyOf } from '../db/keys.ts';
import type { GraphModel } from '../schema/graph.ts';
import { missingReference } from './database-errors.ts';
import type { Values } from './input-values.ts';
import { tableOf, type WriteContext } from './write-context.ts';
import { readableOnly } from './write-guard.ts';

/**
 * NOT_FOUND — the very answer a key matching no row gets — when a foreign key that `inputs` give
 * directly (not through a relation, not fixed by a parent) points at a row of a model whose read
 * rule hides it from the viewer. One statement per such link and level; none where the referenced
 * model hides no rows from this viewer.
 */
export async function checkReadableKeys(
  context: WriteContext,
  model: GraphModel,
  inputs: readonly Values[],
  values: readonly Values[],
): Promise<void> {
  for (const link of context.graph.links) {
    const { referenced, referencedKey, foreignKey } = link;
    if (link.holder !== model || !referenced.definition.access) continue;
    if (!context.access.restriction(referenced)?.hidesRows) continue;
    const keys = new Set<string>();
    for (const [index, input] of inputs.entries()) {
      const key = input[foreignKey.name] != null ? keyOf(values[index]?.[foreignKey.name]) : null;
      if (key !== null) keys.add(key);
    }
    if (keys.size === 0) continue;
    const table = tableOf(context, referenced);
    const column = table.columns[referencedKey.name];
    const given = sql`${column} = any(${sql.param([...keys])}::${sql.raw(arrayCastOf(referencedKey))})`;
    const found = await context.tx
      .select({ key: sql<string>`${column}::text` })
      .from(table.table)
      .where(readableOnly(context, referenced, given));
    const readable = new Set(found.map((row) => keyOf(row.key)));
    for (const key of keys) if (!readable.has(key)) throw missingReference(link, key);
  }
}
