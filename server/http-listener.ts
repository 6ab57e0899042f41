/**
 * The Node HTTP server around the yoga handler, and its graceful close: stop accepting connections,
 * let the requests in flight finish for up to a grace period (each answered with
 * `Connection: close`), then cut what is left.
 *
 * Every refusal reaches the client as a JSON answer: those of Node's HTTP parser (headers too large,
 * 431; a malformed request, 400; too slow, 408) are written here, and a request answered before its
 * body arrived (413, 415, 403) has the rest of its body read and discarded — up to a bound in bytes
 * and time — before the connection may close: closing a socket with unread data resets it, and a
 * client still sending (Node's and browsers' `fetch`) then reports a network error, not the answer.
 */
import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ErrorCode } from '../resolvers/errors.ts';
import { listenError } from './port-check.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpListener {
  /** True from the start of `close`: readiness answers 503 so load balancers stop sending. */
  readonly draining: boolean;
  /** Starts listening; resolves with `http://host:port` (port 0 picks a free one). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting, waits up to `graceMs` for requests in flight; resolves with how many were cut off. */
  close(graceMs: number): Promise<number>;
}

/** How much of a refused request's body is read and discarded before its connection is cut. */
export interface DrainLimits {
  /** Bytes. Default 64 MiB: a 20 MB upload answered 413 still reads as 413 in the client. */
  readonly maxBytes: number;
  /** Milliseconds. Default 10 s. */
  readonly maxMs: number;
}

const DRAIN_DEFAULTS: DrainLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

/** The listener around `handler`; the unread body of a refused request is discarded within `drain` (default 64 MiB, 10 s). */
export function createHttpListener(handler: Handler, drain: DrainLimits = DRAIN_DEFAULTS): HttpListener {
  let server: Server | undefined;
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const handle: Handler = (request, response) => {
    // A keep-alive connection may bring one more request while draining: answer it, then close.
    if (draining) response.shouldKeepAlive = false;
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    // Answered before the body was read (413, or a refusal before parsing): the rest is read from
    // here on, which also keeps Node from dropping it unread and uncounted once the answer is sent.
    const writeHead = response.writeHead;
    response.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
      if (!request.complete) discardRest(request, drain);
      return writeHead.apply(this, args);
    } as typeof writeHead;
    handler(request, response);
  };
  return {
    get draining() {
      return draining;
    },
    listen(port, host) {
      const http = createServer(handle);
      // Slow clients may not hold a connection open forever (the defaults are 60 s and 300 s).
      http.headersTimeout = 20_000;
      http.requestTimeout = 60_000;
      http.on('clientError', answerClientError);
      server = http;
      return new Promise((resolve, reject) => {
        http.once('error', (error) => reject(listenError(error, port, host)));
        http.listen(port, host, () => {
          const { port: bound } = http.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
        });
      });
    },
    async close(graceMs) {
      draining = true;
      const http = server;
      if (!http?.listening) return 0;
      for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
      let cutOff = 0;
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          cutOff = inFlight.size;
          http.closeAllConnections();
        }, graceMs);
        http.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        http.closeIdleConnections();
      });
      return cutOff;
    },
  };
}

/**
 * Reads the rest of a body the answer did not wait for, keeping nothing, so the client can finish
 * sending and read the answer; the connection is then free for its next request. A client that sends
 * more than `maxBytes`, or for longer than `maxMs`, has its connection cut.
 */
function discardRest(request: IncomingMessage, { maxBytes, maxMs }: DrainLimits): void {
  const socket = request.socket;
  let read = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, maxMs);
  timer.unref();
  request.on('data', (chunk: Buffer) => {
    read += chunk.byteLength;
    if (read > maxBytes) cut();
  });
  request.once('end', () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
  request.resume();
}

/** Statuses of the errors Node's HTTP parser reports, with what the client should change. */
const PARSER_REFUSALS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    `The request's headers are larger than ${maxHeaderSize.toLocaleString('en-US')} bytes; send a shorter Authorization token or fewer cookies.`,
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'The request did not arrive in time (20 s for the headers, 60 s for the whole request); send it again.',
  ],
};

/**
 * Node's answer to a request its parser refuses is a status line with an empty body; this one is a
 * JSON error like every other refusal. Nothing is written once an answer on the connection has begun.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = PARSER_REFUSALS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    `The request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'}).`,
  ];
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // Half-closed, so a client still sending can read the answer; it has a few seconds to close.
  const timer = setTimeout(() => socket.destroy(), 5_000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
