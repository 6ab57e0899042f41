/**
 * Structured logs: pino, one JSON object per line on stdout (or a given stream, which tests read).
 * Levels and times are written as words and ISO dates, so a line reads without a pino decoder.
 */
import type { YogaLogger } from 'graphql-yoga';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** A logger at `level` writing to `destination` (default: stdout, written synchronously so no line is lost on exit). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * Yoga's own messages through `logger`. Its `error` calls are dropped: yoga logs there only the
 * errors it masks, and relgraph logs each of those itself, with the request id and operation.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const child = logger.child({ component: 'yoga' });
  const line =
    (level: 'debug' | 'info' | 'warn') =>
    (...args: unknown[]) => {
      if (child.isLevelEnabled(level)) child[level](args.map(String).join(' '));
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: () => {} };
}
