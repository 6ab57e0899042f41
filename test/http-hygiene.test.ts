/**
 * HTTP hygiene over a real loopback port: the body-size limit (413 with a JSON error), CSRF
 * prevention, media types, GET for queries only, CORS allow-lists, introspection and GraphiQL by
 * environment, request ids, and the liveness and readiness endpoints.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoModels } from '../models/index.ts';
import { resolveSettings } from '../server/settings.ts';
import { drivers } from './support/databases.ts';
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
