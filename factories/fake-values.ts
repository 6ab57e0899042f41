/**
 * A plausible value for a field, from its kind, options and name: `email` gets an email address,
 * `city` a city, `publishedAt` a past moment. Unique fields carry the row's sequence number, so two
 * rows never collide; string lengths stay within `minLength`/`maxLength`.
 */
import type { Faker } from '@faker-js/faker';
import type { GraphField } from '../schema/graph.ts';
import { FactoryError } from './factory-error.ts';
import { REFERENCE_DATE } from './randomizer.ts';

/** How often an optional field is left null. */
const NULL_SHARE = 0.2;
const DAY = 86_400_000;

type Text = (faker: Faker) => string;

const sentence = (faker: Faker) => faker.lorem.sentence({ min: 3, max: 8 }).replace(/\.$/, '');
const words = (faker: Faker) => faker.lorem.words({ min: 1, max: 3 });

/** String generators by field name, tried in order; the first whose pattern matches wins. */
const TEXT_BY_NAME: ReadonlyArray<readonly [RegExp, Text]> = [
  // example.com, .net and .org only: a seeded database never holds someone's real address.
  [/e-?mail/i, (f) => f.internet.exampleEmail().toLowerCase()],
  [/first_?name|given_?name/i, (f) => f.person.firstName()],
  [/last_?name|surname|family_?name/i, (f) => f.person.lastName()],
  [/user_?name|login|handle|nick/i, (f) => f.internet.username()],
  [/phone|mobile|^number$/i, (f) => f.phone.number({ style: 'international' })],
  [/street|address/i, (f) => f.location.streetAddress()],
  [/city|town/i, (f) => f.location.city()],
  [/country/i, (f) => f.location.country()],
  [/zip|postal|post_?code/i, (f) => f.location.zipCode()],
  [/url|website|homepage|link/i, (f) => f.internet.url()],
  [/company|organi[sz]ation|employer/i, (f) => f.company.name()],
  [/slug/i, (f) => f.lorem.slug({ min: 2, max: 4 })],
  [/colou?r/i, (f) => f.color.human()],
  [/currency/i, (f) => f.finance.currencyCode()],
  [/password|secret|token/i, (f) => f.internet.password({ length: 20 })],
  [/code|sku|reference/i, (f) => f.string.alphanumeric({ length: 8, casing: 'upper' })],
  [/title|subject|headline|caption/i, sentence],
  [/bio|description|summary|about|body|content|text|note|comment|message/i, (f) => f.lorem.paragraph()],
  [/tag|label|category|kind|type/i, (f) => f.lorem.word()],
];

/** Models whose `name` is a person's, and models whose `name` is a company's. */
const PERSON_MODELS = /user|person|people|author|member|customer|employee|contact|owner|student|account/i;
const COMPANY_MODELS = /team|company|organi[sz]ation|org$|vendor|supplier|brand|publisher/i;

function nameFor(model: string): Text {
  if (PERSON_MODELS.test(model)) return (f) => f.person.fullName();
  if (COMPANY_MODELS.test(model)) return (f) => f.company.name();
  return words;
}

const textGenerators = new WeakMap<GraphField, Text>();

/** The generator of a string field, chosen once per field (the patterns are tried for every row otherwise). */
function textGenerator(field: GraphField): Text {
  let generate = textGenerators.get(field);
  if (generate) return generate;
  if (/^(full_?|display_?)?name$/i.test(field.name)) generate = nameFor(field.model);
  else generate = TEXT_BY_NAME.find(([pattern]) => pattern.test(field.name))?.[1];
  generate ??= field.kind === 'text' ? (f: Faker) => f.lorem.paragraph() : words;
  textGenerators.set(field, generate);
  return generate;
}

/** Within `minLength`..`maxLength`, keeping `suffix` (a unique field's sequence) whole. */
function fitLength(faker: Faker, field: GraphField, text: string, suffix = ''): string {
  const max = field.maxLength ?? Number.POSITIVE_INFINITY;
  let value = text.slice(0, Math.max(0, max - suffix.length)) + suffix;
  while (value.length < (field.minLength ?? 0)) value += faker.string.alpha({ length: 1, casing: 'lower' });
  return value.slice(0, max);
}

/** A unique string: the sequence goes before an email's `@`, otherwise after a space. */
function uniqueText(faker: Faker, field: GraphField, text: string, sequence: number): string {
  const at = text.indexOf('@');
  const email = `${text.slice(0, at)}.${sequence}${text.slice(at)}`;
  if (at > 0 && email.length <= (field.maxLength ?? Number.POSITIVE_INFINITY)) return email;
  return fitLength(faker, field, text, ` ${sequence}`);
}

function integerFor(faker: Faker, name: string): number {
  if (/(^a|A)ge$/.test(name)) return faker.number.int({ min: 18, max: 90 });
  if (/year/i.test(name)) return faker.number.int({ min: 1950, max: REFERENCE_DATE.getUTCFullYear() });
  if (/rank|position|order|priority|level|rating|score/i.test(name))
    return faker.number.int({ min: 1, max: 100 });
  return faker.number.int({ min: 0, max: 1000 });
}

/** A past moment (a future one for names like `expiresAt` or `dueAt`) relative to the reference date. */
function momentFor(faker: Faker, name: string): Date {
  if (/birth/i.test(name)) return faker.date.birthdate();
  if (/expire|due|deadline|until|ends?_?at|starts?_?at|scheduled/i.test(name))
    return faker.date.soon({ days: 90 });
  return faker.date.past({ years: 2 });
}

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** A value no other row of the model gets: derived from the sequence number. */
function uniqueValue(faker: Faker, field: GraphField, sequence: number): unknown {
  switch (field.kind) {
    case 'string':
    case 'text':
      return uniqueText(faker, field, textGenerator(field)(faker), sequence);
    case 'int':
    case 'float':
      return sequence;
    case 'bigint':
      return BigInt(sequence);
    case 'decimal':
      return `${sequence}.00`;
    case 'datetime':
      return new Date(REFERENCE_DATE.getTime() - sequence * 1000);
    case 'date':
      return dayOf(new Date(REFERENCE_DATE.getTime() - sequence * DAY));
    case 'json':
      return { sequence };
    case 'uuid':
      // 122 random bits from a stream of the row's own: distinct per row.
      return faker.string.uuid();
    default: {
      const choices = field.kind === 'boolean' ? [false, true] : (field.enumValues ?? []);
      const value = choices[sequence - 1];
      if (value === undefined) {
        throw new FactoryError(
          `factory(${field.model}): "${field.model}.${field.name}" is unique and has ${choices.length} possible values, so row ${sequence} cannot get a value of its own; give it with .merge().`,
        );
      }
      return value;
    }
  }
}

/** Any value of the field's kind. */
function anyValue(faker: Faker, field: GraphField): unknown {
  switch (field.kind) {
    case 'string':
    case 'text':
      return fitLength(faker, field, textGenerator(field)(faker));
    case 'int':
      return integerFor(faker, field.name);
    case 'bigint':
      return faker.number.bigInt({ min: 0n, max: 1_000_000_000_000n });
    case 'float':
      return faker.number.float({ min: 0, max: 1000, fractionDigits: 2 });
    case 'decimal':
      return faker.finance.amount({ min: 0, max: 10_000, dec: 2 });
    case 'boolean':
      return faker.datatype.boolean();
    case 'datetime':
      return momentFor(faker, field.name);
    case 'date':
      return dayOf(momentFor(faker, field.name));
    case 'json':
      return { [faker.lorem.word()]: faker.lorem.words(2), count: faker.number.int({ max: 100 }) };
    case 'enum':
      return faker.helpers.arrayElement(field.enumValues ?? []);
    default:
      return faker.string.uuid();
  }
}

/**
 * The generated value of `field` for the row with this sequence number, or `undefined` where the
 * database supplies it (an identity primary key). A literal column default is used as it is; a
 * `'now'` default gets a generated moment instead, so the rows of a seed never depend on the clock.
 */
export function fakeValue(faker: Faker, field: GraphField, sequence: number): unknown {
  if (field.primary) return field.idType === 'uuid' ? faker.string.uuid() : undefined;
  const { defaultValue } = field;
  if (defaultValue !== undefined && defaultValue !== 'now' && !field.unique) return defaultValue;
  if (field.nullable && faker.datatype.boolean({ probability: NULL_SHARE })) return null;
  return field.unique ? uniqueValue(faker, field, sequence) : anyValue(faker, field);
}
