/** `npm run migrate`: applies the committed migrations the database has not had yet. */

import type { Command } from './command.ts';
import { readConfig } from './config.ts';
import { describeDatabase, openDemoDatabase } from './demo-database.ts';

export const migrate: Command = {
  name: 'migrate',
  summary: 'Apply the SQL migrations in models/migrations that the database has not had yet.',
  details: [
    'The database is DATABASE_URL (PostgreSQL) or, unset, embedded PGlite in RELGRAPH_DATA_DIR',
    '(default .relgraph/data). Applied migrations are recorded in drizzle.__drizzle_migrations, so a',
    'second run changes nothing. `npm start` runs this too.',
  ].join('\n'),
  options: {},
  async run() {
    const config = readConfig(process.env);
    const database = await openDemoDatabase(config);
    await database.connection.close();
    console.log(`relgraph: ${describeDatabase(config)} is up to date with models/migrations`);
  },
};
