/**
 * Rules that cannot work: rejected with the model definitions when the graph is built (no database),
 * or — when a rule answers something unusable at run time — a masked server error, never a leak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../access/rules.ts';
import { belongsTo, field, hasOne, model } from '../index.ts';
import { drivers } from './support/databases.ts';
import { problemsOf } from './support/definition-problems.ts';
import { captureLogs } from './support/log-capture.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

describe('access rules in model definitions', () => {
  const withAccess = (access: unknown) => {
    const Owner = model('Owner', {
      fields: { id: field.id(), name: field.string(), email: field.string({ unique: true }) },
      relations: { pet: hasOne('Pet') },
    });
    const Pet = model('Pet', {
      fields: { id: field.id(), name: field.string() },
      relations: { owner: belongsTo('Owner') },
      access: access as never,
    });
    return [Owner, Pet];
  };

  it('accepts rules on every operation and on data fields', () => {
    const open = () => true;
    expect(
      problemsOf(
        withAccess({ read: open, create: open, update: open, delete: open, fields: { name: open } }),
      ),
    ).toEqual([]);
  });

  it('reports every unusable rule at once, with the fix', () => {
    expect(
      problemsOf(
        withAccess({
          raed: () => true,
          update: { ownerId: { eq: '1' } },
          fields: { nmae: () => true, id: () => true, ownerId: () => false, name: true },
        }),
      ),
    ).toEqual([
      'Model "Pet": "access.raed" is not an access rule; use read, create, update, delete, fields. Did you mean "read"?',
      'Model "Pet": access.update must be a function ({ viewer, input }) => true | false | filter.',
      'Model "Pet": access.fields.nmae names no field of Pet. Did you mean "name"?',
      'Model "Pet": access.fields.id: "id" is a key that links rows and cannot be hidden; restrict the rows with access.read instead.',
      'Model "Pet": access.fields.ownerId: "ownerId" is a key that links rows and cannot be hidden; restrict the rows with access.read instead.',
      'Model "Pet": access.fields.name must be a function ({ viewer }) => true | false | filter, or { read, create, update }.',
    ]);
  });

  it('accepts write rules on keys and data fields, in object form', () => {
    const open = () => true;
    expect(
      problemsOf(
        withAccess({
          fields: { ownerId: { create: open, update: open }, name: { read: open, update: open } },
        }),
      ),
    ).toEqual([]);
  });

  it('reports every unusable field write rule at once, with the fix', () => {
    const open = () => true;
    expect(
      problemsOf(
        withAccess({
          fields: {
            owner: { update: open },
            ownerId: { read: open, updat: open },
            name: { create: true },
            nmae: { update: open },
          },
        }),
      ),
    ).toEqual([
      'Model "Pet": access.fields.owner names no field of Pet. "owner" is a relation; name its foreign key "ownerId".',
      'Model "Pet": access.fields.ownerId.read: "ownerId" is a key that links rows and cannot be hidden; restrict the rows with access.read instead.',
      'Model "Pet": access.fields.ownerId.updat is not a field rule; use read, create, update. Did you mean "update"?',
      'Model "Pet": access.fields.name.create must be a function ({ viewer, input }) => true | false.',
      'Model "Pet": access.fields.nmae names no field of Pet. Did you mean "name"?',
    ]);
  });
});

describe.each(drivers)('rules that answer something unusable, on %s', (driver) => {
  let api: TestServer;
  // The server's log, where a masked error is recorded in full: what the operator reads.
  const logs = captureLogs();
  // A token subject that is not a number cannot equal an integer key: no note is the viewer's.
  const Note = model('Note', {
    fields: { id: field.id(), text: field.string() },
    access: { read: ({ viewer }: { viewer: Viewer | null }) => (viewer ? { id: { eq: viewer.id } } : false) },
  });
  const Page = model('Page', {
    fields: { id: field.id(), title: field.string() },
    access: { read: () => ({ titel: { eq: 'x' } }) },
  });
  const Memo = model('Memo', {
    fields: { id: field.id(), text: field.string() },
    access: { fields: { text: () => 'yes' as never } },
  });
  const Tag = model('Tag', {
    fields: { id: field.id(), label: field.string() },
    access: { fields: { label: { create: () => ({ id: { eq: 1 } }) as never } } },
  });
  beforeAll(async () => {
    api = await startTestServer(driver, [Note, Memo, Tag, Page], {
      authenticate: (request) => ({ id: request.headers.get('x-id') ?? '' }),
      logger: logs.logger,
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  const ask = async (id: string, query: string) => {
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-id': id },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
  };

  it.each([
    [
      '1',
      '{ pages { nodes { id } } }',
      'Page access.read returned a filter that cannot be applied: filter.titel: "titel" is not a field or relation of Page.',
    ],
    [
      '7',
      '{ memos { nodes { text } } }',
      'Memo access.fields.text returned "yes"; return true, false or a filter.',
    ],
    [
      '7',
      'mutation { createTag(input: { label: "x" }) { id } }',
      'Tag access.fields.label.create returned {"id":{"eq":1}}; return true or false.',
    ],
  ])('as %s, %s is a masked server error with no rows; the log names the rule', async (id, query, log) => {
    const answer = await ask(id, query);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(answer.errors?.[0]?.message).toBe('Unexpected error.');
    const errors = logs.lines.filter((line) => line.msg === 'unexpected error');
    // The rule's message as it stands inside the JSON line (quotes escaped).
    expect(JSON.stringify(errors)).toContain(JSON.stringify(log).slice(1, -1));
  });

  it('reads no rows for a subject its rule compares with an integer key, and logs no error', async () => {
    const before = logs.lines.length;
    const answer = await ask('auth0|5f1c', '{ notes { totalCount nodes { id } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ notes: { totalCount: 0, nodes: [] } });
    expect(logs.lines.slice(before).filter((line) => line.msg === 'unexpected error')).toEqual([]);
  });
});
