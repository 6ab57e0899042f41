/**
 * Yoga plugin: a value of the wrong type — a literal in the document or a variable — is bad input
 * from the client, so its error carries `extensions.code: BAD_USER_INPUT` like every other input error
 * (graphql-js files literal ones under validation and leaves variable ones without a code).
 */
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  specifiedRules,
  type ValidationRule,
  ValuesOfCorrectTypeRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

function asBadInput(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });
}

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
    onExecute({ args, setResultAndStopExecution }) {
      // Variables are checked here, with graphql-js's messages that name the place inside an input
      // object, whichever executor runs the operation next (compiled executors report less).
      const operation = getOperationAST(args.document, args.operationName);
      const definitions = operation?.variableDefinitions ?? [];
      if (definitions.length === 0) return;
      const { errors } = getVariableValues(args.schema, definitions, args.variableValues ?? {});
      if (errors) setResultAndStopExecution({ errors: errors.map(asBadInput) });
    },
  };
}
