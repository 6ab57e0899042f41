/**
 * Yoga plugin: CSRF prevention (@graphql-yoga/plugin-csrf-prevention). A browser sends a cross-site
 * GET or form post without asking first, so such a request must carry a header only a preflighted
 * request can have; JSON posts are always preflighted. The refusal is in relgraph's terms.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { clientError, ErrorCode } from '../../errors.ts';

/** Any of these proves a preflight: relgraph's, and the ones Yoga's and Apollo's clients send. */
const csrfHeaders = [
  'x-graphql-csrf',
  'x-graphql-yoga-csrf',
  'apollo-require-preflight',
  'x-apollo-operation-name',
] as const;

export function useCsrfPrevention(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: [...csrfHeaders] }).onRequestParse;
  return {
    onRequestParse(payload) {
      try {
        check?.(payload);
      } catch {
        throw clientError(
          ErrorCode.BAD_USER_INPUT,
          `A GET request or a form post must carry one of the headers ${csrfHeaders.join(', ')} (CSRF prevention), or be sent as application/json.`,
          { http: { status: 403 } },
        );
      }
    },
  };
}
