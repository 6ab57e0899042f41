/**
 * The GraphQL-over-HTTP audit of the `graphql-http` package (`serverAudits`) against the server on a
 * loopback port: every audit passes. The audit's client adds the CSRF-prevention header a
 * non-browser client sends (the server refuses header-less GETs on purpose; http-hygiene tests it).
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { demoSeed, startTestServer, type TestServer } from '../support/test-server.ts';

const withCsrfHeader: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('x-graphql-csrf', '1');
  return fetch(input, { ...init, headers });
};

describe.each(drivers)('GraphQL over HTTP audit on %s', (driver) => {
  let api: TestServer;
  let url: string;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(3) });
    url = await api.server.listen(0);
  });
  afterAll(() => api?.close());

  it('passes every audit of graphql-http serverAudits', async () => {
    const audits = serverAudits({ url, fetchFn: withCsrfHeader });
    // Each result carries its audit's name.
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    // Warnings count as failures too: every MUST and SHOULD of the audit holds.
    const failed = results
      .filter((result) => result.status !== 'ok')
      .map((result) => `${result.status}: ${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });
});
