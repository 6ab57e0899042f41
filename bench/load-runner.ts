/**
 * The load generator's process: `node --import tsx bench/load-runner.ts <config.json>` runs autocannon
 * with the settings in the file and prints its result as JSON. Every answer is compared with the
 * expected body, so an error returned with HTTP 200 counts as a failed request.
 */
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

interface LoadConfig {
  url: string;
  body: string;
  expected: string;
  seconds: number;
  connections: number;
}

const config = JSON.parse(await readFile(process.argv[2] ?? '', 'utf8')) as LoadConfig;
const result = await autocannon({
  url: config.url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: config.body,
  connections: config.connections,
  duration: config.seconds,
  expectBody: config.expected,
});
process.stdout.write(JSON.stringify(result));
