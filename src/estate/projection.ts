import { GraphQLResolveInfo, GraphQLSchema, isObjectType, Kind, SelectionSetNode } from 'graphql';
import { ENTITY_TYPES, NAVIGATION } from './model';

/**
 * How much of each record a bulk answer (a traversal reaching thousands of records) ships from
 * Neo4j. Every property of every record, when the caller asked for names, was most of a large
 * impact's time: decoding it in the driver, converting it, and on the server projecting it.
 * SUMMARY is the properties below; the Cypher files that take `$summary` project exactly these.
 */
export type RecordProjection = 'SUMMARY' | 'ALL';

export const SUMMARY_PROPERTIES: ReadonlySet<string> = new Set(['id', 'key', 'type', 'source', 'externalId', 'name', 'status', 'impactLevel', 'humanInTheLoop']);

/** Record fields answered by a resolver of their own that needs nothing of the record but its id. */
const BY_ID_FIELDS = new Set(['__typename', 'relationships', 'history', 'compromisedUpstream', ...ENTITY_TYPES.flatMap((type) => Object.keys(NAVIGATION[type]))]);

const recordFieldsBySchema = new WeakMap<GraphQLSchema, Set<string>>();

function recordFieldNames(schema: GraphQLSchema): Set<string> {
  let names = recordFieldsBySchema.get(schema);
  if (!names) {
    names = new Set(ENTITY_TYPES.flatMap((type) => {
      const objectType = schema.getType(type);
      return isObjectType(objectType) ? Object.keys(objectType.getFields()) : [];
    }));
    recordFieldsBySchema.set(schema, names);
  }
  return names;
}

/**
 * SUMMARY when every field the operation selects under this one, at any depth and through any
 * fragment, is either not a record field or a record field the summary answers; ALL otherwise.
 * Reading names without their parent types over-approximates (an owner's `email` under a
 * navigation field also asks for ALL), which costs speed, never a missing value.
 */
export function recordProjection(info: GraphQLResolveInfo): RecordProjection {
  const recordFields = recordFieldNames(info.schema);
  const needsAll = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (recordFields.has(name) && !SUMMARY_PROPERTIES.has(name) && !BY_ID_FIELDS.has(name)) return true;
        return needsAll(selection.selectionSet);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return needsAll(selection.selectionSet);
      return needsAll(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => needsAll(node.selectionSet)) ? 'ALL' : 'SUMMARY';
}

/**
 * Whether the operation selects `name` right under this field, through any alias or fragment, so
 * a service can skip what nobody reads (a list's totalCount). Directives are not read: a field
 * skipped by `@skip` counts as selected, which costs a query, never a value.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const selects = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      return selects(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => selects(node.selectionSet));
}
