/**
 * The insert phase: planned rows go in one transaction, one multi-row INSERT per table (split only
 * at PostgreSQL's bind-parameter limit), parents before children, each row's foreign keys filled in
 * from the keys its parents came back with.
 */

import type { Database } from '../db/client.ts';
import { insertReturning } from '../db/insert-returning.ts';
import type { Row } from '../db/prepared-rows.ts';
import { modelTable, type Tables } from '../db/tables.ts';
import type { GraphModel } from '../schema/graph.ts';
import type { Values } from './blueprint.ts';
import type { PlannedRow } from './plan-rows.ts';

/** Called after every statement with the rows inserted so far and the rows of the whole call. */
export type Progress = (inserted: number, total: number) => void;

/**
 * Models in an order where every model comes after the models its rows point at. A cycle of models
 * (a self-reference, say) is cut anywhere; `insertPlannedRows` then takes those rows in rounds.
 */
function insertOrder(rows: readonly PlannedRow[]): GraphModel[] {
  const dependsOn = new Map<GraphModel, Set<GraphModel>>();
  for (const row of rows) {
    const parents = dependsOn.get(row.model) ?? new Set<GraphModel>();
    dependsOn.set(row.model, parents);
    for (const parent of row.parents) if (parent.row.model !== row.model) parents.add(parent.row.model);
  }
  const order: GraphModel[] = [];
  const visited = new Set<GraphModel>();
  const visit = (model: GraphModel) => {
    if (visited.has(model)) return;
    visited.add(model);
    for (const parent of dependsOn.get(model) ?? []) visit(parent);
    order.push(model);
  };
  for (const model of dependsOn.keys()) visit(model);
  return order;
}

/** The row's values with the keys of its parents, which are inserted by now. */
function valuesOf(row: PlannedRow): Values {
  const values = { ...row.values };
  for (const { link, row: parent } of row.parents) {
    values[link.foreignKey.name] = (parent.inserted as Row)[link.referencedKey.name];
  }
  return values;
}

async function insertBatch(db: Database, tables: Tables, model: GraphModel, rows: readonly PlannedRow[]) {
  const { table } = modelTable(tables, model.name);
  const returned = await insertReturning(db, table, rows.map(valuesOf));
  for (const [n, row] of returned.entries()) (rows[n] as PlannedRow).inserted = row as Row;
}

/**
 * Inserts every planned row in one transaction (a savepoint when `db` is already a transaction).
 * Rounds repeat only when rows of one model point at rows of the same model (or a cycle of models).
 */
export async function insertPlannedRows(
  db: Database,
  tables: Tables,
  rows: readonly PlannedRow[],
  progress?: Progress,
): Promise<void> {
  const order = insertOrder(rows);
  const pending = new Map<GraphModel, PlannedRow[]>();
  for (const row of rows) {
    const list = pending.get(row.model);
    if (list) list.push(row);
    else pending.set(row.model, [row]);
  }
  let inserted = 0;
  await db.transaction(async (tx) => {
    while (pending.size > 0) {
      let moved = false;
      for (const model of order) {
        const waiting = pending.get(model) ?? [];
        const ready = waiting.filter((row) => row.parents.every((parent) => parent.row.inserted));
        if (ready.length === 0) continue;
        await insertBatch(tx as Database, tables, model, ready);
        const later = waiting.filter((row) => !row.inserted);
        if (later.length > 0) pending.set(model, later);
        else pending.delete(model);
        inserted += ready.length;
        progress?.(inserted, rows.length);
        moved = true;
      }
      // Planned rows form a tree, so every round inserts something; anything else is a bug here.
      if (!moved) throw new Error('relgraph factory: planned rows point at rows that are never inserted');
    }
  });
}
