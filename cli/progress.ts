/** Progress of a long insert: a bar redrawn in place on a terminal, plain lines in a log or pipe. */

export interface Output {
  write(text: string): unknown;
  /** True on a terminal, where `\r` redraws the line. */
  readonly isTTY?: boolean;
}

const WIDTH = 30;
/** `1,000,000`: counts as people read them. */
export const formatCount = (value: number) => value.toLocaleString('en-US');
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/**
 * A `(done, total)` callback. On a terminal it redraws one bar line (and ends it when done);
 * elsewhere it prints a line each time another tenth is done, so a log stays short.
 */
export function progressReporter(output: Output, unit: string): (done: number, total: number) => void {
  const started = performance.now();
  let lastTenth = -1;
  return (done, total) => {
    const share = total === 0 ? 1 : done / total;
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    const counts = `${formatCount(done)}/${formatCount(total)} ${unit}`;
    if (output.isTTY) {
      const filled = Math.round(share * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      output.write(`\r${bar} ${percent}  ${counts}  ${seconds(started)}${done >= total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    output.write(`relgraph: ${percent.trim()} ${counts} (${seconds(started)})\n`);
  };
}
