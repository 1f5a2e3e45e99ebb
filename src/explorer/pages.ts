/**
 * The explorer's two pages: static shells that web/explore.ts and web/coverage.ts fill in. No
 * value from a request or the database is written into them; the endpoint is the API's own path.
 * The stylesheet carries the id under which Cytoscape would otherwise inject a <style> element of
 * its own, which the Content-Security-Policy refuses; explorer.css holds that rule instead.
 */
const ASSETS = '/explore/assets/';

function shell(title: string, script: string, graphqlPath: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="graphql-endpoint" content="${graphqlPath}">
<title>${title} · Lineage Graph</title>
<link rel="stylesheet" href="${ASSETS}explorer.css" id="__________cytoscape_stylesheet">
<script src="${ASSETS}${script}" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/explore">Lineage Graph</a>
  <nav aria-label="Pages">
    <a href="/explore">Lineage and impact</a>
    <a href="/explore/coverage">Coverage map</a>
    <a id="playground-link" href="${graphqlPath}" title="The query this page last ran, in the GraphQL playground">Open in playground</a>
  </nav>
  <form id="key-form" class="key">
    <label for="api-key">API key</label>
    <input id="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="kept for this tab only">
    <button type="submit">Use key</button>
    <span id="key-state"></span>
  </form>
</header>
<p id="status" role="status" aria-live="polite"></p>
${body}
</body>
</html>`;
}

export function exploreHtml(graphqlPath: string): string {
  return shell('Lineage explorer', 'explore.js', graphqlPath, `<main class="explore">
<form id="controls" class="controls" aria-label="What to draw">
  <div class="search">
    <label for="search">Record</label>
    <input id="search" type="search" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="search-results" autocomplete="off" placeholder="name or external id">
    <ul id="search-results" role="listbox" aria-label="Matching records" hidden></ul>
  </div>
  <fieldset class="mode">
    <legend>Mode</legend>
    <label><input type="radio" name="mode" value="lineage" checked> Lineage</label>
    <label><input type="radio" name="mode" value="impact"> Impact</label>
  </fieldset>
  <label>Direction
    <select id="direction"><option value="BOTH">both</option><option value="UPSTREAM">upstream</option><option value="DOWNSTREAM">downstream</option></select>
  </label>
  <label>Depth <input id="depth" type="number" min="1" max="50" value="4"></label>
  <details id="types" class="types"><summary>Relationship types</summary><div id="type-choices"></div></details>
  <button id="draw" type="submit">Draw</button>
</form>
<div class="workspace">
  <section class="views" aria-label="The answer">
    <div class="tabs">
      <div role="tablist" aria-label="View">
        <button type="button" role="tab" id="tab-graph" aria-selected="true" aria-controls="graph-view">Graph</button>
        <button type="button" role="tab" id="tab-list" aria-selected="false" aria-controls="list-view">List</button>
      </div>
      <span id="summary" class="summary"></span>
      <span class="exports">Export <button type="button" id="export-svg">SVG</button> <button type="button" id="export-png">PNG</button></span>
    </div>
    <div id="graph-view" role="tabpanel" aria-labelledby="tab-graph">
      <div id="graph" data-state="empty" aria-label="Drawing of the answer; the List tab holds the same records as a table"></div>
      <ul id="legend" class="legend" aria-label="Legend"></ul>
    </div>
    <div id="list-view" role="tabpanel" aria-labelledby="tab-list" hidden></div>
  </section>
  <aside id="details" class="details" aria-label="Details" aria-live="polite"><p>Search a record to draw its lineage, then click a record for its details.</p></aside>
</div>
</main>`);
}

export function coverageHtml(graphqlPath: string): string {
  return shell('Coverage map', 'coverage.js', graphqlPath, `<main class="coverage">
<form id="scope" class="controls" aria-label="Which map">
  <label>Framework <select id="framework"></select></label>
  <label>Risk tier
    <select id="risk-tier"><option value="">every tier</option><option>PROHIBITED</option><option>HIGH</option><option>LIMITED</option><option>MINIMAL</option></select>
  </label>
  <div class="search">
    <label for="search">AI system</label>
    <input id="search" type="search" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="search-results" autocomplete="off" placeholder="any (type a model's name)">
    <ul id="search-results" role="listbox" aria-label="Matching AI models" hidden></ul>
  </div>
  <button id="show" type="submit">Show</button>
</form>
<div class="workspace">
  <section id="map" class="map" aria-label="Coverage map" data-state="empty"></section>
  <aside id="details" class="details" aria-label="Requirement" aria-live="polite"><p>Click a requirement for its controls, evidence, owners and crosswalks.</p></aside>
</div>
</main>`);
}
