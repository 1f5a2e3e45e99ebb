/**
 * Creates, lists and revokes API keys. A new key's secret is printed once, to stdout.
 *
 *   npm run keys -- create --name inventory-sync --role SYNC --source servicenow
 *   npm run keys -- create --name grc --role COMPLIANCE
 *   npm run keys -- list
 *   npm run keys -- revoke --name inventory-sync
 *
 * Runs against the app's database (NEO4J_URI, or the embedded one when the app is stopped).
 */
import type { Role } from '../src/auth/access';
import { parseArgs, runScript } from './runScript';

const USAGE = 'usage: npm run keys -- create --name <name> --role VIEWER|COMPLIANCE|SYNC|ADMIN [--source <source>] | list | revoke --name <name>';

void runScript('ApiKeysScript', async (app) => {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest, USAGE);
  const keys = app.server.createContext('ApiKeysScript', 'admin-script').services.apiKeys;
  const text = (value: string | true | undefined) => (typeof value === 'string' ? value : undefined);
  if (command === 'create' && text(args.name) && text(args.role)) {
    const { key, apiKey } = await keys.create(text(args.name)!, text(args.role) as Role, text(args.source));
    process.stderr.write(`Created ${apiKey.role} key "${apiKey.name}"${apiKey.source ? ` for source ${apiKey.source}` : ''}. Only its hash is stored: copy the key now.\n`);
    return `${key}\n`;
  }
  if (command === 'revoke' && text(args.name)) {
    const revoked = await keys.revoke(text(args.name)!);
    return `revoked ${revoked.name} at ${revoked.revokedAt}\n`;
  }
  if (command === 'list') {
    const rows = await keys.list();
    return rows.map((row) => [row.name, row.role, row.source ?? '-', row.createdAt, row.revokedAt ? `revoked ${row.revokedAt}` : 'active'].join('\t')).join('\n') + '\n';
  }
  throw new Error(USAGE);
});
