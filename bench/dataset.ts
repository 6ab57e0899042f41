/**
 * The benchmark's data, deterministic: 10,000 addresses, users, phones and profiles, 100,000 posts.
 * Foreign keys are permutations, not `id = id`, so a wrong join returns wrong data. Made by the
 * factories; the values are short and fixed (`User 42`, `Bio of profile 42`) so responses keep the
 * size earlier results were measured with.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { pushSchema } from '../db/push.ts';
import { buildTables } from '../db/tables.ts';
import type { Values } from '../factories/blueprint.ts';
import { factory } from '../factories/factory.ts';
import { Address, demoModels, Phone, Post, Profile, Role, User } from '../models/index.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';

export const USERS = 10_000;
const POSTS_PER_USER = 10;

/**
 * For the new rows numbered 1..count, the row of `rows` each points at: `rows[position(n)]`.
 * `position` must be a permutation of 0..rows.length - 1 where the link is one-to-one.
 */
function pointing(rows: readonly Values[], count: number, position: (n: number) => number): Values[] {
  return Array.from({ length: count }, (_, index) => rows[position(index + 1)] as Values);
}

/**
 * Creates the demo tables and fills them in multi-row INSERTs of up to 65,533 values. On this fresh
 * graph and database the sequence numbers 1, 2, 3, … of each model are its ids.
 */
export async function createDataset(db: Database): Promise<void> {
  const tables = buildTables(buildRelationGraph(demoModels));
  await pushSchema(db, tables);
  const target = { db, tables };
  const role = await factory(Role).merge({ name: 'member' }).create(target);
  const addresses = await factory(Address)
    .merge((_, { sequence: n }) => ({ street: `${n} Permutation Street`, city: `City ${n % 50}` }))
    .createMany(target, USERS);
  // 3 is coprime with 10,000: user n lives at address (3n mod 10,000) + 1, a permutation.
  const users = await factory(User)
    .merge((_, { sequence: n }) => ({
      name: `User ${n}`,
      email: `user${n}@bench.test`,
      createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
    }))
    .for('role', role)
    .for(
      'address',
      pointing(addresses, USERS, (n) => (3 * n) % USERS),
    )
    .createMany(target, USERS);
  await factory(Phone)
    .merge((_, { sequence: n }) => ({ number: `+1 555 ${String(n).padStart(5, '0')}` }))
    .for(
      'user',
      pointing(users, USERS, (n) => USERS - n),
    )
    .createMany(target, USERS);
  // 7,919 is a prime that does not divide 10,000: another permutation.
  await factory(Profile)
    .merge((_, { sequence: n }) => ({ bio: `Bio of profile ${n}`, website: null }))
    .for(
      'user',
      pointing(users, USERS, (n) => (7919 * n) % USERS),
    )
    .createMany(target, USERS);
  // (7n mod 10,000) over n = 1..100,000 meets every user exactly 10 times.
  await factory(Post)
    .merge((_, { sequence: n }) => ({
      title: `Post ${n}`,
      body: `Body ${n}`,
      status: 'published',
      publishedAt: null,
    }))
    .for(
      'author',
      pointing(users, USERS * POSTS_PER_USER, (n) => (7 * n) % USERS),
    )
    .createMany(target, USERS * POSTS_PER_USER);
  await db.execute(sql`analyze`);
}
