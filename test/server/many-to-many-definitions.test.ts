/**
 * `manyToMany` definitions: the conventions (pivot table and keys named from the models), pairing of
 * the two sides, self links, non-primary keys, and every definition that cannot work, reported at once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMigration } from '../../db/migrations.ts';
import { buildTables } from '../../db/tables.ts';
import { buildDiagram, describeLink } from '../../diagram/diagram-model.ts';
import { buildRelationGraph, field, type Model, manyToMany, model } from '../../index.ts';
import { printGraphSchema } from '../../schema/print-schema.ts';
import { problemsOf } from '../support/definition-problems.ts';
import { must } from '../support/must.ts';

const pivotOf = (models: readonly Model[]) => {
  const [pivot, ...others] = buildRelationGraph(models).pivots;
  expect(others).toEqual([]);
  return {
    table: pivot?.model.table,
    keys: pivot?.ends.map(
      (end) => `${end.model.name}.${end.key.name} <- ${end.pivotKey.name} (${end.pivotKey.column})`,
    ),
    columns: pivot?.columns.map((column) => `${column.name}: ${column.kind}${column.nullable ? '?' : ''}`),
  };
};

describe('manyToMany definitions', () => {
  it('names the pivot table from both models in alphabetical order and its keys from each side', () => {
    const Tag = model('Tag', { fields: { id: field.id(), label: field.string() } });
    const Book = model('Book', {
      fields: { id: field.id(), title: field.string() },
      relations: { tags: manyToMany(() => Tag) },
    });
    expect(pivotOf([Book, Tag])).toEqual({
      table: 'book_tag',
      keys: ['Book.id <- bookId (book_id)', 'Tag.id <- tagId (tag_id)'],
      columns: [],
    });
  });

  it('pairs the two sides into one link, which one side alone also is, with pivot columns and timestamps', () => {
    const Tag = model('Tag', {
      fields: { id: field.id(), label: field.string() },
      relations: { posts: manyToMany((): Model => Post) },
    });
    const Post = model('Post', {
      fields: { id: field.id(), title: field.string() },
      relations: {
        tags: manyToMany((): Model => Tag, {
          pivotColumns: {
            addedAt: field.datetime({ default: 'now' }),
            note: field.string({ optional: true }),
          },
          pivotTimestamps: true,
        }),
      },
    });
    const graph = buildRelationGraph([Post, Tag]);
    expect(graph.pivots).toHaveLength(1);
    const tags = graph.models.get('Post')?.manyToMany.get('tags');
    expect(tags?.inverse).toBe(graph.models.get('Tag')?.manyToMany.get('posts'));
    expect(tags?.inverse?.pivotSourceKey.name).toBe('tagId');
    expect(pivotOf([Post, Tag]).columns).toEqual([
      'addedAt: datetime',
      'note: string?',
      'createdAt: datetime',
      'updatedAt: datetime',
    ]);
  });

  it('links a model with itself through explicit, distinct pivot keys', () => {
    const User = model('User', {
      fields: { id: field.id(), name: field.string() },
      relations: {
        friends: manyToMany((): Model => User, {
          pivotTable: 'friendships',
          pivotForeignKey: 'userId',
          pivotRelatedForeignKey: 'friendId',
        }),
      },
    });
    expect(pivotOf([User])).toEqual({
      table: 'friendships',
      keys: ['User.id <- userId (user_id)', 'User.id <- friendId (friend_id)'],
      columns: [],
    });
  });

  it('links through unique fields that are not the primary key', () => {
    const Genre = model('Genre', { fields: { id: field.id(), code: field.string({ unique: true }) } });
    const Film = model('Film', {
      fields: { id: field.id(), slug: field.string({ unique: true }) },
      relations: { genres: manyToMany(() => Genre, { localKey: 'slug', relatedKey: 'code' }) },
    });
    expect(pivotOf([Film, Genre]).keys).toEqual([
      'Film.slug <- filmSlug (film_slug)',
      'Genre.code <- genreCode (genre_code)',
    ]);
    // The keys hold text, like the fields they point at.
    const table = buildTables(buildRelationGraph([Film, Genre])).pivots.get('FilmGenre');
    expect(table?.columns.genreCode?.getSQLType()).toBe('text');
  });

  it('describes the link and its connection in the schema', () => {
    const Tag = model('Tag', { fields: { id: field.id(), label: field.string() } });
    const Book = model('Book', {
      fields: { id: field.id() },
      relations: { tags: manyToMany(() => Tag, { pivotColumns: { weight: field.int() } }) },
    });
    const sdl = printGraphSchema(buildRelationGraph([Book, Tag]));
    expect(sdl).toContain('"""The Tag rows linked to this Book through book_tag."""');
    expect(sdl).toContain(
      'tags(after: String, before: String, first: Int, last: Int, orderBy: [TagOrderBy!], pivotOrderBy: [BookTagOrderBy!], pivotWhere: BookTagWhere, where: TagWhere): BookTagsConnection!',
    );
    expect(sdl).toMatch(
      /type BookTagsEdge \{\n {2}cursor: String!\n {2}node: Tag!\n\n {2}"""The link itself: its row of book_tag, with the pivot columns\."""\n {2}pivot: BookTag!\n\}/,
    );
    expect(sdl).toMatch(/input BookWhere \{[^}]*tags: TagListFilter/);
  });

  it('reports every definition that cannot work, naming the relation and the fix', () => {
    const Tag = model('Tag', {
      fields: { id: field.id(), label: field.string() },
      relations: {
        books: manyToMany((): Model => Book, { pivotTable: 'tagged' }),
        drafts: manyToMany((): Model => Book),
      },
    });
    const Book = model('Book', {
      fields: { id: field.id(), title: field.string() },
      relations: {
        tags: manyToMany((): Model => Tag, { relatedKey: 'label' }),
        similar: manyToMany((): Model => Book),
        authors: manyToMany('Author'),
        copies: manyToMany((): Model => Tag, { localKey: 'titel', inverse: 'book' }),
      },
    });
    expect(problemsOf([Book, Tag])).toEqual([
      'Relation "Book.authors": target model "Author" is not registered. Pass it in `models`.',
      'Relation "Book.copies": inverse "book" must name another manyToMany of "Tag" back to "Book"; received "book". Did you mean "books"?',
      'Relations "Book.tags", "Tag.books", "Tag.drafts" link "Book" and "Tag" many-to-many, and which of them are one link is ambiguous; name the other side with inverse on each pair (e.g. inverse: "books"), and give each link its own pivotTable.',
      'Relation "Book.similar": the pivot keys to "Book" and "Book" must differ, but both are "bookId"; set pivotForeignKey and pivotRelatedForeignKey (e.g. "userId" and "friendId").',
    ]);
  });

  it('reports keys that are not unique and two sides that disagree', () => {
    const Tag = model('Tag', {
      fields: { id: field.id(), label: field.string() },
      relations: { books: manyToMany((): Model => Book, { pivotTable: 'tagged', inverse: 'tags' }) },
    });
    const Book = model('Book', {
      fields: { id: field.id(), title: field.string() },
      relations: { tags: manyToMany((): Model => Tag, { pivotTable: 'book_tags', relatedKey: 'label' }) },
    });
    expect(problemsOf([Book, Tag])).toEqual([
      'Relation "Tag.books": localKey "Tag.label" must be the primary key or a unique field; add unique: true to it, or use the primary key.',
      'Relations "Tag.books" and "Book.tags" are one link but set pivotTable "tagged" and pivotTable "book_tags"; set it on one side only.',
    ]);
  });
});

describe('manyToMany in the diagram', () => {
  it('draws the link through its pivot: a box for the pivot table and a cascading link to each side', () => {
    const Tag = model('Tag', {
      fields: { id: field.id() },
      relations: { books: manyToMany((): Model => Book) },
    });
    const Book = model('Book', {
      fields: { id: field.id() },
      relations: { tags: manyToMany((): Model => Tag) },
    });
    const diagram = buildDiagram(buildRelationGraph([Book, Tag]));
    expect(diagram.models.map((each) => `${each.name} (${each.table})`)).toEqual([
      'Book (books)',
      'Tag (tags)',
      'BookTag (book_tag)',
    ]);
    expect(diagram.links.map(describeLink)).toEqual([
      'BookTag.bookId → Book.id (1–n, on delete cascade)',
      'BookTag.tagId → Tag.id (1–n, on delete cascade)',
    ]);
    expect(diagram.links.map((link) => link.holder.relation)).toEqual(['tags', 'books']);
  });
});

describe('manyToMany migrations', () => {
  it('generates the pivot table with its unique pair and cascading foreign keys', async () => {
    const Tag = model('Tag', { fields: { id: field.id(), label: field.string() } });
    const Book = model('Book', {
      fields: { id: field.id() },
      relations: { tags: manyToMany(() => Tag, { pivotColumns: { weight: field.int({ optional: true }) } }) },
    });
    const folder = await mkdtemp(join(tmpdir(), 'relgraph-m2m-'));
    try {
      const file = await generateMigration(buildTables(buildRelationGraph([Book, Tag])), folder);
      const text = await readFile(must(file, 'a migration'), 'utf8');
      expect(text).toContain('CREATE TABLE "book_tag"');
      expect(text).toContain('CONSTRAINT "book_tag_book_id_tag_id_unique" UNIQUE("book_id","tag_id")');
      expect(text).toMatch(
        /ADD CONSTRAINT "book_tag_book_id_fkey" FOREIGN KEY \("book_id"\) REFERENCES "public"\."books"\("id"\) ON DELETE cascade/,
      );
      expect(text).toMatch(
        /ADD CONSTRAINT "book_tag_tag_id_fkey" FOREIGN KEY \("tag_id"\) REFERENCES "public"\."tags"\("id"\) ON DELETE cascade/,
      );
      expect(text).toContain('CREATE INDEX "book_tag_tag_id_idx"');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
