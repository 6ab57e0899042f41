/** Checks every link of a database directly in SQL: keys that point nowhere, one-to-one keys used twice. */
import { sql } from 'drizzle-orm';
import type { RelgraphServer } from '../../server/create-server.ts';
import { sqlRows } from './row-counts.ts';

export interface LinkReport {
  /** `Holder.foreignKey → Referenced.key`. */
  readonly link: string;
  /** Rows whose foreign key is set. */
  readonly linked: number;
  /** Set foreign keys with no row to point at. */
  readonly dangling: number;
  /** Rows sharing a foreign key with another row: must be 0 on a one-to-one link. */
  readonly repeated: number;
  readonly oneToOne: boolean;
}

/** One report per link of the server's graph, read with one statement per link. */
export async function linkReports(server: RelgraphServer): Promise<LinkReport[]> {
  const reports: LinkReport[] = [];
  for (const link of server.graph.links) {
    const holder = sql.identifier(link.holder.table);
    const key = sql.identifier(link.foreignKey.column);
    const referenced = sql.identifier(link.referenced.table);
    const referencedKey = sql.identifier(link.referencedKey.column);
    const [row] = await sqlRows(
      server,
      sql`select count(h.${key})::int as linked,
        count(*) filter (where h.${key} is not null and not exists (
          select 1 from ${referenced} r where r.${referencedKey} = h.${key}))::int as dangling,
        (count(h.${key}) - count(distinct h.${key}))::int as repeated
      from ${holder} h`,
    );
    reports.push({
      link: `${link.holder.name}.${link.foreignKey.name} → ${link.referenced.name}.${link.referencedKey.name}`,
      linked: Number(row?.linked),
      dangling: Number(row?.dangling),
      repeated: Number(row?.repeated),
      oneToOne: link.unique,
    });
  }
  return reports;
}

/** The problems of `linkReports`, as sentences: an empty list means every link holds. */
export async function linkProblems(server: RelgraphServer): Promise<string[]> {
  return (await linkReports(server)).flatMap((report) => [
    ...(report.dangling > 0 ? [`${report.link}: ${report.dangling} keys point at no row`] : []),
    ...(report.oneToOne && report.repeated > 0
      ? [`${report.link}: one-to-one, ${report.repeated} keys repeated`]
      : []),
  ]);
}
