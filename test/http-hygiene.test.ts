/**
 * HTTP hygiene over a real loopback port: the body-size limit (413 with a JSON error), CSRF
 * prevention, media types, GET for queries only, CORS allow-lists, introspection and GraphiQL by
 * environment, request ids, and the liveness and readiness endpoints.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoModels } from '../models/index.ts';
import { createHttpListener } from '../server/http-listener.ts';
import { resolveSettings } from '../server/settings.ts';
import { drivers } from './support/databases.ts';
import { type RawExchange, rawPost, rawUpload } from './support/raw-http.ts';
import { rowCounts } from './support/row-counts.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

const MiB = 1024 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

/** A query whose JSON body is exactly `bytes` long (a padded string variable). */
function bodyOfSize(bytes: number): string {
  const empty = (pad: string) =>
    JSON.stringify({
      query: 'query ($name: String) { users(where: { name: { eq: $name } }) { totalCount } }',
      variables: { name: pad },
    });
  return empty('x'.repeat(bytes - empty('').length));
}

async function answer(response: Response) {
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse,
  };
}

function expectCode(body: GraphQLResponse, code: string, message?: RegExp) {
  expect(body.errors?.map((error) => error.extensions?.code)).toEqual([code]);
  if (message) expect(body.errors?.[0]?.message).toMatch(message);
}

/**
 * Node's `fetch` uploading `bytes` `times` over, from a worker thread whose event loop is busy for
 * 300 ms as each upload starts (a client doing other work): the server answers and, before, closed
 * the connection meanwhile, so the client met a reset (EPIPE) before it read the answer.
 */
function busyClientUploads(url: string, bytes: number, times: number): Promise<string[]> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
    (async () => {
      const body = Buffer.alloc(workerData.bytes, 'x');
      const outcomes = [];
      for (let i = 0; i < workerData.times; i++) {
        const answer = fetch(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        setTimeout(() => { const until = Date.now() + 300; while (Date.now() < until); }, 0);
        try {
          const response = await answer;
          const json = await response.json();
          outcomes.push(response.status + ' ' + json.errors[0].extensions.code);
        } catch (error) {
          outcomes.push(String(error.cause?.code ?? error.message));
        }
      }
      parentPort.postMessage(outcomes);
    })();`,
    { eval: true, workerData: { url, bytes, times } },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (outcomes: string[]) => {
      void worker.terminate();
      resolve(outcomes);
    });
    worker.once('error', reject);
  });
}

/** The answers of a raw exchange: status line, and the JSON body of each. */
function rawAnswers({ received }: RawExchange): Array<{ status: string; body: GraphQLResponse }> {
  return [...received.matchAll(/HTTP\/1\.1 (\d+)[^\r]*\r\n[\s\S]*?\r\n\r\n(\{.*?\}\]?\}(?=HTTP|$))/g)].map(
    ([, status = '', body = '']) => ({ status, body: JSON.parse(body) as GraphQLResponse }),
  );
}

/** Servers started by one test with the environment it stubbed, closed (and the stubs undone) after it. */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  vi.unstubAllEnvs();
});
async function start(options: Parameters<typeof startTestServer>[2] = {}) {
  const api = await startTestServer('pglite', demoModels, options);
  servers.push(api);
  return api;
}

describe.each(drivers)('HTTP hygiene on %s', (driver) => {
  let api: TestServer;
  let url: string;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(5) });
    url = await api.server.listen(0);
  });
  afterAll(() => api?.close());

  it('runs a body of exactly maxRequestBodyBytes (1 MiB)', async () => {
    const body = bodyOfSize(MiB);
    expect(Buffer.byteLength(body)).toBe(MiB);
    const { status, body: result } = await answer(
      await fetch(url, { method: 'POST', headers: JSON_HEADERS, body }),
    );
    expect(result.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('answers a body one byte larger with 413 and a JSON error naming the limit', async () => {
    const response = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: bodyOfSize(MiB + 1) });
    const { status, body } = await answer(response);
    expect(status).toBe(413);
    expectCode(body, 'BAD_USER_INPUT', /larger than 1,048,576 bytes \(maxRequestBodyBytes\)/);
    expect(body.errors?.[0]?.extensions).toMatchObject({ limit: 'maxRequestBodyBytes', max: MiB });
  });

  it('answers 413 to an oversized body sent in chunks, without a Content-Length', async () => {
    const bytes = new TextEncoder().encode(bodyOfSize(2 * MiB));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024)
          controller.enqueue(bytes.slice(at, at + 64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const { status, body } = await answer(response);
    expect(status).toBe(413);
    expectCode(body, 'BAD_USER_INPUT', /maxRequestBodyBytes/);
  });

  it.each([
    ['with a Content-Length', false],
    ['in chunks', true],
  ])(
    'answers a 20 MB body sent %s 413 while it arrives, reads the rest, then serves the next request',
    async (_, chunked) => {
      const exchange = await rawUpload(url, {
        bytes: 20_000_000,
        chunked,
        next: rawPost('127.0.0.1', '/graphql', '{ users { totalCount } }'),
      });
      expect(exchange.error).toBeUndefined();
      expect(exchange.written).toBe(20_000_000);
      const [refused, next] = rawAnswers(exchange);
      expect(refused?.status).toBe('413');
      expectCode(refused?.body ?? {}, 'BAD_USER_INPUT', /larger than 1,048,576 bytes/);
      expect(next).toEqual({
        status: '200',
        body: expect.objectContaining({ data: { users: { totalCount: 5 } } }),
      });
    },
  );

  it("answers a 20 MB upload 413 to Node's fetch, however busy the client is while it sends", {
    timeout: 60_000,
  }, async () => {
    const outcomes = await busyClientUploads(url, 20_000_000, 8);
    expect(outcomes).toEqual(Array(8).fill('413 BAD_USER_INPUT'));
  });

  it('answers headers over 16 KB with 431 and a JSON error', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${'a'.repeat(17_000)}` },
      body: JSON.stringify({ query: '{ users { totalCount } }' }),
    });
    const { status, headers, body } = await answer(response);
    expect(status).toBe(431);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectCode(body, 'BAD_USER_INPUT', /headers are larger than 16,384 bytes/);
  });

  it('answers an Accept header it cannot satisfy with 406 and a JSON error, running nothing', async () => {
    const before = await rowCounts(api.server);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/xml' },
      body: JSON.stringify({ query: 'mutation { createRole(input: { name: "by-xml" }) { id } }' }),
    });
    const { status, body } = await answer(response);
    expect(status).toBe(406);
    expectCode(
      body,
      'BAD_USER_INPUT',
      /Accept header must allow .*application\/json; received "application\/xml"/,
    );
    expect(await rowCounts(api.server)).toEqual(before);
    const wildcard = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/xml, application/*;q=0.1' },
      body: JSON.stringify({ query: '{ users { totalCount } }' }),
    });
    expect(wildcard.status).toBe(200);
  });

  it('counts the body of an in-process request (yoga.fetch), whose Content-Length nothing enforces', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      api.server.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...headers },
        body,
      });
    const within = await answer(await post(bodyOfSize(MiB), { 'content-length': '10' }));
    expect(within.status).toBe(200);
    expect(within.body.errors).toBeUndefined();
    const over = await answer(await post(bodyOfSize(MiB + 1), { 'content-length': '10' }));
    expect(over.status).toBe(413);
    expectCode(over.body, 'BAD_USER_INPUT', /larger than 1,048,576 bytes/);
    const malformed = await answer(await post(bodyOfSize(200), { 'content-length': '10, 10' }));
    expect(malformed.status).toBe(400);
    expectCode(malformed.body, 'BAD_USER_INPUT', /Content-Length header "10, 10" is not a byte count/);
  });

  it('refuses a GET or a form post without a CSRF-prevention header (403), and runs them with one', async () => {
    const query = encodeURIComponent('{ users { totalCount } }');
    const bare = await answer(
      await fetch(`${url}?query=${query}`, { headers: { accept: 'application/json' } }),
    );
    expect(bare.status).toBe(403);
    expectCode(bare.body, 'BAD_USER_INPUT', /x-graphql-csrf.*CSRF prevention/);
    const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const posted = await answer(await fetch(url, { method: 'POST', headers: form, body: `query=${query}` }));
    expect(posted.status).toBe(403);
    for (const header of ['x-graphql-csrf', 'apollo-require-preflight']) {
      const withHeader = await answer(
        await fetch(`${url}?query=${query}`, { headers: { accept: 'application/json', [header]: '1' } }),
      );
      expect(withHeader.body).toMatchObject({ data: { users: { totalCount: 5 } } });
    }
    const formWithHeader = await answer(
      await fetch(url, {
        method: 'POST',
        headers: { ...form, 'x-graphql-csrf': '1' },
        body: `query=${query}`,
      }),
    );
    expect(formWithHeader.body).toMatchObject({ data: { users: { totalCount: 5 } } });
  });

  it('answers a body of an unknown media type with 415 and a JSON error', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', accept: 'application/json', 'x-graphql-csrf': '1' },
      body: '<query>{ users { totalCount } }</query>',
    });
    const { status, body } = await answer(response);
    expect(status).toBe(415);
    expectCode(body, 'BAD_USER_INPUT', /must be application\/json.*"application\/xml"/);
  });

  it('never runs a mutation sent with GET: 405, Allow: POST, nothing written', async () => {
    const before = await rowCounts(api.server);
    const mutation = encodeURIComponent('mutation { createRole(input: { name: "by-get" }) { id } }');
    const response = await fetch(`${url}?query=${mutation}`, {
      headers: { accept: 'application/json', 'x-graphql-csrf': '1' },
    });
    const { status, headers, body } = await answer(response);
    expect(status).toBe(405);
    expect(headers.get('allow')).toBe('POST');
    expectCode(body, 'BAD_USER_INPUT', /mutation.*POST/);
    expect(await rowCounts(api.server)).toEqual(before);
  });

  it('answers other methods with 405 and a JSON error', async () => {
    const { status, body } = await answer(
      await fetch(url, { method: 'PUT', headers: JSON_HEADERS, body: '{}' }),
    );
    expect(status).toBe(405);
    expectCode(body, 'BAD_USER_INPUT');
  });

  it('sends back a well-formed x-request-id, and makes one up for a missing or malformed one', async () => {
    const post = (id?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...(id && { 'x-request-id': id }) },
        body: JSON.stringify({ query: '{ users { totalCount } }' }),
      });
    expect((await post('trace-42.a')).headers.get('x-request-id')).toBe('trace-42.a');
    const made = (await post()).headers.get('x-request-id');
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = (await post('bad id with spaces')).headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers /health (liveness) and /ready (the database answers)', async () => {
    const base = new URL(url).origin;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('the rest of a refused upload', () => {
  /** A listener that refuses every request at once, reading at most `maxBytes` or `maxMs` of what follows. */
  async function refusing(maxBytes: number, maxMs: number) {
    const listener = createHttpListener(
      (_request, response) => {
        response.writeHead(413, { 'content-type': 'application/json' }).end('{"errors":[]}');
      },
      { maxBytes, maxMs },
    );
    const url = await listener.listen(0, '127.0.0.1');
    return { url: `${url}/graphql`, close: () => listener.close(0) };
  }

  it('is read up to the byte bound, then the connection is cut', async () => {
    const server = await refusing(1024 * 1024, 60_000);
    try {
      const exchange = await rawUpload(server.url, { bytes: 16 * 1024 * 1024 });
      expect(exchange.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(exchange.written).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it('is read up to the time bound, then the connection is cut', async () => {
    const server = await refusing(64 * 1024 * 1024, 300);
    try {
      const exchange = await rawUpload(server.url, { bytes: 1024 * 1024, chunkBytes: 1024, paceMs: 20 });
      expect(exchange.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(exchange.written).toBeLessThan(1024 * 1024);
    } finally {
      await server.close();
    }
  });
});

describe('CORS', () => {
  const preflight = (api: TestServer, origin: string) =>
    api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  const post = (api: TestServer, origin: string) =>
    api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin },
      body: JSON.stringify({ query: '{ users { totalCount } }' }),
    });

  it('allows the listed origins (with credentials) and no other', async () => {
    const api = await start({ corsOrigins: ['https://app.example.com'] });
    const allowed = await preflight(api, 'https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(allowed.headers.get('vary')).toContain('Origin');
    expect((await post(api, 'https://app.example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://app.example.com',
    );

    const refused = await preflight(api, 'https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const answered = await post(api, 'https://evil.example.net');
    expect(answered.headers.get('access-control-allow-origin')).toBeNull();
    expect(answered.headers.get('vary')).toContain('Origin');
  });

  it('allows any origin, without credentials, with *', async () => {
    const api = await start({ corsOrigins: ['*'] });
    const response = await preflight(api, 'https://anywhere.example.org');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anywhere.example.org');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows no cross-origin caller by default in production, any in development', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const production = await start();
    expect(production.server.settings.corsOrigins).toEqual([]);
    expect(
      (await preflight(production, 'https://app.example.com')).headers.get('access-control-allow-origin'),
    ).toBeNull();
    vi.stubEnv('NODE_ENV', 'development');
    const development = await start();
    expect(development.server.settings.corsOrigins).toEqual(['*']);
  });

  it('reads the allow-list from RELGRAPH_CORS_ORIGINS', async () => {
    vi.stubEnv('RELGRAPH_CORS_ORIGINS', 'https://a.example.com, http://localhost:3000');
    const api = await start();
    expect(api.server.settings.corsOrigins).toEqual(['https://a.example.com', 'http://localhost:3000']);
    expect((await preflight(api, 'http://localhost:3000')).headers.get('access-control-allow-origin')).toBe(
      'http://localhost:3000',
    );
  });
});

describe('introspection and GraphiQL', () => {
  const graphiql = (api: TestServer) =>
    api.server.yoga.fetch('http://relgraph.test/graphql', { headers: { accept: 'text/html' } });
  const SCHEMA_QUERY = '{ __schema { queryType { name } } }';

  it('are off by default in production, and field suggestions with them', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const api = await start();
    const result = await api.query(SCHEMA_QUERY);
    expect(new Set(result.errors?.map((error) => error.extensions?.code))).toEqual(
      new Set(['GRAPHQL_VALIDATION_FAILED']),
    );
    expect(result.errors?.[0]?.message).toMatch(/introspection has been disabled.*"__schema"/);
    const typo = await api.query('{ users { nodes { nme } } }');
    expect(typo.errors?.[0]?.message).not.toContain('Did you mean');
    expect(typo.errors?.[0]?.message).toContain('Cannot query field "nme"');
    const page = await graphiql(api);
    expect(page.status).toBe(406);
    expect(await page.text()).not.toContain('GraphiQL');
    // __typename is not introspection of the schema: clients (Apollo, urql) add it everywhere.
    expect((await api.query('{ users { __typename } }')).data).toEqual({
      users: { __typename: 'UserConnection' },
    });
  });

  /** A misspelt name of each kind graphql-js suggests a near name for, in the document or a variable. */
  const MISSPELT: Array<[string, string, Record<string, unknown>?]> = [
    ['a field', '{ users { nodes { nme } } }'],
    ["a field's argument", '{ users(frist: 1) { totalCount } }'],
    ["a directive's argument", '{ users @include(iff: true) { totalCount } }'],
    ['an input field', '{ users(where: { nmae: { eq: "a" } }) { totalCount } }'],
    [
      'an input field in a variable',
      'query ($w: UserWhere) { users(where: $w) { totalCount } }',
      { w: { nmae: { eq: 'a' } } },
    ],
    ['an enum value', '{ users(orderBy: [{ id: ASCC }]) { totalCount } }'],
    [
      'an enum value in a variable',
      'query ($o: [UserOrderBy!]) { users(orderBy: $o) { totalCount } }',
      { o: [{ id: 'ASCC' }] },
    ],
    ['an enum value in a filter', '{ posts(where: { status: { eq: publishd } }) { totalCount } }'],
    ["a variable's type", 'query ($w: UserWher) { users { totalCount } }'],
    ["a fragment's type", '{ users { nodes { ... on Usr { id } } } }'],
  ];

  it('hide every "Did you mean" in production: fields, arguments, input fields, enum values, types', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const production = await start();
    vi.stubEnv('NODE_ENV', 'development');
    const development = await start();
    for (const [what, query, variables] of MISSPELT) {
      const hidden = (await production.query(query, variables)).errors?.map((error) => error.message);
      const shown = (await development.query(query, variables)).errors?.map((error) => error.message);
      // The same refusal, less the suggestion the development server makes.
      expect(shown?.join(' '), what).toMatch(/Did you mean .*"\w+"\?/);
      expect(hidden, what).toEqual(shown?.map((message) => message.replace(/ Did you mean [^?]*\?/, '')));
      expect(hidden?.join(' '), what).not.toContain('Did you mean');
    }
  });

  it('are on by default in development', async () => {
    const api = await start();
    expect((await api.query(SCHEMA_QUERY)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(await (await graphiql(api)).text()).toContain('GraphiQL');
  });

  it('follow the options and RELGRAPH_INTROSPECTION / RELGRAPH_GRAPHIQL', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const optedIn = await start({ introspection: true, graphiql: true });
    expect((await optedIn.query(SCHEMA_QUERY)).errors).toBeUndefined();
    expect(await (await graphiql(optedIn)).text()).toContain('GraphiQL');
    vi.stubEnv('RELGRAPH_INTROSPECTION', '1');
    const byEnvironment = await start();
    expect(byEnvironment.server.settings.introspection).toBe(true);
    expect(byEnvironment.server.settings.graphiql).toEqual({});
    vi.stubEnv('RELGRAPH_GRAPHIQL', '0');
    expect((await start()).server.settings.graphiql).toBe(false);
  });

  it('refuse GraphiQL without introspection, which it needs', () => {
    expect(() => resolveSettings({ introspection: false, graphiql: true })).toThrow(
      'graphiql needs introspection',
    );
  });
});
