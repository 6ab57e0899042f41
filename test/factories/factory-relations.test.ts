/**
 * Factories with relations: `.with` in both directions and nested, `.for` existing rows, parents made
 * for required keys — each checked by the rows it added per table, the statements it ran, and every
 * link in the database (no key pointing nowhere, no one-to-one key used twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementCounter } from '../../db/statement-counter.ts';
import { FactoryError, type FactoryTarget, factory } from '../../index.ts';
import { drivers } from '../support/databases.ts';
import {
  Account,
  Comment,
  Desk,
  Employee,
  factoryModels,
  Phone,
  Post,
  Team,
  Writer,
} from '../support/factory-models.ts';
import { linkProblems, linkReports } from '../support/link-integrity.ts';
import { rowCounts } from '../support/row-counts.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe.each(drivers)('factories with relations on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, factoryModels);
  });
  afterAll(() => api?.close());

  /** Runs `create`, answering what it returned, the rows it added per table and its statements. */
  async function measure<T>(create: (target: FactoryTarget) => Promise<T>) {
    const counter = new StatementCounter();
    const target = { db: api.server.connection.database(counter), tables: api.server.tables };
    const before = await rowCounts(api.server);
    const result = await create(target);
    const after = await rowCounts(api.server);
    const added = Object.fromEntries(
      Object.entries(after)
        .map(([name, rows]) => [name, rows - (before[name] ?? 0)] as const)
        .filter(([, rows]) => rows !== 0),
    );
    return { rows: result, added, statements: counter.count };
  }

  /** A failure that must leave every table as it was and name the problem. */
  async function expectRefused(create: (target: FactoryTarget) => Promise<unknown>, message: RegExp) {
    const refused = await measure((target) =>
      create(target).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(refused.rows).toBeInstanceOf(FactoryError);
    expect((refused.rows as Error).message).toMatch(message);
    // The database's reason, not Drizzle's wrapper holding the statement and every bound value.
    expect((refused.rows as Error).message).not.toMatch(/insert into|params:/i);
    expect(refused.added).toEqual({});
    return refused.statements;
  }

  it('makes each writer a phone, a profile and 3 posts: one INSERT per table, keys wired', async () => {
    const { rows, added, statements } = await measure((target) =>
      factory(Writer)
        .with('phone')
        .with('profile', (profile) => profile.merge({ bio: 'Writes about databases.' }))
        .with('posts', 3)
        .createMany(target, 5),
    );
    expect(added).toEqual({ Writer: 5, Phone: 5, Profile: 5, Post: 15 });
    expect(statements).toBe(4);
    for (const writer of rows) {
      expect(writer.phone?.writerId).toBe(writer.id);
      expect(writer.profile).toMatchObject({ ownerId: writer.id, bio: 'Writes about databases.' });
      expect(writer.posts?.map((post) => post.authorId)).toEqual([writer.id, writer.id, writer.id]);
    }
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('nests: 4 rows, 3 posts each, 2 comments per post, in 3 statements', async () => {
    const { rows, added, statements } = await measure((target) =>
      factory(Writer)
        .with('posts', 3, (post) => post.with('comments', 2))
        .createMany(target, 4),
    );
    expect(added).toEqual({ Writer: 4, Post: 12, Comment: 24 });
    expect(statements).toBe(3);
    const posts = rows.flatMap((writer) => writer.posts ?? []);
    expect(new Set(posts.map((post) => post.authorId))).toEqual(new Set(rows.map((writer) => writer.id)));
    for (const post of posts) {
      const comments = (post as { comments?: Array<{ postId: unknown }> }).comments ?? [];
      expect(comments.map((comment) => comment.postId)).toEqual([post.id, post.id]);
    }
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('makes parents through belongsTo: a writer per phone, inserted before the rows', async () => {
    const { rows, added, statements } = await measure((target) =>
      factory(Phone)
        .with('writer', (writer) => writer.with('profile').with('team'))
        .createMany(target, 6),
    );
    expect(added).toEqual({ Phone: 6, Writer: 6, Profile: 6, Team: 6 });
    expect(statements).toBe(4);
    expect(new Set(rows.map((phone) => phone.writerId)).size).toBe(6);
    for (const phone of rows) expect(phone.writer?.id).toBe(phone.writerId);
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('makes a parent for a required key left unset: one per row on a one-to-one link, else one shared', async () => {
    const phones = await measure((target) => factory(Phone).createMany(target, 4));
    expect(phones.added).toEqual({ Phone: 4, Writer: 4 });
    const posts = await measure((target) => factory(Post).createMany(target, 5));
    expect(posts.added).toEqual({ Post: 5, Writer: 1 });
    expect(new Set(posts.rows.map((post) => post.authorId)).size).toBe(1);
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('leaves an optional key null unless asked, and counts 0 or 1 per row by a function', async () => {
    const { rows, added } = await measure((target) =>
      factory(Writer)
        .with(
          'desk',
          (_, index) => (index % 2 === 0 ? 1 : 0),
          (desk) => desk.merge({ floor: 3 }),
        )
        .createMany(target, 6),
    );
    expect(added).toEqual({ Writer: 6, Desk: 3 });
    expect(rows.map((writer) => writer.deskId !== null)).toEqual([true, false, true, false, true, false]);
    expect(rows.map((writer) => writer.teamId)).toEqual([null, null, null, null, null, null]);
    expect(rows[0]?.desk).toMatchObject({ floor: 3 });
  });

  it('connects existing rows with .for, in turn, and one-to-one only to distinct rows', async () => {
    const teams = await factory(Team).createMany(api.server, 2);
    const desks = await factory(Desk).createMany(api.server, 3);
    const { rows, added } = await measure((target) =>
      factory(Writer).for('team', teams).for('desk', desks).createMany(target, 3),
    );
    expect(added).toEqual({ Writer: 3 });
    expect(rows.map((writer) => writer.teamId)).toEqual([teams[0]?.id, teams[1]?.id, teams[0]?.id]);
    expect(rows.map((writer) => writer.deskId)).toEqual(desks.map((desk) => desk.id));

    const tooFew = await expectRefused(
      (target) => factory(Writer).for('desk', desks.slice(0, 2)).createMany(target, 3),
      /"Writer\.desk" is one-to-one, so 3 Writer rows need 3 different Desk rows; 2 were given/,
    );
    expect(tooFew).toBe(0);
    await expectRefused(
      (target) =>
        factory(Writer)
          .for('desk', [desks[0] ?? {}, desks[0] ?? {}])
          .createMany(target, 2),
      /Desk \d+ was given twice, but "Writer\.desk" is one-to-one/,
    );
  });

  it('never gives a writer a second phone, and says why', async () => {
    const statements = await expectRefused(
      (target) => factory(Writer).with('phone', 2).createMany(target, 1),
      /a Writer has at most one \(one-to-one\) Phone, so the count is 0 or 1; received 2/,
    );
    expect(statements).toBe(0);
    await expectRefused(
      (target) =>
        factory(Phone)
          .with('writer', (writer) => writer.with('phone'))
          .createMany(target, 1),
      /each Writer made here already has its Phone, and "Writer\.phone" is one-to-one/,
    );
    await expectRefused(
      (target) =>
        factory(Writer)
          .with('posts', 2, (post) => post.with('author'))
          .createMany(target, 1),
      /"Post\.author" is already set; remove \.with\("author"\)/,
    );
    const [taken] = await factory(Phone).createMany(api.server, 1);
    await expectRefused(
      (target) =>
        factory(Writer)
          .with('posts', 2, (post) => post.for('author', { id: taken?.writerId }))
          .createMany(target, 1),
      /factory\(Post\)\.for\("author"\): .*"Post\.author" is already set; remove \.for\("author"\)/,
    );
    await expectRefused(
      (target) => factory(Phone).for('writer', { id: taken?.writerId }).createMany(target, 1),
      /inserting 1 rows failed, and nothing was inserted: .*unique.*one-to-one parent given with \.for\(\)/s,
    );
  });

  it('wires keys that point at a unique field other than the primary key', async () => {
    const { rows, added } = await measure((target) =>
      factory(Account).with('card').with('entries', 2).createMany(target, 3),
    );
    expect(added).toEqual({ Account: 3, Card: 3, Entry: 6 });
    for (const account of rows) {
      expect(account.card?.accountNumber).toBe(account.number);
      expect(account.entries?.map((entry) => entry.accountNumber)).toEqual([account.number, account.number]);
    }
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('inserts a self reference level by level: a manager, 3 reports, 2 reports each', async () => {
    const { rows, added, statements } = await measure((target) =>
      factory(Employee)
        .with('reports', 3, (report) => report.with('reports', 2))
        .create(target),
    );
    expect(added).toEqual({ Employee: 1 + 3 + 6 });
    // One statement per level: a row can only point at a row inserted before it.
    expect(statements).toBe(3);
    expect(rows.managerId).toBeNull();
    for (const report of rows.reports ?? []) {
      expect(report.managerId).toBe(rows.id);
      const nested = (report as { reports?: Array<{ managerId: unknown }> }).reports ?? [];
      expect(nested.map((each) => each.managerId)).toEqual([report.id, report.id]);
    }
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('rolls the whole call back when a later table fails', async () => {
    await expectRefused(
      (target) =>
        factory(Writer)
          .with('posts', 2, (post) => post.with('comments', 2, (comment) => comment.merge({ code: 'same' })))
          .createMany(target, 2),
      /factory\(Writer\): inserting 14 rows failed, and nothing was inserted: .*unique/s,
    );
  });

  it('names an unknown relation, a relation given as a field, a .for on a hasMany, and a bad count', async () => {
    await expectRefused(
      // @ts-expect-error: a relation, not a field
      (target) => factory(Writer).merge({ team: 1 }).createMany(target, 1),
      /Writer has no field "team"\. "team" is a relation: use \.with\("team"\) or \.for\("team", row\), or set "teamId"/,
    );
    await expectRefused(
      // @ts-expect-error: not a relation of Writer
      (target) => factory(Writer).with('post').createMany(target, 1),
      /Writer has no relation "post"\. Did you mean "posts"\?/,
    );
    await expectRefused(
      // @ts-expect-error: .for takes a belongsTo only
      (target) => factory(Writer).for('posts', []).createMany(target, 1),
      /"Writer\.posts" is a hasMany; \.for\(\) connects a belongsTo to existing rows/,
    );
    await expectRefused(
      (target) => factory(Writer).with('posts', -1).createMany(target, 1),
      /a count must be a whole number of 0 or more; received -1/,
    );
  });

  it('reports every link of the model set as checked, one-to-one links included', async () => {
    const reports = await linkReports(api.server);
    expect(reports.filter((report) => report.linked > 0).length).toBe(reports.length);
    expect(reports.filter((report) => report.oneToOne).map((report) => report.link)).toEqual(
      expect.arrayContaining(['Phone.writerId → Writer.id', 'Writer.deskId → Desk.id']),
    );
    expect(await linkProblems(api.server)).toEqual([]);
  });

  it('accepts a server or { db, tables } as the target, and makes no row for a count of 0', async () => {
    expect(await factory(Comment).createMany(api.server, 0)).toEqual([]);
    const made = await factory(Comment).create({
      db: api.server.connection.database(),
      tables: api.server.tables,
    });
    expect(made.postId).toEqual(expect.any(Number));
  });
});
