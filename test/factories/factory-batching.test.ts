/**
 * How a factory inserts: thousands of rows per INSERT, split only where a statement would pass
 * PostgreSQL's 65,535 bound values, with progress reported after each statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory } from '../../index.ts';
import { drivers } from '../support/databases.ts';
import { Desk, factoryModels, Wide, Writer } from '../support/factory-models.ts';
import { linkProblems } from '../support/link-integrity.ts';
import { rowCounts } from '../support/row-counts.ts';
import { StatementLog } from '../support/statement-log.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe.each(drivers)('factory batching on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, factoryModels);
  });
  afterAll(() => api?.close());

  const logged = () => {
    const log = new StatementLog();
    return { log, target: { db: api.server.connection.database(log), tables: api.server.tables } };
  };

  it('inserts 20,000 writers with a phone each in one statement per table, reporting progress', async () => {
    const { log, target } = logged();
    const before = await rowCounts(api.server);
    const progress: Array<[number, number]> = [];
    const writers = await factory(Writer)
      .with('phone')
      .createMany(target, 20_000, { onProgress: (done, total) => progress.push([done, total]) });
    expect(log.statements).toEqual([
      { table: 'writers', values: 40_000 },
      { table: 'phones', values: 40_000 },
    ]);
    expect(progress).toEqual([
      [20_000, 40_000],
      [40_000, 40_000],
    ]);
    const after = await rowCounts(api.server);
    expect(after.Writer).toBe((before.Writer ?? 0) + 20_000);
    expect(after.Phone).toBe((before.Phone ?? 0) + 20_000);
    expect(new Set(writers.map((writer) => writer.phone?.writerId)).size).toBe(20_000);
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('fills a statement to the last bound value postgres.js takes: 65,533 rows of one column', async () => {
    const { log, target } = logged();
    const desks = await factory(Desk).createMany(target, 70_000);
    expect(log.statements).toEqual([
      { table: 'desks', values: 65_533 },
      { table: 'desks', values: 70_000 - 65_533 },
    ]);
    expect(new Set(desks.map((desk) => desk.id)).size).toBe(70_000);
  });

  it('splits a table at 65,533 bound values: 10,000 rows of 15 columns in 3 statements', async () => {
    const { log, target } = logged();
    const rows = await factory(Wide).createMany(target, 10_000);
    // 65,533 / 15 = 4,368 rows per statement.
    expect(log.statements).toEqual([
      { table: 'wides', values: 4368 * 15 },
      { table: 'wides', values: 4368 * 15 },
      { table: 'wides', values: (10_000 - 2 * 4368) * 15 },
    ]);
    expect(rows).toHaveLength(10_000);
    const ids = rows.map((row) => Number(row.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(10_000);
  });
});
