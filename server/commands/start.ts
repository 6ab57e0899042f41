/**
 * `npm start`: serves the demo models, migrating the database and seeding it when it is empty, with
 * bearer tokens verified as the RELGRAPH_JWT_* variables say (or two printed to try, see demo-sign-in).
 */

import { demoModels } from '../../models/index.ts';
import { seedDemo } from '../../models/seed.ts';
import { readConfig } from '../config.ts';
import { createServer } from '../create-server.ts';
import { demoQuery } from '../demo-query.ts';
import { demoSignIn } from '../demo-sign-in.ts';
import { checkPortFree } from '../port-check.ts';
import { closeOnSignals } from '../shutdown.ts';
import type { Command } from './command.ts';
import {
  countUsers,
  type DemoDatabase,
  describeDatabase,
  MIGRATIONS,
  userOfSubject,
} from './demo-database.ts';

export const start: Command = {
  name: 'start',
  summary: 'Serve the demo models with GraphiQL and the relationship diagram.',
  details: [
    'Applies db/migrations, seeds 1,000 demo users into an empty database, then listens until SIGINT or',
    'SIGTERM, then finishes the requests in flight (within RELGRAPH_SHUTDOWN_GRACE_MS) and exits 0.',
    'The database is DATABASE_URL (PostgreSQL) or, unset, embedded PGlite in RELGRAPH_DATA_DIR',
    '(default .relgraph/data), which one process at a time may open: a seed, migrate or second start on',
    'it is refused while this one runs. Options win over the PORT and HOST variables; every variable is',
    'checked, and the port tried, before the database is opened (see the README for the limits, logging',
    'and HTTP settings).',
    '',
    'Bearer tokens are verified with RELGRAPH_JWT_SECRET (HS256) or RELGRAPH_JWKS_FILE (an identity',
    "provider's public keys), for RELGRAPH_JWT_AUDIENCE (default relgraph) and RELGRAPH_JWT_ISSUER. With",
    'neither, outside production, it makes a secret for the run and prints an admin and a member',
    "Authorization header to paste into GraphiQL's Headers tab; in production everyone is anonymous.",
  ].join('\n'),
  options: {
    port: {
      type: 'string',
      value: '<n>',
      description: 'Port to listen on, 0 for any free one (default: $PORT or 4000).',
    },
    host: {
      type: 'string',
      value: '<address>',
      description: 'Address to listen on (default: $HOST or 127.0.0.1).',
    },
  },
  async run(options) {
    const config = readConfig(process.env);
    const port = options.integer('port', 0, 65535) ?? config.port;
    const host = options.string('host') ?? config.host;
    // Before the database is opened: a start that cannot listen must not migrate, seed or hold it.
    await checkPortFree(port, host);
    // Tokens are verified only once the server listens, so the lookup finds the database by then.
    let directory: DemoDatabase | undefined;
    const findUser = async (subject: string) => (directory ? userOfSubject(directory, subject) : undefined);
    const signIn = await demoSignIn(config, process.env.NODE_ENV === 'production', findUser);
    const server = await createServer({
      models: demoModels,
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.poolSize,
      prepare: { migrationsFolder: MIGRATIONS },
      graphiql: { defaultQuery: demoQuery },
      authenticate: signIn.authenticate,
    });
    directory = server;
    const db = server.connection.database();
    if ((await countUsers({ connection: server.connection, tables: server.tables })) === 0) {
      console.log('relgraph: empty database, seeding the demo data (1,000 users)…');
      await seedDemo(db, server.tables);
    }
    const url = await server.listen(port, host);
    // Before the URL is printed: whoever waits for it may stop the server as soon as it reads it.
    closeOnSignals(server);
    console.log(`relgraph: serving the demo models from ${describeDatabase(config)}`);
    if (server.settings.diagram) console.log(`relgraph: relationship diagram at ${new URL('/diagram', url)}`);
    for (const line of signIn.lines) console.log(line);
    console.log(`relgraph: ${server.settings.graphiql ? 'GraphiQL' : 'GraphQL endpoint'} at ${url}`);
  },
};
