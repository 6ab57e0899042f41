/**
 * Deterministic demo data, made by the factories: the same rows on every run, a few INSERT statements
 * per table. The fields the tests and the README quote follow fixed rules; the rest is generated.
 */
import type { Database } from '../db/client.ts';
import type { Tables } from '../db/tables.ts';
import { factory } from '../factories/factory.ts';
import { Role, User } from './index.ts';

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
const POSTS_PER_USER = 3;
/** Every 7th user has no phone and every 10th no address, so optional links are exercised too. */
const NO_PHONE_EVERY = 7;
const NO_ADDRESS_EVERY = 10;
/** Every 4th user (from the first) has a website on their profile, which only members may read. */
const WEBSITE_EVERY = 4;

/**
 * The user (0-based) the `index`-th related row is made for when every `every`-th user gets none:
 * phones and addresses are numbered after their users, as the README's screenshot and the tests show.
 */
const userOf = (index: number, every: number) => index + Math.floor(index / (every - 1));
/** Whether user `index` gets a row when every `every`-th user gets none: the count of a `.with`. */
const oneUnlessEvery = (every: number) => (_: unknown, index: number) =>
  index % every === every - 1 ? 0 : 1;

/** Every 20th user (from the first) is an admin, every other 5th an editor, the rest members. */
const roleIndex = (user: number) => (user % 20 === 0 ? 0 : user % 5 === 0 ? 1 : 2);

/** Post `index` of the call is number `n` (1-3) of user `index / 3`: two published, then a draft. */
function demoPost(index: number) {
  const n = (index % POSTS_PER_USER) + 1;
  const user = Math.floor(index / POSTS_PER_USER) + 1;
  const published = n !== POSTS_PER_USER;
  return {
    title: `Note ${n} by user ${user}`,
    status: published ? ('published' as const) : ('draft' as const),
    publishedAt: published ? new Date(Date.UTC(2026, 1, 1) + (index + 1) * 60_000) : null,
  };
}

/**
 * Inserts `users` users (default 1,000), each with a profile and 3 posts; every user but each 7th has a
 * phone, every user but each 10th an address, every 4th a website. One transaction.
 */
export async function seedDemo(db: Database, tables: Tables, users = 1000): Promise<void> {
  await db.transaction(async (tx) => {
    const target = { db: tx as Database, tables };
    const roles = await factory(Role)
      .merge((_, { index }) => ({ name: ROLES[index] }))
      .createMany(target, ROLES.length);
    await factory(User)
      .merge((_, { index }) => ({
        name: `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`,
        email: `user${index + 1}@example.com`,
        // The subjects of the tokens npm start prints (demo|1 the admin, demo|2 a member).
        externalId: `demo|${index + 1}`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + index * 3_600_000),
        roleId: roles[roleIndex(index)]?.id,
      }))
      .with('address', oneUnlessEvery(NO_ADDRESS_EVERY), (address) =>
        address.merge((_, { index }) => {
          const user = userOf(index, NO_ADDRESS_EVERY);
          return {
            street: `${user + 1} ${STREETS[user % STREETS.length]}`,
            city: CITIES[user % CITIES.length],
          };
        }),
      )
      .with('phone', oneUnlessEvery(NO_PHONE_EVERY), (phone) =>
        phone.merge((_, { index }) => ({
          number: `+44 20 7946 ${String(userOf(index, NO_PHONE_EVERY)).padStart(4, '0')}`,
        })),
      )
      .with('profile', (profile) =>
        profile.merge((_, { index }) => ({
          bio: `Engineer number ${index + 1}.`,
          website: index % WEBSITE_EVERY === 0 ? `https://example.com/~user${index + 1}` : null,
        })),
      )
      .with('posts', POSTS_PER_USER, (post) => post.merge((_, { index }) => demoPost(index)))
      .createMany(target, users);
  });
}
