#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` (done by the start script) produces dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error(
    'learning-center: not built yet. Run `npm run build` (or ./scripts/start.sh) first.',
  );
  process.exit(1);
}
await import(entry.href);
