/**
 * GraphiQL and the diagram in a real browser: Debian's Chromium, headless, driven by playwright-core
 * against `npm start` as a person runs it (demo data on an embedded database). It runs the example
 * query, and a nested create as the admin whose header `npm start` printed (pasted into the Headers
 * tab), reads the results from the result pane, looks up relation descriptions in the docs explorer
 * and checks every model is drawn on /diagram. Screenshots go to test/artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { printedHeaders, type RunningServer, startServerProcess } from '../support/cli.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

// Chromium without the sandbox (root in a container), without GPU, and without any call home.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const NESTED_CREATE = `mutation {
  createUser(input: {
    name: "Browser Tester"
    email: "browser@example.com"
    role: { connect: { name: "editor" } }
    phone: { create: { number: "+44 20 7946 9999" } }
    posts: { create: [{ title: "Written in GraphiQL", body: "Nested create.", status: published }] }
  }) {
    id
    name
    phone { number }
    role { name }
    posts { nodes { title status } }
  }
}`;

/**
 * Replaces the text of a Monaco editor. The text goes in as one line: Monaco indents after every
 * inserted newline and closes brackets, which would garble a pasted block.
 */
async function replaceText(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text.replace(/\s+/g, ' '));
}

/** Replaces the query editor's text, then lets GraphiQL prettify it. */
async function setQuery(page: Page, text: string): Promise<void> {
  await replaceText(page, '.graphiql-query-editor .monaco-editor', text);
  await page.getByRole('button', { name: /^Prettify query/ }).click();
}

/** Opens the Headers tab under the query editor and replaces its text with `headers` (JSON). */
async function setHeaders(page: Page, headers: string): Promise<void> {
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  await replaceText(page, '.graphiql-editor-tool .monaco-editor[data-uri$="headers.json"]', headers);
}

/** Runs the query in the editor and waits until the result pane shows `expected`. */
async function runAndWaitFor(page: Page, expected: string): Promise<string> {
  const response = page.locator('.graphiql-response');
  // GraphiQL re-reads the operation names of an edited document after a debounce; a click before
  // that (likely on a loaded machine) runs with the previous document's name and GraphiQL itself
  // answers "Cannot infer operation". A person clicks again; so does the test, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.graphiql-execute-button').click();
    const stale = response.getByText('Cannot infer operation', { exact: false }).first();
    const outcome = await Promise.race([
      response
        .getByText(expected, { exact: false })
        .first()
        .waitFor({ timeout: 30_000 })
        .then(() => 'done'),
      stale.waitFor({ timeout: 30_000 }).then(() => 'stale'),
    ]).catch(() => 'timeout');
    if (outcome !== 'stale' || attempt === 5) break;
    // Give the debounce time to pass before the next click (the old answer is still on screen).
    await page.waitForTimeout(250 * attempt);
  }
  try {
    await response.getByText(expected, { exact: false }).first().waitFor({ timeout: 1_000 });
  } catch (error) {
    // What the page showed instead is the quickest way to see why.
    await page.screenshot({ path: join(ARTIFACTS, 'failed-run.png') });
    throw error;
  }
  return (await response.innerText()).replace(/\u00a0/g, ' ');
}

describe('GraphiQL and /diagram in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let base: URL;
  let profile: string;
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `The browser tests need Chromium at ${CHROMIUM}, which does not exist. Install Debian's package ` +
          '(apt-get install --no-install-recommends chromium) or set CHROMIUM_PATH to a Chromium binary.',
      );
    }
    await mkdir(ARTIFACTS, { recursive: true });
    profile = await mkdtemp(join(tmpdir(), 'relgraph-chromium-'));
    server = await startServerProcess({ RELGRAPH_DATA_DIR: join(profile, 'data') });
    base = new URL(server.url);
    context = await chromium.launchPersistentContext(join(profile, 'browser'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    context.on('request', (request) => {
      // data: and blob: URLs are the page's own (inlined assets, workers); anything else must be this server.
      const url = new URL(request.url());
      if (/^(https?|wss?):$/.test(url.protocol) && url.host !== base.host) {
        foreignRequests.push(request.url());
      }
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (server) expect(await server.stop()).toBe(0);
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('runs the example query and shows related records in the result pane', {
    timeout: 120_000,
  }, async () => {
    await page.goto(server.url);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 60_000 });
    const editorText = (await page.locator('.graphiql-query-editor .view-lines').innerText()).replace(
      /\u00a0/g,
      ' ',
    );
    expect(editorText).toContain('query UsersWithRelations');
    const result = await runAndWaitFor(page, '+44 20 7946 0000');
    // The first user and the rows linked to it, as GraphiQL prints them.
    for (const text of [
      '"name": "Ada Lovelace"',
      '"number": "+44 20 7946 0000"',
      '"bio": "Engineer number 1."',
    ]) {
      expect(result).toContain(text);
    }
    expect(result).toMatch(/"role": \{\s*"name": "admin"/);
    expect(result).toMatch(/"city": "London"/);
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-query.png') });
  });

  it('refuses a nested create to an anonymous visitor and runs it with the admin header npm start printed', {
    timeout: 90_000,
  }, async () => {
    await setQuery(page, NESTED_CREATE);
    // Only admins create accounts under the demo's rules.
    const refused = await runAndWaitFor(page, '"FORBIDDEN"');
    // The pane wraps long messages.
    expect(refused.replace(/\s+/g, ' ')).toContain(
      'does not allow an anonymous viewer to create this User; sign in first.',
    );
    await setHeaders(page, printedHeaders(server.output, 'admin'));
    const result = await runAndWaitFor(page, '+44 20 7946 9999');
    expect(result).toContain('"name": "Browser Tester"');
    expect(result).toMatch(/"role": \{\s*"name": "editor"/);
    expect(result).toContain('"title": "Written in GraphiQL"');
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-mutation.png') });

    const check = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ userByEmail(email: "browser@example.com") { phone { number } } }' }),
    });
    expect(await check.json()).toMatchObject({
      data: { userByEmail: { phone: { number: '+44 20 7946 9999' } } },
    });
  });

  it('shows the relation fields with their descriptions in the docs explorer', {
    timeout: 60_000,
  }, async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs
      .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
      .first()
      .click();
    await docs
      .locator('a.graphiql-doc-explorer-type-name', { hasText: /^User$/ })
      .first()
      .click();
    await docs.getByText("The Phone whose userId is this User's id.").waitFor();
    const text = await docs.innerText();
    for (const description of [
      'A person using the demo application.',
      "The Phone whose userId is this User's id.",
      "The Profile whose ownerId is this User's id.",
      "The Role whose id is this User's roleId.",
      "The Post rows whose authorId is this User's id.",
    ]) {
      expect(text).toContain(description);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-docs.png') });
  });

  it('draws every model and link on /diagram', { timeout: 60_000 }, async () => {
    await page.goto(new URL('/diagram', base).href);
    const drawn = await page.locator('svg g.model').evaluateAll((groups) =>
      groups.map((group) => {
        const box = (group as SVGGraphicsElement).getBBox();
        return { name: group.getAttribute('data-model'), width: box.width, height: box.height };
      }),
    );
    expect(drawn.map((model) => model.name).sort()).toEqual(demoModels.map((model) => model.name).sort());
    for (const model of drawn) expect(model.width * model.height).toBeGreaterThan(1000);
    expect(await page.locator('svg g.link').count()).toBe(5);
    await expect(page.locator('svg g.model[data-model="User"]').innerHTML()).resolves.toContain('addressId');
    await page.locator('svg').screenshot({ path: join(ARTIFACTS, 'diagram.png') });

    await page.goto(new URL('/diagram.svg', base).href);
    expect(await page.evaluate(() => document.documentElement.tagName)).toBe('svg');
    expect(await page.locator('parsererror').count()).toBe(0);
  });

  it('loaded nothing from another host and raised no script error', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
