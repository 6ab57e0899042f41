/**
 * Descriptions reach the schema GraphiQL's docs explorer reads: a model's and a field's as given,
 * a relation's written by relgraph to say what links the two rows unless one was given. And the
 * exported `schema.graphql` is the sorted SDL of the demo models, checked for drift.
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  type IntrospectionObjectType,
  type IntrospectionQuery,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  belongsTo,
  buildRelationGraph,
  buildTypeDefs,
  field,
  hasMany,
  hasOne,
  type Model,
  model,
} from '../../index.ts';
import { demoModels } from '../../models/index.ts';
import { printGraphSchema } from '../../schema/print-schema.ts';
import { createServer } from '../../server/create-server.ts';
import { targetsByName } from '../support/model-copies.ts';

const schemaOf = (models: readonly Model[]) => buildSchema(buildTypeDefs(buildRelationGraph(models)));

function fieldOf(schema: GraphQLSchema, type: string, name: string): GraphQLField<unknown, unknown> {
  const found = (schema.getType(type) as GraphQLObjectType | undefined)?.getFields()[name];
  if (!found) throw new Error(`no field ${type}.${name}`);
  return found;
}

describe('descriptions in the schema', () => {
  const Team = model('Team', {
    description: 'A group of people.',
    fields: { id: field.id(), name: field.string({ description: 'Shown on the badge.' }) },
    relations: {
      members: hasMany((): Model => Member),
      captain: hasOne((): Model => Member, { foreignKey: 'captainOfId', inverse: 'captainOf' }),
    },
  });
  const Member = model('Member', {
    fields: { id: field.id(), level: field.enum(['junior', 'senior'], { description: 'Seniority.' }) },
    relations: {
      team: belongsTo(() => Team, { description: 'The team this member plays for.' }),
      captainOf: belongsTo(() => Team, { optional: true, inverse: 'captain' }),
    },
  });
  const schema = schemaOf([Team, Member]);

  it('gives a model and its fields the descriptions they declare', () => {
    expect(schema.getType('Team')?.description).toBe('A group of people.');
    expect(fieldOf(schema, 'Team', 'name').description).toBe('Shown on the badge.');
    expect(fieldOf(schema, 'Member', 'level').description).toBe('Seniority.');
    expect(schema.getType('MemberLevel')?.description).toBe('The values of Member.level.');
  });

  it('describes keys: the primary key, and a foreign key by what it points at', () => {
    expect(fieldOf(schema, 'Team', 'id').description).toBe('The primary key.');
    expect(fieldOf(schema, 'Member', 'teamId').description).toBe('Foreign key to Team.id.');
    expect(fieldOf(schema, 'Member', 'captainOfId').description).toBe('Foreign key to Team.id.');
  });

  it('says what links the rows of every relation kind nobody described', () => {
    expect(fieldOf(schema, 'Team', 'members').description).toBe(
      "The Member rows whose teamId is this Team's id.",
    );
    expect(fieldOf(schema, 'Team', 'captain').description).toBe(
      "The Member whose captainOfId is this Team's id.",
    );
    expect(fieldOf(schema, 'Member', 'captainOf').description).toBe(
      "The Team whose id is this Member's captainOfId.",
    );
  });

  it("keeps a relation's own description instead of writing one", () => {
    expect(fieldOf(schema, 'Member', 'team').description).toBe('The team this member plays for.');
  });

  it('keeps any text exactly: quotes, a closing quote, triple quotes, backslashes, indented lines', () => {
    const text = 'Say "hi"\n  indented \\ """ line\nends with "quote"';
    const Note = model('Note', {
      description: text,
      fields: { id: field.id(), body: field.text({ description: text }) },
    });
    const notes = schemaOf([Note]);
    expect(notes.getType('Note')?.description).toBe(text);
    expect(fieldOf(notes, 'Note', 'body').description).toBe(text);
  });

  it('serves the descriptions through introspection, where GraphiQL reads them', async () => {
    const server = await createServer({ models: demoModels, prepare: 'none' });
    try {
      const response = await server.yoga.fetch('http://relgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: getIntrospectionQuery() }),
      });
      const { data } = (await response.json()) as { data: IntrospectionQuery };
      const user = data.__schema.types.find((type) => type.name === 'User') as IntrospectionObjectType;
      const described = Object.fromEntries(user.fields.map((f) => [f.name, f.description]));
      expect(user.description).toBe('A person using the demo application.');
      expect(described).toMatchObject({
        email: 'Unique sign-in address.',
        phone: "The Phone whose userId is this User's id.",
        profile: "The Profile whose ownerId is this User's id.",
        address: "The Address whose id is this User's addressId.",
        role: "The Role whose id is this User's roleId.",
        posts: "The Post rows whose authorId is this User's id.",
      });
      const post = data.__schema.types.find((type) => type.name === 'Post') as IntrospectionObjectType;
      expect(post.fields.find((f) => f.name === 'author')?.description).toBe('The User who wrote this post.');
    } finally {
      await server.close();
    }
  });
});

describe('schema.graphql', () => {
  const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

  it('is the printed schema of the demo models (run `npm run schema:print` after a model change)', () => {
    expect(committed).toBe(printGraphSchema(buildRelationGraph(demoModels)));
  });

  it('would be reported as stale after a model change', () => {
    const changed = targetsByName(demoModels).map((definition) =>
      definition.name === 'User'
        ? { ...definition, fields: { ...definition.fields, nickname: field.string({ optional: true }) } }
        : definition,
    );
    const printed = printGraphSchema(buildRelationGraph(changed));
    expect(printed).not.toBe(committed);
    expect(printed).toContain('  nickname: String\n');
  });

  it('lists types and fields alphabetically, with descriptions, and builds as SDL', () => {
    const schema = buildSchema(committed);
    const types = [...committed.matchAll(/^(?:type|input|enum|scalar) (\w+)/gm)].map((match) => match[1]);
    expect(types).toHaveLength(
      Object.keys(schema.getTypeMap()).filter((name) => !/^__|^(String|Boolean|Int|Float|ID)$/.test(name))
        .length,
    );
    expect(types).toEqual([...types].sort());
    const userFields = Object.keys((schema.getType('User') as GraphQLObjectType).getFields());
    expect(userFields).toEqual([...userFields].sort());
    expect(committed).toContain('"""The Phone whose userId is this User\'s id."""\n  phone: Phone\n');
    expect(committed).toContain('"""A person using the demo application."""\ntype User {');
  });
});
