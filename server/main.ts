/**
 * The command line: `start` (default) serves the demo models, migrating the database and seeding it
 * when empty; `migrate` applies migrations; `generate [name]` writes a migration after a model change.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { generateMigration } from '../db/migrations.ts';
import { buildTables, modelTable } from '../db/tables.ts';
import { demoModels } from '../models/index.ts';
import { seedDemo } from '../models/seed.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import { readConfig } from './config.ts';
import { createServer } from './create-server.ts';
import { demoQuery } from './demo-query.ts';
import { closeOnSignals } from './shutdown.ts';

export const MIGRATIONS = fileURLToPath(new URL('../db/migrations', import.meta.url));

async function start(): Promise<void> {
  const config = readConfig(process.env);
  const server = await createServer({
    models: demoModels,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.poolSize,
    prepare: { migrationsFolder: MIGRATIONS },
    graphiql: { defaultQuery: demoQuery },
  });
  const db = server.connection.database();
  const users = modelTable(server.tables, 'User');
  const [existing] = await db.select({ count: sql<number>`count(*)::int` }).from(users.table);
  if (existing?.count === 0) {
    console.log('relgraph: empty database, seeding the demo data (1,000 users)…');
    await seedDemo(db, server.tables);
  }
  const url = await server.listen(config.port, config.host);
  closeOnSignals(server);
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  console.log(`relgraph: serving the demo models from ${where}`);
  console.log(`relgraph: ${server.settings.graphiql ? 'GraphiQL' : 'GraphQL endpoint'} at ${url}`);
}

async function generate(name: string | undefined): Promise<void> {
  const file = await generateMigration(buildTables(buildRelationGraph(demoModels)), MIGRATIONS, name);
  console.log(file ? `relgraph: wrote ${file}` : 'relgraph: the migrations already match the models');
}

async function migrate(): Promise<void> {
  const config = readConfig(process.env);
  const server = await createServer({
    models: demoModels,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    prepare: { migrationsFolder: MIGRATIONS },
  });
  await server.close();
  console.log('relgraph: migrations applied');
}

const [command = 'start', argument] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = { start, migrate, generate: () => generate(argument) };
const run = commands[command];
if (!run) {
  console.error(`relgraph: unknown command "${command}"; use one of: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
run().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
