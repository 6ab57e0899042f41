/**
 * hasMany lists as connections per parent (`where`, `orderBy`, `first`/`after`, `last`/`before`,
 * `totalCount`), ordering
 * by fields of to-one relations, and the statements they cost: one per list level, never one per parent.
 */

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StatementCounter } from '../db/statement-counter.ts';
import { belongsTo, factory, field, hasMany, type Model, model } from '../index.ts';
import type { RelgraphServer } from '../server/create-server.ts';
import { drivers } from './support/databases.ts';
import { must } from './support/must.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

const Team = model('Team', {
  fields: { id: field.id(), name: field.string({ optional: true }) },
  relations: { users: hasMany((): Model => User) },
});
const Category = model('Category', {
  fields: { id: field.id(), name: field.string() },
  relations: { posts: hasMany((): Model => Post) },
});
const User = model('User', {
  fields: { id: field.id(), name: field.string() },
  relations: {
    team: belongsTo((): Model => Team, { optional: true }),
    posts: hasMany((): Model => Post, { foreignKey: 'authorId' }),
  },
});
const Post = model('Post', {
  fields: {
    id: field.id(),
    title: field.string(),
    rank: field.int({ optional: true }),
    status: field.enum(['draft', 'published']),
  },
  relations: {
    author: belongsTo((): Model => User),
    category: belongsTo((): Model => Category, { optional: true }),
  },
});

const TEAMS = ['red', null, 'blue'];
const CATEGORIES = ['cb', 'ca', 'cc'];
const PARENTS = 50;
/** User 6 has more posts than the default page; the others 0..10 (every 11th none). */
const postCount = (user: number) => (user === 6 ? 105 : ((user - 1) * 7) % 11);

interface Author {
  id: number;
  name: string;
  team: string | null;
}
interface Article {
  id: number;
  author: number;
  title: string;
  rank: number | null;
  status: 'draft' | 'published';
  category: string | null;
}
// User ids 1..50 named u01..u50; every 4th has no team. Team 2 has a null name.
const AUTHORS: Author[] = Array.from({ length: PARENTS }, (_, i) => ({
  id: i + 1,
  name: `u${String(i + 1).padStart(2, '0')}`,
  team: i % 4 === 3 ? null : (TEAMS[i % 3] ?? null),
}));
const teamIdOf = (i: number) => (i % 4 === 3 ? null : (i % 3) + 1);
const ARTICLES: Article[] = AUTHORS.flatMap((author) =>
  Array.from({ length: postCount(author.id) }, (_, j) => ({
    id: 0,
    author: author.id,
    title: `${author.name}-${String(j).padStart(3, '0')}`,
    rank: j % 3 === 2 ? null : (j * 5) % 4,
    status: j % 2 === 0 ? ('published' as const) : ('draft' as const),
    category: j % 5 === 4 ? null : (CATEGORIES[j % 3] ?? null),
  })),
).map((article, i) => ({ ...article, id: i + 1 }));

/** Everything above, by the factories, in the order written: a fresh database gives the ids above. */
async function seed(server: RelgraphServer) {
  const teams = await factory(Team)
    .sequence(...TEAMS.map((name) => ({ name })))
    .createMany(server, TEAMS.length);
  const categories = await factory(Category)
    .sequence(...CATEGORIES.map((name) => ({ name })))
    .createMany(server, CATEGORIES.length);
  const idOf = (rows: ReadonlyArray<{ id: number }>, position: number) =>
    must(rows[position], `row ${position}`).id;
  const users = await factory(User)
    .sequence(
      ...AUTHORS.map((author, i) => {
        const team = teamIdOf(i);
        return { name: author.name, teamId: team === null ? null : idOf(teams, team - 1) };
      }),
    )
    .createMany(server, PARENTS);
  await factory(Post)
    .sequence(
      ...ARTICLES.map(({ title, rank, status, category }) => ({
        title,
        rank,
        status,
        categoryId: category === null ? null : idOf(categories, CATEGORIES.indexOf(category)),
      })),
    )
    .for(
      'author',
      ARTICLES.map((article) => must(users[article.author - 1], `user ${article.author}`)),
    )
    .createMany(server, ARTICLES.length);
}

type Value = string | number | null;
type Key<T> = [value: (row: T) => Value, direction: 'ASC' | 'DESC' | 'ASC_NULLS_FIRST'];

/** PostgreSQL's order: ASC puts nulls last, DESC first; then the id ascending. */
function sorted<T extends { id: number }>(rows: readonly T[], ...keys: Array<Key<T>>): T[] {
  const compare = (a: T, b: T) => {
    for (const [value, direction] of [...keys, [(row: T) => row.id, 'ASC'] as Key<T>]) {
      const [x, y] = [value(a), value(b)];
      if (x === y) continue;
      const nullsFirst = direction !== 'ASC';
      if (x === null) return nullsFirst ? -1 : 1;
      if (y === null) return nullsFirst ? 1 : -1;
      return (x < y ? -1 : 1) * (direction === 'DESC' ? -1 : 1);
    }
    return 0;
  };
  return [...rows].sort(compare);
}

const postsOf = (author: number) => ARTICLES.filter((article) => article.author === author);
const titles = (rows: readonly Article[]) => rows.map((row) => row.title);
const byRankDesc: Key<Article> = [(row) => row.rank, 'DESC'];

interface Page {
  totalCount?: number;
  nodes: Array<{ title: string }>;
  edges?: Array<{ cursor: string }>;
  pageInfo?: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}
interface Parent {
  id: string;
  posts: Page;
}

describe.each(drivers)('hasMany lists on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Team, Category, User, Post], { seed });
  });
  afterAll(() => api?.close());

  async function ok(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
    const result = await api.query(query, variables);
    expect(result.errors).toBeUndefined();
    return result;
  }
  /** The answer of one root field, typed by the test. */
  const dataOf = <T>(result: GraphQLResponse, name: string) => must(result.data?.[name], name) as T;
  const parentsOf = (result: GraphQLResponse) => dataOf<{ nodes: Parent[] }>(result, 'users').nodes;
  const POSTS_PAGE = `query ($where: PostWhere, $orderBy: [PostOrderBy!], $first: Int, $after: String, $last: Int, $before: String) {
    users(first: 50) { nodes { id posts(where: $where, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount nodes { title } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor }
    } } }
  }`;

  describe('a page per parent', () => {
    it('gives each of 50 parents (0 to 105 children) its own first page, hasNextPage and totalCount', async () => {
      const result = await ok(POSTS_PAGE, { orderBy: [{ rank: 'DESC' }], first: 4 });
      const parents = parentsOf(result);
      expect(parents.map((parent) => Number(parent.id))).toEqual(AUTHORS.map((author) => author.id));
      for (const parent of parents) {
        const all = sorted(postsOf(Number(parent.id)), byRankDesc);
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(all.slice(0, 4)));
        expect(parent.posts.pageInfo).toMatchObject({ hasNextPage: all.length > 4, hasPreviousPage: false });
        expect(parent.posts.totalCount).toBe(all.length);
      }
      expect(parents.filter((parent) => parent.posts.totalCount === 0).length).toBeGreaterThan(2);
      // users; the pages of all 50 parents; the totals of all 50 parents.
      expect(result.extensions?.sql?.statements).toBe(3);
    });

    it("filters each parent's children with where, and counts only the matching ones", async () => {
      const where = { status: { eq: 'published' }, rank: { isNull: false } };
      const result = await ok(POSTS_PAGE, { where, orderBy: [{ rank: 'ASC_NULLS_FIRST' }], first: 3 });
      for (const parent of parentsOf(result)) {
        const matching = postsOf(Number(parent.id)).filter(
          (row) => row.status === 'published' && row.rank !== null,
        );
        const all = sorted(matching, [(row) => row.rank, 'ASC_NULLS_FIRST']);
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(all.slice(0, 3)));
        expect(parent.posts.pageInfo?.hasNextPage).toBe(all.length > 3);
        expect(parent.posts.totalCount).toBe(all.length);
      }
    });

    it('continues every parent after one cursor: the rows past that key in each list', async () => {
      const first = parentsOf(await ok(POSTS_PAGE, { orderBy: [{ rank: 'DESC' }], first: 4 }));
      const cursor = must(first.find((parent) => parent.id === '4')?.posts.edges?.[1]?.cursor, 'cursor');
      const mark = must(sorted(postsOf(4), byRankDesc)[1], 'row 2 of user 4');
      const result = await ok(POSTS_PAGE, { orderBy: [{ rank: 'DESC' }], first: 3, after: cursor });
      for (const parent of parentsOf(result)) {
        const all = sorted([...postsOf(Number(parent.id)), mark], byRankDesc);
        const after = all.slice(all.lastIndexOf(mark) + 1).filter((row) => row !== mark);
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(after.slice(0, 3)));
        expect(parent.posts.pageInfo).toMatchObject({ hasNextPage: after.length > 3, hasPreviousPage: true });
        expect(parent.posts.totalCount).toBe(postsOf(Number(parent.id)).length);
      }
    });

    it('gives each of 50 parents its last page, in order, with hasPreviousPage, in the same 3 statements', async () => {
      const where = { status: { eq: 'published' } };
      const result = await ok(POSTS_PAGE, { where, orderBy: [{ rank: 'DESC' }], last: 3 });
      for (const parent of parentsOf(result)) {
        const all = sorted(
          postsOf(Number(parent.id)).filter((row) => row.status === 'published'),
          byRankDesc,
        );
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(all.slice(-3)));
        expect(parent.posts.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: all.length > 3 });
        expect(parent.posts.totalCount).toBe(all.length);
      }
      expect(result.extensions?.sql?.statements).toBe(3);
    });

    it('goes back from one cursor in every parent: the rows before that key in each list', async () => {
      const first = parentsOf(await ok(POSTS_PAGE, { orderBy: [{ rank: 'DESC' }], first: 4 }));
      const cursor = must(first.find((parent) => parent.id === '4')?.posts.edges?.[2]?.cursor, 'cursor');
      const mark = must(sorted(postsOf(4), byRankDesc)[2], 'row 3 of user 4');
      const result = await ok(POSTS_PAGE, { orderBy: [{ rank: 'DESC' }], last: 2, before: cursor });
      for (const parent of parentsOf(result)) {
        const all = sorted([...postsOf(Number(parent.id)), mark], byRankDesc);
        const before = all.slice(0, all.indexOf(mark)).filter((row) => row !== mark);
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(before.slice(-2)));
        expect(parent.posts.pageInfo).toMatchObject({
          hasNextPage: true,
          hasPreviousPage: before.length > 2,
        });
      }
      expect(result.extensions?.sql?.statements).toBe(3);
    });

    it("walks one parent's 105 backward from the end to the start, and between two cursors", async () => {
      const query = `query ($before: String, $after: String, $last: Int) { user(id: 6) {
        posts(last: $last, before: $before, after: $after, orderBy: [{ rank: DESC }]) {
          nodes { title } edges { cursor } pageInfo { hasPreviousPage hasNextPage endCursor }
        }
      } }`;
      type Posts = { posts: Page & { pageInfo: { hasPreviousPage: boolean } } };
      const all = titles(sorted(postsOf(6), byRankDesc));
      const walked: string[] = [];
      const cursors: string[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 10; guard += 1) {
        const { posts }: Posts = dataOf(await ok(query, { last: 40, before }), 'user');
        walked.unshift(...posts.nodes.map((node) => node.title));
        cursors.unshift(...(posts.edges ?? []).map((edge) => edge.cursor));
        if (!posts.pageInfo.hasPreviousPage) break;
        before = must(posts.edges?.[0]?.cursor, 'start cursor');
      }
      expect(walked).toEqual(all);
      const { posts }: Posts = dataOf(
        await ok(query, { last: 5, after: cursors[10], before: cursors[30] }),
        'user',
      );
      expect(posts.nodes.map((node) => node.title)).toEqual(all.slice(25, 30));
      expect(posts.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it('gives a parent without children an empty page with null cursors', async () => {
      const result = await ok(
        '{ user(id: 12) { posts { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } } }',
      );
      expect(postCount(12)).toBe(0);
      expect(result.data).toEqual({
        user: {
          posts: {
            totalCount: 0,
            nodes: [],
            pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
          },
        },
      });
    });

    it("gives the default maximum of 100 children without first, and walks one parent's 105 to the end", async () => {
      const query = `query ($after: String, $first: Int) { user(id: 6) {
        posts(first: $first, after: $after, orderBy: [{ rank: DESC }]) { totalCount nodes { title } pageInfo { hasNextPage endCursor } }
      } }`;
      const all = titles(sorted(postsOf(6), byRankDesc));
      const whole = dataOf<{ posts: Page }>(await ok(query), 'user');
      expect(whole.posts.nodes.map((node) => node.title)).toEqual(all.slice(0, 100));
      expect(whole.posts).toMatchObject({ totalCount: 105, pageInfo: { hasNextPage: true } });
      const walked: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard += 1) {
        const { posts }: { posts: Page } = dataOf(await ok(query, { first: 40, after }), 'user');
        walked.push(...posts.nodes.map((node) => node.title));
        if (!posts.pageInfo?.hasNextPage) break;
        after = posts.pageInfo.endCursor;
      }
      expect(walked).toEqual(all);
    });

    it('loads different arguments on the same field (aliases) as separate lists, one statement each', async () => {
      const result = await ok(`{ users(first: 50) { nodes { id
        newest: posts(first: 2, orderBy: [{ id: DESC }]) { nodes { title } }
        drafts: posts(first: 1, where: { status: { eq: draft } }) { nodes { title } }
      } } }`);
      const parents = dataOf<{ nodes: Array<{ id: string; newest: Page; drafts: Page }> }>(
        result,
        'users',
      ).nodes;
      for (const parent of parents) {
        const own = postsOf(Number(parent.id));
        expect(parent.newest.nodes.map((node) => node.title)).toEqual(titles(own.slice(-2).reverse()));
        expect(parent.drafts.nodes.map((node) => node.title)).toEqual(
          titles(own.filter((row) => row.status === 'draft').slice(0, 1)),
        );
      }
      expect(result.extensions?.sql?.statements).toBe(3);
    });

    it.each([
      [
        'a first past the maximum',
        '{ users(first: 2) { nodes { posts(first: 101) { nodes { id } } } } }',
        'BAD_USER_INPUT',
        /"first"/,
      ],
      [
        'a malformed after',
        '{ users(first: 2) { nodes { posts(after: "nope") { nodes { id } } } } }',
        'BAD_USER_INPUT',
        /"after"/,
      ],
      [
        'first and last together',
        '{ users(first: 2) { nodes { posts(first: 2, last: 2) { nodes { id } } } } }',
        'BAD_USER_INPUT',
        /"first" or "last", not both/,
      ],
      [
        'a last past the maximum',
        '{ users(first: 2) { nodes { posts(last: 101) { nodes { id } } } } }',
        'BAD_USER_INPUT',
        /"last"/,
      ],
      [
        'a malformed before',
        '{ users(first: 2) { nodes { posts(last: 2, before: "nope") { nodes { id } } } } }',
        'BAD_USER_INPUT',
        /"before"/,
      ],
    ])('refuses %s on a hasMany list', async (_, query, code, message) => {
      const result = await api.query(query);
      expect([...new Set(result.errors?.map((error) => error.extensions?.code))]).toEqual([code]);
      expect(result.errors?.[0]?.message).toMatch(message);
    });
  });

  describe('ordering by a field of a to-one relation', () => {
    const category = (row: Article) => row.category;

    it("orders each parent's children by category.name DESC, then rank", async () => {
      const result = await ok(POSTS_PAGE, {
        orderBy: [{ category: { name: 'DESC' } }, { rank: 'ASC' }],
        first: 5,
      });
      for (const parent of parentsOf(result)) {
        const all = sorted(postsOf(Number(parent.id)), [category, 'DESC'], [(row) => row.rank, 'ASC']);
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(all.slice(0, 5)));
      }
    });

    it('orders a root list two links away (author.team.name), across two pages', async () => {
      const teamName = (row: Article) => AUTHORS[row.author - 1]?.team ?? null;
      const author = (row: Article) => AUTHORS[row.author - 1]?.name ?? null;
      const expected = titles(sorted(ARTICLES, [teamName, 'ASC_NULLS_FIRST'], [author, 'DESC'], byRankDesc));
      const query = `query ($after: String) { posts(first: 100, after: $after, orderBy: [
        { author: { team: { name: ASC_NULLS_FIRST } } }, { author: { name: DESC } }, { rank: DESC }
      ]) { nodes { title } pageInfo { endCursor } } }`;
      const one = dataOf<Page>(await ok(query), 'posts');
      const two = dataOf<Page>(await ok(query, { after: one.pageInfo?.endCursor }), 'posts');
      expect([...one.nodes, ...two.nodes].map((node) => node.title)).toEqual(expected.slice(0, 200));
    });
  });

  describe('statements per request', () => {
    const count = async (query: string) => (await ok(query)).extensions?.sql?.statements;

    it('runs 2 statements for users(first: 50) { posts(first: 10, orderBy) }', async () => {
      expect(
        await count(
          '{ users(first: 50) { nodes { posts(first: 10, orderBy: [{ rank: DESC }]) { nodes { title } } } } }',
        ),
      ).toBe(2);
    });

    it('still runs 2 with where on both levels, relation filters and relation ordering included', async () => {
      const result =
        await ok(`{ users(first: 50, where: { posts: { some: { status: { eq: draft } } }, team: { name: { eq: "red" } } }) {
        nodes { id posts(first: 10, where: { category: { name: { in: ["ca", "cb"] } } }, orderBy: [{ category: { name: ASC } }]) { nodes { title } } }
      } }`);
      const parents = parentsOf(result);
      const expected = AUTHORS.filter(
        (a) => a.team === 'red' && postsOf(a.id).some((row) => row.status === 'draft'),
      );
      expect(parents.map((parent) => Number(parent.id))).toEqual(expected.map((a) => a.id));
      for (const parent of parents) {
        const own = postsOf(Number(parent.id)).filter(
          (row) => row.category === 'ca' || row.category === 'cb',
        );
        const all = sorted(own, [(row) => row.category, 'ASC']);
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(titles(all.slice(0, 10)));
      }
      expect(result.extensions?.sql?.statements).toBe(2);
    });

    it('runs at most 4 with totalCount on both levels', async () => {
      const result = await ok(`{ users(first: 50, where: { name: { gte: "u10" } }) { totalCount
        nodes { id posts(first: 10, where: { status: { eq: published } }) { totalCount nodes { title } } } } }`);
      const users = dataOf<{ totalCount: number; nodes: Parent[] }>(result, 'users');
      expect(users.totalCount).toBe(41);
      for (const parent of users.nodes) {
        expect(parent.posts.totalCount).toBe(
          postsOf(Number(parent.id)).filter((row) => row.status === 'published').length,
        );
      }
      expect(result.extensions?.sql?.statements).toBeLessThanOrEqual(4);
    });

    it('counts without loading a page when only totalCount is selected', async () => {
      expect(await count('{ users(first: 50) { totalCount } }')).toBe(1);
      expect(await count('{ users(first: 50) { nodes { posts { totalCount } } } }')).toBe(2);
    });

    it('adds no statement for edges, pageInfo and the author of each child (already loaded)', async () => {
      expect(
        await count(`{ users(first: 50) { pageInfo { endCursor } edges { cursor node {
          posts(first: 10) { edges { cursor node { title author { name } } } pageInfo { hasNextPage endCursor } }
        } } } }`),
      ).toBe(2);
    });

    it('pages backward in one window statement per level, ranked in reverse order, past the cursor', async () => {
      const logQuery = vi.spyOn(StatementCounter.prototype, 'logQuery');
      try {
        // The 40th of user 6's posts by rank DESC has a rank (the 35 without one come first).
        const first = parentsOf(await ok(POSTS_PAGE, { orderBy: [{ rank: 'DESC' }], first: 40 }));
        const cursor = must(first.find((parent) => parent.id === '6')?.posts.edges?.[39]?.cursor, 'cursor');
        logQuery.mockClear();
        const result = await ok(
          `query ($before: String) { teams { nodes { users(last: 20) { nodes { id
            posts(last: 2, before: $before, orderBy: [{ rank: DESC }]) { nodes { title } } } } } } }`,
          { before: cursor },
        );
        const texts = logQuery.mock.calls.map(([text]) => text);
        expect(result.extensions?.sql?.statements).toBe(3);
        expect(texts).toHaveLength(3);
        const [children] = texts.filter((text) => text.includes('"posts"."author_id" = any('));
        // Ranked from the end of the order (DESC reversed), after the keyset condition of `before`.
        expect(children).toMatch(
          /row_number\(\) over \(partition by "author_id" order by "posts"\."rank" asc nulls last, "posts"\."id" desc nulls first\)/,
        );
        expect(children).toMatch(/"posts"\."rank" > \$\d+::int4/);
        const users = must(
          texts.find((text) => text.includes('"users"."team_id" = any(')),
          'the users statement',
        );
        expect(users).toMatch(/order by "users"\."id" desc nulls first/);
      } finally {
        logQuery.mockRestore();
      }
    });

    it('runs one statement per list level: teams → users → posts in 3', async () => {
      const result = await ok(
        '{ teams { nodes { users(first: 20) { nodes { id posts(first: 2) { nodes { title } } } } } } }',
      );
      const teams = dataOf<{ nodes: Array<{ users: { nodes: Parent[] } }> }>(result, 'teams').nodes;
      expect(teams.map((team) => team.users.nodes.length)).toEqual(
        [1, 2, 3].map((team) => AUTHORS.filter((_, i) => teamIdOf(i) === team).length),
      );
      for (const parent of teams.flatMap((team) => team.users.nodes)) {
        expect(parent.posts.nodes.map((node) => node.title)).toEqual(
          titles(postsOf(Number(parent.id)).slice(0, 2)),
        );
      }
      expect(result.extensions?.sql?.statements).toBe(3);
    });
  });
});
