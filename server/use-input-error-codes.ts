/**
 * Yoga plugin: a value of the wrong type — a literal in the document or a variable — is bad input
 * from the client, so its error carries `extensions.code: BAD_USER_INPUT` like every other input error
 * (graphql-js leaves variable errors without a code, and files literal ones under validation).
 */
import { GraphQLError, specifiedRules, type ValidationRule, ValuesOfCorrectTypeRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../resolvers/errors.ts';

const asBadInput = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });

export function useInputErrorCodes(): Plugin {
  return {
    onValidate({ setValidationFn, validateFn }) {
      setValidationFn((schema, document, rules, ...rest) => {
        const all: readonly ValidationRule[] = rules ?? specifiedRules;
        const others = all.filter((rule) => rule !== ValuesOfCorrectTypeRule);
        const errors = validateFn(schema, document, others, ...rest);
        // Type errors in values are reported once the document is otherwise valid.
        if (errors.length > 0 || others.length === all.length) return errors;
        return validateFn(schema, document, [ValuesOfCorrectTypeRule], ...rest).map(asBadInput);
      });
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || result.data !== undefined || !result.errors) return;
          // No data at all: execution stopped while coercing the variables.
          setResult({
            ...result,
            errors: result.errors.map((error) => (error.extensions.code ? error : asBadInput(error))),
          });
        },
      };
    },
  };
}
