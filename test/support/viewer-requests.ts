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

async function fetchAs(server: RelgraphServer, viewer: string | null, query: string) {
  const response = await server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(viewer !== null && { 'x-viewer': viewer }) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse;
}

/** Runs `query` as `viewer` (`null`: anonymous), read by `headerViewer`; statistics left out. */
export async function requestAs(
  server: RelgraphServer,
  viewer: string | null,
  query: string,
): Promise<GraphQLResponse> {
  const { extensions: _statistics, ...answer } = await fetchAs(server, viewer, query);
  return answer;
}

/** The statements `query` ran as `viewer` (the server must count them: `sqlStats`); errors fail. */
export async function statementsAs(server: RelgraphServer, viewer: string | null, query: string) {
  const answer = await fetchAs(server, viewer, query);
  if (answer.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  return answer.extensions?.sql?.statements ?? Number.NaN;
}

/** Inserts `rows` into the table of `model`, bypassing GraphQL and its rules (for seeding). */
export function insertRows(server: RelgraphServer, model: string, rows: Array<Record<string, unknown>>) {
  return server.connection
    .database()
    .insert(server.tables.byModel.get(model)?.table as never)
    .values(rows);
}
