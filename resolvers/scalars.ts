/** The custom scalars: values that JSON has no exact type for travel as strings. */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { clientError, ErrorCode } from '../errors.ts';

function invalid(scalar: string, expected: string, value: unknown): never {
  throw clientError(
    ErrorCode.BAD_USER_INPUT,
    `${scalar} must be ${expected}; received ${JSON.stringify(value)}.`,
  );
}

function stringScalar(
  name: string,
  expected: string,
  pattern: RegExp,
  serialize: (value: unknown) => string,
) {
  const parse = (value: unknown) =>
    typeof value === 'string' && pattern.test(value) ? value : invalid(name, expected, value);
  return new GraphQLScalarType({
    name,
    serialize,
    parseValue: parse,
    parseLiteral: (ast: ValueNode) =>
      parse(ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined),
  });
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export const scalars = {
  DateTime: stringScalar('DateTime', 'an ISO-8601 date-time with a time zone', ISO_DATETIME, (value) =>
    value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString(),
  ),
  Date: stringScalar('Date', 'a date YYYY-MM-DD', /^\d{4}-\d{2}-\d{2}$/, String),
  BigInt: stringScalar('BigInt', 'a 64-bit integer as a string', /^-?\d{1,19}$/, String),
  Decimal: stringScalar('Decimal', 'a decimal number as a string', /^-?\d+(\.\d+)?$/, String),
  JSON: new GraphQLScalarType({
    name: 'JSON',
    serialize: (value) => value,
    parseValue: (value) => value,
  }),
};
