/** `npm run seed`: fills an empty database with the demo data (models/seed.ts). */
import { seedDemo } from '../../models/seed.ts';
import { readConfig } from '../config.ts';
import type { Command } from './command.ts';
import { countUsers, describeDatabase, openDemoDatabase } from './demo-database.ts';

export const seed: Command = {
  name: 'seed',
  summary: 'Migrate the database, then fill it with the demo data if it has no users yet.',
  details: [
    'Inserts 1,000 users with a phone, profile, address, role and posts: the same rows on every run.',
    'A database that already has users is left as it is. The database is DATABASE_URL (PostgreSQL)',
    'or, unset, embedded PGlite in RELGRAPH_DATA_DIR (default .relgraph/data).',
  ].join('\n'),
  options: {},
  async run() {
    const config = readConfig(process.env);
    const database = await openDemoDatabase(config);
    try {
      const users = await countUsers(database);
      if (users > 0) {
        console.log(`relgraph: ${describeDatabase(config)} already has ${users} users; nothing seeded`);
        return;
      }
      await seedDemo(database.connection.database(), database.tables);
      console.log(`relgraph: seeded ${describeDatabase(config)} with ${await countUsers(database)} users`);
    } finally {
      await database.connection.close();
    }
  },
};
