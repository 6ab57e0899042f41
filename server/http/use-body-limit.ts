/**
 * Yoga plugin: a request body larger than `maxBytes` is refused with 413 before it is parsed.
 *
 * Yoga's own limit (`maxRequestBodySize`) pipes every body through a TransformStream, which costs an
 * AbortController, a DOMException and a stream pipeline per request: a third of the CPU time of a
 * small query. Here a body whose length Node's HTTP parser enforces (a valid `Content-Length` on a
 * request that came through `node:http`) is checked against its header alone; only a body of
 * unknown length (chunked, or a `Request` built in-process) is read and counted.
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { clientError, ErrorCode } from '../../resolvers/errors.ts';

/** A single non-negative integer; anything else (a list, a sign) may be a smuggling attempt. */
const CONTENT_LENGTH = /^\d+$/;

function tooLarge(maxBytes: number) {
  return clientError(
    ErrorCode.BAD_USER_INPUT,
    `The request body is larger than ${maxBytes.toLocaleString('en-US')} bytes (maxRequestBodyBytes); send less in one request.`,
    { limit: 'maxRequestBodyBytes', max: maxBytes, http: { status: 413 } },
  );
}

/** `request` with its body read into memory, or the 413 error once more than `maxBytes` arrive. */
async function bounded(request: Request, maxBytes: number, fetchAPI: { Request: typeof Request }) {
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: Buffer.concat(chunks),
  });
}

/** Whether the request came through `node:http`, whose parser stops the body at `Content-Length`. */
function fromNodeHttp(serverContext: unknown): boolean {
  const req = (serverContext as { req?: Partial<IncomingMessage> } | undefined)?.req;
  return typeof req?.httpVersion === 'string';
}

export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!CONTENT_LENGTH.test(length)) {
          throw clientError(
            ErrorCode.BAD_USER_INPUT,
            `The Content-Length header "${length}" is not a byte count.`,
            {
              http: { status: 400 },
            },
          );
        }
        if (Number(length) > maxBytes) throw tooLarge(maxBytes);
        if (fromNodeHttp(serverContext)) return;
      }
      if (!requestParser || request.body == null) return;
      const parse = requestParser;
      setRequestParser(async (unread) => parse(await bounded(unread, maxBytes, fetchAPI)));
    },
  };
}
