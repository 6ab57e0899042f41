/**
 * How `npm start` knows who is asking: bearer tokens verified with the configured secret or key set;
 * with neither, outside production, a secret made for this run and two tokens printed to try the
 * demo's access rules in GraphiQL (an admin and a member). In production with neither, everyone is
 * anonymous.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Authenticate } from '../access/authenticate.ts';
import { bearerAuthenticator } from '../access/bearer-authenticator.ts';
import type { Config } from './config.ts';

export interface DemoSignIn {
  readonly authenticate: Authenticate | undefined;
  /** What to tell the person who started the server. */
  readonly lines: readonly string[];
}

const DEMO_TOKEN_HOURS = 12;

export async function demoSignIn(config: Config, production: boolean): Promise<DemoSignIn> {
  const { jwtAudience: audience, jwtIssuer: issuer } = config;
  if (config.jwksFile || config.jwtSecret) {
    const source = config.jwksFile ? { jwksFile: config.jwksFile } : { secret: config.jwtSecret };
    const from = config.jwksFile ? `the keys in ${config.jwksFile}` : 'RELGRAPH_JWT_SECRET';
    return {
      authenticate: bearerAuthenticator({ ...source, audience, issuer }),
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
    authenticate: bearerAuthenticator({ secret, audience, issuer }),
    lines: [
      `relgraph: to sign in, paste a header into GraphiQL's Headers tab (tokens for this run, ${DEMO_TOKEN_HOURS} h):`,
      `relgraph:   admin, user 1:  ${await header('1', 'admin')}`,
      `relgraph:   member, user 2: ${await header('2', 'member')}`,
    ],
  };
}
