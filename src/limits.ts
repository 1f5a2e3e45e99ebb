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
  isAbstractType,
  valueFromASTUntyped,
} from 'graphql';
import { LruCache } from './lruCache';

/** What a list field is assumed to return when the query does not say (`first`). */
const ASSUMED_LIST_SIZE = 5;

/**
 * Lists that hold a traversal's whole answer unless paged, priced as the items they are assumed to
 * return then: as many as the largest page (MAX_PAGE_SIZE's default), so that `items(first: 50)`
 * costs a tenth of `items`. They may hold up to TRAVERSAL_NODE_LIMIT records, but priced at that
 * an impact screen with a path per record would pass MAX_QUERY_COST only without paths; the walk
 * itself is priced in FIELD_COSTS. The groups' items together are the whole answer.
 */
const UNPAGED_LIST_SIZES: Readonly<Record<string, number>> = {
  'ImpactReport.items': 500,
  'ImpactReport.decisions': 500,
  'ReachedGroup.items': 500 / ASSUMED_LIST_SIZE,
};

/**
 * What a field that sends its own traversal or aggregate to Neo4j costs, in plain fields (a plain
 * field costs 1 each time it resolves). Unpriced, a thousand aliases of postureSummary came to
 * 2,000 and ran for 21 s while other requests waited. test/access/queryCost.test.ts runs every
 * Query field and fails when one whose Cypher walks a variable-length path or reads a whole label
 * is missing here. A field asked through an interface costs what its dearest implementation does.
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  // Every framework's coverage, or walks from every vendor, personal-data dataset and ungated model.
  'Query.postureSummary': 5_000,
  'Query.exposure': 5_000,
  // Every vendor's review, then exposure's walk from every vendor.
  'Query.vendorTiers': 5_000,
  // Pages of changes since the vendor's last review (up to twenty), kept to the vendor.
  'Query.vendorChangesSinceAssessment': 2_000,
  // Every vendor with its latest assessments; every approval; every risk's tags.
  'Query.vendorReviews': 100,
  'Query.vendorsOverdueForReview': 100,
  'Query.vendorsExpiredOrFailed': 100,
  'Query.gateConditionsOverdue': 100,
  'Query.gateExceptions': 100,
  'Query.ungatedRecords': 100,
  // Every agent's invocation graph with its grants, and the findings of each agent over it.
  'Query.overPrivilegedAgents': 5_000,
  // One framework's coverage map; a lineage walk of up to TRAVERSAL_NODE_LIMIT records.
  'Query.coverage': 2_000,
  // Every classified AI system and the AI Act's coverage rows with its obligations.
  'Query.upcomingObligations': 2_000,
  // One system's parts and decisions, or the AI Act's obligation catalogue.
  'Query.proposeClassification': 100,
  'Query.obligations': 100,
  // A framework's controls with their coverage rows, decisions and the risks their controls treat.
  'Query.statementOfApplicability': 2_000,
  // Two coverage maps, one at each end of the window.
  'Query.coverageChanges': 4_000,
  // Every relationship reachable at any moment of the window, then a walk per change inside it.
  'Query.impactDuring': 2_000,
  'Query.impact': 2_000,
  'Query.dependencies': 2_000,
  'Query.lineage': 2_000,
  // One shortest-path search over invocations, from the agent or back from each agent holding a grant.
  'Query.agentPrivileges': 500,
  'Query.whoCanReach': 500,
  // Every incident's times; every shadow AI find with its owners and data; every asset of the types
  // asked, for those without an owner.
  'Query.incidentMetrics': 500,
  'Query.shadowAI': 1_000,
  'Query.unownedAssets': 1_000,
  // Every HIGH-tier model with its latest bucket; a batch of signals judged by every rule of its kinds.
  'Query.unmonitoredAssets': 500,
  'Mutation.recordSignals': 500,
  // One asset's (or incident's) hourly buckets and kept signals over a window of at most 92 days.
  'Query.assetSignals': 100,
  'Query.incidentSignals': 100,
  // The compromise, and for a new incident the impact walk whose records it involves.
  'Mutation.markCompromised': 4_000,
  // A decision, then the framework's statement read again for the entry it returns.
  'Mutation.decideApplicability': 500,
  // A whole document written as one sync: as dear as the largest walk.
  'Mutation.importDocument': 2_000,
  // Crosswalk walks of at most three mappings, and the threat chain's fan-out from one requirement.
  'Query.threatChain': 500,
  'Query.controlsFor': 500,
  'Query.requirementsFor': 500,
  'Query.relatedRequirements': 500,
  'Requirement.related': 500,
  'Requirement.controls': 500,
  'Control.requirements': 500,
  // A walk per record, batched; pages that sort a whole label; a framework's whole catalogue.
  'AIModel.compromisedUpstream': 100,
  'Dataset.compromisedUpstream': 100,
  'Vendor.compromisedUpstream': 100,
  'Agent.compromisedUpstream': 100,
  'Decision.compromisedUpstream': 100,
  'Query.entities': 100,
  'Query.aiModels': 100,
  'Query.datasets': 100,
  'Query.vendors': 100,
  'Query.agents': 100,
  'Query.decisions': 100,
  'Query.owners': 100,
  'Query.risks': 100,
  'Query.incidents': 100,
  'Query.controls': 100,
  'Query.evidence': 100,
  'Query.tools': 100,
  'Query.playbooks': 100,
  'Query.policies': 100,
  'Query.discoveredAssets': 100,
  'Query.discoverySources': 100,
  'Query.signalRules': 100,
  'Query.aiSystems': 100,
  'Query.requirements': 100,
  'Framework.requirements': 100,
  // Every change set of its window, read again for each page.
  'Query.changes': 100,
  // Small labels read whole: the frameworks with their requirement counts, the API keys.
  'Query.frameworks': 20,
  'Query.framework': 20,
  'Query.riskCategoryMappings': 20,
  'Requirement.framework': 20,
  'Query.apiKeys': 20,
};

export interface OperationWeight {
  depth: number;
  /**
   * Fields the operation may resolve: each counts once, or its FIELD_COSTS, per item of every list
   * above it.
   */
  cost: number;
  /** Distinct top-level response keys: graphql-js resolves a query's top-level fields all at once. */
  rootFields: number;
}

type Weight = Pick<OperationWeight, 'depth' | 'cost'>;

function fieldCost(schema: GraphQLSchema, type: GraphQLCompositeType, field: string): number {
  const own = FIELD_COSTS[`${type.name}.${field}`];
  if (own !== undefined) return own;
  if (!isAbstractType(type)) return 1;
  return Math.max(1, ...schema.getPossibleTypes(type).map((possible) => FIELD_COSTS[`${possible.name}.${field}`] ?? 1));
}

/**
 * Depth, cost and top-level fields of one operation, with variables applied: a list field with
 * `first: 100` makes everything below it count 100 times. Computed before execution, so a hostile
 * query costs nothing.
 */
export function weighOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationWeight {
  return weigh(schema, document, operation, variables).weight;
}

/** Weighings kept per operation, by the values of the variables its weight reads. */
const WEIGHINGS_PER_OPERATION = 64;

/**
 * weighOperation for one schema, remembered per parsed operation: Apollo hands every request with
 * the same query text the same parsed document, and weighing it again was about a tenth of a
 * small request's CPU. An operation's weight depends on its variables only through the `first`
 * arguments that name one, and there only on whether each is a number, so the weights are kept by
 * those numbers (any other value, however large, is kept as null).
 */
export function operationWeigher(schema: GraphQLSchema): (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => OperationWeight {
  const known = new WeakMap<OperationDefinitionNode, { pageVariables: string[]; weights: LruCache<string, OperationWeight> }>();
  return (document, operation, variables) => {
    const keyOf = (names: string[]) => JSON.stringify(names.map((name) => (typeof variables[name] === 'number' ? variables[name] : null)));
    const entry = known.get(operation);
    const remembered = entry?.weights.get(keyOf(entry.pageVariables));
    if (remembered) return remembered;
    const { weight, pageVariables } = weigh(schema, document, operation, variables);
    const stored = entry ?? { pageVariables, weights: new LruCache<string, OperationWeight>(WEIGHINGS_PER_OPERATION, Number.POSITIVE_INFINITY) };
    stored.weights.set(keyOf(pageVariables), weight);
    known.set(operation, stored);
    return weight;
  };
}

function weigh(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { weight: OperationWeight; pageVariables: string[] } {
  const pageVariables = new Set<string>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return { weight: { depth: 0, cost: 0, rootFields: 0 }, pageVariables: [] };

  const walk = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, multiplier: number, depth: number, seen: Set<string>): Weight => {
    let result: Weight = { depth, cost: 0 };
    const merge = (inner: Weight) => {
      result = { depth: Math.max(result.depth, inner.depth), cost: result.cost + inner.cost };
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = isObjectType(type) || isInterfaceType(type) ? (type as GraphQLObjectType).getFields() : {};
        const field = fields[selection.name.value];
        merge({ depth, cost: multiplier * fieldCost(schema, type, selection.name.value) });
        if (!field || !selection.selectionSet) continue;
        const inner = getNamedType(field.type);
        if (!isCompositeType(inner)) continue;
        // A paged field multiplies what is below it by its page size, given or defaulted; its
        // connection's `edges` and `nodes` are that page, not a further multiplication.
        const firstArgument = selection.arguments?.find((argument) => argument.name.value === 'first');
        const firstDefault = field.args.find((argument) => argument.name === 'first')?.defaultValue;
        if (firstArgument?.value.kind === Kind.VARIABLE) pageVariables.add(firstArgument.value.name.value);
        const first = firstArgument ? valueFromASTUntyped(firstArgument.value, variables) : firstDefault;
        const isList = getNullableType(field.type) instanceof GraphQLList;
        const inConnection = type.name.endsWith('Connection');
        let size = 1;
        if (typeof first === 'number' && first >= 0) size = first;
        else if (isList && !inConnection) size = UNPAGED_LIST_SIZES[`${type.name}.${selection.name.value}`] ?? ASSUMED_LIST_SIZE;
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

  // Fields with one response key merge into one execution; fragments add theirs to the same level.
  const rootKeys = new Set<string>();
  const collectRootKeys = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) rootKeys.add(selection.alias?.value ?? selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collectRootKeys(selection.selectionSet, seen);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) collectRootKeys(fragment.selectionSet, new Set([...seen, fragment.name.value]));
      }
    }
  };
  collectRootKeys(operation.selectionSet, new Set());
  return { weight: { ...walk(root, operation.selectionSet, 1, 1, new Set()), rootFields: rootKeys.size }, pageVariables: [...pageVariables] };
}
