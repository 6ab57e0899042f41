/**
 * No cross-viewer leaks: many requests from different viewers, interleaved and in flight together,
 * share prepared statements but never rows — each answer equals what its viewer gets alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessServer, startAccessServer } from '../support/access-fixture.ts';
import { drivers } from '../support/databases.ts';

const QUERIES = [
  '{ profiles { totalCount nodes { bio } } }',
  '{ users { nodes { name email joinedAt profile { bio } safe { code } posts { totalCount nodes { title } } } } }',
  '{ phones { nodes { number user { email profile { bio } } } } }',
  '{ posts(where: { author: { profileExists: true } }) { totalCount nodes { title } } }',
  '{ a: profile(id: 1) { bio } b: profile(id: 2) { bio } c: profile(id: 3) { bio } d: userByEmail(email: "ben@example.com") { name } }',
];
/** Ann, Ben, Cat, someone with no rows, and the anonymous viewer. */
const VIEWERS = ['1', '2', '3', '4', null];
const ROUNDS = 8;

describe.each(drivers)('concurrent viewers on %s', (driver) => {
  let server: AccessServer;
  beforeAll(async () => {
    server = await startAccessServer(driver);
  });
  afterAll(() => server?.api.close());

  it(`answers ${ROUNDS * VIEWERS.length * QUERIES.length} interleaved requests in flight together, each only with its viewer's rows`, async () => {
    const alone = new Map<string, string>();
    const key = (viewer: string | null, query: string) => `${viewer}\u0000${query}`;
    for (const viewer of VIEWERS) {
      for (const query of QUERIES) {
        const answer = await server.as(viewer, query);
        expect(answer.errors).toBeUndefined();
        alone.set(key(viewer, query), JSON.stringify(answer.data));
      }
    }
    // The viewers see different things, so a mixed-up answer could not pass unnoticed.
    for (const query of QUERIES) {
      const answers = new Set(VIEWERS.map((viewer) => alone.get(key(viewer, query))));
      expect(answers.size).toBeGreaterThanOrEqual(3);
    }
    // Every viewer asks every query in every round, in an order that rotates, all at once.
    const requests = Array.from({ length: ROUNDS }, (_, round) =>
      VIEWERS.flatMap((_, v) =>
        QUERIES.map((_, q) => ({
          viewer: VIEWERS[(v + round) % VIEWERS.length] ?? null,
          query: QUERIES[(q + round * 2 + v) % QUERIES.length] ?? '',
        })),
      ),
    ).flat();
    const answers = await Promise.all(
      requests.map(async ({ viewer, query }) => ({ viewer, query, answer: await server.as(viewer, query) })),
    );
    for (const { viewer, query, answer } of answers) {
      expect(answer.errors).toBeUndefined();
      expect(JSON.stringify(answer.data)).toBe(alone.get(key(viewer, query)));
    }
  });
});
