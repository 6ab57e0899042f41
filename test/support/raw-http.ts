/**
 * A client on a bare socket, as curl or a proxy speaks HTTP/1.1: uploads a body of any size at its own
 * pace, then may send a second request on the same connection, and reports what came back and
 * whether every byte it wrote went through (a reset shows as `error`).
 */
import { connect } from 'node:net';

export interface RawUpload {
  /** Body bytes to send (`x` repeated); declared with Content-Length unless `chunked`. */
  readonly bytes: number;
  readonly chunked?: boolean;
  /** Bytes per write (default 64 KiB) and a pause between writes (default none). */
  readonly chunkBytes?: number;
  readonly paceMs?: number;
  /** A whole request to send on the same connection once the body is sent. */
  readonly next?: string;
}

export interface RawExchange {
  /** Everything the server sent, both answers included. */
  readonly received: string;
  /** Body bytes the socket accepted before it ended. */
  readonly written: number;
  /** The socket's error (`EPIPE`, `ECONNRESET`) if it failed while sending. */
  readonly error: string | undefined;
}

/** A POST of `query` on `path`, closing the connection after its answer. */
export function rawPost(host: string, path: string, query: string): string {
  const body = JSON.stringify({ query });
  return `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** POSTs `upload.bytes` to `url` on a fresh connection; resolves once the server closes it. */
export function rawUpload(url: string, upload: RawUpload): Promise<RawExchange> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  // A server that neither answers nor closes fails the test instead of hanging it.
  socket.setTimeout(30_000, () => socket.destroy());
  let received = '';
  let written = 0;
  let error: string | undefined;
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', (failure: NodeJS.ErrnoException) => {
    error = failure.code ?? failure.message;
  });
  const ended = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve) => {
      if (closed || socket.destroyed) return resolve();
      if (socket.write(data)) resolve();
      else socket.once('drain', resolve).once('close', resolve);
    });
  const send = async () => {
    const length = upload.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${upload.bytes}`;
    await write(
      `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n${length}\r\n\r\n`,
    );
    const size = upload.chunkBytes ?? 64 * 1024;
    const chunk = Buffer.alloc(size, 'x');
    for (let sent = 0; sent < upload.bytes && !closed; sent += size) {
      const part = chunk.subarray(0, Math.min(size, upload.bytes - sent));
      await write(upload.chunked ? `${part.length.toString(16)}\r\n` : '');
      await write(part);
      if (upload.chunked) await write('\r\n');
      if (!closed && !error) written += part.length;
      if (upload.paceMs) await new Promise((resolve) => setTimeout(resolve, upload.paceMs));
    }
    if (upload.chunked) await write('0\r\n\r\n');
    if (upload.next) await write(upload.next);
  };
  return Promise.all([send(), ended]).then(() => ({ received, written, error }));
}
