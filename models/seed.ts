/** Deterministic demo data: the same rows on every run, inserted in batches (a few statements per table). */
import type { Database } from '../db/client.ts';
import { modelTable, type Tables } from '../db/tables.ts';
import type { Row } from '../loaders/load-rows.ts';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Frances',
  'Niklaus',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Thompson',
  'Allen',
  'Wirth',
];
const STREETS = ['Analytical Row', 'Compiler Lane', 'Lambda Street', 'Semaphore Road', 'Kernel Way'];
const CITIES = ['London', 'Cambridge', 'Zurich', 'Boston', 'Amsterdam'];
const ROLES = ['admin', 'editor', 'member'];
const CHUNK = 1000;

async function insertAll(db: Database, tables: Tables, model: string, rows: Row[]): Promise<Row[]> {
  const table = modelTable(tables, model);
  const inserted: Row[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    inserted.push(
      ...(await db
        .insert(table.table)
        .values(rows.slice(start, start + CHUNK))
        .returning()),
    );
  }
  return inserted;
}

const idOf = (row: Row | undefined) => {
  if (!row) throw new Error('seed: a row was not inserted');
  return row.id;
};

/**
 * Inserts `users` users (default 1,000), each with a profile and 3 posts; every user but each 7th has a
 * phone, every user but each 10th an address, so optional links are exercised too.
 */
export async function seedDemo(db: Database, tables: Tables, users = 1000): Promise<void> {
  await db.transaction(async (tx) => {
    const roles = await insertAll(
      tx,
      tables,
      'Role',
      ROLES.map((name) => ({ name })),
    );
    const indexes = Array.from({ length: users }, (_, i) => i);
    const housed = indexes.filter((i) => i % 10 !== 9);
    const addresses = await insertAll(
      tx,
      tables,
      'Address',
      housed.map((i) => ({
        street: `${i + 1} ${STREETS[i % STREETS.length]}`,
        city: CITIES[i % CITIES.length],
      })),
    );
    const addressOf = new Map(housed.map((i, n) => [i, idOf(addresses[n])]));
    const people = await insertAll(
      tx,
      tables,
      'User',
      indexes.map((i) => ({
        name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
        email: `user${i + 1}@example.com`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
        addressId: addressOf.get(i) ?? null,
        roleId: idOf(roles[i % 20 === 0 ? 0 : i % 5 === 0 ? 1 : 2]),
      })),
    );
    const ids = people.map(idOf);
    await insertAll(
      tx,
      tables,
      'Phone',
      ids.flatMap((userId, i) =>
        i % 7 === 6 ? [] : [{ userId, number: `+44 20 7946 ${String(i).padStart(4, '0')}` }],
      ),
    );
    await insertAll(
      tx,
      tables,
      'Profile',
      ids.map((ownerId, i) => ({
        ownerId,
        bio: `Engineer number ${i + 1}.`,
        website: i % 4 === 0 ? `https://example.com/~user${i + 1}` : null,
      })),
    );
    await insertAll(
      tx,
      tables,
      'Post',
      ids.flatMap((authorId, i) =>
        [1, 2, 3].map((n) => ({
          authorId,
          title: `Note ${n} by user ${i + 1}`,
          body: `What user ${i + 1} learned, part ${n}.`,
          status: n === 3 ? 'draft' : 'published',
          publishedAt: n === 3 ? null : new Date(Date.UTC(2026, 1, 1) + (i * 3 + n) * 60_000),
        })),
      ),
    );
  });
}
