/**
 * Yoga plugin: a request whose `Accept` header allows none of the media types a GraphQL answer comes
 * in is answered 406 with a JSON error saying what to accept, before anything runs (a mutation must
 * not commit and then be unanswerable). Yoga alone runs the operation, then answers 406 with an
 * empty body.
 */
import { type Plugin, processRegularResult } from 'graphql-yoga';
import { clientError, ErrorCode } from '../../resolvers/errors.ts';

/** The media types yoga answers in (its result processors); `+json` first, as it prefers. */
const ANSWERED = [
  'application/graphql-response+json',
  'application/json',
  'text/event-stream',
  'multipart/mixed',
] as const;

/**
 * The media ranges of an `Accept` header as yoga reads them: `*` + `/` + `*` when it is absent or
 * empty, a range with a charset other than utf-8 left out.
 */
function acceptedRanges(accept: string | null): string[] {
  return (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .flatMap((item) => {
      const [range = '', ...params] = item.split(';');
      const charset = params.find((param) => param.startsWith('charset='));
      return charset && charset !== 'charset=utf-8' ? [] : [range];
    });
}

function matches(range: string, mediaType: string): boolean {
  const [type, subtype] = mediaType.split('/');
  const [rangeType, rangeSubtype] = range.split('/');
  return (rangeType === '*' || rangeType === type) && (rangeSubtype === '*' || rangeSubtype === subtype);
}

function notAcceptable(accept: string | null) {
  return clientError(
    ErrorCode.BAD_USER_INPUT,
    `The Accept header must allow application/graphql-response+json or application/json; received ${JSON.stringify(accept)}.`,
    { http: { status: 406 } },
  );
}

export function useAcceptCheck(): Plugin {
  return {
    onRequestParse({ request }) {
      const ranges = acceptedRanges(request.headers.get('accept'));
      if (!ranges.some((range) => ANSWERED.some((mediaType) => matches(range, mediaType)))) {
        throw notAcceptable(request.headers.get('accept'));
      }
    },
    onResultProcess({ request, resultProcessor, setResultProcessor }) {
      // Yoga's processors run first; none took the answer: it is the refusal above, in JSON.
      if (resultProcessor) return;
      setResultProcessor(
        (_result, fetchAPI) =>
          processRegularResult(
            { errors: [notAcceptable(request.headers.get('accept'))] },
            fetchAPI,
            'application/json',
          ),
        'application/json',
      );
    },
  };
}
