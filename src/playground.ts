import path from 'node:path';
import type { Express } from 'express';

/**
 * GraphiQL served from the project's own node_modules: Apollo's Sandbox landing page loads its code
 * from a CDN, which an offline machine or a locked-down network cannot reach.
 */
export const PLAYGROUND_ASSETS: Record<string, { module: string; type: string }> = {
  'react.production.min.js': { module: 'react/umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.production.min.js': { module: 'react-dom/umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.min.js': { module: 'graphiql/graphiql.min.js', type: 'text/javascript' },
  'graphiql.min.css': { module: 'graphiql/graphiql.min.css', type: 'text/css' },
};

export const PLAYGROUND_ASSET_PREFIX = '/playground/assets/';

const DEFAULT_QUERY = `# Lineage Graph: the AI estate as a graph. Press the play button to run a query.
# The demo estate's fraud labels were poisoned: which decisions depend on them, and through what?
{
  impact(key: { type: Dataset, source: "demo", externalId: "ds-fraud-labels" }) {
    count
    groups { type count }
    decisions { decision { name } impactLevel humanInTheLoop path { text } }
    owners { name }
  }
}
`;

/** `explorerPath`: the explorer's page, linked from the playground's header. */
export function playgroundHtml(endpoint: string, explorerPath: string, defaultQuery: string = DEFAULT_QUERY): string {
  const asset = (name: string) => `${PLAYGROUND_ASSET_PREFIX}${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lineage Graph playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  // The explorer links here with the operation it ran in the fragment (#query=…&variables=…), which never reaches the server.
  const opened = new URLSearchParams(location.hash.slice(1));
  const props = { fetcher, defaultQuery: ${JSON.stringify(defaultQuery)}, defaultEditorToolsVisibility: true };
  if (opened.has('query')) Object.assign(props, { query: opened.get('query'), variables: opened.get('variables') ?? undefined });
  const explorerLink = React.createElement('a', { href: ${JSON.stringify(explorerPath)}, title: 'Draw lineage and impact, and the coverage map' }, 'Lineage Graph explorer');
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, props, React.createElement(GraphiQL.Logo, null, explorerLink)));
</script>
</body>
</html>`;
}

export function mountPlayground(app: Express, endpoint: string, explorerPath: string): void {
  for (const [name, { module, type }] of Object.entries(PLAYGROUND_ASSETS)) {
    const [packageName, ...rest] = module.split('/');
    // Packages' `exports` maps hide their UMD files from require.resolve; their package.json is reachable.
    const file = path.join(path.dirname(require.resolve(`${packageName}/package.json`)), ...rest);
    app.get(`${PLAYGROUND_ASSET_PREFIX}${name}`, (_req, res) => {
      res.type(type).set('Cache-Control', 'public, max-age=86400').sendFile(file);
    });
  }
  app.get(endpoint, (req, res, next) => {
    // Browsers ask for HTML; GraphQL clients using GET for queries do not, and go on to Apollo.
    if (req.accepts(['application/json', 'text/html']) === 'text/html' && req.query.query === undefined) {
      res.type('html').send(playgroundHtml(endpoint, explorerPath));
      return;
    }
    next();
  });
}
