/**
 * The textbook N+1 server: relgraph's GraphQL schema on graphql-yoga, every relation field of every
 * parent its own query.
 */
import { createServer, type Server } from 'node:http';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga } from 'graphql-yoga';
import postgres from 'postgres';
import { demoModels } from '../../models/index.ts';
import { buildRelationGraph } from '../../schema/build-graph.ts';
import { buildTypeDefs } from '../../schema/type-defs.ts';

type Row = Record<string, unknown>;

export function naiveServer(
  databaseUrl: string,
  poolSize: number,
): { server: Server; close(): Promise<void> } {
  const sql = postgres(databaseUrl, { max: poolSize, onnotice: () => {} });
  const one = async (text: string, value: unknown) =>
    ((await sql.unsafe(text, [value as string], { prepare: true }))[0] as Row) ?? null;
  const many = async (text: string, ...values: unknown[]) =>
    [...(await sql.unsafe(text, values as string[], { prepare: true }))] as Row[];
  const page = (nodes: Row[]) => ({ nodes });
  const resolvers = {
    Query: {
      users: async (_: unknown, args: { first: number }) =>
        page(
          await many(
            'select id, name, email, address_id as "addressId" from users order by id limit $1',
            args.first,
          ),
        ),
      phones: async (_: unknown, args: { first: number }) =>
        page(
          await many('select id, number, user_id as "userId" from phones order by id limit $1', args.first),
        ),
      user: (_: unknown, args: { id: string }) =>
        one('select id, name, email, address_id as "addressId" from users where id = $1', args.id),
    },
    UserConnection: { nodes: (connection: { nodes: Row[] }) => connection.nodes },
    PhoneConnection: { nodes: (connection: { nodes: Row[] }) => connection.nodes },
    PostConnection: { nodes: (connection: { nodes: Row[] }) => connection.nodes },
    User: {
      phone: (user: Row) => one('select id, number from phones where user_id = $1', user.id),
      profile: (user: Row) => one('select id, bio from profiles where owner_id = $1', user.id),
      address: (user: Row) => one('select id, street from addresses where id = $1', user.addressId),
      posts: async (user: Row, args: { first: number }) =>
        page(
          await many(
            'select id, title from posts where author_id = $1 order by id limit $2',
            user.id,
            args.first,
          ),
        ),
    },
    Phone: { user: (phone: Row) => one('select id, name from users where id = $1', phone.userId) },
  };
  const schema = makeExecutableSchema({ typeDefs: buildTypeDefs(buildRelationGraph(demoModels)), resolvers });
  const yoga = createYoga({ schema, graphiql: false, logging: false });
  return { server: createServer(yoga), close: () => sql.end({ timeout: 5 }) };
}
