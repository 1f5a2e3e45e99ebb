import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLResolveInfo,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  Kind,
  SelectionSetNode,
} from 'graphql';

/**
 * The fields a selection asks for on a type without subtypes, through any alias or fragment.
 * Directives are not read: a field skipped by `@skip` counts as selected, which costs work, never
 * a value.
 */
export function selectedFields(selectionSet: SelectionSetNode | undefined, fragments: Readonly<Record<string, FragmentDefinitionNode>>): FieldNode[] {
  return (selectionSet?.selections ?? []).flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectedFields(selection.selectionSet, fragments);
    return selectedFields(fragments[selection.name.value]?.selectionSet, fragments);
  });
}

/**
 * Whether the operation selects `name` right under this field, through any alias or fragment, so
 * a service can skip what nobody reads (a list's totalCount).
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => selectedFields(node.selectionSet, info.fragments).some((field) => field.name.value === name));
}

/**
 * Record fields that a resolver computes from other properties: selecting one ships every
 * property. Any other leaf field of a record is the stored property of its name (the list fields'
 * resolvers read their own property too), and a field leading to other records has a resolver that
 * needs only the record's id; test/lineage/projection.test.ts fails when a record type gains a
 * resolver this does not account for.
 */
export const COMPUTED_FIELDS: ReadonlySet<string> = new Set([
  'Evidence.expired',
  // A vendor review's score, tier and due date follow from its answers by the rule (src/vendors/assessmentRule.ts).
  'VendorAssessment.score',
  'VendorAssessment.ruleScore',
  'VendorAssessment.tier',
  'VendorAssessment.failed',
  'VendorAssessment.nextReviewDue',
  // Shadow AI until registered or dismissed, read from its links.
  'DiscoveredAsset.shadowStatus',
]);

/**
 * What a selection reads of the records it is on, for traversals that ship only that: `id` and
 * `type` always (resolvers, `__typename` and paths need them), the properties it selects, or every
 * property (`all`) once it selects a computed field or one this cannot place.
 */
export class RecordFields {
  readonly names = new Set(['id', 'type']);

  constructor(public all = false) {}

  /** As the Cypher files take it (`$record`, `$owners`...): `fields` in a fixed order, `id` and `type` first. */
  toParam(): { all: boolean; fields: string[] } {
    return { all: this.all, fields: [...this.names] };
  }
}

/**
 * Adds to `into` what `selectionSet`, on records of `type`, reads of them, through aliases and
 * fragments (each read against its own type condition).
 */
export function readRecordSelection(
  schema: GraphQLSchema,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode | undefined,
  into: RecordFields,
): void {
  const within = (typeName: string | undefined) => {
    const condition = typeName === undefined ? type : schema.getType(typeName);
    return isCompositeType(condition) ? condition : type;
  };
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      readRecordSelection(schema, fragments, within(selection.typeCondition?.name.value), selection.selectionSet, into);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[selection.name.value];
      if (fragment) readRecordSelection(schema, fragments, within(fragment.typeCondition.name.value), fragment.selectionSet, into);
      continue;
    }
    const name = selection.name.value;
    if (name === '__typename') continue;
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
    if (!field) {
      into.all = true;
      continue;
    }
    if (!isLeafType(getNamedType(field.type))) continue;
    const objects = isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
    if (objects.some((object) => COMPUTED_FIELDS.has(`${object.name}.${name}`))) into.all = true;
    else into.names.add(name);
  }
}
