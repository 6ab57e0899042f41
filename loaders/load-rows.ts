/** The one statement behind every relation: rows of a table whose column equals any of a batch of keys. */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { arrayCastOf, keyOf } from '../db/keys.ts';
import { prepareRows } from '../db/prepared-rows.ts';
import { cachedStatement, type PreparedStatement } from '../db/statement-cache.ts';
import type { ModelTable } from '../db/tables.ts';
import type { GraphField } from '../schema/graph.ts';

export type Row = Record<string, unknown>;

type LoadStatement = PreparedStatement<Row[], { keys: readonly string[] }>;

function loadStatement(db: Database, table: ModelTable, field: GraphField): LoadStatement {
  return cachedStatement(db, field, 'load', () => {
    const column = table.columns[field.name];
    if (!column) throw new Error(`relgraph: model "${field.model}" has no column for field "${field.name}"`);
    const query = db
      .select(table.columns)
      .from(table.table)
      .where(sql`${column} = any(${sql.placeholder('keys')}::${sql.raw(arrayCastOf(field))})`)
      .orderBy(table.columns[table.model.primaryKey.name] ?? column);
    return prepareRows(query, table.columns, `relgraph_load_${table.model.table}_${field.column}`);
  });
}

/**
 * `SELECT … WHERE column = ANY($1)` with the keys as one array parameter: one statement for any number of
 * keys (an `IN ($1, …, $n)` list stops at 65,535), matched back to the keys through a `Map` in one pass.
 */
export async function loadRowsByKeys(
  db: Database,
  table: ModelTable,
  field: GraphField,
  keys: readonly string[],
): Promise<Map<string, Row[]>> {
  const rows = await loadStatement(db, table, field).execute({ keys });
  const byKey = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row[field.name]);
    if (key === null) continue;
    const group = byKey.get(key);
    if (group) group.push(row);
    else byKey.set(key, [row]);
  }
  return byKey;
}
