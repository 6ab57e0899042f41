/**
 * Links over unique text keys (issue 14): a bare `hasOne` is the other side of the `belongsTo` that
 * names the keys, read and written both ways over that one column; and a foreign key takes the GraphQL
 * type and filter of the key it references (`String` for text, `ID` for integer, the enum for an enum).
 */
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, buildRelationGraph, buildTypeDefs, field, type Model, model } from '../../index.ts';
import { drivers } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { countryCapitalModels, engineCarModels } from '../support/text-key-models.ts';

const models = () => [...engineCarModels(), ...countryCapitalModels()];

describe.each(drivers)('links over unique text keys on %s', (driver) => {
  let api: TestServer;
  const data = (query: string) => api.dataOf(query);

  beforeAll(async () => {
    api = await startTestServer(driver, models());
    for (const n of [1, 2, 3]) {
      await data(
        `mutation { createEngine(input: { serial: "E-${n}", car: { create: { name: "Car ${n}" } } }) { id } }`,
      );
    }
    await data('mutation { createEngine(input: { serial: "E-4" }) { id } }');
    for (const [code, name, capital] of [
      ['FR', 'France', 'Paris'],
      ['FI', 'Finland', 'Helsinki'],
      ['DE', 'Germany', 'Berlin'],
    ]) {
      await data(
        `mutation { createCountry(input: { code: "${code}", name: "${name}", capital: { create: { name: "${capital}" } } }) { id } }`,
      );
    }
  });
  afterAll(() => api?.close());

  it('reads a bare hasOne and its belongsTo over the one shared key: one statement per level', async () => {
    const fromEngines = `{ engines(orderBy: [{ serial: ASC }]) { nodes { serial car { name engine { serial } } } } }`;
    expect(await data(fromEngines)).toEqual({
      engines: {
        nodes: [
          { serial: 'E-1', car: { name: 'Car 1', engine: { serial: 'E-1' } } },
          { serial: 'E-2', car: { name: 'Car 2', engine: { serial: 'E-2' } } },
          { serial: 'E-3', car: { name: 'Car 3', engine: { serial: 'E-3' } } },
          { serial: 'E-4', car: null },
        ],
      },
    });
    expect(await api.statementsOf(fromEngines)).toBe(2);
    const fromCars = `{ cars(orderBy: [{ name: DESC }]) { nodes { name engineSerial engine { serial car { name } } } } }`;
    expect(await data(fromCars)).toEqual({
      cars: {
        nodes: [3, 2, 1].map((n) => ({
          name: `Car ${n}`,
          engineSerial: `E-${n}`,
          engine: { serial: `E-${n}`, car: { name: `Car ${n}` } },
        })),
      },
    });
    expect(await api.statementsOf(fromCars)).toBe(2);
  });

  it('filters each side by the other', async () => {
    expect(await data('{ engines(where: { car: { name: { eq: "Car 2" } } }) { nodes { serial } } }')).toEqual(
      {
        engines: { nodes: [{ serial: 'E-2' }] },
      },
    );
    expect(await data('{ engines(where: { carExists: false }) { nodes { serial } } }')).toEqual({
      engines: { nodes: [{ serial: 'E-4' }] },
    });
    expect(await data('{ cars(where: { engine: { serial: { eq: "E-3" } } }) { nodes { name } } }')).toEqual({
      cars: { nodes: [{ name: 'Car 3' }] },
    });
  });

  it('connects through the belongsTo by the text key, and the hasOne sees it', async () => {
    const created = `mutation { createCar(input: { name: "Car 4", engine: { connect: { serial: "E-4" } } }) { engineSerial } }`;
    expect(await data(created)).toEqual({ createCar: { engineSerial: 'E-4' } });
    expect(await data('{ engineBySerial(serial: "E-4") { car { name } } }')).toEqual({
      engineBySerial: { car: { name: 'Car 4' } },
    });
  });

  it('filters and orders a text foreign key with the string operators', async () => {
    const query = `{ capitals(where: { countryCode: { startsWith: "F" } }, orderBy: [{ countryCode: DESC }]) { nodes { name countryCode } } }`;
    expect(await data(query)).toEqual({
      capitals: {
        nodes: [
          { name: 'Paris', countryCode: 'FR' },
          { name: 'Helsinki', countryCode: 'FI' },
        ],
      },
    });
    expect(await api.statementsOf(query)).toBe(1);
    expect(await data('{ capitals(where: { countryCode: { contains: "E" } }) { nodes { name } } }')).toEqual({
      capitals: { nodes: [{ name: 'Berlin' }] },
    });
    expect(await data('{ capitalByCountryCode(countryCode: "FI") { name country { name } } }')).toEqual({
      capitalByCountryCode: { name: 'Helsinki', country: { name: 'Finland' } },
    });
  });

  it('takes a text foreign key from a String variable, as a client holding the key types it', async () => {
    await data('mutation { createCountry(input: { code: "ES", name: "Spain" }) { id } }');
    const create = `mutation ($code: String!) {
      createCapital(input: { name: "Madrid", countryCode: $code }) { country { name } } }`;
    expect(await api.dataOf(create, { code: 'ES' })).toEqual({
      createCapital: { country: { name: 'Spain' } },
    });
    const find = `query ($where: StringFilter) { capitals(where: { countryCode: $where }) { nodes { name } } }`;
    expect(await api.dataOf(find, { where: { in: ['ES', 'DE'] } })).toEqual({
      capitals: { nodes: [{ name: 'Berlin' }, { name: 'Madrid' }] },
    });
  });
});

describe('the GraphQL type of a foreign key', () => {
  const schemaOf = (set: readonly Model[]) => buildSchema(buildTypeDefs(buildRelationGraph(set)));
  const fieldType = (schema: GraphQLSchema, type: string, name: string) => {
    const fields = (
      schema.getType(type) as GraphQLObjectType | GraphQLInputObjectType | undefined
    )?.getFields();
    return String((fields?.[name] as GraphQLField<unknown, unknown> | undefined)?.type);
  };
  const argumentType = (schema: GraphQLSchema, name: string, argument: string) =>
    String(
      schema
        .getQueryType()
        ?.getFields()
        [name]?.args.find((arg) => arg.name === argument)?.type,
    );

  it('is String with StringFilter for a unique text key, wherever the field appears', () => {
    const schema = schemaOf(models());
    expect(fieldType(schema, 'Capital', 'countryCode')).toBe('String!');
    expect(fieldType(schema, 'Car', 'engineSerial')).toBe('String!');
    expect(fieldType(schema, 'CapitalWhere', 'countryCode')).toBe('StringFilter');
    expect(fieldType(schema, 'CapitalOrderBy', 'countryCode')).toBe('SortOrder');
    expect(fieldType(schema, 'CreateCapitalInput', 'countryCode')).toBe('String');
    expect(fieldType(schema, 'UpdateCapitalInput', 'countryCode')).toBe('String');
    expect(fieldType(schema, 'CapitalUniqueInput', 'countryCode')).toBe('String');
    expect(argumentType(schema, 'capitalByCountryCode', 'countryCode')).toBe('String!');
  });

  it('stays ID with IDFilter for an integer key', () => {
    const schema = schemaOf(models());
    expect(fieldType(schema, 'Wheel', 'carId')).toBe('ID!');
    expect(fieldType(schema, 'WheelWhere', 'carId')).toBe('IDFilter');
    expect(fieldType(schema, 'CreateWheelInput', 'carId')).toBe('ID');
  });

  it('is the enum of an enum key, and declares no enum of its own (ID stays a scalar)', () => {
    const Tag = model('Tag', {
      fields: { id: field.id(), code: field.enum(['news', 'howto'], { unique: true }) },
    });
    const Post = model('Post', {
      fields: { id: field.id() },
      relations: { tag: belongsTo(() => Tag, { ownerKey: 'code' }) },
    });
    const schema = schemaOf([Tag, Post]);
    expect(fieldType(schema, 'Post', 'tagId')).toBe('TagCode!');
    expect(fieldType(schema, 'PostWhere', 'tagId')).toBe('TagCodeFilter');
    expect(schema.getType('PostTagId')).toBeUndefined();
    expect(schema.getType('ID')).toBeInstanceOf(GraphQLScalarType);
  });
});
