/** `connectOrCreate`: the row a unique field names, or a new one — without losing a race to a concurrent twin. */

import { keyOf } from '../db/keys.ts';
import type { Row } from '../db/prepared-rows.ts';
import { keyEquals } from '../query/key-sql.ts';
import type { GraphLink, GraphModel } from '../schema/graph.ts';
// biome-ignore lint/suspicious/noImportCycles: nested writes recurse (a create creates its children, an update updates or creates them): the one inherent cycle, documented in writes/child-links.ts.
import { createRows } from './create-rows.ts';
import { isUniqueViolation } from './database-errors.ts';
import { checkFieldWrites } from './field-writes.ts';
import { findUnique, uniqueTarget } from './find-unique.ts';
import type { Values } from './input-values.ts';
import { tableOf, type WriteContext } from './write-context.ts';
import { guarded, locateForWrite, updateChecked } from './write-guard.ts';

/**
 * Finds the row `where` names (locking it: `FOR KEY SHARE` when it is only linked to, `FOR UPDATE`
 * when `fixed` changes it) or creates it inside a savepoint. When a concurrent
 * transaction creates the same row first, the savepoint rolls back and the now-existing row is used.
 * `fixed` (a child's foreign key) is set on the row found or created. `relation.link` is the link the
 * row is created through (none for a many-to-many target, which the pivot links afterwards).
 */
export async function connectOrCreate(
  context: WriteContext,
  relation: { readonly target: GraphModel; readonly link: GraphLink | undefined },
  argument: unknown,
  path: string,
  fixed: Values,
): Promise<Row> {
  const { target, link } = relation;
  const { where, create } = argument as { where: unknown; create: Values };
  const unique = uniqueTarget(context, target, where, `${path}.where`);
  // Found or created below: a connect later in the input may name it.
  context.planned.settled(unique);
  // A parent found for a belongsTo is only referenced; a child found gets its foreign key set.
  const lock = Object.keys(fixed).length === 0 ? 'key share' : 'update';
  let found = await findUnique(context, target, unique, lock);
  if (!found) {
    try {
      const [created] = await context.tx.transaction((savepoint) =>
        createRows({ ...context, tx: savepoint }, { model: target, mode: 'create', via: link }, [
          { input: create, path: `${path}.create`, fixed },
        ]),
      );
      if (created) return created;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      found = await findUnique(context, target, unique, lock);
      if (!found) throw error;
    }
  }
  if (!found || Object.keys(fixed).length === 0) return found as Row;
  checkFieldWrites(context, target, 'update', {}, path, fixed);
  const table = tableOf(context, target);
  const key = keyOf(found[target.primaryKey.name]) ?? '';
  if (guarded(context, target, 'update', fixed)) {
    // Linking the found row to this parent updates it: its update rule must allow that.
    const byKey = keyEquals(table, target.primaryKey, key);
    const located = await locateForWrite(context, target, byKey, 'update', fixed, path, unique.description);
    return (await updateChecked(context, target, located.row, fixed, located.after, path)) ?? found;
  }
  const [moved] = await context.tx
    .update(table.table)
    .set(fixed)
    .where(keyEquals(table, target.primaryKey, key))
    .returning();
  return moved ?? found;
}
