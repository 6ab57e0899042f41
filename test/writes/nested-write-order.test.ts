/**
 * Nested writes see the rows written before them in the input: a `connect` or `connectOrCreate` of a
 * row that an earlier sibling creates finds it; one that names a row created only later in the input
 * is refused up front with both paths — never a NOT_FOUND or CONFLICT for a row the input itself makes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, field, hasMany, type Model, model } from '../../index.ts';
import { drivers } from '../support/databases.ts';
import { rowCounts, rowsOf } from '../support/row-counts.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type Row = Record<string, unknown>;

const Tag = model('Tag', {
  fields: { id: field.id(), label: field.string({ unique: true }) },
  relations: { chapters: hasMany((): Model => Chapter) },
});
const Book = model('Book', {
  fields: { id: field.id(), title: field.string() },
  relations: {
    chapters: hasMany((): Model => Chapter),
    featured: belongsTo(() => Tag, { optional: true }),
  },
});
const Chapter = model('Chapter', {
  fields: { id: field.id(), title: field.string(), code: field.string({ unique: true, optional: true }) },
  relations: { book: belongsTo(() => Book), tag: belongsTo(() => Tag, { optional: true }) },
});

const CREATE_BOOK = `mutation ($input: CreateBookInput!) {
  createBook(input: $input) { chapters { nodes { title tag { label } } } featured { label } }
}`;
const chapter = (title: string, tag?: Row) => ({ title, ...(tag && { tag }) });

describe.each(drivers)('nested writes in document order on %s', (driver) => {
  let api: TestServer;
  let serial = 0;
  const label = () => `sf-${++serial}`;
  const tagged = async (name: string) => rowsOf(api.server, 'Tag', { field: 'label', value: name });

  beforeAll(async () => {
    api = await startTestServer(driver, [Tag, Book, Chapter]);
  });
  afterAll(() => api?.close());

  it('connects a row that an earlier sibling creates, at the cost of the connect alone', async () => {
    const sf = label();
    const input = {
      title: 'Dune',
      chapters: {
        create: [chapter('1', { create: { label: sf } }), chapter('2', { connect: { label: sf } })],
      },
    };
    const result = await api.query(CREATE_BOOK, { input });
    expect(result.errors).toBeUndefined();
    const nodes = [
      { title: '1', tag: { label: sf } },
      { title: '2', tag: { label: sf } },
    ];
    expect(result.data).toEqual({ createBook: { chapters: { nodes }, featured: null } });
    expect(await tagged(sf)).toHaveLength(1);
    // Book, tag, connect lookup, chapters (one INSERT for both); then the answer: chapters, their tag.
    expect(result.extensions?.sql?.statements).toBe(4 + 2);
  });

  it('connectOrCreate after a create of the same row connects to it', async () => {
    const sf = label();
    const input = {
      title: 'Hyperion',
      chapters: {
        create: [
          chapter('1', { create: { label: sf } }),
          chapter('2', { connectOrCreate: { where: { label: sf }, create: { label: sf } } }),
        ],
      },
    };
    const result = await api.query(CREATE_BOOK, { input });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createBook).toMatchObject({
      chapters: { nodes: [{ tag: { label: sf } }, { tag: { label: sf } }] },
    });
    expect(await tagged(sf)).toHaveLength(1);
  });

  it('connects a child that the create list before it makes (hasMany: create, then connect)', async () => {
    const code = label();
    const input = { title: 'Solaris', chapters: { create: [{ title: '1', code }], connect: [{ code }] } };
    const result = await api.query(CREATE_BOOK, { input });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createBook).toMatchObject({ chapters: { nodes: [{ title: '1' }] } });
  });

  it('refuses a connect of a row created only by a later sibling, naming both paths', async () => {
    const sf = label();
    const before = await rowCounts(api.server);
    const input = {
      title: 'Foundation',
      chapters: {
        create: [chapter('1', { connect: { label: sf } }), chapter('2', { create: { label: sf } })],
      },
    };
    const result = await api.query(CREATE_BOOK, { input });
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'BAD_USER_INPUT',
        `input.chapters.create[0].tag.connect: the Tag with label "${sf}" is created in this same input by input.chapters.create[1].tag.create, which is written after this point (parents before children, list items in order). Create it in an earlier item of the list, or in an earlier field of the mutation (all its fields share one transaction).`,
      ],
    ]);
    expect(await rowCounts(api.server)).toEqual(before);
  });

  it('refuses a parent connect of a row its children create (written after it), and a connectOrCreate before a create', async () => {
    const sf = label();
    const before = await rowCounts(api.server);
    const connected = await api.query(CREATE_BOOK, {
      input: {
        title: 'Ubik',
        featured: { connect: { label: sf } },
        chapters: { create: [chapter('1', { create: { label: sf } })] },
      },
    });
    expect(connected.errors?.map((error) => [error.extensions?.code, error.extensions?.path])).toEqual([
      ['BAD_USER_INPUT', 'input.featured.connect'],
    ]);
    expect(connected.errors?.[0]?.message).toContain(
      'created in this same input by input.chapters.create[0].tag.create',
    );
    const upsert = { connectOrCreate: { where: { label: sf }, create: { label: sf } } };
    const created = await api.query(CREATE_BOOK, {
      input: {
        title: 'Ubik',
        chapters: { create: [chapter('1', upsert), chapter('2', { create: { label: sf } })] },
      },
    });
    expect(created.errors?.map((error) => [error.extensions?.code, error.extensions?.path])).toEqual([
      ['BAD_USER_INPUT', 'input.chapters.create[0].tag.connectOrCreate'],
    ]);
    expect(await rowCounts(api.server)).toEqual(before);
  });

  it('lets two connectOrCreates of one row agree, whichever runs first', async () => {
    const sf = label();
    const upsert = { connectOrCreate: { where: { label: sf }, create: { label: sf } } };
    const result = await api.query(CREATE_BOOK, {
      input: {
        title: 'Ilium',
        featured: upsert,
        chapters: { create: [chapter('1', upsert), chapter('2', upsert)] },
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createBook).toMatchObject({ featured: { label: sf } });
    expect(await tagged(sf)).toHaveLength(1);
  });
});
