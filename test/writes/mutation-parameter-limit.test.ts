/**
 * A nested create of more rows than one statement's 65,533 bound values can carry is split the way the
 * factories split (one shared helper), on both drivers: in as few INSERTs as the limit allows.
 * The write layer is called directly, so no request-size limit of the server is involved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestAccess } from '../../access/request-access.ts';
import { MAX_PARAMETERS } from '../../db/insert-returning.ts';
import { belongsTo, field, hasMany, type Model, model } from '../../index.ts';
import { createRows } from '../../writes/create-rows.ts';
import { PlannedCreates } from '../../writes/planned-creates.ts';
import { drivers } from '../support/databases.ts';
import { must } from '../support/must.ts';
import { rowsOf } from '../support/row-counts.ts';
import { StatementLog } from '../support/statement-log.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const Shelf = model('Shelf', {
  table: 'shelves',
  fields: { id: field.id(), name: field.string() },
  relations: { books: hasMany((): Model => Book) },
});
const Book = model('Book', {
  fields: {
    id: field.id(),
    title: field.string(),
    author: field.string(),
    pages: field.int(),
    year: field.int(),
  },
  relations: { shelf: belongsTo(() => Shelf) },
});

/** title, author, pages, year and shelfId: 5 bound values a book, 13,106 books a statement. */
const VALUES_PER_BOOK = 5;
const BOOKS = Math.floor(MAX_PARAMETERS / VALUES_PER_BOOK) + 1_000;

describe.each(drivers)('nested creates past the parameter limit on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Shelf, Book]);
  });
  afterAll(() => api?.close());

  it(`creates a shelf with ${BOOKS.toLocaleString('en')} books in two INSERTs of books, in order`, async () => {
    const { graph, tables, connection } = api.server;
    const log = new StatementLog();
    const books = Array.from({ length: BOOKS }, (_, n) => ({
      title: `Book ${n}`,
      author: 'A',
      pages: n,
      year: 2000,
    }));
    const [shelf] = await connection.database(log).transaction((tx) =>
      createRows(
        {
          tx,
          tables,
          graph,
          foreignKeys: graph.foreignKeys,
          access: createRequestAccess(graph, tables, null),
          planned: new PlannedCreates(),
        },
        { model: must(graph.models.get('Shelf'), 'model "Shelf"'), mode: 'create', via: undefined },
        [{ input: { name: 'Long', books: { create: books } }, path: 'input' }],
      ),
    );
    const perStatement = Math.floor(MAX_PARAMETERS / VALUES_PER_BOOK);
    expect(log.statements).toEqual([
      { table: 'shelves', values: 1 },
      { table: 'books', values: perStatement * VALUES_PER_BOOK },
      { table: 'books', values: (BOOKS - perStatement) * VALUES_PER_BOOK },
    ]);
    const stored = await rowsOf(api.server, 'Book', { field: 'shelfId', value: shelf?.id });
    expect(stored).toHaveLength(BOOKS);
    expect(stored.map((book) => book.pages)).toEqual(books.map((book) => book.pages));
  });
});
