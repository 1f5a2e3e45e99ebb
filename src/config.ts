import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface EmbeddedNeo4jConfig {
  port: number;
  dataDir: string;
  password: string | undefined;
  heap: string;
  pageCache: string;
  startupTimeoutMs: number;
}

export interface Neo4jConfig {
  /** Undefined means: start the embedded Neo4j and use it. */
  uri: string | undefined;
  user: string;
  password: string | undefined;
  database: string;
  /** How long managed transactions retry transient failures before the API answers SERVICE_UNAVAILABLE. */
  maxRetryMs: number;
  embedded: EmbeddedNeo4jConfig;
}

export interface LimitsConfig {
  maxSyncBatch: number;
  /**
   * Signals one API process writes at once: the batches beyond it wait in the process, so that the
   * database is not shared between more batches than it can run, and a small batch (the one that
   * crosses a rule) is let through at once past the large ones that wait.
   */
  signalsInFlight: number;
  /** Records plus relationships one imported document may become: it is written in one transaction whatever its size. */
  maxImportItems: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Top-level fields one operation may ask for, aliases included: a query runs them all at once. */
  maxRootFields: number;
  maxBodyBytes: number;
  maxPageSize: number;
  defaultTraversalDepth: number;
  maxTraversalDepth: number;
  traversalNodeLimit: number;
}

export type AnonymousAccess = 'none' | 'read' | 'write';

export interface HistoryConfig {
  /**
   * Days of history `npm run history -- prune` keeps (versions, ended relationships, retired
   * records, change sets older than that go); undefined keeps it forever.
   */
  retentionDays: number | undefined;
}

export interface JwtConfig {
  issuer: string;
  audience: string;
  /** A JWKS file path or an https URL. */
  jwks: string;
  roleClaim: string;
  sourceClaim: string;
  /** Refuse tokens without an expiry: a leaked one would otherwise work for ever. */
  requireExp: boolean;
}

export interface AuthConfig {
  anonymousAccess: AnonymousAccess;
  jwt: JwtConfig | undefined;
  /** How long a looked-up API key is trusted before it is read again (revocation delay). */
  keyCacheMs: number;
  /** How many looked-up key ids are remembered, unknown ones included; the least recently used go first. */
  keyCacheSize: number;
}

export interface Config {
  port: number;
  host: string;
  logLevel: LogLevel;
  production: boolean;
  /** Whether to load the demo estate into an empty database at start, and why (the API says it at boot). */
  seedDemo: { enabled: boolean; reason: string };
  demoMode: boolean;
  introspection: boolean;
  auth: AuthConfig;
  neo4j: Neo4jConfig;
  limits: LimitsConfig;
  history: HistoryConfig;
  gates: GatesConfig;
}

/**
 * What a move of a record's lifecycleStage through a gate without an approval does (src/gates/):
 * `refuse` fails the write, `record` lets it through and records a gate-exception Risk, `off`
 * checks nothing (an estate loaded before its approvals are).
 */
export type GateEnforcement = 'refuse' | 'record' | 'off';

export interface GatesConfig {
  enforcement: GateEnforcement;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const MEMORY_SIZE = /^\d+[kmg]$/i;
const NEO4J_SCHEMES = ['bolt://', 'bolt+s://', 'bolt+ssc://', 'neo4j://', 'neo4j+s://', 'neo4j+ssc://'];

/**
 * Reads and validates the whole environment at once so that a misconfigured deployment
 * reports every problem in one go instead of one per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, projectRoot = process.cwd()): Config {
  const problems: string[] = [];

  const str = (name: string, fallback: string): string => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : value;
  };
  const optional = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = optional(name);
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const memory = (name: string, fallback: string): string => {
    const value = str(name, fallback);
    if (!MEMORY_SIZE.test(value)) problems.push(`${name} must be a size such as 512m or 1g, got "${value}"`);
    return value;
  };

  const logLevel = str('LOG_LEVEL', 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of debug, info, warn, error, got "${logLevel}"`);
  }

  const uri = optional('NEO4J_URI');
  if (uri !== undefined && !NEO4J_SCHEMES.some((scheme) => uri.startsWith(scheme))) {
    problems.push(`NEO4J_URI must start with one of ${NEO4J_SCHEMES.join(', ')}, got "${uri}"`);
  }

  const defaultDepth = int('TRAVERSAL_DEFAULT_DEPTH', 6, 1, 50);
  const maxDepth = int('TRAVERSAL_MAX_DEPTH', 12, 1, 50);
  if (defaultDepth > maxDepth) {
    problems.push(`TRAVERSAL_DEFAULT_DEPTH (${defaultDepth}) must not exceed TRAVERSAL_MAX_DEPTH (${maxDepth})`);
  }

  const production = str('NODE_ENV', 'development') === 'production';
  const seedDemoSet = optional('SEED_DEMO');
  // A production database is the organisation's own: a demo organisation in it would be read as real.
  const seedDemo = bool('SEED_DEMO', !production);
  const demoMode = bool('DEMO_MODE', false);
  const anonymousAccess = str('ANONYMOUS_ACCESS', demoMode ? 'write' : production ? 'none' : 'read') as AnonymousAccess;
  if (!['none', 'read', 'write'].includes(anonymousAccess)) {
    problems.push(`ANONYMOUS_ACCESS must be none, read or write, got "${anonymousAccess}"`);
  } else if (anonymousAccess === 'write' && !demoMode) {
    problems.push('ANONYMOUS_ACCESS=write is only allowed with DEMO_MODE=true (anyone could change the graph)');
  }
  const jwtVariables = ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE', 'AUTH_JWT_JWKS'];
  const jwtGiven = jwtVariables.filter((name) => optional(name) !== undefined);
  if (jwtGiven.length > 0 && jwtGiven.length < jwtVariables.length) {
    problems.push(`JWT validation needs all of ${jwtVariables.join(', ')}; missing ${jwtVariables.filter((name) => !jwtGiven.includes(name)).join(', ')}`);
  }
  const jwks = optional('AUTH_JWT_JWKS');
  if (jwks !== undefined && /^http:\/\//.test(jwks)) problems.push('AUTH_JWT_JWKS must be a file path or an https:// URL');
  const requireExp = bool('AUTH_JWT_REQUIRE_EXP', true);
  const gateEnforcement = str('GATE_ENFORCEMENT', 'refuse') as GateEnforcement;
  if (!['refuse', 'record', 'off'].includes(gateEnforcement)) problems.push(`GATE_ENFORCEMENT must be refuse, record or off, got "${gateEnforcement}"`);

  const config: Config = {
    port: int('PORT', 4000, 0, 65535),
    host: str('HOST', '127.0.0.1'),
    logLevel,
    production,
    seedDemo: {
      enabled: seedDemo,
      reason: seedDemoSet !== undefined ? `SEED_DEMO=${seedDemoSet}` : production ? 'off by default with NODE_ENV=production; SEED_DEMO=true seeds' : 'on by default outside production; SEED_DEMO=false skips it',
    },
    demoMode,
    introspection: bool('INTROSPECTION', !production),
    auth: {
      anonymousAccess,
      jwt:
        jwtGiven.length === jwtVariables.length
          ? {
              issuer: str('AUTH_JWT_ISSUER', ''),
              audience: str('AUTH_JWT_AUDIENCE', ''),
              jwks: str('AUTH_JWT_JWKS', ''),
              roleClaim: str('AUTH_JWT_ROLE_CLAIM', 'lineage_role'),
              sourceClaim: str('AUTH_JWT_SOURCE_CLAIM', 'lineage_source'),
              requireExp,
            }
          : undefined,
      keyCacheMs: int('API_KEY_CACHE_MS', 10_000, 0, 3_600_000),
      keyCacheSize: int('API_KEY_CACHE_SIZE', 10_000, 1, 10_000_000),
    },
    neo4j: {
      uri,
      user: str('NEO4J_USER', 'neo4j'),
      password: optional('NEO4J_PASSWORD'),
      database: str('NEO4J_DATABASE', 'neo4j'),
      maxRetryMs: int('NEO4J_MAX_RETRY_MS', 5_000, 0, 300_000),
      embedded: {
        port: int('EMBEDDED_NEO4J_PORT', 7687, 1, 65535),
        dataDir: path.resolve(projectRoot, str('EMBEDDED_NEO4J_DATA_DIR', '.data/neo4j')),
        password: optional('EMBEDDED_NEO4J_PASSWORD'),
        heap: memory('EMBEDDED_NEO4J_HEAP', '768m'),
        pageCache: memory('EMBEDDED_NEO4J_PAGECACHE', '256m'),
        startupTimeoutMs: int('EMBEDDED_NEO4J_STARTUP_TIMEOUT_MS', 180_000, 1_000, 1_800_000),
      },
    },
    limits: {
      maxSyncBatch: int('MAX_SYNC_BATCH', 10_000, 1, 1_000_000),
      signalsInFlight: int('SIGNALS_IN_FLIGHT', 1_200, 1, 1_000_000),
      maxImportItems: int('MAX_IMPORT_ITEMS', 100_000, 1, 10_000_000),
      maxQueryDepth: int('MAX_QUERY_DEPTH', 12, 2, 100),
      maxQueryCost: int('MAX_QUERY_COST', 100_000, 10, 100_000_000),
      maxRootFields: int('MAX_ROOT_FIELDS', 20, 1, 10_000),
      maxBodyBytes: int('MAX_BODY_BYTES', 16 * 1024 * 1024, 1_024, 1024 * 1024 * 1024),
      maxPageSize: int('MAX_PAGE_SIZE', 500, 1, 100_000),
      defaultTraversalDepth: defaultDepth,
      maxTraversalDepth: maxDepth,
      traversalNodeLimit: int('TRAVERSAL_NODE_LIMIT', 5_000, 1, 1_000_000),
    },
    history: {
      // Unset keeps history forever: nothing is pruned unless asked for.
      retentionDays: optional('HISTORY_RETENTION_DAYS') === undefined ? undefined : int('HISTORY_RETENTION_DAYS', 0, 1, 36_500),
    },
    gates: { enforcement: gateEnforcement },
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
