/**
 * Reading settings from environment variables: each reader records what is wrong with a value
 * (naming the variable, what it expects and what it got), and `check()` reports every problem at
 * once, so a misconfigured start fails with the whole list instead of one fix per restart.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `relgraph: invalid configuration: ${problems[0]}`
        : `relgraph: invalid configuration (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

const BOOLEANS: Record<string, boolean> = { 1: true, true: true, 0: false, false: false };

export class EnvReader {
  readonly #env: NodeJS.ProcessEnv;
  readonly #problems: string[] = [];

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  /** The variable's value; unset and empty are the same (`FOO=` in a compose file means "not set"). */
  raw(name: string): string | undefined {
    const value = this.#env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Records a problem with `name`; the value received is quoted after `expected`. */
  problem(name: string, expected: string): void {
    this.report(`${name} must be ${expected}; received ${JSON.stringify(this.raw(name))}.`);
  }

  /** Records a problem in words of its own (for a value that must not be repeated, like a password). */
  report(message: string): void {
    this.#problems.push(message);
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (/^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(value) && value >= min && value <= max)
      return value;
    this.problem(name, `an integer from ${min} to ${max}`);
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = BOOLEANS[raw.trim().toLowerCase()];
    if (value !== undefined) return value;
    this.problem(name, '1, 0, true or false');
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase() as T;
    if (allowed.includes(value)) return value;
    this.problem(name, `one of ${allowed.join(', ')}`);
    return fallback;
  }

  /** A comma-separated list, each item checked by `valid` (which names what it expects). */
  list(
    name: string,
    fallback: readonly string[],
    valid: { test: (item: string) => boolean; expected: string },
  ): readonly string[] {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.every(valid.test)) return items;
    this.problem(name, valid.expected);
    return fallback;
  }

  /** Throws a ConfigError listing every problem found so far. */
  check(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }
}
