/**
 * Who is asking: `bearerAuthenticator` with HS256 and with RS256 keys from a JWKS file (keys made
 * here, no network), and the answers a client gets for a missing, expired, foreign, forged or
 * malformed token — through the server, on both drivers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticate } from '../../access/authenticate.ts';
import { bearerAuthenticator, field, model, unauthenticated } from '../../index.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { drivers } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const AUDIENCE = 'relgraph-test';
const ISSUER = 'https://id.example.test/';

/** Each diary is readable by its owner only; anonymous viewers read none. */
const Diary = model('Diary', {
  fields: { id: field.id(), owner: field.string(), text: field.string() },
  access: { read: ({ viewer }) => (viewer ? { owner: { eq: viewer.id } } : false) },
});

const seedDiaries = async (server: RelgraphServer) => {
  const table = server.tables.byModel.get('Diary');
  await server.connection
    .database()
    .insert(table?.table as never)
    .values([
      { owner: 'alice', text: 'alice 1' },
      { owner: 'bob', text: 'bob 1' },
      { owner: 'alice', text: 'alice 2' },
    ]);
};

const secret = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: JWTPayload, key: Uint8Array = secret) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

const valid = (sub: string): JWTPayload => ({ sub, aud: AUDIENCE, iss: ISSUER, exp: now() + 600 });

interface Answer {
  status: number;
  wwwAuthenticate: string | null;
  body: {
    data?: { diaries?: { nodes: Array<{ text: string }> } } | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function ask(api: TestServer, authorization?: string): Promise<Answer> {
  const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(authorization !== undefined && { authorization }),
    },
    body: JSON.stringify({ query: '{ diaries { nodes { text } } }' }),
  });
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body: (await response.json()) as Answer['body'],
  };
}

const texts = (answer: Answer) => answer.body.data?.diaries?.nodes.map((node) => node.text);

/** A refused request: 401, UNAUTHENTICATED, no data, and a message matching `reason`. */
function expectRefused(answer: Answer, reason: RegExp) {
  expect(answer.status).toBe(401);
  expect(answer.wwwAuthenticate).toBe('Bearer error="invalid_token"');
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(answer.body.errors?.[0]?.message).toMatch(reason);
}

describe.each(drivers)('bearer tokens on %s', (driver) => {
  describe('HS256 with a shared secret', () => {
    let api: TestServer;
    beforeAll(async () => {
      const authenticate = bearerAuthenticator({ secret: SECRET, audience: AUDIENCE, issuer: ISSUER });
      api = await startTestServer(driver, [Diary], { authenticate, seed: seedDiaries });
    });
    afterAll(() => api?.close());

    it('reads as the anonymous viewer when no token is sent', async () => {
      const answer = await ask(api);
      expect(answer.status).toBe(200);
      expect(texts(answer)).toEqual([]);
    });

    it('reads as the token subject when the token verifies', async () => {
      expect(texts(await ask(api, `Bearer ${await hs256(valid('alice'))}`))).toEqual(['alice 1', 'alice 2']);
      expect(texts(await ask(api, `bearer ${await hs256(valid('bob'))}`))).toEqual(['bob 1']);
    });

    it('refuses an expired token', async () => {
      const token = await hs256({ ...valid('alice'), exp: now() - 60 });
      expectRefused(await ask(api, `Bearer ${token}`), /^The token expired at \d{4}-.*sign in again/);
    });

    it('refuses a token for another audience, naming both', async () => {
      const token = await hs256({ ...valid('alice'), aud: 'billing-api' });
      expectRefused(
        await ask(api, `Bearer ${token}`),
        /audience "billing-api", not this API \("relgraph-test"\)/,
      );
    });

    it('refuses a token from another issuer', async () => {
      const token = await hs256({ ...valid('alice'), iss: 'https://evil.test/' });
      expectRefused(await ask(api, `Bearer ${token}`), /issued by "https:\/\/evil.test\/"/);
    });

    it('refuses a token signed with another secret, and an altered one', async () => {
      const forged = await hs256(valid('alice'), new TextEncoder().encode('x'.repeat(40)));
      expectRefused(await ask(api, `Bearer ${forged}`), /signature does not verify/);
      const [header, , signature] = (await hs256(valid('bob'))).split('.');
      const payload = Buffer.from(JSON.stringify(valid('alice'))).toString('base64url');
      expectRefused(await ask(api, `Bearer ${header}.${payload}.${signature}`), /signature does not verify/);
    });

    it('refuses a token without an expiry or a subject', async () => {
      const { exp: _exp, ...forever } = valid('alice');
      expectRefused(await ask(api, `Bearer ${await hs256(forever)}`), /no "exp" claim/);
      const { sub: _sub, ...nobody } = valid('alice');
      expectRefused(await ask(api, `Bearer ${await hs256(nobody)}`), /no "sub" claim/);
    });

    it('refuses malformed Authorization headers', async () => {
      expectRefused(await ask(api, 'Basic YWxpY2U6c2VjcmV0'), /must be "Bearer <token>"; received a "Basic"/);
      expectRefused(await ask(api, 'Bearer'), /must be "Bearer <token>"/);
      expectRefused(await ask(api, 'Bearer not-a-jwt'), /malformed/);
      expectRefused(await ask(api, 'Bearer a.b.c'), /malformed/);
    });

    it('refuses an unsigned token (alg "none")', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(valid('alice'))).toString('base64url');
      expectRefused(await ask(api, `Bearer ${header}.${payload}.`), /.+/);
    });
  });

  describe('RS256 with the public keys of a JWKS file', () => {
    let api: TestServer;
    let folder: string;
    let signing: CryptoKey;
    let stranger: CryptoKey;
    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      signing = pair.privateKey;
      stranger = (await generateKeyPair('RS256')).privateKey;
      folder = await mkdtemp(join(tmpdir(), 'relgraph-jwks-'));
      const jwksFile = join(folder, 'jwks.json');
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
      await writeFile(jwksFile, JSON.stringify({ keys: [publicJwk] }));
      const authenticate = bearerAuthenticator({ jwksFile, audience: [AUDIENCE, 'other'] });
      api = await startTestServer(driver, [Diary], { authenticate, seed: seedDiaries });
    });
    afterAll(async () => {
      await api?.close();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    const rs256 = (claims: JWTPayload, key: CryptoKey, kid = 'key-1') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);

    it('reads as the subject of a token the identity provider signed', async () => {
      expect(texts(await ask(api, `Bearer ${await rs256(valid('bob'), signing)}`))).toEqual(['bob 1']);
    });

    it('refuses a token signed by another key under the same key id', async () => {
      expectRefused(
        await ask(api, `Bearer ${await rs256(valid('bob'), stranger)}`),
        /signature does not verify/,
      );
    });

    it('refuses a token whose key id is not in the key set', async () => {
      expectRefused(
        await ask(api, `Bearer ${await rs256(valid('bob'), signing, 'key-2')}`),
        /No key of the key set matches/,
      );
    });

    it('refuses an HS256 token, whatever its secret', async () => {
      expectRefused(
        await ask(api, `Bearer ${await hs256(valid('bob'))}`),
        /algorithm this API does not accept/,
      );
    });

    it('refuses an expired token', async () => {
      const token = await rs256({ ...valid('bob'), exp: now() - 60 }, signing);
      expectRefused(await ask(api, `Bearer ${token}`), /expired/);
    });
  });

  describe('a custom authenticate function', () => {
    let api: TestServer;
    beforeAll(async () => {
      // An existing session store, say: the header names a session; an unknown one is refused.
      const sessions = new Map([['s-alice', { id: 'alice' }]]);
      const authenticate: Authenticate = (request) => {
        const session = request.headers.get('x-session');
        if (session === null) return null;
        const viewer = sessions.get(session);
        if (!viewer) throw unauthenticated(`Session "${session}" is unknown or over; sign in again.`);
        return viewer;
      };
      api = await startTestServer(driver, [Diary], { authenticate, seed: seedDiaries });
    });
    afterAll(() => api?.close());

    const withSession = async (session: string) => {
      const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session': session },
        body: JSON.stringify({ query: '{ diaries { nodes { text } } }' }),
      });
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    };

    it('reads as the viewer it returns, and refuses what it refuses', async () => {
      expect((await withSession('s-alice')).body.data?.diaries?.nodes).toHaveLength(2);
      const refused = await withSession('s-mallory');
      expect(refused.status).toBe(401);
      expect(refused.body.errors?.[0]?.message).toBe(
        'Session "s-mallory" is unknown or over; sign in again.',
      );
    });
  });
});

describe('bearerAuthenticator options', () => {
  it('rejects a short secret, two key sources, none, and a missing audience', () => {
    expect(() => bearerAuthenticator({ secret: 'short', audience: AUDIENCE })).toThrow(/at least 32 bytes/);
    expect(() => bearerAuthenticator({ secret: SECRET, jwks: { keys: [] }, audience: AUDIENCE })).toThrow(
      /exactly one of/,
    );
    expect(() => bearerAuthenticator({ audience: AUDIENCE })).toThrow(/exactly one of/);
    expect(() => bearerAuthenticator({ secret: SECRET, audience: '' })).toThrow(/audience/);
  });

  it('names a key set file it cannot read', () => {
    expect(() => bearerAuthenticator({ jwksFile: '/nonexistent/jwks.json', audience: AUDIENCE })).toThrow(
      /cannot read the key set "\/nonexistent\/jwks.json"/,
    );
  });
});
