/** Rows per table, read straight from the database. */
import { count } from 'drizzle-orm';
import type { Database } from './client.ts';
import type { Tables } from './tables.ts';

/** The number of rows of every model's table, by model name, one statement per table. */
export async function countRows(db: Database, tables: Tables): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, { table }] of tables.byModel) {
    const [result] = await db.select({ rows: count() }).from(table);
    counts[name] = Number(result?.rows);
  }
  return counts;
}
