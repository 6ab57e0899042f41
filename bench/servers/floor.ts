/** The physical floor: plain node:http, one hand-written SQL statement per query, its text written out. */
import { createServer, type Server } from 'node:http';
import postgres from 'postgres';
import { type BenchQuery, q1, queries } from '../queries.ts';

export function floorServer(
  databaseUrl: string,
  poolSize: number,
): { server: Server; close(): Promise<void> } {
  const sql = postgres(databaseUrl, { max: poolSize, onnotice: () => {} });
  const byText = new Map<string, BenchQuery>(
    [...queries, q1(10), q1(1000)].map((query) => [query.graphql, query]),
  );
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', async () => {
      const query = byText.get((JSON.parse(body) as { query: string }).query);
      if (!query) {
        response.writeHead(400).end('unknown query');
        return;
      }
      const [row] = await sql.unsafe(query.sql, [], { prepare: true });
      response.writeHead(200, { 'content-type': 'application/json' }).end(row?.body);
    });
  });
  return { server, close: () => sql.end({ timeout: 5 }) };
}
