/**
 * How `npm start` knows who is asking: bearer tokens verified with the configured secret or key set;
 * with neither, outside production, a secret made for this run and two tokens printed to try the
 * demo's access rules in GraphiQL (an admin and a member). In production with neither, everyone is
 * anonymous. A token's subject is an identity at the provider (`"auth0|5f1c"`), not a user's key:
 * the viewer is the user whose `externalId` it is.
 */
import { randomBytes } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import type { Authenticate } from '../access/authenticate.ts';
import { bearerAuthenticator } from '../access/bearer-authenticator.ts';
import type { Viewer } from '../access/rules.ts';
import type { Config } from './config.ts';

/** The key of the user whose `User.externalId` is `subject`, or `undefined` when it is no user's. */
export type FindUser = (subject: string) => Promise<string | undefined>;

export interface DemoSignIn {
  readonly authenticate: Authenticate | undefined;
  /** What to tell the person who started the server. */
  readonly lines: readonly string[];
}

const DEMO_TOKEN_HOURS = 12;

/**
 * The viewer of a verified token: the user whose `externalId` is its subject, with the token's other
 * claims (its `role`); a subject that is no user's reads as an anonymous visitor, so a numeric `sub`
 * can never pass for another user's key.
 */
export function directoryViewer(findUser: FindUser) {
  return async (claims: JWTPayload & { sub: string }): Promise<Viewer | null> => {
    const id = await findUser(claims.sub);
    return id === undefined ? null : { ...claims, id };
  };
}

/** The demo's sign-in for `config`; `findUser` maps a token's subject to a user (one indexed lookup). */
export async function demoSignIn(
  config: Config,
  production: boolean,
  findUser: FindUser,
): Promise<DemoSignIn> {
  const { jwtAudience: audience, jwtIssuer: issuer } = config;
  const viewer = directoryViewer(findUser);
  if (config.jwksFile || config.jwtSecret) {
    const source = config.jwksFile ? { jwksFile: config.jwksFile } : { secret: config.jwtSecret };
    const from = config.jwksFile ? `the keys in ${config.jwksFile}` : 'RELGRAPH_JWT_SECRET';
    return {
      authenticate: bearerAuthenticator({ ...source, audience, issuer, viewer }),
      lines: [`relgraph: bearer tokens for audience "${audience}" verified with ${from}`],
    };
  }
  if (production) {
    return {
      authenticate: undefined,
      lines: ['relgraph: no RELGRAPH_JWT_SECRET or RELGRAPH_JWKS_FILE: every request is anonymous'],
    };
  }
  const secret = randomBytes(32);
  const sign = (sub: string, role: string) => {
    const token = new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub);
    const withIssuer = issuer ? token.setIssuer(issuer) : token;
    return withIssuer.setAudience(audience).setExpirationTime(`${DEMO_TOKEN_HOURS}h`).sign(secret);
  };
  const header = async (sub: string, role: string) =>
    `{ "Authorization": "Bearer ${await sign(sub, role)}" }`;
  return {
    authenticate: bearerAuthenticator({ secret, audience, issuer, viewer }),
    lines: [
      `relgraph: to sign in, paste a header into GraphiQL's Headers tab (tokens for this run, ${DEMO_TOKEN_HOURS} h):`,
      `relgraph:   admin, user 1:  ${await header('demo|1', 'admin')}`,
      `relgraph:   member, user 2: ${await header('demo|2', 'member')}`,
    ],
  };
}
