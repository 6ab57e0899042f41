/**
 * The columns each row statement selects: a query reads only the fields it selects of each model
 * (with the keys), the same set in every statement of a model; a mutation reads every column.
 * Observed in the SQL the shared database runs, on both drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { recordStatements } from '../support/statement-text.ts';
import { demoSeed, startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * What each row statement read, by table: the columns its JSON wrapper aggregates
 * (`json_agg("relgraph_rows"."name")`, a timestamp in parentheses), without the order values (`__o0`) of cursors.
 */
function columnsByTable(statements: readonly string[]): Record<string, string[][]> {
  const read: Record<string, string[][]> = {};
  for (const text of statements) {
    const table = /from "(\w+)"/.exec(text)?.[1];
    if (!table || !text.includes('json_agg')) continue;
    const columns = [...text.matchAll(/json_agg\(\(?"relgraph_rows"\."(\w+)"/g)]
      .map((match) => match[1] ?? '')
      .filter((column) => !column.startsWith('__'));
    const ofTable = read[table] ?? [];
    ofTable.push(columns.sort());
    read[table] = ofTable;
  }
  return read;
}

describe.each(drivers)('columns read on %s', (driver) => {
  let api: TestServer;
  let statements: string[] = [];
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(20) });
    statements = recordStatements(api.server);
  });
  afterAll(() => api?.close());

  async function readBy(query: string, variables?: Record<string, unknown>) {
    statements.length = 0;
    const result = await api.query(query, variables);
    expect(result.errors).toBeUndefined();
    return columnsByTable(statements);
  }

  it('selects the fields a query reads, the primary key and the keys of its relations', async () => {
    const read = await readBy(
      '{ users(first: 5) { nodes { name phone { number } posts(first: 2) { nodes { title } } } } }',
    );
    expect(read).toEqual({
      users: [['id', 'name']],
      phones: [['id', 'number', 'user_id']],
      posts: [['author_id', 'id', 'title']],
    });
  });

  it('keeps a belongsTo key, and reads one set of columns per model across paths and fragments', async () => {
    const read = await readBy(`
      query Paths {
        users(first: 3) { nodes { ...Named address { street } } }
        phones(first: 3, orderBy: { id: DESC }) { nodes { user { email } } }
      }
      fragment Named on User { name }`);
    expect(read.users).toEqual([
      ['address_id', 'email', 'id', 'name'],
      ['address_id', 'email', 'id', 'name'],
    ]);
    expect(read.addresses).toEqual([['id', 'street']]);
    expect(read.phones).toEqual([['id', 'user_id']]);
  });

  it('selects the order values only when a cursor is asked for', async () => {
    statements.length = 0;
    const plain = await api.query('{ users(first: 2, orderBy: { name: DESC }) { nodes { name } } }');
    expect(plain.errors).toBeUndefined();
    expect(statements.some((text) => text.includes('__o0'))).toBe(false);
    statements.length = 0;
    const cursors = await api.query('{ users(first: 2, orderBy: { name: DESC }) { edges { cursor } } }');
    expect(cursors.errors).toBeUndefined();
    expect(statements.some((text) => text.includes('__o0'))).toBe(true);
  });

  it('reads every column for a mutation, whose writes and checks may need any', async () => {
    const read = await readBy(
      'mutation ($id: ID!) { updateUser(id: $id, input: { name: "Renamed" }) { name posts(first: 1) { nodes { title } } } }',
      { id: '3' },
    );
    expect(read.posts?.[0]).toEqual(['author_id', 'body', 'id', 'published_at', 'status', 'title']);
  });
});
