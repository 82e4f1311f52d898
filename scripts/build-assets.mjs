// Bundles the browser scripts (client/) into dist/public: one small file per page feature, no
// runtime downloads, served from our own origin.
import { build } from 'esbuild';

await build({
  entryPoints: ['client/upload.ts', 'client/offline.ts', 'client/sw.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome80', 'firefox78', 'safari13'],
  outdir: 'dist/public',
  legalComments: 'none',
  logLevel: 'warning',
});
