/**
 * One-to-one under concurrency: parallel HTTP requests against a listening server race to give one
 * user a phone. Exactly one wins, the others get CONFLICT, and the database keeps one phone per user.
 * PGlite runs the requests one after another; the outcome must be the same as on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { rowCounts, rowsOf } from '../support/row-counts.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

type Row = Record<string, unknown>;

const PARALLEL = 20;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { id phone { id } } }`;
const CREATE_PHONE = 'mutation ($input: CreatePhoneInput!) { createPhone(input: $input) { id userId } }';
const UPDATE_USER = `mutation ($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id phone { id number } }
}`;
const MOVE_PHONE = `mutation ($id: ID!, $to: ID!) {
  updatePhone(id: $id, input: { user: { connect: { id: $to } } }) { id userId }
}`;

/** How many responses had each outcome: `OK`, or the code of their one error. */
function tally(results: readonly GraphQLResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const outcome = result.errors ? String(result.errors.map((error) => error.extensions?.code)) : 'OK';
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

describe.each(drivers)('one-to-one under concurrent requests on %s', (driver) => {
  let api: TestServer;
  let url: string;
  let roleId: string;
  let serial = 0;

  /** One request over HTTP to the listening server, as a client would send it. */
  async function send(query: string, variables: Row): Promise<GraphQLResponse> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  }

  /** `PARALLEL` (or `count`) copies of a request, all sent before any answer is awaited. */
  const race = (count: number, variables: (n: number) => Row, query: string) =>
    Promise.all(Array.from({ length: count }, (_, n) => send(query, variables(n))));

  async function createUser(withPhone: boolean): Promise<{ id: string; phone: string | undefined }> {
    serial += 1;
    const input = {
      name: 'Racer',
      email: `racer.${serial}@example.com`,
      roleId,
      ...(withPhone && { phone: { create: { number: `+47 ${serial}` } } }),
    };
    const result = await send(CREATE_USER, { input });
    expect(result.errors).toBeUndefined();
    const user = result.data?.createUser as { id: string; phone: Row | null };
    return { id: user.id, phone: user.phone ? String(user.phone.id) : undefined };
  }
  const phonesOf = (userId: string) =>
    rowsOf(api.server, 'Phone', { field: 'userId', value: Number(userId) });

  beforeAll(async () => {
    api = await startTestServer(driver, demoModels);
    url = await api.server.listen(0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const result = await send('mutation { createRole(input: { name: "racer" }) { id } }', {});
    roleId = String((result.data?.createRole as Row | undefined)?.id);
  });
  afterAll(() => api?.close());

  it(`lets exactly one of ${PARALLEL} parallel createPhone for one user succeed; the others get CONFLICT`, async () => {
    const user = await createUser(false);
    const before = await rowCounts(api.server);
    const results = await race(
      PARALLEL,
      (n) => ({ input: { number: `+47 race ${n}`, userId: user.id } }),
      CREATE_PHONE,
    );
    expect(tally(results)).toEqual({ OK: 1, CONFLICT: PARALLEL - 1 });
    const message = `User "${user.id}" already has a Phone (Phone.userId is unique).`;
    for (const result of results.filter((each) => each.errors)) {
      expect(result.errors?.[0]?.message).toBe(message);
      expect(result.errors?.[0]?.extensions).toMatchObject({ model: 'Phone', field: 'userId' });
    }
    const winner = results.find((result) => !result.errors)?.data?.createPhone as Row;
    expect(await phonesOf(user.id)).toMatchObject([{ id: Number(winner.id) }]);
    expect(await rowCounts(api.server)).toEqual({ ...before, Phone: (before.Phone ?? 0) + 1 });
  });

  it(`never fails ${PARALLEL} parallel phone connectOrCreate for one user internally, and leaves one phone`, async () => {
    const user = await createUser(false);
    const before = await rowCounts(api.server);
    const results = await race(
      PARALLEL,
      (n) => ({
        id: user.id,
        input: {
          phone: { connectOrCreate: { where: { userId: user.id }, create: { number: `+47 upsert ${n}` } } },
        },
      }),
      UPDATE_USER,
    );
    const outcomes = tally(results);
    expect(Object.keys(outcomes).filter((outcome) => outcome !== 'OK' && outcome !== 'CONFLICT')).toEqual([]);
    expect(outcomes.OK).toBeGreaterThanOrEqual(1);
    const phones = await phonesOf(user.id);
    expect(phones).toHaveLength(1);
    for (const result of results.filter((each) => !each.errors)) {
      expect((result.data?.updateUser as { phone: Row } | undefined)?.phone.id).toBe(String(phones[0]?.id));
    }
    expect(await rowCounts(api.server)).toEqual({ ...before, Phone: (before.Phone ?? 0) + 1 });
  });

  it('moves exactly one of several phones re-parented to the same user at once; the others stay', async () => {
    const target = await createUser(false);
    const owners = await Promise.all(Array.from({ length: 6 }, () => createUser(true)));
    const before = await rowCounts(api.server);
    const results = await race(owners.length, (n) => ({ id: owners[n]?.phone, to: target.id }), MOVE_PHONE);
    expect(tally(results)).toEqual({ OK: 1, CONFLICT: owners.length - 1 });
    const moved = results.findIndex((result) => !result.errors);
    const [phone] = await phonesOf(target.id);
    expect(String(phone?.id)).toBe(owners[moved]?.phone);
    for (const [n, owner] of owners.entries()) {
      const expected = n === moved ? [] : [{ id: Number(owner.phone) }];
      expect(await phonesOf(owner.id)).toMatchObject(expected);
    }
    expect(await rowCounts(api.server)).toEqual(before);
  });

  it('re-parents a phone atomically: connecting it to a user who already has one moves nothing', async () => {
    const [first, second] = [await createUser(true), await createUser(true)];
    const swaps = [
      { id: first.phone, to: second.id },
      { id: second.phone, to: first.id },
    ];
    const results = await race(swaps.length, (n) => swaps[n] ?? {}, MOVE_PHONE);
    expect(tally(results)).toEqual({ CONFLICT: 2 });
    const taken = (user: { id: string }) => `User "${user.id}" already has a Phone (Phone.userId is unique).`;
    expect(results.map((result) => result.errors?.[0]?.message)).toEqual([taken(second), taken(first)]);
    expect(await phonesOf(first.id)).toMatchObject([{ id: Number(first.phone) }]);
    expect(await phonesOf(second.id)).toMatchObject([{ id: Number(second.phone) }]);
  });
});
