/** Requests as a named viewer and rows seeded straight into tables: what access tests with their own models share. */
import type { RelgraphServer } from '../../server/create-server.ts';
import type { GraphQLResponse } from './test-server.ts';

/**
 * The `authenticate` of such tests: the `x-viewer` header is the viewer's id (no header: anonymous);
 * `claims` adds properties from the id (`admin: id === 'admin'`, say).
 */
export const headerViewer =
  (claims: (id: string) => Record<string, unknown> = () => ({})) =>
  (request: Request) => {
    const id = request.headers.get('x-viewer');
    return id ? { id, ...claims(id) } : null;
  };

/** Runs `query` as `viewer` (`null`: anonymous), read by `headerViewer`; statistics left out. */
export async function requestAs(
  server: RelgraphServer,
  viewer: string | null,
  query: string,
): Promise<GraphQLResponse> {
  const response = await server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(viewer !== null && { 'x-viewer': viewer }) },
    body: JSON.stringify({ query }),
  });
  const { extensions: _statistics, ...answer } = (await response.json()) as GraphQLResponse;
  return answer;
}

/** Inserts `rows` into the table of `model`, bypassing GraphQL and its rules (for seeding). */
export function insertRows(server: RelgraphServer, model: string, rows: Array<Record<string, unknown>>) {
  return server.connection
    .database()
    .insert(server.tables.byModel.get(model)?.table as never)
    .values(rows);
}
