/**
 * The estate's shape as the benchmarks see it: its types, the source it is synced under, the depth
 * every traversal uses, and its cut into syncInventory calls.
 */

/** The depth every benchmark traversal uses (the API's default TRAVERSAL_DEFAULT_DEPTH). */
export const IMPACT_DEPTH = 6;

export const SOURCE = 'bench-estate';

type AssetField = 'aiModels' | 'datasets' | 'vendors' | 'agents' | 'decisions' | 'owners' | 'risks' | 'incidents' | 'controls' | 'evidence';
export type EntityType = 'AIModel' | 'Dataset' | 'Vendor' | 'Agent' | 'Decision' | 'Owner' | 'Risk' | 'Incident' | 'Control' | 'Evidence';
export type Item = Record<string, unknown> & { externalId: string; name: string };

const FIELD: Record<EntityType, AssetField> = {
  AIModel: 'aiModels', Dataset: 'datasets', Vendor: 'vendors', Agent: 'agents', Decision: 'decisions',
  Owner: 'owners', Risk: 'risks', Incident: 'incidents', Control: 'controls', Evidence: 'evidence',
};
/** Sync order: a type's records come before the relationships that name them. */
export const TYPE_ORDER: EntityType[] = ['Vendor', 'Owner', 'Dataset', 'AIModel', 'Agent', 'Decision', 'Risk', 'Control', 'Evidence', 'Incident'];

export interface Ref { type: EntityType; externalId: string }
export interface RelationshipInput { type: string; from: Ref; to: Ref; properties?: Record<string, unknown> }
export interface SyncBatch {
  source: string;
  mode: 'UPSERT';
  assets: Partial<Record<AssetField, Item[]>>;
  relationships: RelationshipInput[];
  /** When the changes took effect (a dated sync); absent: when written. */
  at?: string;
}

/** A record as the sync batches carry it: its type and its input. */
export interface TypedItem { type: EntityType; item: Item }

export interface Root { ref: Ref; radius: number; label: string }

export interface Estate {
  seed: number;
  target: number;
  domains: number;
  assets: Record<EntityType, Item[]>;
  relationships: RelationshipInput[];
  assetCount: number;
  /** The designed dataset whose blast radius is about `hotTarget` records at IMPACT_DEPTH. */
  hot: Root;
  /** A raw dataset of an ordinary domain, for the "typical" impact. */
  typical: Root;
  /** The foundation model whose blast radius is nearest 100 records, for throughput under concurrency. */
  foundation: Root;
  /** The dataset with the largest upstream lineage, for the lineage benchmark. */
  deepest: Root;
  /** Count of records per type and relationships per type. */
  countsByType: Record<string, number>;
}

/** How a record is named across calls: by type and externalId. */
export const refKey = (ref: Ref) => `${ref.type}|${ref.externalId}`;

/**
 * The estate as syncInventory inputs of at most `maxBatch` items (records plus relationships):
 * every record before any relationship, so that a relationship names records of its own or an
 * earlier call by type and externalId.
 */
export function toBatches(estate: Estate, maxBatch: number, source = SOURCE): SyncBatch[] {
  const records = TYPE_ORDER.flatMap((type) => estate.assets[type].map((item) => ({ type, item })));
  return batchesOf(records, estate.relationships, maxBatch, source);
}

/** Records (in the order given) then relationships, cut into calls of at most `maxBatch` items under `source`. */
export function batchesOf(records: TypedItem[], relationships: RelationshipInput[], maxBatch: number, source: string, at?: string): SyncBatch[] {
  const batches: SyncBatch[] = [];
  let current: SyncBatch | undefined;
  let size = 0;
  const room = () => {
    if (!current || size >= maxBatch) {
      current = { source, mode: 'UPSERT', assets: {}, relationships: [], ...(at ? { at } : {}) };
      batches.push(current);
      size = 0;
    }
    return current;
  };
  for (const { type, item } of records) {
    const batch = room();
    (batch.assets[FIELD[type]] ??= []).push(item);
    size += 1;
  }
  for (const rel of relationships) {
    room().relationships.push(rel);
    size += 1;
  }
  return batches;
}
