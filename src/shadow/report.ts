import type { EntityRow } from '../estate/model';

/** A shadow AI asset with who uses it and the data it touches, as the shadow queries ship it. */
export interface ShadowRow {
  found: EntityRow;
  owners: EntityRow[];
  datasets: EntityRow[];
}

export interface ShadowReport {
  asOf: string | null;
  items: EntityRow[];
  byDepartment: Array<{ department: string | null; items: EntityRow[] }>;
  byOwner: Array<{ owner: EntityRow | null; items: EntityRow[] }>;
  byData: Array<{ dataset: EntityRow; items: EntityRow[] }>;
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Groups, the largest first, then by what names them; the unnamed group (no department, no owner) last. */
function grouped<K>(rows: ShadowRow[], keysOf: (row: ShadowRow) => Array<K | null>, idOf: (key: K) => string, label: (key: K) => string) {
  const groups = new Map<string, { key: K | null; items: EntityRow[] }>();
  for (const row of rows) {
    const keys = keysOf(row);
    for (const key of keys.length > 0 ? keys : [null]) {
      const id = key === null ? '' : idOf(key);
      const group = groups.get(id) ?? { key, items: [] };
      group.items.push(row.found);
      groups.set(id, group);
    }
  }
  return [...groups.values()].sort((a, b) => {
    if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
    if (a.items.length !== b.items.length) return b.items.length - a.items.length;
    return a.key === null || b.key === null ? 0 : label(a.key) < label(b.key) ? -1 : label(a.key) > label(b.key) ? 1 : 0;
  });
}

/**
 * shadowAI's answer from the shadow assets: the list by name, and the groups by department (as
 * the discovery source reported it), by owner (OWNED_BY; an asset with several is in each) and by
 * the datasets it touches (an asset touching none is in no data group).
 */
export function shadowReport(rows: ShadowRow[], asOf: string | null): ShadowReport {
  const sorted = [...rows].sort((a, b) => byName(a.found, b.found));
  const department = (row: ShadowRow) => (typeof row.found.department === 'string' && row.found.department.trim() ? [row.found.department.trim()] : []);
  return {
    asOf,
    items: sorted.map((row) => row.found),
    byDepartment: grouped(sorted, department, (name) => name, (name) => name).map(({ key, items }) => ({ department: key, items })),
    byOwner: grouped(sorted, (row) => row.owners, (owner) => owner.id, (owner) => `${owner.name}\u0000${owner.id}`).map(({ key, items }) => ({ owner: key, items })),
    byData: grouped(sorted, (row) => row.datasets, (data) => data.id, (data) => `${data.name}\u0000${data.id}`)
      .filter((group): group is { key: EntityRow; items: EntityRow[] } => group.key !== null)
      .map(({ key, items }) => ({ dataset: key, items })),
  };
}
