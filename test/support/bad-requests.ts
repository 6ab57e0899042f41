/**
 * Generators of bad GraphQL-over-HTTP requests from a seeded PRNG (the same requests on every run):
 * random bytes, truncated JSON, variables of the wrong type, unknown fields, huge strings, deep
 * nesting and malformed protocol envelopes. Every request is wrong by construction, so every
 * answer must carry an error and nothing may be written.
 */

export interface BadRequest {
  readonly kind: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the endpoint URL (a query string for GET). */
  readonly search?: string;
  readonly contentType?: string;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/** mulberry32: a small, fast PRNG with a 32-bit state, enough to make the same cases every run. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const text = (length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 _-{}[]():"\\$@!#') =>
    Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  return { next, int, pick, text };
}

type Random = ReturnType<typeof prng>;

interface Template {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** Valid operations over the demo models, which the generators then break. */
const TEMPLATES: readonly Template[] = [
  { query: 'query One($id: ID!) { user(id: $id) { id name role { name } } }', variables: { id: '1' } },
  {
    query:
      'query List($first: Int, $where: UserWhere) { users(first: $first, where: $where) { totalCount nodes { id posts(first: 2) { nodes { title } } } } }',
    variables: { first: 5, where: { name: { startsWith: 'A' }, role: { name: { eq: 'member' } } } },
  },
  {
    query: 'mutation Create($input: CreateUserInput!) { createUser(input: $input) { id } }',
    variables: {
      input: {
        name: 'Fuzz',
        email: 'fuzz@example.com',
        role: { connect: { name: 'member' } },
        phone: { create: { number: '+44 20 0000 0000' } },
        posts: { create: [{ title: 'A', body: 'b', status: 'draft' }] },
      },
    },
  },
  {
    query:
      'mutation Update($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }',
    variables: { id: '2', input: { name: 'Renamed', profile: { create: { bio: 'x' } } } },
  },
];

const json = (value: unknown) => JSON.stringify(value);
const post = (
  kind: string,
  body: string | Uint8Array<ArrayBuffer>,
  contentType = 'application/json',
): BadRequest => ({
  kind,
  method: 'POST',
  contentType,
  body,
});

/** Every leaf of a JSON value, as a path of keys. */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
}

function replaced(value: unknown, path: readonly string[], by: unknown): unknown {
  if (path.length === 0) return by;
  const [key, ...rest] = path as [string, ...string[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  copy[key] = replaced(copy[key], rest, by);
  return copy;
}

/** Values no scalar accepts (an ID takes a number, so numbers are not among them). */
const WRONG_SCALARS: readonly unknown[] = [{}, { value: 1 }, [{}], [[1]], true, 1.5e300, -0.5];

const generators: Record<string, (random: Random) => BadRequest> = {
  randomBytes: (random) =>
    post(
      'random bytes',
      Uint8Array.from({ length: random.int(2000) + 1 }, () => random.int(256)),
    ),

  truncatedJson: (random) => {
    const full = json(random.pick(TEMPLATES));
    return post('truncated JSON', full.slice(0, random.int(full.length - 1) + 1));
  },

  wrongVariableTypes: (random) => {
    const template = random.pick(TEMPLATES);
    const path = random.pick(leaves(template.variables));
    const variables = replaced(template.variables, path, random.pick(WRONG_SCALARS));
    return post('wrong variable type', json({ query: template.query, variables }));
  },

  unknownFields: (random) => {
    const template = random.pick(TEMPLATES);
    const name = `zz${random.text(6, 'abcdefghij')}`;
    const variant = random.int(5);
    if (variant === 0)
      return post(
        'unknown field',
        json({ query: template.query.replace(' id', ` ${name} id`), variables: template.variables }),
      );
    if (variant === 1)
      return post('unknown argument', json({ query: `{ users(${name}: 1) { totalCount } }` }));
    if (variant === 2) {
      // Inside an input object: an unknown variable at the top would simply be ignored.
      const { query, variables } = random.pick(TEMPLATES.slice(1));
      const path = random.pick(leaves(variables).filter((leaf) => leaf.length > 1)).slice(0, -1);
      return post(
        'unknown input field',
        json({ query, variables: replaced(variables, [...path, name], 'x') }),
      );
    }
    if (variant === 3) return post('unknown operation', json({ ...template, operationName: name }));
    return post('unknown body parameter', json({ ...template, [name]: 1 }));
  },

  hugeStrings: (random) => {
    const huge = 'x'.repeat(100_000 + random.int(900_000));
    const variant = random.int(5);
    if (variant === 0) return post('huge id', json({ query: `{ user(id: "${huge}") { id } }` }));
    if (variant === 1) {
      const input = {
        name: huge.slice(0, 201 + random.int(200_000)),
        email: 'huge@example.com',
        role: { connect: { name: 'member' } },
      };
      return post('huge name', json({ query: TEMPLATES[2]?.query, variables: { input } }));
    }
    if (variant === 2) return post('huge field name', json({ query: `{ ${huge.slice(0, 200_000)} }` }));
    if (variant === 3)
      return post('huge operation name', json({ ...TEMPLATES[0], operationName: huge.slice(0, 200_000) }));
    const over = 'x'.repeat(1024 * 1024 + random.int(1_000_000));
    return post(
      'body over the limit',
      json({ ...TEMPLATES[1], variables: { first: 1, where: { name: { eq: over } } } }),
    );
  },

  deepNesting: (random) => {
    const depth = 33 + random.int(3000);
    const variant = random.int(4);
    if (variant === 0) {
      const where = `${'{"and":['.repeat(depth)}{"name":{"eq":"x"}}${']}'.repeat(depth)}`;
      return post(
        'deep variable',
        `{"query":${json(TEMPLATES[1]?.query)},"variables":{"first":1,"where":${where}}}`,
      );
    }
    if (variant === 1)
      return post(
        'deep list variable',
        `{"query":${json(TEMPLATES[0]?.query)},"variables":{"id":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      );
    if (variant === 2)
      return post(
        'deep selection',
        json({
          query: `{ users { nodes { ${'author { posts { nodes { '.repeat(depth / 3)}id ${'} } } '.repeat(depth / 3)}} } }`,
        }),
      );
    return post('deep braces', json({ query: '{'.repeat(depth) }));
  },

  badEnvelopes: (random) => {
    const template = random.pick(TEMPLATES);
    const cases: Array<() => BadRequest> = [
      () => post('JSON that is no request', random.pick(['null', '[]', '1', '"query"', 'true', '{}'])),
      () =>
        post(
          'query of the wrong type',
          json({ query: random.pick([5, null, ['{ users { totalCount } }'], { q: 1 }]) }),
        ),
      () =>
        post(
          'variables of the wrong type',
          json({ query: template.query, variables: random.pick(['{}', 5, [1]]) }),
        ),
      () =>
        post(
          'extensions of the wrong type',
          json({ query: template.query, extensions: random.pick(['x', 5, [1]]) }),
        ),
      () => post('syntax error', json({ query: random.text(1 + random.int(200)) })),
      () =>
        post(
          'unknown content type',
          json(template),
          random.pick(['text/xml', 'application/octet-stream', 'image/png']),
        ),
      () => post('batch over the limit', json(Array.from({ length: 11 + random.int(50) }, () => template))),
      () => post('empty batch', '[]'),
      () => post('batch of junk', json([1, 'x', null])),
      () => ({
        kind: 'GET with junk',
        method: 'GET',
        search: `?query=${encodeURIComponent(random.text(1 + random.int(300)))}`,
      }),
      () => ({
        kind: 'GET of a mutation',
        method: 'GET',
        search: `?query=${encodeURIComponent(TEMPLATES[2]?.query ?? '')}&variables=${encodeURIComponent(json(TEMPLATES[2]?.variables))}`,
      }),
      () => ({
        kind: 'other method',
        method: random.pick(['PUT', 'PATCH', 'DELETE'] as const),
        contentType: 'application/json',
        body: json(template),
      }),
    ];
    return random.pick(cases)();
  },

  badMutations: (random) => {
    const input = TEMPLATES[2]?.variables.input as Record<string, unknown>;
    const breaks: Array<Record<string, unknown>> = [
      { name: '' },
      { role: { connect: { name: `no-such-role-${random.text(5, 'abc')}` } } },
      { role: { connect: { id: '999999' } } },
      { role: { connect: { name: 'member' }, create: { name: 'both' } } },
      {
        posts: {
          create: [
            { title: 'ok', body: 'b', status: 'draft' },
            { title: '', body: 'b', status: 'draft' },
          ],
        },
      },
      { phone: { connect: { id: String(1_000_000 + random.int(1000)) } } },
      { email: null },
    ];
    const broken = { ...input, email: `fuzz-${random.int(1e9)}@example.com`, ...random.pick(breaks) };
    return post('bad mutation', json({ query: TEMPLATES[2]?.query, variables: { input: broken } }));
  },
};

/** `count` bad requests, the same ones for the same seed, cycling through every kind. */
export function badRequests(seed: number, count: number): BadRequest[] {
  const random = prng(seed);
  const kinds = Object.values(generators);
  return Array.from({ length: count }, (_, i) =>
    (kinds[i % kinds.length] as (random: Random) => BadRequest)(random),
  );
}
