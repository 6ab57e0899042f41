/** A logger whose lines a test reads back as objects. */
import { createLogger, type Logger } from '../../server/logging.ts';

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: LogLine[];
  /** The lines about request `reqId`, in order. */
  of(reqId: string | null): LogLine[];
}

export function captureLogs(): CapturedLogs {
  const lines: LogLine[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines, of: (reqId) => lines.filter((line) => line.reqId === reqId) };
}
