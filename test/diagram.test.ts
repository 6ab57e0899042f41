/**
 * The relationship diagram: what it says about every model and link (from the relation graph), where
 * the layout puts them (nothing overlaps, links start and end on their boxes), the SVG and Mermaid
 * texts, the committed docs/models.svg, and the server's /diagram pages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { buildDiagram, type Diagram } from '../diagram/diagram-model.ts';
import { type Box, type EdgeLabel, type Layout, layoutDiagram, METRICS } from '../diagram/layout.ts';
import { renderMermaid } from '../diagram/render-mermaid.ts';
import { renderSvg } from '../diagram/render-svg.ts';
import { belongsTo, buildRelationGraph, field, hasMany, type Model, model } from '../index.ts';
import { demoModels } from '../models/index.ts';
import { createServer } from '../server/create-server.ts';

const diagramOf = (models: readonly Model[]) => buildDiagram(buildRelationGraph(models));
const demo = diagramOf(demoModels);

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The rectangle a label's text covers (monospace: its width follows from its length). */
function labelBounds(label: EdgeLabel) {
  const width = label.text.length * METRICS.char;
  const left =
    label.anchor === 'start' ? label.x : label.anchor === 'end' ? label.x - width : label.x - width / 2;
  return { left, right: left + width, top: label.y - METRICS.fontSize, bottom: label.y };
}

/** Checks every rule of a readable layout; returns the problems found. */
function layoutProblems(diagram: Diagram, layout: Layout): string[] {
  const problems: string[] = [];
  const boxes = new Map(layout.boxes.map((box) => [box.model.name, box]));
  for (const [i, a] of layout.boxes.entries()) {
    for (const b of layout.boxes.slice(i + 1)) {
      if (overlaps(a, b)) problems.push(`${a.model.name} overlaps ${b.model.name}`);
    }
    if (a.x < 0 || a.y < 0 || a.x + a.width > layout.width || a.y + a.height > layout.height) {
      problems.push(`${a.model.name} is outside the picture`);
    }
  }
  for (const edge of layout.edges) {
    const { holder, referenced } = edge.link;
    const from = boxes.get(holder.model);
    const to = boxes.get(referenced.model);
    if (!from || !to) {
      problems.push(`a link of ${holder.model}.${holder.field} has no box`);
      continue;
    }
    const onSide = (box: Box, x: number) => x === box.x || x === box.x + box.width;
    const row = from.model.fields.findIndex((f) => f.name === holder.field);
    const rowCentre = from.y + METRICS.header + METRICS.padding / 2 + row * METRICS.row + METRICS.row / 2;
    if (!onSide(from, edge.from.x) || edge.from.y !== rowCentre) {
      problems.push(`${holder.model}.${holder.field}: the link does not start at its row`);
    }
    if (!onSide(to, edge.to.x) || edge.to.y <= to.y + METRICS.header || edge.to.y >= to.y + to.height) {
      problems.push(`${holder.model}.${holder.field}: the link does not end on ${referenced.model}'s body`);
    }
    for (const label of edge.labels) {
      const bounds = labelBounds(label);
      if (bounds.left < 0 || bounds.right > layout.width) problems.push(`label "${label.text}" is cut off`);
    }
  }
  const labels = layout.edges.flatMap((edge) => edge.labels.slice(0, 2)).map(labelBounds);
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) {
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
        problems.push(`two end labels overlap at ${Math.round(a.left)},${Math.round(a.top)}`);
      }
    }
  }
  if (layout.boxes.length !== diagram.models.length) problems.push('not every model has a box');
  return problems;
}

describe('the diagram of the demo models', () => {
  it('has every model with its fields, GraphQL types and keys', () => {
    expect(demo.models.map((m) => m.name)).toEqual(['User', 'Phone', 'Profile', 'Address', 'Role', 'Post']);
    const user = demo.models.find((m) => m.name === 'User');
    expect(user?.table).toBe('users');
    expect(user?.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'id: ID!',
      'name: String!',
      'email: String!',
      'externalId: String',
      'createdAt: DateTime!',
      'addressId: ID',
      'roleId: ID!',
    ]);
    expect(user?.fields.find((f) => f.name === 'email')).toMatchObject({ unique: true, primary: false });
    expect(user?.fields.find((f) => f.name === 'roleId')?.references).toBe('Role.id');
    expect(user?.fields.find((f) => f.name === 'id')).toMatchObject({ primary: true, references: undefined });
  });

  it('has every link with its kind and the cardinality and relation of each end', () => {
    const links = demo.links.map(
      ({ kind, holder: h, referenced: r }) =>
        `${h.model}.${h.field} ${h.relation ?? '-'} ${h.cardinality} ${kind} ${r.cardinality} ${r.relation ?? '-'} ${r.model}.${r.field}`,
    );
    expect(links.sort()).toEqual([
      'Phone.userId phone 0..1 1–1 1 user User.id',
      'Post.authorId posts 0..n 1–n 1 author User.id',
      'Profile.ownerId profile 0..1 1–1 1 user User.id',
      'User.addressId user 0..1 1–1 0..1 address Address.id',
      'User.roleId users 0..n 1–n 1 role Role.id',
    ]);
  });

  it('is laid out with nothing overlapping, each model right of the models it points at', () => {
    const layout = layoutDiagram(demo);
    expect(layoutProblems(demo, layout)).toEqual([]);
    const column = Object.fromEntries(layout.boxes.map((box) => [box.model.name, box.column]));
    expect(column).toEqual({ Address: 0, Role: 0, User: 1, Phone: 2, Profile: 2, Post: 2 });
  });

  it('is the committed docs/models.svg (run `npm run diagram` after a model change)', () => {
    const committed = readFileSync(new URL('../docs/models.svg', import.meta.url), 'utf8');
    expect(committed).toBe(renderSvg(layoutDiagram(demo)));
  });
});

describe('diagram layout of awkward graphs', () => {
  it('links a model to itself and two models to each other both ways', () => {
    const Employee = model('Employee', {
      fields: { id: field.id(), name: field.string() },
      relations: {
        manager: belongsTo((): Model => Employee, { optional: true }),
        reports: hasMany((): Model => Employee, { inverse: 'manager' }),
        desk: belongsTo((): Model => Desk, { optional: true, unique: true }),
      },
    });
    const Desk = model('Desk', {
      fields: { id: field.id() },
      relations: { cleaner: belongsTo((): Model => Employee, { optional: true }) },
    });
    const diagram = diagramOf([Employee, Desk]);
    expect(diagram.links).toHaveLength(3);
    const self = diagram.links.find((link) => link.holder.model === link.referenced.model);
    expect(self).toMatchObject({
      kind: '1–n',
      holder: { field: 'managerId', relation: 'reports', cardinality: '0..n' },
      referenced: { field: 'id', relation: 'manager', cardinality: '0..1' },
    });
    expect(layoutProblems(diagram, layoutDiagram(diagram))).toEqual([]);
  });

  it('fans many links into one key apart, and labels a link declared on one side by its cardinality', () => {
    const Team = model('Team', {
      fields: { id: field.id() },
      relations: Object.fromEntries(
        ['a', 'b', 'c', 'd', 'e'].map((name) => [`${name}s`, hasMany((): Model => byName(name))]),
      ),
    });
    const children = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      model(name.toUpperCase(), { fields: { id: field.id(), teamId: field.int() } }),
    );
    const byName = (name: string) => children.find((child) => child.name === name.toUpperCase()) as Model;
    const diagram = diagramOf([Team, ...children]);
    expect(diagram.links.map((link) => link.referenced.relation)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const layout = layoutDiagram(diagram);
    expect(layoutProblems(diagram, layout)).toEqual([]);
    const ports = layout.edges.map((edge) => edge.to.y).sort((a, b) => a - b);
    for (const [i, y] of ports.slice(1).entries())
      expect(y - (ports[i] ?? 0)).toBeGreaterThanOrEqual(METRICS.portGap);
    expect(layout.edges.map((edge) => edge.labels[1]?.text)).toEqual(['1', '1', '1', '1', '1']);
  });

  it('draws a model set without links as boxes in one column', () => {
    const diagram = diagramOf([
      model('Solo', { fields: { id: field.id() } }),
      model('Pair', { fields: { id: field.id() } }),
    ]);
    const layout = layoutDiagram(diagram);
    expect(layout.edges).toEqual([]);
    expect(layout.boxes.map((box) => box.column)).toEqual([0, 0]);
    expect(layoutProblems(diagram, layout)).toEqual([]);
  });
});

describe('diagram documents', () => {
  const svg = renderSvg(layoutDiagram(demo));

  it('draws every model, field and link in the SVG, the same text every time', () => {
    for (const m of demo.models) {
      expect(svg).toContain(`<g class="model" data-model="${m.name}">`);
      for (const f of m.fields) expect(svg).toContain(`>${f.name}</text>`);
    }
    expect(svg.match(/<g class="link" /g)).toHaveLength(demo.links.length);
    expect(svg).toContain('data-link="Phone.userId" data-references="User.id" data-kind="1–1"');
    expect(svg).toContain('<title>Phone.userId → User.id (1–1, on delete cascade)</title>');
    expect(svg).toContain('<title>User.roleId → Role.id (1–n, on delete restrict)</title>');
    expect(renderSvg(layoutDiagram(diagramOf(demoModels)))).toBe(svg);
    expect(svg.match(/<g\b/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
  });

  it('escapes names and descriptions, and loads nothing from elsewhere', () => {
    const Odd = model('Odd', { description: 'Less <than> & "quoted"', fields: { id: field.id() } });
    const odd = renderSvg(layoutDiagram(diagramOf([Odd])));
    expect(odd).toContain('<title>Less &lt;than&gt; &amp; &quot;quoted&quot;</title>');
    expect(svg).not.toMatch(/\b(href|src)=|@import|url\(/);
  });

  it("writes a Mermaid erDiagram with crow's-foot ends", () => {
    const mermaid = renderMermaid(demo);
    expect(mermaid.startsWith('erDiagram\n  User {\n    ID id PK\n')).toBe(true);
    expect(mermaid).toContain('    ID addressId FK, UK "optional, → Address.id"\n');
    expect(mermaid.split('\n').filter((line) => line.includes('--'))).toEqual([
      '  User ||--o| Phone : "1–1 phone / user"',
      '  User ||--o| Profile : "1–1 profile / user"',
      '  Address |o--o| User : "1–1 user / address"',
      '  Role ||--o{ User : "1–n users / role"',
      '  User ||--o{ Post : "1–n posts / author"',
    ]);
  });
});

describe("the server's diagram pages", () => {
  const get = async (diagram: boolean | undefined, path: string) => {
    const server = await createServer({
      models: demoModels,
      prepare: 'none',
      ...(diagram !== undefined && { diagram }),
    });
    try {
      const response = await server.yoga.fetch(`http://relgraph.test${path}`);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      };
    } finally {
      await server.close();
    }
  };

  /** The status of each path on one server with the default options. */
  const statuses = async (paths: string[]) => {
    const server = await createServer({ models: demoModels, prepare: 'none' });
    try {
      return await Promise.all(
        paths.map(async (path) => (await server.yoga.fetch(`http://relgraph.test${path}`)).status),
      );
    } finally {
      await server.close();
    }
  };

  it('serves a page with the SVG inline and every model named, nothing from another host', async () => {
    const page = await get(undefined, '/diagram');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<h1>6 models, 5 links</h1>');
    for (const m of demoModels) expect(page.body).toContain(`data-model="${m.name}"`);
    expect(page.body).not.toMatch(/<(script|link|img)\b|(src|href)=["']?(https?:)?\/\//i);
  });

  it('serves the SVG and the Mermaid text as files', async () => {
    const svg = await get(true, '/diagram.svg');
    expect(svg.type).toContain('image/svg+xml');
    expect(svg.body).toBe(renderSvg(layoutDiagram(demo)));
    const mermaid = await get(true, '/diagram.mmd');
    expect(mermaid.body).toBe(renderMermaid(demo));
  });

  it('serves no diagram when turned off', async () => {
    expect((await get(false, '/diagram')).status).toBe(404);
  });

  it('serves none in production unless GraphiQL is turned on, which it follows', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const paths = ['/diagram', '/diagram.svg', '/diagram.mmd'];
      expect(await statuses(paths)).toEqual([404, 404, 404]);
      vi.stubEnv('RELGRAPH_INTROSPECTION', '1');
      vi.stubEnv('RELGRAPH_GRAPHIQL', '1');
      expect(await statuses(paths)).toEqual([200, 200, 200]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
