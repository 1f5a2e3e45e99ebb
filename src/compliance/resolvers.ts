import type { Resolvers } from '../generated/graphql';
import { travelled } from './crosswalk';
import { riskCategoryMappings } from './riskCategories';

export const complianceResolvers: Resolvers = {
  Framework: {
    requirementCount: (parent) => parent.requirementCount ?? 0,
    requirements: (parent, { kinds, text }, { services }) => services.compliance.requirements(parent.key, kinds, text),
  },
  Requirement: {
    framework: (parent, _args, { services }) => services.compliance.linkedFramework(parent.framework),
    parent: (parent, _args, { services }) => (parent.parentKeys[0] ? services.compliance.requirementByKey.load(parent.parentKeys[0]) : null),
    parents: async (parent, _args, { services }) => (await Promise.all(parent.parentKeys.map((key) => services.compliance.requirementByKey.load(key)))).filter((row) => row !== null),
    children: (parent, _args, { services }) => services.compliance.children(parent.key),
    mappings: (parent, _args, { services }) => services.compliance.mappings(parent.key),
    related: (parent, { depth, frameworks }, { services }) => services.compliance.related({ framework: parent.framework, identifier: parent.identifier }, depth, frameworks),
    controls: (parent, { depth }, { services }) => services.compliance.controlsFor({ framework: parent.framework, identifier: parent.identifier }, depth),
    notApplicable: async (parent, _args, { services }) => (await services.compliance.applicability(parent.key)).active,
    applicabilityHistory: async (parent, _args, { services }) => (await services.compliance.applicability(parent.key)).history,
    roles: (parent) => parent.roles ?? [],
    categories: (parent) => parent.categories ?? [],
  },
  Mapping: {
    from: (parent, _args, { services }) => services.compliance.linkedRequirement(parent.fromKey),
    to: (parent, _args, { services }) => services.compliance.linkedRequirement(parent.toKey),
  },
  CrosswalkStep: {
    from: (parent, _args, { services }) => services.compliance.linkedRequirement(travelled(parent).fromKey),
    to: (parent, _args, { services }) => services.compliance.linkedRequirement(travelled(parent).toKey),
    type: (parent) => travelled(parent).type,
    reversed: (parent) => travelled(parent).reversed,
  },
  Applicability: {
    requirement: (parent, _args, { services }) => services.compliance.linkedRequirement(parent.requirementKey),
    active: (parent) => !parent.withdrawnAt,
  },
  Control: {
    requirements: (parent, { depth, frameworks }, { services }) => services.compliance.claims(parent.id, depth ?? 0, frameworks, parent.asOf),
  },
  Query: {
    frameworks: (_, _args, { services }) => services.compliance.frameworks(),
    framework: (_, { key }, { services }) => services.compliance.frameworkByKey.load(key),
    requirement: (_, { framework, identifier }, { services }) => services.compliance.requirement(framework, identifier),
    requirements: (_, { framework, kinds, text }, { services }) => services.compliance.requirements(framework, kinds, text),
    relatedRequirements: (_, { requirement, depth, frameworks }, { services }) => services.compliance.related(requirement, depth, frameworks),
    controlsFor: (_, { requirement, depth, asOf }, { services }) => services.compliance.controlsFor(requirement, depth, asOf),
    requirementsFor: (_, { controlId, depth, frameworks, asOf }, { services }) => services.compliance.requirementsFor(controlId, depth, frameworks, asOf),
    coverage: (_, { framework, scope, asOf }, { services }) => services.compliance.coverage(framework, scope, asOf),
    coverageChanges: (_, { framework, from, to, scope, first, after }, { services }) => services.compliance.coverageChanges(framework, from, to, scope, first, after),
    threatChain: (_, { requirement, asOf }, { services }) => services.compliance.threatChain(requirement, asOf),
    postureSummary: (_, { asOf }, { services }) => services.compliance.postureSummary(asOf),
    riskCategoryMappings: (_, { category }, { services }) => riskCategoryMappings(category, services.compliance.requirementByKey),
  },
  Mutation: {
    mapRequirements: (_, { input }, { services }) => services.claims.mapRequirements(input),
    unmapRequirements: (_, { from, to, source }, { services }) => services.claims.unmapRequirements(from, to, source),
    satisfy: (_, { controlId, requirement, coverage, rationale }, { services }) => services.claims.satisfy(controlId, requirement, coverage, rationale),
    unsatisfy: (_, { controlId, requirement }, { services }) => services.claims.unsatisfy(controlId, requirement),
    declareNotApplicable: (_, { requirement, rationale }, { services }) => services.claims.declareNotApplicable(requirement, rationale),
    withdrawNotApplicable: (_, { requirement }, { services }) => services.claims.withdrawNotApplicable(requirement),
  },
};
