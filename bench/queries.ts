/** The benchmark's four queries, as GraphQL and as the one hand-written SQL statement of the floor server. */

export interface BenchQuery {
  readonly name: string;
  readonly graphql: string;
  /** One statement that builds the whole JSON response in PostgreSQL (`$1`: the page size, where there is one). */
  readonly sql: string;
  /** Rows of the outer list, for the scaling run (Q1 only). */
  readonly size?: number;
}

const obj = (...pairs: string[]) => `json_build_object(${pairs.join(', ')})`;
const list = (element: string, order: string) =>
  `coalesce(json_agg(${element} order by ${order}), '[]'::json)`;

/** `phone { number } profile { bio } address { street }` of the user row `u`, as JSON pairs. */
const userRelations = (u: string) => [
  `'phone'`,
  `(select ${obj(`'number'`, 'p.number')} from phones p where p.user_id = ${u}.id)`,
  `'profile'`,
  `(select ${obj(`'bio'`, 'r.bio')} from profiles r where r.owner_id = ${u}.id)`,
  `'address'`,
  `(select ${obj(`'street'`, 'a.street')} from addresses a where a.id = ${u}.address_id)`,
];

export function q1(size = 100): BenchQuery {
  return {
    name: size === 100 ? 'Q1' : `Q1×${size}`,
    size,
    graphql: `{ users(first: ${size}) { nodes { id name phone { number } profile { bio } address { street } } } }`,
    sql: `select ${obj(
      `'data'`,
      obj(
        `'users'`,
        obj(`'nodes'`, list(obj(`'id'`, 'u.id::text', `'name'`, 'u.name', ...userRelations('u')), 'u.id')),
      ),
    )}::text as body from (select * from users order by id limit ${size}) u`,
  };
}

export const q2: BenchQuery = {
  name: 'Q2',
  graphql: '{ phones(first: 100) { nodes { id number user { name profile { bio } } } } }',
  sql: `select ${obj(
    `'data'`,
    obj(
      `'phones'`,
      obj(
        `'nodes'`,
        list(
          obj(
            `'id'`,
            'p.id::text',
            `'number'`,
            'p.number',
            `'user'`,
            `(select ${obj(`'name'`, 'u.name', `'profile'`, `(select ${obj(`'bio'`, 'r.bio')} from profiles r where r.owner_id = u.id)`)} from users u where u.id = p.user_id)`,
          ),
          'p.id',
        ),
      ),
    ),
  )}::text as body from (select * from phones order by id limit 100) p`,
};

export const q3: BenchQuery = {
  name: 'Q3',
  graphql: '{ user(id: 4242) { id name email phone { number } profile { bio } address { street } } }',
  sql: `select ${obj(
    `'data'`,
    obj(
      `'user'`,
      `(select ${obj(
        `'id'`,
        'u.id::text',
        `'name'`,
        'u.name',
        `'email'`,
        'u.email',
        ...userRelations('u'),
      )} from users u where u.id = 4242)`,
    ),
  )}::text as body`,
};

export const q4: BenchQuery = {
  name: 'Q4',
  graphql: '{ users(first: 50) { nodes { id name posts(first: 10) { nodes { title } } } } }',
  sql: `select ${obj(
    `'data'`,
    obj(
      `'users'`,
      obj(
        `'nodes'`,
        list(
          obj(
            `'id'`,
            'u.id::text',
            `'name'`,
            'u.name',
            `'posts'`,
            obj(
              `'nodes'`,
              `(select ${list(obj(`'title'`, 'p.title'), 'p.id')} from (select * from posts where author_id = u.id order by id limit 10) p)`,
            ),
          ),
          'u.id',
        ),
      ),
    ),
  )}::text as body from (select * from users order by id limit 50) u`,
};

export const queries: readonly BenchQuery[] = [q1(), q2, q3, q4];
