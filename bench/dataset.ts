/**
 * The benchmark's data, deterministic: 10,000 addresses, users, phones and profiles, 100,000 posts.
 * Foreign keys are permutations, not `id = id`, so a wrong join returns wrong data.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { pushSchema } from '../db/push.ts';
import { buildTables } from '../db/tables.ts';
import { demoModels } from '../models/index.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';

export const USERS = 10_000;

/** Creates the demo tables and fills them with generate_series (a few seconds, all in SQL). */
export async function createDataset(db: Database): Promise<void> {
  await pushSchema(db, buildTables(buildRelationGraph(demoModels)));
  const statements = [
    `insert into roles (id, name) overriding system value values (1, 'member')`,
    `insert into addresses (id, street, city) overriding system value
       select i, i || ' Permutation Street', 'City ' || (i % 50) from generate_series(1, ${USERS}) i`,
    // 3 is coprime with 10,000: (3i mod n) + 1 is a permutation of 1..n.
    `insert into users (id, name, email, address_id, role_id, created_at) overriding system value
       select i, 'User ' || i, 'user' || i || '@bench.test', (3 * i) % ${USERS} + 1, 1, timestamp '2026-01-01' + i * interval '1 minute'
       from generate_series(1, ${USERS}) i`,
    `insert into phones (id, number, user_id) overriding system value
       select i, '+1 555 ' || lpad(i::text, 5, '0'), ${USERS + 1} - i from generate_series(1, ${USERS}) i`,
    `insert into profiles (id, bio, owner_id) overriding system value
       select i, 'Bio of profile ' || i, (7919 * i) % ${USERS} + 1 from generate_series(1, ${USERS}) i`,
    `insert into posts (id, title, body, status, author_id) overriding system value
       select i, 'Post ' || i, 'Body ' || i, 'published', (7 * i) % ${USERS} + 1 from generate_series(1, ${USERS * 10}) i`,
    ...['roles', 'addresses', 'users', 'phones', 'profiles', 'posts'].map(
      (table) => `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`,
    ),
    'analyze',
  ];
  for (const statement of statements) await db.execute(sql.raw(statement));
}
