/**
 * Churn for the history phase: ten rounds of changes to a loaded estate, as an inventory tool would
 * send them over weeks, planned in memory (seeded, a pure function of the estate) so that the bench
 * knows what the live graph is after each round. Each round changes fields of some records,
 * properties of some relationships, moves some relationships to another record of the same type,
 * deletes a few records, and brings back what the round before moved or deleted: the deleted
 * records are sent again (revived under their ids) with their relationships, the moved
 * relationships go back to their old ends. The last round only brings back, so the live graph ends
 * as the estate began (with changed fields), and the same roots reach the same records.
 */
import { EntityType, Estate, Item, Ref, refKey, RelationshipInput, TYPE_ORDER, TypedItem } from './estate';
import { mulberry32 } from './generate';

/** Shares of the estate each round touches. */
export interface ChurnRates {
  /** Records sent with a changed field. */
  records: number;
  /** Relationships sent with a changed property. */
  relationships: number;
  /** Relationships moved to another record of the same type (and back the round after). */
  moved: number;
  /** Records deleted (and sent again the round after). */
  deleted: number;
}

export const CHURN_RATES: ChurnRates = { records: 0.05, relationships: 0.05, moved: 0.005, deleted: 0.003 };

export interface ChurnRound {
  round: number;
  /** Live relationships to end before the round's sync: last round's moved ones, and this round's moving away. */
  unlink: RelationshipInput[];
  /** Records to delete (with their relationships) before the round's sync. */
  remove: Ref[];
  /** The round's sync: changed and revived records, then moved, restored and changed relationships. */
  records: TypedItem[];
  relationships: RelationshipInput[];
  counts: { changed: number; revived: number; deleted: number; moved: number; movedBack: number; restored: number; relationshipsChanged: number };
}

export const relKey = (rel: RelationshipInput) => `${rel.type}|${refKey(rel.from)}|${refKey(rel.to)}`;

export class Churn {
  private readonly random: () => number;
  private readonly records = new Map<string, TypedItem>();
  /** Each record as last sent. */
  private readonly current = new Map<string, TypedItem>();
  private readonly byType = new Map<EntityType, Ref[]>();
  private readonly original = new Map<string, RelationshipInput>();
  private readonly live = new Map<string, RelationshipInput>();
  /** Relationships moved away last round, by the key of the original they replace. */
  private moved = new Map<string, RelationshipInput>();
  /** Records deleted last round, brought back this round. */
  private deleted = new Set<string>();

  constructor(
    estate: Estate,
    /** Records never deleted: the roots the bench measures from. */
    private readonly kept: Ref[],
    private readonly rates: ChurnRates = CHURN_RATES,
    seed = 20261130,
  ) {
    this.random = mulberry32(seed);
    for (const type of TYPE_ORDER) {
      this.byType.set(type, estate.assets[type].map((item) => ({ type, externalId: item.externalId })));
      for (const item of estate.assets[type]) {
        this.records.set(refKey({ type, externalId: item.externalId }), { type, item });
        this.current.set(refKey({ type, externalId: item.externalId }), { type, item });
      }
    }
    for (const rel of estate.relationships) {
      this.original.set(relKey(rel), rel);
      this.live.set(relKey(rel), rel);
    }
  }

  /** The live relationships as the last planned round leaves them. */
  liveRelationships(): RelationshipInput[] {
    return [...this.live.values()];
  }

  /** The estate as the last planned round leaves it (records as last sent, live relationships): a sync of it changes nothing. */
  currentRecords(): TypedItem[] {
    return [...this.current.values()].filter(({ type, item }) => !this.deleted.has(refKey({ type, externalId: item.externalId })));
  }

  /** Plans round `round`; `last` only brings back what the round before moved or deleted. */
  next(round: number, last: boolean): ChurnRound {
    const unlink: RelationshipInput[] = [];
    const relationships: RelationshipInput[] = [];
    // Last round's moved relationships end first; their originals come back with the restored ones.
    for (const rel of this.moved.values()) {
      if (this.live.delete(relKey(rel))) unlink.push(rel);
    }
    const movedBack = unlink.length;
    this.moved = new Map();
    const revived = [...this.deleted];

    const records = [...this.records.keys()];
    const removable = new Set(this.kept.map(refKey));
    const remove = last ? [] : this.sample(records, this.count(records.length, this.rates.deleted), (key) => !removable.has(key) && !this.deleted.has(key));
    this.deleted = new Set(remove);
    for (const [key, rel] of this.live) {
      if (this.deleted.has(refKey(rel.from)) || this.deleted.has(refKey(rel.to))) this.live.delete(key);
    }

    // Moves take live relationships of the estate to another record of the end's type.
    const originals = [...this.live.values()].filter((rel) => this.original.has(relKey(rel)));
    if (!last) {
      for (const rel of this.sample(originals, this.count(this.original.size, this.rates.moved), () => true)) {
        const candidates = this.byType.get(rel.to.type)!;
        for (let attempt = 0; attempt < 10; attempt += 1) {
          const to = candidates[Math.floor(this.random() * candidates.length)];
          const moved = { ...rel, to };
          const key = relKey(moved);
          if (refKey(to) === refKey(rel.from) || this.deleted.has(refKey(to)) || this.original.has(key) || this.live.has(key)) continue;
          this.live.delete(relKey(rel));
          unlink.push(rel);
          this.live.set(key, moved);
          this.moved.set(relKey(rel), moved);
          relationships.push(moved);
          break;
        }
      }
    }
    const moved = relationships.length;

    // Whatever of the estate is missing with both ends present comes back: moved-back and revived ones.
    for (const [key, rel] of this.original) {
      if (this.live.has(key) || this.moved.has(key) || this.deleted.has(refKey(rel.from)) || this.deleted.has(refKey(rel.to))) continue;
      this.live.set(key, rel);
      relationships.push(rel);
    }
    const restored = relationships.length - moved;

    const touched = new Set(relationships.map(relKey));
    const changedRelationships = this.sample(originals, this.count(this.original.size, this.rates.relationships), (rel) => this.live.has(relKey(rel)) && !touched.has(relKey(rel)))
      .map((rel) => ({ ...rel, properties: { ...rel.properties, revision: round } }));
    for (const rel of changedRelationships) this.live.set(relKey(rel), rel);
    relationships.push(...changedRelationships);

    const revivedSet = new Set(revived);
    const changed = this.sample(records, this.count(records.length, this.rates.records), (key) => !this.deleted.has(key) && !revivedSet.has(key)).map((key) => {
      const { type, item } = this.records.get(key)!;
      const next = { type, item: { ...item, description: `${item.name}, revision ${round}` } as Item };
      this.current.set(key, next);
      return next;
    });
    for (const key of revived) this.current.set(key, this.records.get(key)!);
    return {
      round,
      unlink,
      remove: remove.map((key) => {
        const { type, item } = this.records.get(key)!;
        return { type, externalId: item.externalId };
      }),
      records: [...revived.map((key) => this.records.get(key)!), ...changed],
      relationships,
      counts: { changed: changed.length, revived: revived.length, deleted: remove.length, moved, movedBack, restored, relationshipsChanged: changedRelationships.length },
    };
  }

  private count(total: number, rate: number): number {
    return rate === 0 ? 0 : Math.max(1, Math.round(total * rate));
  }

  /** Up to `count` distinct items that pass `admit`, drawn at random. */
  private sample<T>(items: T[], count: number, admit: (item: T) => boolean): T[] {
    const picked = new Set<number>();
    const out: T[] = [];
    for (let tries = 0; out.length < count && tries < count * 20; tries += 1) {
      const index = Math.floor(this.random() * items.length);
      if (picked.has(index) || !admit(items[index])) continue;
      picked.add(index);
      out.push(items[index]);
    }
    return out;
  }
}
