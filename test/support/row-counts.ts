/** Reading a test database directly (not through GraphQL), to check what a mutation really wrote. */

import { eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { countRows } from '../../db/count-rows.ts';
import type { Row } from '../../db/prepared-rows.ts';
import type { RelgraphServer } from '../../server/create-server.ts';

function tableOf(server: RelgraphServer, model: string) {
  const table = server.tables.byModel.get(model);
  if (!table) throw new Error(`no table for model "${model}"`);
  return table;
}

/** The number of rows of every model's table, by model name: compare before and after a failed write. */
export const rowCounts = (server: RelgraphServer) => countRows(server.connection.database(), server.tables);

/** The rows of `model` whose `field` equals `value` (every row without a field), in primary-key order. */
export async function rowsOf(
  server: RelgraphServer,
  model: string,
  where?: { field: string; value: unknown },
): Promise<Row[]> {
  const { table, columns } = tableOf(server, model);
  const key = server.graph.models.get(model)?.primaryKey.name ?? 'id';
  const query = server.connection.database().select().from(table);
  const filtered = where ? query.where(eq(columns[where.field] as AnyPgColumn, where.value)) : query;
  return (await filtered.orderBy(columns[key] as AnyPgColumn)) as Row[];
}

/** The rows of a raw statement on `db` (both drivers answer `{ rows }`). */
export async function executeRows<T = Row>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The rows of a raw statement on the server's database. */
export function sqlRows(server: RelgraphServer, query: SQL): Promise<Row[]> {
  return executeRows(server.connection.database(), query);
}
