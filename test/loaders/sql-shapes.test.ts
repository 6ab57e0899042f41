/**
 * The shape of the SQL on the main read and write paths, not only its count (CONVENTIONS 17): the
 * statement text of each path is pinned in a file under `__snapshots__/sql-shapes/`, the same file for
 * both drivers, so a change that keeps the count but makes the SQL worse shows in review.
 * Update on purpose with `npx vitest run test/loaders/sql-shapes.test.ts -u`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isTransactionControl, StatementCounter } from '../../db/statement-counter.ts';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { demoSeed, startTestServer, type TestServer } from '../support/test-server.ts';

/** Every statement a request counts (its reads and its transaction's writes), as the counter sees it. */
const logQuery = vi.spyOn(StatementCounter.prototype, 'logQuery');

describe.each(drivers)('SQL shapes on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(10) });
  });
  afterAll(() => api?.close());

  /** The statements of one request, one per paragraph, after checking it succeeded with `count` of them. */
  async function sqlOf(query: string, count: number): Promise<string> {
    logQuery.mockClear();
    const result = await api.query(query);
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.sql?.statements).toBe(count);
    const statements = logQuery.mock.calls
      .map(([text]) => text)
      .filter((text) => !isTransactionControl(text));
    expect(statements).toHaveLength(count);
    return `${statements.join(';\n\n')};\n`;
  }

  /** The role, the user, the phone, then the answer's read-back. */
  const NESTED_CREATE_STATEMENTS = 4;

  const shape = (name: string) => `./__snapshots__/sql-shapes/${name}.sql`;

  it('hasOne: a page of users, then their phones by user_id in one statement', async () => {
    const sql = await sqlOf('{ users(first: 3) { nodes { name phone { number } } } }', 2);
    await expect(sql).toMatchFileSnapshot(shape('has-one'));
  });

  it('belongsTo: a page of phones, then their users by id in one statement', async () => {
    const sql = await sqlOf('{ phones(first: 3) { nodes { number user { name } } } }', 2);
    await expect(sql).toMatchFileSnapshot(shape('belongs-to'));
  });

  it('hasMany pages: a page of posts of every user, with totals, in one statement each', async () => {
    const sql = await sqlOf(
      '{ users(first: 3) { nodes { name posts(first: 2, orderBy: [{ title: ASC }]) { totalCount nodes { title } } } } }',
      3,
    );
    await expect(sql).toMatchFileSnapshot(shape('has-many-pages'));
  });

  it('a root list filtered through relations: EXISTS subqueries in the one statement', async () => {
    const sql = await sqlOf(
      '{ users(first: 5, where: { posts: { some: { status: { eq: draft } } }, phone: { number: { contains: "1" } } }) { nodes { name } } }',
      1,
    );
    await expect(sql).toMatchFileSnapshot(shape('root-list-filtered-through-relations'));
  });

  it('a nested create: the user, its new role and its phone, in one transaction', async () => {
    const sql = await sqlOf(
      `mutation {
        createUser(input: {
          name: "Ada", email: "ada.${driver}@example.com",
          role: { create: { name: "shape-${driver}" } }, phone: { create: { number: "+47 1" } }
        }) { id phone { number } }
      }`,
      NESTED_CREATE_STATEMENTS,
    );
    await expect(sql).toMatchFileSnapshot(shape('nested-create'));
  });
});
