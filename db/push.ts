/** `push`: make the database match the models without migration files (development, tests). */
import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';
import { diffSnapshots, type Snapshot, snapshotOf } from './snapshots.ts';
import type { Tables } from './tables.ts';

/** The snapshot last pushed, so the next push applies only what changed. */
const pushedSchema = pgTable('relgraph_pushed_schema', {
  id: integer('id').primaryKey(),
  snapshot: jsonb('snapshot').$type<Snapshot>().notNull(),
});

/**
 * Creates the tables on an empty database, or applies what changed in the models since the last push,
 * in one transaction. Returns the statements it ran.
 */
export async function pushSchema(db: Database, tables: Tables): Promise<string[]> {
  await db.execute(
    sql`create table if not exists relgraph_pushed_schema (id integer primary key, snapshot jsonb not null)`,
  );
  const [stored] = await db.select().from(pushedSchema).where(sql`${pushedSchema.id} = 1`);
  const previous = stored?.snapshot ?? (await snapshotOf(undefined));
  const current = await snapshotOf(tables);
  const statements = await diffSnapshots(
    previous,
    current,
    'Drop the database (or the PGlite data folder) to start over, or use migrations.',
  );
  if (statements.length === 0) return statements;
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(sql.raw(statement));
    await tx
      .insert(pushedSchema)
      .values({ id: 1, snapshot: current })
      .onConflictDoUpdate({ target: pushedSchema.id, set: { snapshot: current } });
  });
  return statements;
}
