/**
 * Yoga plugin: graphql-armor's depth, alias, directive and token limits, reporting in relgraph's
 * contract: `QUERY_TOO_COMPLEX`, HTTP 400, a message naming the limit and the value found (armor's
 * own errors are "Syntax Error: …" without a code).
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import {
  type GraphQLError,
  Lexer,
  type ParseOptions,
  Source,
  TokenKind,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooComplex } from '../../errors.ts';
import type { QueryLimits } from './limits.ts';

type ArmorRejection = (context: ValidationContext | null, error: GraphQLError) => void;

/** Reports armor's rejection as ours; armor states the value found only in its message (`found 7.`). */
function reportAs(limit: string, max: number, subject: string, advice: string): ArmorRejection {
  return (context, error) => {
    const found = Number(/found (\d+)/.exec(error.message)?.[1] ?? max + 1);
    context?.reportError(queryTooComplex(limit, max, subject, found, advice));
  };
}

/** The document's tokens, counted to the end (the parser stops at the limit) to tell the client how far over it is. */
function countTokens(source: string | Source): number {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error after the limit: the tokens before it are the count.
  }
  return count;
}

export function useArmorLimits(limits: QueryLimits): Plugin {
  const { maxDepth, maxAliases, maxDirectives, maxTokens } = limits;
  // Each rule reports instead of throwing (`propagateOnRejection: false`), so one answer lists every limit exceeded.
  const rules = [
    maxDepthRule({
      n: maxDepth,
      propagateOnRejection: false,
      onReject: [
        reportAs(
          'maxDepth',
          maxDepth,
          "The query's depth",
          'Ask for fewer levels of nested fields in one request.',
        ),
      ],
    }),
    maxAliasesRule({
      n: maxAliases,
      propagateOnRejection: false,
      onReject: [
        reportAs(
          'maxAliases',
          maxAliases,
          'The number of aliases',
          'Send fewer aliased fields, or split them over several requests.',
        ),
      ],
    }),
    maxDirectivesRule({
      n: maxDirectives,
      propagateOnRejection: false,
      onReject: [
        reportAs('maxDirectives', maxDirectives, 'The number of directives', 'Use fewer directives.'),
      ],
    }),
  ];
  const parseWithTokenLimit = (source: string | Source, options?: ParseOptions) =>
    new MaxTokensParserWLexer(source, {
      ...options,
      n: maxTokens,
      propagateOnRejection: false,
      onReject: [
        () => {
          throw queryTooComplex(
            'maxTokens',
            maxTokens,
            'The number of tokens in the document',
            countTokens(source),
            'Pass long values as variables, or split the query.',
          );
        },
      ],
    }).parseDocument();
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithTokenLimit);
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}
