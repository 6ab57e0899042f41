/**
 * Fuzzing over a real loopback port: 2,400 bad requests from a fixed seed (random bytes, truncated
 * JSON, wrong variable types, unknown fields, huge strings, deep nesting, malformed envelopes, bad
 * mutations). The server never fails: every answer is well-formed JSON carrying errors with a
 * client code and no stack trace, no answer is a 5xx, and the database is exactly as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { type BadRequest, badRequests } from '../support/bad-requests.ts';
import { drivers } from '../support/databases.ts';
import { rowCounts } from '../support/row-counts.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

const SEED = 0x5eed_0006;
const COUNT = 2400;
const CONCURRENCY = 8;
/** Codes a bad request may get: the client's own, never INTERNAL_SERVER_ERROR. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'CONSTRAINT',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);

interface Outcome {
  readonly index: number;
  readonly request: BadRequest;
  readonly status: number;
  readonly text: string;
}

async function send(url: string, request: BadRequest, index: number): Promise<Outcome> {
  const response = await fetch(`${url}${request.search ?? ''}`, {
    method: request.method,
    headers: {
      accept: index % 2 === 0 ? 'application/json' : 'application/graphql-response+json',
      'x-graphql-csrf': '1',
      ...(request.contentType && { 'content-type': request.contentType }),
    },
    ...(request.body !== undefined && { body: request.body }),
  });
  return { index, request, status: response.status, text: await response.text() };
}

/** What is wrong with an answer to a bad request, or undefined when it is as it must be. */
function problemWith({ status, text }: Outcome): string | undefined {
  if (status >= 500) return `status ${status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const results = (Array.isArray(parsed) ? parsed : [parsed]) as GraphQLResponse[];
  if (results.length === 0) return 'an empty batch answer';
  for (const result of results) {
    if (!Array.isArray(result?.errors) || result.errors.length === 0) return 'no errors';
    for (const error of result.errors) {
      if (typeof error.message !== 'string') return 'an error without a message';
      const code = String(error.extensions?.code);
      if (!CLIENT_CODES.has(code)) return `code ${code}`;
    }
  }
  if (/\n\s+at |\.ts:\d+|node_modules/.test(text)) return 'a stack trace';
  return undefined;
}

describe.each(drivers)('fuzzing on %s', (driver) => {
  let api: TestServer;
  let url: string;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(20) });
    url = await api.server.listen(0);
  });
  afterAll(() => api?.close());

  it(`answers ${COUNT} bad requests (seed ${SEED.toString(16)}) with client errors and writes nothing`, {
    timeout: 300_000,
  }, async () => {
    const before = await rowCounts(api.server);
    const requests = badRequests(SEED, COUNT);
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        outcomes.push(await send(url, requests[index] as BadRequest, index));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const problems = outcomes
      .map((outcome) => ({ outcome, problem: problemWith(outcome) }))
      .filter(({ problem }) => problem !== undefined)
      .map(
        ({ outcome, problem }) =>
          `#${outcome.index} ${outcome.request.kind}: ${problem} (${outcome.status}) ${outcome.text.slice(0, 300)}`,
      );
    expect(problems).toEqual([]);
    expect(outcomes).toHaveLength(COUNT);
    const kinds = new Set(requests.map((request) => request.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(30);

    expect(await rowCounts(api.server)).toEqual(before);
    const alive = await api.query('{ users { totalCount } }');
    expect(alive).toMatchObject({ data: { users: { totalCount: 20 } } });
  });
});
