/** How the schema of the database is prepared when a server starts. */
import type { DatabaseConnection } from '../db/client.ts';
import { applyMigrations } from '../db/migrations.ts';
import { pushSchema } from '../db/push.ts';
import type { Tables } from '../db/tables.ts';

/**
 * - `'push'`: create the tables from the models, and apply model changes on later starts (development,
 *   tests, any model set without migration files);
 * - `{ migrationsFolder }`: apply the SQL migrations in that folder not yet applied (production);
 * - `'none'`: leave an existing database untouched.
 */
export type PrepareDatabase = 'push' | 'none' | { readonly migrationsFolder: string };

export async function prepareDatabase(connection: DatabaseConnection, tables: Tables, how: PrepareDatabase) {
  if (how === 'none') return;
  const db = connection.database();
  if (how === 'push') await pushSchema(db, tables);
  else await applyMigrations(db, connection.driver, how.migrationsFolder);
}
