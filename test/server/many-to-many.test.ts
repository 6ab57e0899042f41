/**
 * `manyToMany` through a pivot table: the pivot created by push (unique pair, cascading keys), the
 * flat connection with the pivot on its edges, pivot filters and orders, filters from the parent, and
 * the statements it costs: one per list level, whatever the number of parents.
 */

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory, field, type Model, manyToMany, model } from '../../index.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { drivers } from '../support/databases.ts';
import { StatementLog } from '../support/statement-log.ts';
import { recordStatements } from '../support/statement-text.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const Book = model('Book', {
  fields: { id: field.id(), title: field.string() },
  relations: {
    tags: manyToMany((): Model => Tag, {
      pivotColumns: { addedAt: field.datetime({ default: 'now' }), weight: field.int({ optional: true }) },
    }),
  },
});
const Tag = model('Tag', {
  fields: {
    id: field.id(),
    label: field.string({ unique: true }),
    secret: field.boolean({ default: false }),
  },
  relations: { books: manyToMany((): Model => Book) },
  // Secret tags are for admins only: hidden from lists, counts and filters for everyone else.
  access: { read: ({ viewer }) => viewer?.role === 'admin' || { secret: { eq: false } } },
});

const BOOKS = 1000;
const TAGS = 20;
/** Book b has b % 5 distinct tags (none for every fifth); tag 20 is secret; weight = tag id * 10. */
const tagsOf = (book: number) => Array.from({ length: book % 5 }, (_, i) => ((book * 3 + i * 7) % TAGS) + 1);

async function seed(server: RelgraphServer) {
  const db = server.connection.database();
  await db.execute(
    sql.raw(
      `insert into books (title) select 'b' || lpad(g::text, 4, '0') from generate_series(1, ${BOOKS}) g`,
    ),
  );
  await db.execute(
    sql.raw(
      `insert into tags (label, secret) select 't' || lpad(g::text, 2, '0'), g = ${TAGS} from generate_series(1, ${TAGS}) g`,
    ),
  );
  const pairs = Array.from({ length: BOOKS }, (_, i) =>
    tagsOf(i + 1).map(
      (tag) => `(${i + 1}, ${tag}, ${tag * 10}, timestamptz '2026-01-01' + ${i + tag} * interval '1 minute')`,
    ),
  ).flat();
  await db.execute(
    sql.raw(`insert into book_tag (book_id, tag_id, weight, added_at) values ${pairs.join(', ')}`),
  );
}

/** The tags of a book that the (non-admin) viewer may read, in the list's default order (by id). */
const visibleTagsOf = (book: number) =>
  tagsOf(book)
    .filter((tag) => tag !== TAGS)
    .sort((a, b) => a - b);
const label = (tag: number) => `t${String(tag).padStart(2, '0')}`;

describe.each(drivers)('manyToMany on %s', (driver) => {
  let api: TestServer;
  let statements: string[] = [];
  beforeAll(async () => {
    api = await startTestServer(driver, [Book, Tag], {
      seed,
      authenticate: () => ({ id: '2' }),
      maxPageSize: BOOKS,
    });
    statements = recordStatements(api.server);
  });
  afterAll(() => api?.close());

  it('creates the pivot table with a unique pair and a cascading foreign key to each side', async () => {
    const db = api.server.connection.database();
    const rows = await db.execute(
      sql`select conname, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'book_tag'::regclass and contype in ('f', 'p', 'u') order by conname`,
    );
    const constraints = Object.fromEntries(
      (rows as unknown as { rows: Array<{ conname: string; definition: string }> }).rows.map((row) => [
        row.conname,
        row.definition,
      ]),
    );
    expect(constraints).toEqual({
      book_tag_book_id_fkey: 'FOREIGN KEY (book_id) REFERENCES books(id) ON DELETE CASCADE',
      book_tag_book_id_tag_id_unique: 'UNIQUE (book_id, tag_id)',
      book_tag_pkey: 'PRIMARY KEY (id)',
      book_tag_tag_id_fkey: 'FOREIGN KEY (tag_id) REFERENCES tags(id) ON DELETE CASCADE',
    });
  });

  it('reads the tags of a book flat, with the pivot columns on the edges and the total', async () => {
    const data = await api.dataOf(
      '{ book(id: 9) { tags { totalCount nodes { label } edges { cursor node { id } pivot { bookId tagId weight addedAt } } } } }',
    );
    const tags = visibleTagsOf(9);
    expect(tags.length).toBeGreaterThan(1);
    const list = ((data?.book ?? {}) as { tags: Record<string, unknown> }).tags;
    expect(list.totalCount).toBe(tags.length);
    expect(list.nodes).toEqual(tags.map((tag) => ({ label: label(tag) })));
    expect((list.edges as Array<{ pivot: unknown }>).map((edge) => edge.pivot)).toEqual(
      tags.map((tag) => ({
        bookId: '9',
        tagId: String(tag),
        weight: tag * 10,
        // Seeded at minute (index of the book) + tag: book 9 is index 8.
        addedAt: new Date(Date.UTC(2026, 0, 1, 0, 8 + tag)).toISOString(),
      })),
    );
  });

  it.each([10, 100, 1000])('reads the tags of %i books in one statement per level', async (count) => {
    const query = `{ books(first: ${count}) { nodes { id tags(first: 3) { totalCount nodes { label books(first: 2) { nodes { id } } } } } } }`;
    statements.length = 0;
    const result = await api.query(query);
    expect(result.errors).toBeUndefined();
    // books; the tag pages and the tag totals of every book; the book pages of every tag.
    expect(result.extensions?.sql?.statements).toBe(4);
    const books = (
      (result.data?.books ?? {}) as {
        nodes: Array<{ id: string; tags: { totalCount: number; nodes: unknown[] } }>;
      }
    ).nodes;
    expect(books).toHaveLength(count);
    for (const book of books) {
      const tags = visibleTagsOf(Number(book.id));
      expect(book.tags.totalCount).toBe(tags.length);
      expect(book.tags.nodes).toHaveLength(Math.min(3, tags.length));
    }
  });

  it('pages every book in one statement: the pivot joined to the target, ranked per book, under the read rule', async () => {
    statements.length = 0;
    await api.dataOf('{ books(first: 5) { nodes { tags(first: 2) { nodes { label } } } } }');
    const page = statements.find((text) => text.includes('row_number()'));
    expect(
      page?.replace(/json_build_array\(.*?\) from \(/, 'json_build_array(…) from ('),
    ).toMatchInlineSnapshot(
      `"select json_build_array(json_agg("relgraph_rows"."id"), json_agg("relgraph_rows"."label"), json_agg("relgraph_rows"."__parent"), json_agg("relgraph_rows"."__pivot_id"), json_agg(("relgraph_rows"."__pivot_addedAt" at time zone 'UTC')), json_agg("relgraph_rows"."__pivot_weight"), json_agg("relgraph_rows"."__pivot_bookId"), json_agg("relgraph_rows"."__pivot_tagId")) as "columns" from (select "id", "label", "__parent", "__pivot_id", "__pivot_addedAt", "__pivot_weight", "__pivot_bookId", "__pivot_tagId" from (select "tags"."id", "tags"."label", "book_tag"."book_id" as "__parent", "book_tag"."id" as "__pivot_id", "book_tag"."added_at" as "__pivot_addedAt", "book_tag"."weight" as "__pivot_weight", "book_tag"."book_id" as "__pivot_bookId", "book_tag"."tag_id" as "__pivot_tagId", row_number() over (partition by "book_tag"."book_id" order by "tags"."id" asc nulls last) as "__rank" from "tags" inner join "book_tag" on "book_tag"."tag_id" = "tags"."id" where ("book_tag"."book_id" = any($1::int4[]) and "tags"."secret" = $2::bool)) "ranked" where "__rank" <= $3 order by "__rank") "relgraph_rows""`,
    );
  });

  it('filters and orders by pivot columns and by the target, and pages with cursors', async () => {
    const query = `query ($after: String) { book(id: 9) { tags(first: 1, after: $after, pivotOrderBy: [{ weight: DESC }], pivotWhere: { weight: { gte: 30 } }, where: { label: { ne: "t99" } }) { nodes { label } pageInfo { hasNextPage endCursor } } } }`;
    const expected = visibleTagsOf(9)
      .filter((tag) => tag * 10 >= 30)
      .sort((a, b) => b - a)
      .map(label);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const data = await api.dataOf(query, { after });
      const list = (
        (data?.book ?? {}) as {
          tags: { nodes: Array<{ label: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
        }
      ).tags;
      seen.push(...list.nodes.map((node) => node.label));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('pages backward with last and before, in one statement per page for every book', async () => {
    const query = `query ($before: String) { books(first: 3) { nodes { id tags(last: 1, before: $before, pivotOrderBy: [{ weight: DESC }]) { nodes { label } pageInfo { hasPreviousPage startCursor } } } } }`;
    type Tags = {
      nodes: Array<{ label: string }>;
      pageInfo: { hasPreviousPage: boolean; startCursor: string };
    };
    const first = await api.query(query, { before: null });
    expect(first.errors).toBeUndefined();
    // books; the last tag of every book in one page statement.
    expect(first.extensions?.sql?.statements).toBe(2);
    const books = ((first.data?.books ?? {}) as { nodes: Array<{ id: string; tags: Tags }> }).nodes;
    for (const book of books) {
      const tags = visibleTagsOf(Number(book.id)).sort((a, b) => b - a);
      expect(book.tags.nodes).toEqual(tags.slice(-1).map((tag) => ({ label: label(tag) })));
      expect(book.tags.pageInfo.hasPreviousPage).toBe(tags.length > 1);
    }
    // Book 9 walked to its start from the end: the pivot order reversed.
    const one = `query ($before: String) { book(id: 9) { tags(last: 1, before: $before, pivotOrderBy: [{ weight: DESC }]) { nodes { label } pageInfo { hasPreviousPage startCursor } } } }`;
    const seen: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const data = await api.dataOf(one, { before });
      const tags = ((data?.book ?? {}) as { tags: Tags }).tags;
      seen.unshift(...tags.nodes.map((node) => node.label));
      if (!tags.pageInfo.hasPreviousPage) break;
      before = tags.pageInfo.startCursor;
    }
    expect(seen).toEqual(
      visibleTagsOf(9)
        .sort((a, b) => b - a)
        .map(label),
    );
  });

  it('filters books by their tags: some, every and none, as EXISTS through the pivot', async () => {
    const ids = async (where: string) => {
      const data = await api.dataOf(`{ books(first: 1000, where: ${where}) { nodes { id } } }`);
      return ((data?.books ?? {}) as { nodes: Array<{ id: string }> }).nodes.map((node) => Number(node.id));
    };
    const all = Array.from({ length: BOOKS }, (_, i) => i + 1);
    const has = (book: number, tag: number) => visibleTagsOf(book).includes(tag);
    expect(await ids('{ tags: { some: { label: { eq: "t03" } } } }')).toEqual(all.filter((b) => has(b, 3)));
    expect(await ids('{ tags: { none: { label: { eq: "t03" } } } }')).toEqual(all.filter((b) => !has(b, 3)));
    expect(await ids('{ tags: { every: { label: { lte: "t05" } } } }')).toEqual(
      all.filter((b) => visibleTagsOf(b).every((tag) => tag <= 5)),
    );
    // The secret tag is not readable here, so no book matches through it.
    expect(await ids(`{ tags: { some: { label: { eq: "${label(TAGS)}" } } } }`)).toEqual([]);
  });

  it('hides the tags a viewer may not read: not listed, not counted', async () => {
    const book = Array.from({ length: BOOKS }, (_, i) => i + 1).find((b) => tagsOf(b).includes(TAGS)) ?? 0;
    const query = `{ book(id: ${book}) { tags { totalCount nodes { label } } } }`;
    const data = await api.dataOf(query);
    expect(((data?.book ?? {}) as { tags: unknown }).tags).toEqual({
      totalCount: visibleTagsOf(book).length,
      nodes: visibleTagsOf(book).map((tag) => ({ label: label(tag) })),
    });
  });

  it('deletes the pivot rows of a book or a tag that is deleted', async () => {
    const db = api.server.connection.database();
    const links = async (where: string) =>
      Number(
        (
          (await db.execute(
            sql.raw(`select count(*)::int as n from book_tag where ${where}`),
          )) as unknown as {
            rows: Array<{ n: number }>;
          }
        ).rows[0]?.n,
      );
    expect(await links('book_id = 4')).toBeGreaterThan(0);
    await db.execute(sql`delete from books where id = 4`);
    expect(await links('book_id = 4')).toBe(0);
    expect(await links('tag_id = 19')).toBeGreaterThan(0);
    await db.execute(sql`delete from tags where id = 19`);
    expect(await links('tag_id = 19')).toBe(0);
  });
});

describe.each(drivers)('manyToMany writes on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Book, Tag], {
      authenticate: () => ({ id: '2' }),
      seed: async (server) => {
        const db = server.connection.database();
        await db.execute(
          sql`insert into tags (label, secret) values ('a', false), ('b', false), ('c', false), ('s', true)`,
        );
      },
    });
  });
  afterAll(() => api?.close());

  const TAGS_OF = '{ totalCount edges { node { label } pivot { weight } } }';
  type Links = {
    totalCount: number;
    edges: Array<{ node: { label: string }; pivot: { weight: number | null } }>;
  };
  const linksOf = (tags: Links) => tags.edges.map((edge) => `${edge.node.label}:${edge.pivot.weight}`);
  const create = async (input: string) => {
    const data = await api.dataOf(`mutation { createBook(input: ${input}) { id tags ${TAGS_OF} } }`);
    return (data?.createBook ?? {}) as { id: string; tags: Links };
  };
  const update = (id: string, input: string) =>
    api.query(`mutation { updateBook(id: ${id}, input: ${input}) { tags ${TAGS_OF} } }`);
  const linksAfter = async (id: string, input: string) => {
    const result = await update(id, input);
    expect(result.errors).toBeUndefined();
    return linksOf(((result.data?.updateBook ?? {}) as { tags: Links }).tags);
  };

  it('creates a book linked to existing tags and to new ones, with pivot columns', async () => {
    const book = await create(
      '{ title: "one", tags: { attach: [{ label: "a", pivot: { weight: 1 } }, { id: 2 }], create: [{ data: { label: "n1" }, pivot: { weight: 3 } }] } }',
    );
    expect(book.tags.totalCount).toBe(3);
    expect(linksOf(book.tags)).toEqual(['a:1', 'b:null', 'n1:3']);
  });

  it('attaches, detaches, syncs and updates pivots in one transaction', async () => {
    const { id } = await create('{ title: "two" }');
    expect(
      await linksAfter(id, '{ tags: { attach: [{ label: "a" }, { label: "b", pivot: { weight: 2 } }] } }'),
    ).toEqual(['a:null', 'b:2']);
    expect(
      await linksAfter(id, '{ tags: { updatePivot: [{ where: { label: "a" }, pivot: { weight: 7 } }] } }'),
    ).toEqual(['a:7', 'b:2']);
    expect(await linksAfter(id, '{ tags: { detach: [{ label: "b" }] } }')).toEqual(['a:7']);
    // sync keeps "a" (and its pivot), adds "c", and leaves nothing else.
    expect(
      await linksAfter(id, '{ tags: { sync: [{ label: "c", pivot: { weight: 5 } }, { label: "a" }] } }'),
    ).toEqual(['a:7', 'c:5']);
    expect(await linksAfter(id, '{ tags: { sync: [{ label: "a", pivot: { weight: 8 } }] } }')).toEqual([
      'a:8',
    ]);
    expect(await linksAfter(id, '{ tags: { sync: [] } }')).toEqual([]);
    const both =
      '{ tags: { connectOrCreate: [{ where: { label: "a" }, create: { label: "a" }, pivot: { weight: 4 } }, { where: { label: "n2" }, create: { label: "n2" } }] } }';
    expect(await linksAfter(id, both)).toEqual(['a:4', 'n2:null']);
  });

  it('refuses a link that exists (CONFLICT naming both rows), a missing one (NOT_FOUND), and a tag the viewer cannot read', async () => {
    const { id } = await create('{ title: "three", tags: { attach: [{ label: "a" }] } }');
    const conflict = await update(
      id,
      '{ title: "changed", tags: { attach: [{ label: "b" }, { label: "a" }] } }',
    );
    expect(conflict.errors?.[0]).toMatchObject({
      message: `input.tags.attach[1]: Book with id "${id}" is already linked to Tag with label "a" (a row of book_tag); a link exists at most once — use updatePivot to change it.`,
      extensions: { code: 'CONFLICT' },
    });
    const missing = await update(id, '{ tags: { detach: [{ label: "c" }] } }');
    expect(missing.errors?.[0]).toMatchObject({
      message: 'input.tags.detach[0]: no Tag with label "c" linked to this Book.',
      extensions: { code: 'NOT_FOUND' },
    });
    const hidden = await update(id, '{ tags: { attach: [{ label: "s" }] } }');
    expect(hidden.errors?.[0]).toMatchObject({
      message: 'input.tags.attach[0]: no Tag with label "s".',
      extensions: { code: 'NOT_FOUND' },
    });
    // Every refused mutation rolled back: the title and the link to "b" were not written.
    const data = await api.dataOf(`{ book(id: ${id}) { title tags ${TAGS_OF} } }`);
    expect(data?.book).toMatchObject({ title: 'three' });
    expect(linksOf(((data?.book ?? {}) as { tags: Links }).tags)).toEqual(['a:null']);
  });

  it('lets exactly one of two concurrent attaches of one pair land', async () => {
    const { id } = await create('{ title: "four" }');
    const results = await Promise.all([1, 2].map(() => update(id, '{ tags: { attach: [{ label: "c" }] } }')));
    expect(results.map((result) => result.errors?.[0]?.extensions?.code ?? 'ok').sort()).toEqual([
      'CONFLICT',
      'ok',
    ]);
    const data = await api.dataOf(`{ book(id: ${id}) { tags ${TAGS_OF} } }`);
    expect(linksOf(((data?.book ?? {}) as { tags: Links }).tags)).toEqual(['c:null']);
  });

  it('makes books with linked tags by factory, a pivot row for each pair, in one statement per table', async () => {
    const log = new StatementLog();
    const target = { db: api.server.connection.database(log), tables: api.server.tables };
    const books = await factory(Book).with('tags', 3).createMany(target, 2);
    expect(log.statements.map((statement) => statement.table)).toEqual(['books', 'tags', 'book_tag']);
    expect(books.map((book) => book.tags?.length)).toEqual([3, 3]);
    for (const book of books) {
      const data = await api.dataOf(`{ book(id: ${book.id}) { tags { totalCount nodes { id } } } }`);
      expect(data?.book).toEqual({
        tags: { totalCount: 3, nodes: book.tags?.map((tag) => ({ id: String(tag.id) })) },
      });
    }
    // Known only as `Model`: TypeScript refuses .for("tags") on Book itself.
    await expect(
      factory(Book as Model)
        .for('tags', [{ id: 1 }])
        .create(api.server),
    ).rejects.toThrow(
      'factory(Book).for("tags"): "Book.tags" is a manyToMany; .for() does not link existing rows through it yet. Use .with("tags", count) to make linked rows, or the "tags: { attach }" input of updateBook.',
    );
  });

  it('deletes the links of a deleted book, and the tags stay', async () => {
    const { id } = await create('{ title: "five", tags: { attach: [{ label: "a" }, { label: "b" }] } }');
    const db = api.server.connection.database();
    const count = async () =>
      (
        (await db.execute(
          sql.raw(`select count(*)::int as n from book_tag where book_id = ${id}`),
        )) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]?.n;
    expect(await count()).toBe(2);
    await api.dataOf(`mutation { deleteBook(id: ${id}) { id } }`);
    expect(await count()).toBe(0);
    const data = await api.dataOf('{ tags(where: { label: { in: ["a", "b"] } }) { totalCount } }');
    expect(data?.tags).toEqual({ totalCount: 2 });
  });
});

const Person = model('Person', {
  fields: { id: field.id(), name: field.string({ unique: true }) },
  relations: {
    friends: manyToMany((): Model => Person, {
      pivotTable: 'friendships',
      pivotForeignKey: 'personId',
      pivotRelatedForeignKey: 'friendId',
    }),
    genres: manyToMany((): Model => Genre, { localKey: 'name', relatedKey: 'code' }),
  },
});
const Genre = model('Genre', {
  fields: { id: field.id(), code: field.string({ unique: true }) },
  relations: { people: manyToMany((): Model => Person, { relatedKey: 'name', localKey: 'code' }) },
});

describe.each(drivers)('self and non-primary-key manyToMany on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Person, Genre]);
  });
  afterAll(() => api?.close());

  it('links people to people one way, and people to genres by unique text keys, both sides reading them', async () => {
    await api.dataOf('mutation { createGenre(input: { code: "jazz" }) { id } }');
    await api.dataOf('mutation { createPerson(input: { name: "ann" }) { id } }');
    await api.dataOf(
      'mutation { createPerson(input: { name: "bob", friends: { attach: [{ name: "ann" }] }, genres: { attach: [{ code: "jazz" }], create: [{ data: { code: "folk" } }] } }) { id } }',
    );
    const data = await api.dataOf(
      '{ persons(first: 10, orderBy: [{ name: ASC }]) { nodes { name friends(first: 10) { nodes { name } } genres(first: 10) { edges { node { code } pivot { personName genreCode } } } } } genres(first: 10, orderBy: [{ code: ASC }]) { nodes { code people(first: 10) { totalCount nodes { name } } } } }',
    );
    expect(data).toEqual({
      persons: {
        nodes: [
          { name: 'ann', friends: { nodes: [] }, genres: { edges: [] } },
          {
            name: 'bob',
            friends: { nodes: [{ name: 'ann' }] },
            genres: {
              edges: [
                { node: { code: 'jazz' }, pivot: { personName: 'bob', genreCode: 'jazz' } },
                { node: { code: 'folk' }, pivot: { personName: 'bob', genreCode: 'folk' } },
              ],
            },
          },
        ],
      },
      genres: {
        nodes: [
          { code: 'folk', people: { totalCount: 1, nodes: [{ name: 'bob' }] } },
          { code: 'jazz', people: { totalCount: 1, nodes: [{ name: 'bob' }] } },
        ],
      },
    });
  });
});
