/**
 * The Node HTTP server around the yoga handler, and its graceful close: stop accepting connections,
 * let the requests in flight finish for up to a grace period (each answered with
 * `Connection: close`), then cut what is left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpListener {
  /** True from the start of `close`: readiness answers 503 so load balancers stop sending. */
  readonly draining: boolean;
  /** Starts listening; resolves with `http://host:port` (port 0 picks a free one). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting, waits up to `graceMs` for requests in flight; resolves with how many were cut off. */
  close(graceMs: number): Promise<number>;
}

export function createHttpListener(handler: Handler): HttpListener {
  let server: Server | undefined;
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const handle: Handler = (request, response) => {
    // A keep-alive connection may bring one more request while draining: answer it, then close.
    if (draining) response.shouldKeepAlive = false;
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    // Answered before the body was read (413, or a refusal before parsing): the unread rest would
    // stall the connection for the client's next request, so the answer closes it.
    const writeHead = response.writeHead;
    response.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
      if (!request.complete) response.shouldKeepAlive = false;
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
      server = http;
      return new Promise((resolve, reject) => {
        http.once('error', reject);
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
