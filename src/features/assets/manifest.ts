/**
 * The browser scripts built by scripts/build-assets.mjs (dist/public), read once when the
 * process starts. Pages link them by a name that carries the content's hash
 * (/assets/upload.3f2a9c1b7d4e.js), so browsers and nginx may keep them for a year: a new build
 * changes the name. Missing ones (a build that skipped them) are linked by their plain name and
 * answer 404; pages work without them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// src/features/assets or dist/features/assets: the built files are in dist/public either way.
const PUBLIC_DIR = fileURLToPath(new URL('../../../dist/public/', import.meta.url));
const SCRIPTS = ['upload.js', 'offline.js', 'sw.js'] as const;
export type ScriptName = (typeof SCRIPTS)[number];

export interface Asset {
  name: ScriptName;
  /** The name with the content hash, e.g. offline.1a2b3c4d5e6f.js. */
  hashedName: string;
  body: Buffer;
  etag: string;
}

function load(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of SCRIPTS) {
    const file = path.join(PUBLIC_DIR, name);
    if (!fs.existsSync(file)) continue;
    const body = fs.readFileSync(file);
    const digest = createHash('sha256').update(body).digest('hex');
    assets.set(name, {
      name,
      hashedName: name.replace(/\.js$/, `.${digest.slice(0, 12)}.js`),
      body,
      etag: `"${digest.slice(0, 27)}"`,
    });
  }
  return assets;
}

export const ASSETS = load();

/** The address pages link a script by: hashed when built, plain otherwise. */
export function assetUrl(name: ScriptName): string {
  const asset = ASSETS.get(name);
  return `/assets/${asset ? asset.hashedName : name}`;
}
