import type { Express, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The UMD builds are not in these packages' export maps; locate them next to each package's main file.
const fromPackage = (pkg: string, file: string): string => join(dirname(require.resolve(pkg)), file);

/**
 * The explorer at `/`, with every asset served from our own node_modules: municipal networks
 * often have no internet, and a CDN would also leak who uses the gateway.
 */
const ASSETS: Record<string, string> = {
  'react.js': fromPackage('react', 'umd/react.production.min.js'),
  'react-dom.js': fromPackage('react-dom', 'umd/react-dom.production.min.js'),
  'graphiql.js': fromPackage('graphiql', '../graphiql.min.js'),
  'graphiql.css': fromPackage('graphiql', '../graphiql.min.css'),
};

const DEFAULT_QUERY = `# Thüringen base-services gateway — try:
{
  municipality(ars: "160720011011") {
    name
    ags
    district { name }
    provenance { source fetchedAt stale }
  }
}
`;

const PAGE = `<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>thuegate — GraphiQL</title>
  <link rel="stylesheet" href="/assets/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql" data-default-query="${escapeAttr(DEFAULT_QUERY)}">Loading…</div>
  <script src="/assets/react.js"></script>
  <script src="/assets/react-dom.js"></script>
  <script src="/assets/graphiql.js"></script>
  <script src="/assets/explorer.js"></script>
</body>
</html>`;

// Boots GraphiQL from the UMD globals; kept out of the page so the CSP needs no 'unsafe-inline' script.
const EXPLORER_JS = `/* global React, ReactDOM, GraphiQL */
(function () {
  var root = document.getElementById('graphiql');
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.getAttribute('data-default-query'),
      defaultEditorToolsVisibility: true,
    }),
  );
})();
`;

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// Same-origin only: no inline script, so the CSP can forbid it.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Production disables introspection, so an explorer could show neither Docs nor autocomplete: say so instead.
const PRODUCTION_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>thuegate — explorer off</title></head>
<body>
  <h1>GraphiQL explorer is off in production</h1>
  <p>Introspection is disabled on this gateway (<code>INTROSPECTION=false</code>, the default in production), so an explorer could not load the schema.
  The schema is published as <code>schema/schema.graphql</code> in the gateway's repository; send queries to <code>POST /graphql</code>. Run the gateway in development mode to explore it here.</p>
</body>
</html>`;

export function mountGraphiql(app: Express, opts: { production?: boolean } = {}): void {
  if (opts.production) {
    app.get('/', (_req, res) => {
      res.setHeader('Content-Security-Policy', CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(404).type('html').send(PRODUCTION_PAGE);
    });
    return;
  }
  const missing = Object.values(ASSETS).filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`GraphiQL assets missing (npm ci?): ${missing.join(', ')}`);
  const send = (file: string, type: string) => (_req: unknown, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type(type).sendFile(file);
  };
  app.get('/assets/react.js', send(ASSETS['react.js'], 'application/javascript'));
  app.get('/assets/react-dom.js', send(ASSETS['react-dom.js'], 'application/javascript'));
  app.get('/assets/graphiql.js', send(ASSETS['graphiql.js'], 'application/javascript'));
  app.get('/assets/graphiql.css', send(ASSETS['graphiql.css'], 'text/css'));
  app.get('/assets/explorer.js', (_req, res) => void res.type('application/javascript').send(EXPLORER_JS));
  app.get('/', (_req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('html').send(PAGE);
  });
}
