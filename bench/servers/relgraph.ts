/** relgraph as users run it in production: the demo models, no GraphiQL, no statement statistics. */
import { createServer as createHttpServer, type Server } from 'node:http';
import { demoModels } from '../../models/index.ts';
import { createServer } from '../../server/create-server.ts';

export async function relgraphServer(
  databaseUrl: string,
  poolSize: number,
): Promise<{ server: Server; close(): Promise<void> }> {
  const relgraph = await createServer({
    models: demoModels,
    databaseUrl,
    poolSize,
    prepare: 'none',
    sqlStats: false,
    graphiql: false,
    // The scaling run reads 1,000 users per request.
    maxPageSize: 1000,
  });
  return { server: createHttpServer(relgraph.yoga), close: () => relgraph.close() };
}
