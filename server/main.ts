/**
 * The command line: `relgraph <command> [options]`, run through the npm scripts of the same names
 * (`npm start`, `npm run migrate`, …). Each command lives in its own file in `commands/`.
 * Exit status: 0 done, 1 failed, 2 a mistake on the command line.
 */

import { didYouMean } from '../schema/did-you-mean.ts';
import { type Command, helpText, invocation, parseCommandArgs, UsageError } from './commands/command.ts';
import { diagram } from './commands/diagram.ts';
import { describeFailure } from './commands/failure.ts';
import { migrate } from './commands/migrate.ts';
import { migrationsGenerate } from './commands/migrations-generate.ts';
import { pull } from './commands/pull.ts';
import { schemaPrint } from './commands/schema-print.ts';
import { seed } from './commands/seed.ts';
import { start } from './commands/start.ts';

const commands: readonly Command[] = [start, migrate, migrationsGenerate, seed, schemaPrint, diagram, pull];

function overview(): string {
  const width = Math.max(...commands.map((command) => invocation(command).length)) + 2;
  return [
    'Usage: npm start | npm run <command> -- [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${invocation(command).padEnd(width)}${command.summary}`),
    '',
    'Every command takes --help.',
    '',
  ].join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  const [name = 'start', ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name || candidate.aliases?.includes(name));
  if (!command) {
    const names = commands.map((candidate) => candidate.name);
    console.error(
      `relgraph: unknown command "${name}"; use one of ${names.join(', ')}.${didYouMean(name, names)}`,
    );
    return 2;
  }
  try {
    const options = parseCommandArgs(command, rest);
    if (!options) {
      process.stdout.write(helpText(command));
      return 0;
    }
    await command.run(options);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(
        `relgraph ${command.name}: ${error.message}\nRun \`${invocation(command)} -- --help\` for its options.`,
      );
      return 2;
    }
    console.error(describeFailure(error));
    return 1;
  }
}

// `start` keeps running after `main` resolves (its server holds the process open); the others end here.
const status = await main(process.argv.slice(2));
if (status !== 0) process.exit(status);
