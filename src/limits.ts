import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  GraphQLCompositeType,
  valueFromASTUntyped,
} from 'graphql';

/** What a list field is assumed to return when the query does not say (`first`). */
const ASSUMED_LIST_SIZE = 5;

export interface OperationWeight {
  depth: number;
  /** Fields the operation may resolve: each field counts once per item of every list above it. */
  cost: number;
}

/**
 * Depth and cost of one operation, with variables applied: a list field with `first: 100` makes
 * everything below it count 100 times. Computed before execution, so a hostile query costs nothing.
 */
export function weighOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationWeight {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, cost: 0 };

  const walk = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, multiplier: number, depth: number, seen: Set<string>): OperationWeight => {
    let result: OperationWeight = { depth, cost: 0 };
    const merge = (inner: OperationWeight) => {
      result = { depth: Math.max(result.depth, inner.depth), cost: result.cost + inner.cost };
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = isObjectType(type) || isInterfaceType(type) ? (type as GraphQLObjectType).getFields() : {};
        const field = fields[selection.name.value];
        merge({ depth, cost: multiplier });
        if (!field || !selection.selectionSet) continue;
        const inner = getNamedType(field.type);
        if (!isCompositeType(inner)) continue;
        // A paged field multiplies what is below it by its page size, given or defaulted; its
        // connection's `edges` and `nodes` are that page, not a further multiplication.
        const firstArgument = selection.arguments?.find((argument) => argument.name.value === 'first');
        const firstDefault = field.args.find((argument) => argument.name === 'first')?.defaultValue;
        const first = firstArgument ? valueFromASTUntyped(firstArgument.value, variables) : firstDefault;
        const isList = getNullableType(field.type) instanceof GraphQLList;
        const inConnection = type.name.endsWith('Connection');
        let size = 1;
        if (typeof first === 'number' && first >= 0) size = first;
        else if (isList && !inConnection) size = ASSUMED_LIST_SIZE;
        merge(walk(inner, selection.selectionSet, multiplier * Math.max(size, 1), depth + 1, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined) : type;
        merge(walk(condition ?? type, selection.selectionSet, multiplier, depth, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation rejects fragment cycles, but weighing runs on any parsed document: guard anyway.
        if (!fragment || seen.has(name)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        merge(walk(condition ?? type, fragment.selectionSet, multiplier, depth, new Set([...seen, name])));
      }
    }
    return result;
  };
  return walk(root, operation.selectionSet, 1, 1, new Set());
}
