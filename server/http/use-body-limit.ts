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
async function bounded(
  request: Request,
  maxBytes: number,
  fetchAPI: { Request: typeof Request },
  nodeRequest: IncomingMessage | undefined,
) {
  const body = await (nodeRequest ? readNodeBody(nodeRequest, maxBytes) : readStream(request, maxBytes));
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body });
}

async function readStream(request: Request, maxBytes: number): Promise<Buffer<ArrayBuffer>> {
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
}

/**
 * The body of a `node:http` request, read from the request itself rather than through a web stream,
 * whose cancel would destroy the socket: past `maxBytes` it stops listening, and the listener reads
 * and discards the rest after the 413 (http-listener.ts), so the client still gets the answer.
 */
function readNodeBody(request: IncomingMessage, maxBytes: number): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (settle: () => void) => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) chunks.push(chunk);
      else stop(() => reject(tooLarge(maxBytes)));
    };
    const onEnd = () => stop(() => resolve(Buffer.concat(chunks)));
    const onError = (error: Error) => stop(() => reject(error));
    request.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

/** The `node:http` request a request came through, if it did; its parser stops the body at `Content-Length`. */
function nodeRequestOf(serverContext: unknown): IncomingMessage | undefined {
  const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
  return typeof req?.httpVersion === 'string' ? req : undefined;
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
        if (nodeRequestOf(serverContext)) return;
      }
      if (!requestParser || request.body == null) return;
      const parse = requestParser;
      const nodeRequest = nodeRequestOf(serverContext);
      setRequestParser(async (unread) => parse(await bounded(unread, maxBytes, fetchAPI, nodeRequest)));
    },
  };
}
