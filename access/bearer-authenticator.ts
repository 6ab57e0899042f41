/**
 * A ready-made `authenticate` for `createServer`: verifies a bearer JWT (jose) signed with a shared
 * secret (HS256) or by an identity provider whose public keys are in a JWKS file (RS256 and other
 * asymmetric algorithms), checks expiry, audience and issuer, and turns the claims into the viewer.
 * No token: the anonymous viewer. A token that does not verify: UNAUTHENTICATED (HTTP 401).
 */
import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { Authenticate } from './authenticate.ts';
import type { Viewer } from './rules.ts';
import { unauthenticated } from './unauthenticated.ts';

export interface BearerAuthenticatorOptions {
  /** The shared secret of HS256 tokens, at least 32 bytes. Give this or `jwksFile`/`jwks`. */
  secret?: string | Uint8Array;
  /** A JSON Web Key Set file holding the identity provider's public keys (read once, at start). */
  jwksFile?: string;
  /** The key set itself, instead of a file. */
  jwks?: JSONWebKeySet;
  /** The `aud` a token must carry: this API's identifier at the identity provider. Required. */
  audience: string | readonly string[];
  /** The `iss` a token must carry, when given. */
  issuer?: string | readonly string[];
  /** Accepted `alg` values. Default `['HS256']` with a secret, `['RS256']` with a key set. */
  algorithms?: readonly string[];
  /** Leeway for `exp` and `nbf` in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /**
   * The viewer of a verified token's claims, or `null` to treat it as anonymous; it may look the
   * subject up (a promise), to map a provider's `sub` to your user's key. Default: the claims, with
   * `id` the subject (`sub`).
   */
  viewer?: (claims: JWTPayload & { sub: string }) => Viewer | null | Promise<Viewer | null>;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

function keyOf(options: BearerAuthenticatorOptions): Uint8Array | JWTVerifyGetKey {
  const sources = [options.secret, options.jwksFile, options.jwks].filter((source) => source !== undefined);
  if (sources.length !== 1) {
    throw new Error(
      'bearerAuthenticator: give exactly one of `secret` (HS256), `jwksFile` or `jwks` (public keys).',
    );
  }
  if (options.secret !== undefined) {
    const secret =
      typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
    if (secret.length < 32)
      throw new Error(
        `bearerAuthenticator: an HS256 secret needs at least 32 bytes; received ${secret.length}.`,
      );
    return secret;
  }
  let keySet = options.jwks;
  if (options.jwksFile !== undefined) {
    try {
      keySet = JSON.parse(readFileSync(options.jwksFile, 'utf8')) as JSONWebKeySet;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`bearerAuthenticator: cannot read the key set "${options.jwksFile}": ${reason}`);
    }
  }
  try {
    return createLocalJWKSet(keySet as JSONWebKeySet);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`bearerAuthenticator: the key set is not a JWKS ({ "keys": [...] }): ${reason}`);
  }
}

const quoted = (value: unknown) =>
  Array.isArray(value) ? value.map((item) => `"${item}"`).join(', ') : `"${String(value)}"`;

/** What a client can do about a token that failed, in words. */
function reasonOf(error: unknown, options: BearerAuthenticatorOptions): string {
  if (error instanceof errors.JWTExpired) {
    const expired = typeof error.payload.exp === 'number' ? new Date(error.payload.exp * 1000) : undefined;
    return `The token expired${expired ? ` at ${expired.toISOString()}` : ''}; sign in again for a new one.`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const given = error.payload[error.claim];
    if (error.reason === 'missing')
      return `The token has no "${error.claim}" claim, which this API requires.`;
    if (error.claim === 'aud')
      return `The token is for audience ${quoted(given)}, not this API (${quoted(options.audience)}).`;
    if (error.claim === 'iss')
      return `The token was issued by ${quoted(given)}, not by ${quoted(options.issuer)}.`;
    if (error.claim === 'nbf') return 'The token is not valid yet (nbf is in the future).';
    return `The token's "${error.claim}" claim is not valid: ${error.message}.`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The token signature does not verify: it was not signed by a key this API trusts, or it was altered.';
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'No key of the key set matches the token (its "kid" and "alg"); it was not issued for this API.';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return `The token is signed with an algorithm this API does not accept (accepted: ${quoted(options.algorithms ?? [])}).`;
  return 'The token is malformed: expected a JWT, three base64url parts separated by dots.';
}

/** `authenticate` for bearer JWTs; see `BearerAuthenticatorOptions`. Throws at once on bad options. */
export function bearerAuthenticator(options: BearerAuthenticatorOptions): Authenticate {
  const key = keyOf(options);
  if (options.audience === undefined || options.audience.length === 0)
    throw new Error(
      'bearerAuthenticator: give the `audience` tokens must be issued for, so tokens for other APIs are refused.',
    );
  const algorithms = [...(options.algorithms ?? (options.secret !== undefined ? ['HS256'] : ['RS256']))];
  const settings = { ...options, algorithms };
  const toViewer = options.viewer ?? ((claims) => ({ ...claims, id: claims.sub }));
  return async (request) => {
    const header = request.headers.get('authorization');
    if (header === null || header.trim() === '') return null;
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      const scheme = header.trim().split(/\s+/)[0] ?? '';
      throw unauthenticated(
        `The Authorization header must be "Bearer <token>"; received a "${scheme.slice(0, 20)}" header.`,
      );
    }
    let claims: JWTPayload;
    try {
      const verified = await jwtVerify(token, key as Uint8Array, {
        audience: options.audience as string | string[],
        ...(options.issuer !== undefined && { issuer: options.issuer as string | string[] }),
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'sub'],
      });
      claims = verified.payload;
    } catch (error) {
      throw unauthenticated(reasonOf(error, settings));
    }
    return toViewer(claims as JWTPayload & { sub: string });
  };
}
