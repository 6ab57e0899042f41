/**
 * Who `npm start` lets in, as its environment says: bearer tokens signed with RELGRAPH_JWT_SECRET or
 * by the keys in RELGRAPH_JWKS_FILE, for RELGRAPH_JWT_AUDIENCE and RELGRAPH_JWT_ISSUER; anonymous
 * visitors only in production without either (and no diagram of the models there); and a refusal to
 * start with both. One embedded
 * database, seeded by the first start, serves every case.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, startServerProcess } from './support/cli.ts';

const SECRET = 'a-secret-npm-start-is-given-of-32-bytes';
const AUDIENCE = 'https://api.example.test';
const ISSUER = 'https://id.example.test/';

/** The demo admin's claims (user 1, whose externalId is "demo|1") as an identity provider issues them, for ten minutes. */
const admin = (audience = AUDIENCE): JWTPayload => ({
  sub: 'demo|1',
  role: 'admin',
  aud: audience,
  iss: ISSUER,
  exp: Math.floor(Date.now() / 1000) + 600,
});

const hs256 = (claims: JWTPayload, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

interface Answer {
  status: number;
  posts?: number;
  code?: unknown;
}

/** User 1's post total (3 for the admin, the 2 published for an anonymous visitor), or the error code. */
async function ask(url: string, token?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query: '{ user(id: 1) { posts { totalCount } } }' }),
  });
  const body = (await response.json()) as {
    data?: { user: { posts: { totalCount: number } } } | null;
    errors?: Array<{ extensions?: { code?: unknown } }>;
  };
  const posts = body.data?.user.posts.totalCount;
  const code = body.errors?.[0]?.extensions?.code;
  return {
    status: response.status,
    ...(posts !== undefined && { posts }),
    ...(code !== undefined && { code }),
  };
}

describe('npm start and bearer tokens', () => {
  let folder: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'relgraph-sign-in-'));
    env = { RELGRAPH_DATA_DIR: join(folder, 'data') };
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  /** Runs `npm start` with `env` plus `extra`, hands it to `check`, then stops it (exit 0). */
  async function withServer(
    extra: Record<string, string>,
    check: (url: string, output: string) => Promise<void>,
  ) {
    const server = await startServerProcess({ ...env, ...extra });
    try {
      await check(server.url, server.output);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }

  it('verifies HS256 tokens with RELGRAPH_JWT_SECRET for its audience and issuer, and prints none', {
    timeout: 180_000,
  }, async () => {
    const settings = {
      RELGRAPH_JWT_SECRET: SECRET,
      RELGRAPH_JWT_AUDIENCE: AUDIENCE,
      RELGRAPH_JWT_ISSUER: ISSUER,
    };
    await withServer(settings, async (url, output) => {
      expect(output).toContain(`bearer tokens for audience "${AUDIENCE}" verified with RELGRAPH_JWT_SECRET`);
      expect(output).not.toContain('Authorization');
      expect(await ask(url, await hs256(admin()))).toEqual({ status: 200, posts: 3 });
      expect(await ask(url)).toEqual({ status: 200, posts: 2 });
      expect(await ask(url, await hs256(admin('relgraph')))).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      const forged = await hs256(admin(), 'another-secret-that-is-32-bytes-long!');
      expect(await ask(url, forged)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });
  });

  it("verifies RS256 tokens with an identity provider's keys from RELGRAPH_JWKS_FILE", {
    timeout: 120_000,
  }, async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwksFile = join(folder, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] }));
    const rs256 = (claims: JWTPayload) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
    await withServer(
      { RELGRAPH_JWKS_FILE: jwksFile, RELGRAPH_JWT_AUDIENCE: AUDIENCE },
      async (url, output) => {
        expect(output).toContain(`verified with the keys in ${jwksFile}`);
        expect(await ask(url, await rs256(admin()))).toEqual({ status: 200, posts: 3 });
        // A token signed with a shared secret is not one of the provider's.
        expect(await ask(url, await hs256(admin()))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      },
    );
  });

  it('prints no tokens in production without settings: every request is anonymous; and shows no diagram', {
    timeout: 120_000,
  }, async () => {
    await withServer({ NODE_ENV: 'production' }, async (url, output) => {
      expect(output).toContain('no RELGRAPH_JWT_SECRET or RELGRAPH_JWKS_FILE: every request is anonymous');
      expect(output).not.toContain('Authorization');
      expect(await ask(url)).toEqual({ status: 200, posts: 2 });
      // The diagram draws the whole model, which production keeps to itself like introspection.
      expect(output).not.toContain('relationship diagram');
      for (const path of ['/diagram', '/diagram.svg', '/diagram.mmd']) {
        const response = await fetch(new URL(path, url));
        expect(response.status, path).toBe(404);
        expect(await response.text(), path).not.toContain('User');
      }
    });
  });

  it('refuses to start with both a secret and a key file, exit 1', async () => {
    const { code, stdout, stderr } = await runScript('start', [], {
      ...env,
      RELGRAPH_JWT_SECRET: SECRET,
      RELGRAPH_JWKS_FILE: join(folder, 'jwks.json'),
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Set RELGRAPH_JWT_SECRET');
    expect(stderr).toContain('or RELGRAPH_JWKS_FILE');
    expect(stderr).toContain('not both');
  });
});
