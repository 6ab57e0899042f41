/**
 * One benchmark server in its own process: `node --import tsx bench/serve.ts <floor|naive|relgraph> <url> <port>`.
 * Prints `ready` once listening on 127.0.0.1; exits on SIGTERM.
 */
import { floorServer } from './servers/floor.ts';
import { naiveServer } from './servers/naive.ts';
import { relgraphServer } from './servers/relgraph.ts';

const POOL_SIZE = 10;

const [kind = '', databaseUrl = '', port = '0'] = process.argv.slice(2);
const factories = { floor: floorServer, naive: naiveServer, relgraph: relgraphServer } as const;
const factory = factories[kind as keyof typeof factories];
if (!factory) {
  console.error(`bench/serve.ts: unknown server "${kind}"; use floor, naive or relgraph`);
  process.exit(2);
}
const { server, close } = await factory(databaseUrl, POOL_SIZE);
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
process.once('SIGTERM', () => {
  // Let requests in flight finish before the pool closes under them.
  const force = setTimeout(() => server.closeAllConnections(), 5000);
  server.close(() => {
    clearTimeout(force);
    // Requests the load generator abandoned at the end of its window may still be resolving.
    setTimeout(() => void close().then(() => process.exit(0)), 1000);
  });
  server.closeIdleConnections();
});
