/**
 * How long a request's statements may run, and its client's going away. In PostgreSQL each statement
 * may run `timeoutMs` from when it is sent (time spent waiting for a pooled connection is not its
 * own), like PostgreSQL's `statement_timeout`; past it, or once the client has gone, the statement
 * is cancelled where it runs (`cancel-statement.ts`) and the request's next ones are not sent.
 * PGlite runs a statement in this thread to its end, timers included, so there the request as a
 * whole is held to `timeoutMs`, checked before each statement.
 */
import { requestClosed, statementTimeout } from '../resolvers/errors.ts';

export class StatementDeadline {
  /** When the request must have finished (PGlite), else never. */
  readonly #requestEnds: number;

  /**
   * @param timeoutMs how long each statement may run.
   * @param client aborts when the client goes away (yoga's `request.signal`); default: never.
   * @param wholeRequest hold the request as a whole to `timeoutMs`, from now (for a driver whose
   *   statements cannot be cancelled). Default false.
   */
  constructor(
    readonly timeoutMs: number,
    readonly client?: AbortSignal,
    wholeRequest = false,
  ) {
    this.#requestEnds = wholeRequest ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
  }

  /** Throws the client's error once the client has gone or the request is past its end: called before each statement. */
  check(): void {
    if (this.client?.aborted) throw requestClosed();
    if (performance.now() >= this.#requestEnds) throw statementTimeout(this.timeoutMs);
  }

  /**
   * Calls `cancel` (once) when a statement sent now runs past `timeoutMs`, or the client goes while
   * it runs; the function returned stops watching, and is called when the statement settles.
   */
  watch(cancel: () => void): () => void {
    const client = this.client;
    const stop = () => {
      clearTimeout(timer);
      client?.removeEventListener('abort', fire);
    };
    const fire = () => {
      stop();
      cancel();
    };
    const timer = setTimeout(fire, this.timeoutMs);
    client?.addEventListener('abort', fire, { once: true });
    return stop;
  }
}
