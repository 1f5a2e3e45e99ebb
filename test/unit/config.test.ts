import { loadConfig, ConfigError } from '../../src/config';

test('defaults describe the embedded database on port 4000', () => {
  const config = loadConfig({}, '/srv/app');
  expect(config.port).toBe(4000);
  expect(config.neo4j.uri).toBeUndefined();
  expect(config.neo4j.embedded.dataDir).toBe('/srv/app/.data/neo4j');
});

test('every problem is reported at once', () => {
  const attempt = () =>
    loadConfig({ PORT: 'eighty', NEO4J_URI: 'http://db:7474', LOG_LEVEL: 'loud', EMBEDDED_NEO4J_HEAP: 'lots', SEED_DEMO: 'maybe' });
  expect(attempt).toThrow(ConfigError);
  for (const variable of ['PORT', 'NEO4J_URI', 'LOG_LEVEL', 'EMBEDDED_NEO4J_HEAP', 'SEED_DEMO']) {
    expect(attempt).toThrow(new RegExp(`- ${variable} must`));
  }
});

test('an external Neo4j is taken with its credentials and database', () => {
  const config = loadConfig({ NEO4J_URI: 'neo4j+s://abc.databases.example:7687', NEO4J_USER: 'u', NEO4J_PASSWORD: 'p', NEO4J_DATABASE: 'estate' });
  expect(config.neo4j).toMatchObject({ uri: 'neo4j+s://abc.databases.example:7687', user: 'u', password: 'p', database: 'estate' });
});

test('JWTs must carry an expiry unless AUTH_JWT_REQUIRE_EXP=false', () => {
  const jwt = { AUTH_JWT_ISSUER: 'https://idp.example/', AUTH_JWT_AUDIENCE: 'lineage', AUTH_JWT_JWKS: '/etc/jwks.json' };
  expect(loadConfig(jwt).auth.jwt?.requireExp).toBe(true);
  expect(loadConfig({ ...jwt, AUTH_JWT_REQUIRE_EXP: 'false' }).auth.jwt?.requireExp).toBe(false);
  expect(() => loadConfig({ ...jwt, AUTH_JWT_REQUIRE_EXP: 'sometimes' })).toThrow(/- AUTH_JWT_REQUIRE_EXP must be true or false/);
});

test('the demo estate is seeded by default outside production only, and the config says why', () => {
  expect(loadConfig({}).seedDemo).toEqual({ enabled: true, reason: expect.stringMatching(/outside production/) });
  expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toEqual({ enabled: false, reason: expect.stringMatching(/NODE_ENV=production/) });
  expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo).toEqual({ enabled: true, reason: 'SEED_DEMO=true' });
  expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toEqual({ enabled: false, reason: 'SEED_DEMO=false' });
});

test('history is kept forever unless HISTORY_RETENTION_DAYS gives a whole number of days', () => {
  expect(loadConfig({}).history.retentionDays).toBeUndefined();
  expect(loadConfig({ HISTORY_RETENTION_DAYS: '' }).history.retentionDays).toBeUndefined();
  expect(loadConfig({ HISTORY_RETENTION_DAYS: '365' }).history.retentionDays).toBe(365);
  for (const wrong of ['0', '-5', '1.5', 'a year', '36501']) {
    expect(() => loadConfig({ HISTORY_RETENTION_DAYS: wrong })).toThrow(/- HISTORY_RETENTION_DAYS must be an integer from 1 to 36500/);
  }
});
