/**
 * The source of the security programme's own records: the demo's playbooks and policies, and the
 * declarations of discovery sources. markCompromised prefers its playbooks.
 */
export const PROGRAMME_SOURCE = 'programme';
