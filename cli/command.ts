/**
 * What every command of the command line shares: its declaration (name, options, help text), parsing
 * of its arguments with `node:util`'s strict `parseArgs`, and the usage errors a person can act on.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../schema/did-you-mean.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in `--help` (`<n>`, `<file>`); string options only. */
  readonly value?: string;
  /** A string option that may be given more than once, read with `strings` (default: once at most). */
  readonly multiple?: boolean;
  /** One line for `--help`, with the default. */
  readonly description: string;
}

export interface Command {
  /** What follows `relgraph` on the command line; also the npm script's name. */
  readonly name: string;
  /** Older names that still work (`generate` for `migrations:generate`). */
  readonly aliases?: readonly string[];
  /** One line for the list of commands. */
  readonly summary: string;
  /** Paragraphs after the usage line of `--help`: what it reads (environment), writes and prints. */
  readonly details?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(options: CommandOptions): Promise<void>;
}

/** A mistake on the command line: printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** How a person types the command: the npm script (`npm start` is npm's own shortcut). */
export const invocation = (command: Command): string =>
  command.name === 'start' ? 'npm start' : `npm run ${command.name}`;

/** The `--help` text of a command. */
export function helpText(command: Command): string {
  const options = [
    ...Object.entries(command.options),
    ['help', { type: 'boolean', description: 'Show this help.' }] as const,
  ];
  const labels = options.map(
    ([name, spec]) => `--${name}${spec.type === 'string' ? ` ${spec.value ?? '<value>'}` : ''}`,
  );
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  const lines = options.map(([, spec], i) => `  ${(labels[i] ?? '').padEnd(width)}${spec.description}`);
  return [
    `Usage: ${invocation(command)} -- [options]`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...lines,
    '',
  ].join('\n');
}

/** Parsed option values, read with the type each option needs. */
export class CommandOptions {
  constructor(private readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>) {}

  /** A string option's value, or `undefined` when it was not given. */
  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** Every value of a `multiple` option, in the order given; empty when it was not given. */
  strings(name: string): readonly string[] {
    const value = this.values[name];
    return Array.isArray(value) ? value : [];
  }

  /** Whether a boolean option was given. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** An integer option in `[min, max]`, or `undefined` when it was not given. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`option "--${name}" must be an integer from ${min} to ${max}; received "${raw}".`);
    }
    return value;
  }

  /** One of `choices`, or `undefined` when it was not given. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if ((choices as readonly string[]).includes(raw)) return raw as T;
    const list = choices.map((choice) => `"${choice}"`).join(', ');
    throw new UsageError(
      `option "--${name}" must be one of ${list}; received "${raw}".${didYouMean(raw, choices)}`,
    );
  }
}

/** The option a `parseArgs` error message quotes (`'--port <value>'` → `--port`). */
const quotedOption = (message: string) => /'(-[^' ]+)/.exec(message)?.[1] ?? '';

/** Translates the errors of `parseArgs` into messages that say the rule and what was received. */
function usageErrorOf(error: unknown, command: Command): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const known = [...Object.keys(command.options), 'help'].map((name) => `--${name}`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = quotedOption(message);
    return new UsageError(
      `unknown option "${option}"; ${command.name} takes ${known.map((name) => `"${name}"`).join(', ')}.${didYouMean(option, known)}`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = quotedOption(message);
    const spec = command.options[option.replace(/^--/, '')];
    if (spec?.type === 'string') {
      return new UsageError(`option "${option}" needs a value: ${option} ${spec.value ?? '<value>'}.`);
    }
    return new UsageError(`option "${option}" takes no value: give it alone, as ${option}.`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(message)?.[1] ?? '';
    return new UsageError(
      `unexpected argument "${argument}"; ${command.name} takes options only (--name value).`,
    );
  }
  return new UsageError(message);
}

/** Parses `args` for `command`; `undefined` means `--help` was asked for. Throws `UsageError`. */
export function parseCommandArgs(command: Command, args: readonly string[]): CommandOptions | undefined {
  const { values, tokens } = parseStrictly(command, args);
  if (values.help) return undefined;
  refuseRepeats(command, tokens);
  return new CommandOptions(values);
}

/** `node:util`'s strict `parseArgs` over the command's options, its errors made `UsageError`s. */
function parseStrictly(command: Command, args: readonly string[]) {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, spec]) => [
      name,
      { type: spec.type, multiple: spec.multiple ?? false },
    ]),
  );
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    throw usageErrorOf(error, command);
  }
}

/** `parseArgs` keeps the last of `--seed 1 --seed 2` silently; a person meant one of them. */
function refuseRepeats(command: Command, tokens: ReadonlyArray<{ kind: string; name?: string }>): void {
  const given = new Map<string, number>();
  for (const token of tokens) {
    if (token.kind === 'option' && token.name) given.set(token.name, (given.get(token.name) ?? 0) + 1);
  }
  for (const [name, times] of given) {
    if (times > 1 && !command.options[name]?.multiple) {
      throw new UsageError(`option "--${name}" was given ${times} times; give it once.`);
    }
  }
}
