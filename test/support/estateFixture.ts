/**
 * A small estate with one record of every type and one relationship of every type, for a source
 * that only the calling test uses.
 */
export function everyTypePayload(source: string) {
  const ref = (type: string, externalId: string) => ({ type, externalId });
  return {
    source,
    assets: {
      aiModels: [
        { externalId: 'model-base', name: 'Base LLM', modality: 'TEXT', lifecycleStage: 'APPROVED', riskTier: 'LIMITED', status: 'ACTIVE', modelVersion: '1.0' },
        { externalId: 'model-tuned', name: 'Tuned LLM', task: 'summarisation', lifecycleStage: 'DEPLOYED', riskTier: 'HIGH', status: 'ACTIVE' },
      ],
      datasets: [
        { externalId: 'ds-raw', name: 'Raw tickets', kind: 'LOG', classification: 'RESTRICTED', containsPersonalData: true, recordCount: 1000 },
        { externalId: 'ds-train', name: 'Training tickets', kind: 'TRAINING', classification: 'CONFIDENTIAL', containsPersonalData: false },
      ],
      vendors: [{ externalId: 'vendor-a', name: 'Vendor A', services: ['hosting'], riskRating: 'MEDIUM', lastAssessedAt: '2026-01-15T00:00:00Z' }],
      agents: [
        { externalId: 'agent-main', name: 'Support agent', autonomyLevel: 'SEMI_AUTONOMOUS', humanOversight: 'HUMAN_ON_THE_LOOP', allowedTools: ['search'] },
        { externalId: 'agent-helper', name: 'Refund agent', autonomyLevel: 'ASSISTIVE', humanOversight: 'HUMAN_IN_THE_LOOP' },
      ],
      decisions: [{ externalId: 'decision-refund', name: 'Refund approval', impactLevel: 'HIGH', humanInTheLoop: true, affectedParties: ['customers'] }],
      owners: [{ externalId: 'owner-team', name: 'AI platform team', kind: 'TEAM', email: 'ai@example.com' }],
      risks: [{ externalId: 'risk-injection', name: 'Prompt injection', category: 'PROMPT_INJECTION', likelihood: 4, impact: 3, residualScore: 6, treatment: 'MITIGATE', status: 'TREATING' }],
      incidents: [{ externalId: 'incident-1', name: 'Injection via ticket', severity: 'HIGH', status: 'RESOLVED', detectedAt: '2026-05-01T10:00:00Z', resolvedAt: '2026-05-02T10:00:00Z' }],
      controls: [{ externalId: 'control-filter', name: 'Input filtering', implementationStatus: 'IMPLEMENTED', controlType: 'PREVENTIVE' }],
      evidence: [{ externalId: 'evidence-test', name: 'Red-team report', uri: 'https://evidence.example/rt.pdf', kind: 'TEST_RESULT', expiresAt: '2020-01-01T00:00:00Z' }],
      tools: [{ externalId: 'tool-refund', name: 'Refund API', kind: 'PAYMENT_ACTION', scopes: ['read', 'refund'], sensitivity: 'HIGH', endpoint: 'https://pay.example/refunds' }],
    },
    relationships: [
      { type: 'DERIVED_FROM', from: ref('Dataset', 'ds-train'), to: ref('Dataset', 'ds-raw'), properties: { transformation: 'PII masking' } },
      { type: 'TRAINED_ON', from: ref('AIModel', 'model-base'), to: ref('Dataset', 'ds-raw') },
      { type: 'FINE_TUNED_ON', from: ref('AIModel', 'model-tuned'), to: ref('Dataset', 'ds-train') },
      { type: 'EVALUATED_ON', from: ref('AIModel', 'model-tuned'), to: ref('Dataset', 'ds-raw') },
      { type: 'BASED_ON', from: ref('AIModel', 'model-tuned'), to: ref('AIModel', 'model-base') },
      { type: 'PROVIDED_BY', from: ref('AIModel', 'model-base'), to: ref('Vendor', 'vendor-a') },
      { type: 'USES_MODEL', from: ref('Agent', 'agent-main'), to: ref('AIModel', 'model-tuned') },
      { type: 'RETRIEVES_FROM', from: ref('Agent', 'agent-main'), to: ref('Dataset', 'ds-train') },
      { type: 'CAN_INVOKE', from: ref('Agent', 'agent-main'), to: ref('Agent', 'agent-helper') },
      { type: 'INFORMS', from: ref('Agent', 'agent-helper'), to: ref('Decision', 'decision-refund') },
      { type: 'OWNED_BY', from: ref('AIModel', 'model-tuned'), to: ref('Owner', 'owner-team') },
      { type: 'THREATENS', from: ref('Risk', 'risk-injection'), to: ref('Agent', 'agent-main') },
      { type: 'MITIGATED_BY', from: ref('Risk', 'risk-injection'), to: ref('Control', 'control-filter') },
      { type: 'APPLIES_TO', from: ref('Control', 'control-filter'), to: ref('Agent', 'agent-main') },
      { type: 'INVOLVES', from: ref('Incident', 'incident-1'), to: ref('Agent', 'agent-main') },
      { type: 'SUPPORTS', from: ref('Evidence', 'evidence-test'), to: ref('Control', 'control-filter') },
      { type: 'CAN_USE', from: ref('Agent', 'agent-helper'), to: ref('Tool', 'tool-refund'), properties: { scopes: ['refund'] } },
      { type: 'APPROVED_USE', from: ref('Agent', 'agent-helper'), to: ref('Tool', 'tool-refund'), properties: { scopes: ['refund'] } },
    ],
  };
}

export const SYNC = `mutation Sync($input: SyncInventoryInput!) {
  syncInventory(input: $input) {
    ok dryRun
    assets { created updated unchanged deleted }
    relationships { created updated unchanged deleted }
    errors { path message }
  }
}`;

export const KEY_LOOKUP = `query Key($type: EntityType!, $source: String!, $externalId: String!) {
  entityByKey(type: $type, source: $source, externalId: $externalId) { id name version }
}`;
