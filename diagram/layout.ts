/**
 * A deterministic left-to-right layout of the diagram: a model stands one column right of every model
 * it points at, so links read from the foreign key (right) to the key it references (left). Text is
 * monospace, so box sizes follow from character counts and the same models always give the same picture.
 */
import { assignColumns, orderColumns } from './columns.ts';
import type { Diagram, DiagramLink, DiagramModel } from './diagram-model.ts';

/** Sizes in SVG pixels; `char` is the advance of one 12 px monospace character. */
export const METRICS = {
  fontSize: 12,
  char: 7.25,
  header: 30,
  row: 20,
  padding: 10,
  /** Least vertical distance between two links arriving at the same side of a box. */
  portGap: 28,
  /** Vertical space between boxes of a column. */
  boxGap: 40,
  margin: 30,
  minColumnGap: 160,
  /** How far a link between two boxes of one column bulges out to the right. */
  loop: 70,
} as const;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly model: DiagramModel;
  readonly column: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Characters of the longest field name: where the type column starts. */
  readonly nameChars: number;
}

export interface EdgeLabel extends Point {
  readonly text: string;
  readonly anchor: 'start' | 'middle' | 'end';
}

export interface Edge {
  readonly link: DiagramLink;
  /** SVG path data, from the foreign key to the key it references. */
  readonly path: string;
  readonly from: Point;
  readonly to: Point;
  /** The holder end's label, the referenced end's label, then the kind (`1–1`) at the middle. */
  readonly labels: readonly EdgeLabel[];
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Box[];
  readonly edges: readonly Edge[];
}

type Side = 'left' | 'right';

const round = (value: number) => Math.round(value * 10) / 10;

/** The label at one end of a link: the relation that reaches this end, and its cardinality. */
const endLabel = (end: DiagramLink['holder']) =>
  end.relation ? `${end.relation} ${end.cardinality}` : end.cardinality;

/** Which sides of the two boxes a link leaves and enters by. */
function sidesOf(holderColumn: number, referencedColumn: number): [Side, Side] {
  if (holderColumn > referencedColumn) return ['left', 'right'];
  if (holderColumn < referencedColumn) return ['right', 'left'];
  return ['right', 'right'];
}

/** Characters of a row: the name column, two spaces, the type, room for a PK/FK/UK badge. */
const rowTextChars = (model: DiagramModel, nameChars: number) =>
  nameChars + 2 + Math.max(...model.fields.map((field) => field.type.length)) + 4;

/** Centre of a field's row, from the top of the box's body. */
function rowOffset(model: DiagramModel, field: string): number {
  const index = Math.max(
    0,
    model.fields.findIndex((f) => f.name === field),
  );
  return METRICS.padding / 2 + index * METRICS.row + METRICS.row / 2;
}

/**
 * Where links arrive on one side of a box: level with the key they reference, pushed down just enough
 * to keep `portGap` between two. `offsets` must be ascending (links sorted by their key's row).
 */
function portOffsets(offsets: readonly number[]): number[] {
  const placed: number[] = [];
  for (const offset of offsets) placed.push(Math.max(offset, (placed.at(-1) ?? -Infinity) + METRICS.portGap));
  return placed;
}

interface EndPlan {
  readonly link: DiagramLink;
  readonly index: number;
  readonly holder: Box;
  readonly referenced: Box;
  readonly sides: readonly [Side, Side];
  readonly from: Point;
}

const sideX = (box: Box, side: Side) => (side === 'left' ? box.x : box.x + box.width);

function endLabelAt(point: Point, side: Side, text: string): EdgeLabel {
  const outward = side === 'left' ? -6 : 6;
  return {
    x: round(point.x + outward),
    y: round(point.y - 5),
    text,
    anchor: side === 'left' ? 'end' : 'start',
  };
}

function edgeOf(plan: EndPlan, to: Point): Edge & { reach: number } {
  const { from, sides, link } = plan;
  const [fromSide, toSide] = sides;
  const direction = fromSide === 'left' ? -1 : 1;
  const pull = Math.max(40, Math.abs(to.x - from.x) / 2);
  const c1 = { x: from.x + (fromSide === toSide ? METRICS.loop : direction * pull), y: from.y };
  const c2 = { x: to.x + (fromSide === toSide ? METRICS.loop : direction * -pull), y: to.y };
  // The point halfway along the cubic Bézier curve, where the kind of link is written.
  const middle = {
    x: round((from.x + 3 * c1.x + 3 * c2.x + to.x) / 8),
    y: round((from.y + 3 * c1.y + 3 * c2.y + to.y) / 8),
  };
  const labels: EdgeLabel[] = [
    endLabelAt(from, fromSide, endLabel(link.holder)),
    endLabelAt(to, toSide, endLabel(link.referenced)),
    { ...middle, text: link.kind, anchor: 'middle' },
  ];
  const labelEnd = (label: EdgeLabel) =>
    label.anchor === 'start' ? label.x + label.text.length * METRICS.char : label.x;
  const points = [from.x, to.x, c1.x, c2.x].map(round);
  return {
    link,
    path: `M ${points[0]} ${round(from.y)} C ${points[2]} ${round(c1.y)}, ${points[3]} ${round(c2.y)}, ${points[1]} ${round(to.y)}`,
    from,
    to,
    labels,
    reach: Math.max(...points, ...labels.map(labelEnd)),
  };
}

function layoutEdges(links: readonly DiagramLink[], boxes: ReadonlyMap<string, Box>) {
  const boxOf = (name: string) => {
    const box = boxes.get(name);
    if (!box) throw new Error(`relgraph diagram: no box for model "${name}"`);
    return box;
  };
  const plans: EndPlan[] = links.map((link, index) => {
    const holder = boxOf(link.holder.model);
    const referenced = boxOf(link.referenced.model);
    const sides = sidesOf(holder.column, referenced.column);
    const y = holder.y + METRICS.header + rowOffset(holder.model, link.holder.field);
    return { link, index, holder, referenced, sides, from: { x: sideX(holder, sides[0]), y } };
  });
  const arriving = new Map<string, EndPlan[]>();
  for (const plan of plans) {
    const key = `${plan.referenced.model.name}:${plan.sides[1]}`;
    arriving.set(key, [...(arriving.get(key) ?? []), plan]);
  }
  const targets = new Map<EndPlan, Point>();
  for (const group of arriving.values()) {
    const offset = (plan: EndPlan) => rowOffset(plan.referenced.model, plan.link.referenced.field);
    group.sort((a, b) => offset(a) - offset(b) || a.from.y - b.from.y || a.index - b.index);
    portOffsets(group.map(offset)).forEach((y, i) => {
      const plan = group[i];
      if (!plan) return;
      const box = plan.referenced;
      targets.set(plan, { x: sideX(box, plan.sides[1]), y: box.y + METRICS.header + y });
    });
  }
  return plans.map((plan) => edgeOf(plan, targets.get(plan) ?? plan.from));
}

/** The ports each side of each box needs, as body offsets: the box must be tall enough for the last. */
function portsNeeded(diagram: Diagram, columnOf: (name: string) => number): Map<string, number[]> {
  const offsets = new Map<string, number[]>();
  for (const link of diagram.links) {
    const [, side] = sidesOf(columnOf(link.holder.model), columnOf(link.referenced.model));
    const model = diagram.models.find((candidate) => candidate.name === link.referenced.model);
    if (!model) continue;
    const key = `${model.name}:${side}`;
    offsets.set(key, [...(offsets.get(key) ?? []), rowOffset(model, link.referenced.field)]);
  }
  for (const [key, list] of offsets) offsets.set(key, portOffsets(list.sort((a, b) => a - b)));
  return offsets;
}

/** Lays out `diagram`: boxes in columns, then links between their rows and ports. */
export function layoutDiagram(diagram: Diagram): Layout {
  const { char, header, row, padding, boxGap, margin, minColumnGap } = METRICS;
  const columns = assignColumns(diagram);
  const columnOf = (name: string) => columns.get(name) ?? 0;
  const ports = portsNeeded(diagram, columnOf);
  const labelChars = Math.max(
    0,
    ...diagram.links.flatMap((link) => [endLabel(link.holder).length, endLabel(link.referenced).length]),
  );
  const columnGap = Math.max(minColumnGap, 2 * labelChars * char + 60);

  const sized = orderColumns(diagram, columns).map((column) =>
    column.map((model) => {
      const nameChars = Math.max(...model.fields.map((field) => field.name.length));
      const chars = Math.max(rowTextChars(model, nameChars), model.name.length + 2 + model.table.length);
      const lastPort = Math.max(
        0,
        ...['left', 'right'].flatMap((side) => ports.get(`${model.name}:${side}`) ?? []),
      );
      const body = Math.max(model.fields.length * row, lastPort + row / 2) + padding;
      return { model, nameChars, width: Math.ceil(chars * char + 2 * padding), height: header + body };
    }),
  );
  const columnHeight = (column: readonly { height: number }[]) =>
    column.reduce((sum, box) => sum + box.height, 0) + boxGap * Math.max(0, column.length - 1);
  const tallest = Math.max(0, ...sized.map(columnHeight));
  const boxes: Box[] = [];
  let x = margin;
  sized.forEach((column, index) => {
    let y = margin + (tallest - columnHeight(column)) / 2;
    for (const box of column) {
      boxes.push({ ...box, column: index, x, y: round(y) });
      y += box.height + boxGap;
    }
    x += Math.max(0, ...column.map((box) => box.width)) + columnGap;
  });
  const edges = layoutEdges(diagram.links, new Map(boxes.map((box) => [box.model.name, box])));
  const right = Math.max(0, ...boxes.map((box) => box.x + box.width), ...edges.map((edge) => edge.reach));
  return {
    width: Math.ceil(right + margin),
    height: Math.ceil(tallest + 2 * margin),
    boxes,
    edges: edges.map(({ reach: _, ...edge }) => edge),
  };
}
