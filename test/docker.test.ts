/**
 * docker-compose.yml and the Dockerfile, read the way Docker reads them (no Docker engine runs here):
 * services, ports, environment wiring, healthchecks, volumes; a multi-stage image that compiles the
 * server in a build stage and runs the compiled JavaScript with production dependencies only, a
 * non-root user, a healthcheck, and every folder the server imports. That the compiled `start`
 * command runs is `test/package.test.ts`'s.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, scriptArgs } from './support/cli.ts';
import { importsOf, packageOf } from './support/imports.ts';

interface Service {
  image?: string;
  build?: string | { context: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  command?: unknown;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const postgres = compose.services.postgres as Service;
const server = compose.services.server as Service;

/** Dockerfile instructions: continuation lines joined, comments and blank lines dropped. */
function instructions(text: string): Array<{ keyword: string; args: string }> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const finalStage = dockerfile.slice(dockerfile.map((line) => line.keyword).lastIndexOf('FROM'));

/** The instructions of the stage named `name` (`FROM … AS name`), without its FROM line. */
function stage(name: string): Array<{ keyword: string; args: string }> {
  const start = dockerfile.findIndex(
    (line) => line.keyword === 'FROM' && new RegExp(`\\sAS\\s+${name}$`, 'i').test(line.args),
  );
  expect(start, `a stage "${name}"`).toBeGreaterThanOrEqual(0);
  const end = dockerfile.findIndex((line, index) => index > start && line.keyword === 'FROM');
  return dockerfile.slice(start + 1, end < 0 ? undefined : end);
}

/** The stage a final-stage `COPY --from=<stage> <path> …` takes `path` from. */
const copiedFrom = (path: string) =>
  /^--from=(\S+)\s/.exec(
    finalStage.find((line) => line.keyword === 'COPY' && line.args.split(' ')[1] === path)?.args ?? '',
  )?.[1] ?? '';

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};

/** Every project file `server/main.ts` loads at run time, followed through relative imports. */
function runtimeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    for (const specifier of importsOf(text)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
    }
  };
  visit(join(ROOT, 'server', 'main.ts'));
  return files;
}

describe('docker-compose.yml', () => {
  it('has the services postgres and server', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'server']);
  });

  it('runs a pinned major version of PostgreSQL, with its data on a named volume', () => {
    expect(postgres.image).toMatch(/^postgres:\d+(\.\d+)?(-[a-z0-9]+)?$/);
    const [volume, path] = (postgres.volumes?.[0] ?? '').split(':');
    expect(path).toBe('/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty(volume ?? '');
  });

  it('checks PostgreSQL is ready over TCP, as its user and database', () => {
    const env = postgres.environment ?? {};
    const test = postgres.healthcheck?.test.join(' ') ?? '';
    expect(test).toContain('pg_isready');
    expect(test).toMatch(/-h (127\.0\.0\.1|localhost)\b/);
    expect(test).toContain(`-U ${env.POSTGRES_USER}`);
    expect(test).toContain(`-d ${env.POSTGRES_DB}`);
    expect(postgres.healthcheck?.retries).toBeGreaterThan(0);
  });

  it('points the server at the postgres service with its credentials', () => {
    const env = postgres.environment ?? {};
    const url = new URL(server.environment?.DATABASE_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    expect(url.port || '5432').toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(env.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(env.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${env.POSTGRES_DB}`);
  });

  it('builds the server from this folder, publishes its port and starts it once PostgreSQL is healthy', () => {
    expect(server.build).toBe('.');
    expect(server.environment?.HOST).toBe('0.0.0.0');
    const port = server.environment?.PORT;
    expect(server.ports).toEqual([`${port}:${port}`]);
    expect(server.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(server.command).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  it('builds in two stages on a Node version package.json accepts', () => {
    const images = dockerfile
      .filter((line) => line.keyword === 'FROM')
      .map((line) => line.args.split(' ')[0]);
    expect(images.length).toBeGreaterThanOrEqual(2);
    const minimum = /(\d+)\.(\d+)/.exec(packageJson.engines.node)?.slice(1).map(Number) ?? [];
    for (const image of images) {
      const [major = 0, minor = 0] =
        /^node:(\d+)\.(\d+)/
          .exec(image ?? '')
          ?.slice(1)
          .map(Number) ?? [];
      expect(major * 1000 + minor).toBeGreaterThanOrEqual((minimum[0] ?? 0) * 1000 + (minimum[1] ?? 0));
    }
  });

  it('copies into the final stage production dependencies only, installed from the lock file', () => {
    const installs = stage(copiedFrom('/app/node_modules')).filter(
      (line) => line.keyword === 'RUN' && /\bnpm\b/.test(line.args),
    );
    expect(installs.map((line) => line.args)).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    expect(finalStage.some((line) => line.keyword === 'RUN' && /\bnpm\b/.test(line.args))).toBe(false);
    expect(finalStage).toContainEqual({
      keyword: 'COPY',
      args: `--from=${copiedFrom('/app/node_modules')} /app/node_modules ./node_modules`,
    });
  });

  it('needs no development dependency at run time, and no TypeScript loader', () => {
    const packages = new Set<string>();
    for (const text of runtimeFiles().values()) {
      for (const name of importsOf(text).map(packageOf)) if (name) packages.add(name);
    }
    expect(packages.size).toBeGreaterThan(5);
    expect([...packages].filter((name) => !(name in packageJson.dependencies))).toEqual([]);
    // The image runs compiled JavaScript: tsx and typescript are for development and the build only.
    expect(Object.keys(packageJson.dependencies)).not.toContain('tsx');
    expect(packageJson.devDependencies).toHaveProperty('tsx');
    expect(packageJson.devDependencies).toHaveProperty('typescript');
  });

  it('compiles every folder the server loads in a build stage, and runs only its output', () => {
    const build = stage(copiedFrom('/app/dist'));
    const copied = new Set(
      build
        .filter((line) => line.keyword === 'COPY' && !line.args.startsWith('--from'))
        .flatMap((line) => line.args.split(' ').slice(0, -1)),
    );
    const needed = new Set([...runtimeFiles().keys()].map((file) => relative(ROOT, file).split('/')[0]));
    expect([...needed].filter((path) => path && !copied.has(path))).toEqual([]);
    expect(copied).toContain('db'); // the migrations the server applies, copied into dist by the build
    expect(copied).toContain('tsconfig.build.json');
    expect(readdirSync(join(ROOT, 'db', 'migrations')).some((file) => file.endsWith('.sql'))).toBe(true);
    expect(build.filter((line) => line.keyword === 'RUN').map((line) => line.args)).toEqual([
      expect.stringMatching(/^npm ci\b/),
      'npm run build',
    ]);
    // The final stage takes dist/ from the build and package.json (`"type": "module"`), no source.
    const ownFiles = finalStage
      .filter((line) => line.keyword === 'COPY' && !line.args.startsWith('--from'))
      .flatMap((line) => line.args.split(' ').slice(0, -1));
    expect(ownFiles).toEqual(['package.json']);
  });

  it('runs as the unprivileged node user, with a healthcheck on the PORT it serves', () => {
    const users = finalStage.filter((line) => line.keyword === 'USER').map((line) => line.args);
    expect(users).toEqual(['node']);
    const check = finalStage.find((line) => line.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(check).toContain('/health');
    expect(check).toContain('process.env.PORT');
    expect(finalStage.find((line) => line.keyword === 'ENV')?.args).toMatch(
      /\bHOST=0\.0\.0\.0\b.*\bPORT=4000\b/,
    );
  });

  it('starts the server with the command of npm start, compiled: dist/server/main.js without tsx', () => {
    const cmd = finalStage.find((line) => line.keyword === 'CMD')?.args ?? '[]';
    const compiled = scriptArgs('start')
      .join(' ')
      .replace('--import tsx ', '')
      .replace(/\bserver\/main\.ts\b/, 'dist/server/main.js')
      .split(' ');
    expect(compiled).toContain('dist/server/main.js');
    expect(JSON.parse(cmd)).toEqual(['node', ...compiled]);
  });
});
