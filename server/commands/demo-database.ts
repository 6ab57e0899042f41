/** The demo application's database as the commands open it: chosen by the environment, migrated. */
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { connectDatabase, type DatabaseConnection } from '../../db/client.ts';
import { hasNul } from '../../db/keys.ts';
import { applyMigrations } from '../../db/migrations.ts';
import { buildTables, modelTable, type Tables } from '../../db/tables.ts';
import { demoModels } from '../../models/index.ts';
import { buildRelationGraph } from '../../schema/build-graph.ts';
import type { RelationGraph } from '../../schema/graph.ts';
import type { Config } from '../config.ts';

/** The committed SQL migrations of the demo models. */
export const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Where the configuration points, for messages: `PostgreSQL` or the PGlite folder. */
export const describeDatabase = (config: Config) =>
  config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;

export interface DemoDatabase {
  readonly connection: DatabaseConnection;
  readonly tables: Tables;
}

/**
 * Opens the configured database and applies the demo migrations it has not had yet; `graph` is the
 * demo models' (built here by default), given by a caller that has built it already.
 */
export async function openDemoDatabase(
  config: Config,
  graph: RelationGraph = buildRelationGraph(demoModels),
): Promise<DemoDatabase> {
  const connection = await connectDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    await applyMigrations(connection.database(), connection.driver, MIGRATIONS);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return { connection, tables: buildTables(graph) };
}

/** The number of users in the demo database: the sign that it was seeded. */
export async function countUsers({ connection, tables }: DemoDatabase): Promise<number> {
  const users = modelTable(tables, 'User').table;
  const [row] = await connection.database().select({ count: sql<number>`count(*)::int` }).from(users);
  return Number(row?.count ?? 0);
}

/** The key of the user whose `externalId` is a token's `subject` (one lookup by a unique index). */
export async function userOfSubject(
  { connection, tables }: DemoDatabase,
  subject: string,
): Promise<string | undefined> {
  // PostgreSQL text cannot hold NUL: no user has such a subject.
  if (hasNul(subject)) return undefined;
  const { table, columns } = modelTable(tables, 'User');
  const { id, externalId } = columns;
  if (!id || !externalId) return undefined;
  const [row] = await connection
    .database()
    .select({ id })
    .from(table)
    .where(eq(externalId, subject))
    .limit(1);
  return row ? String(row.id) : undefined;
}
