/** Extracting an untrusted ZIP into a fresh folder, within limits (see zip-reader.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readZip, ZipProblem, type ZipLimits } from './zip-reader.js';

export async function extractZip(file: string, into: string, limits: ZipLimits): Promise<number> {
  const root = path.resolve(into);
  let count = 0;
  await readZip(file, limits, async (entry, open) => {
    const target = path.resolve(root, entry.name);
    // readZip refuses ".." and absolute names; this is the belt to those braces.
    if (!target.startsWith(root + path.sep)) throw new ZipProblem('unsafe-name', entry.name);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await pipeline(await open(), fs.createWriteStream(target, { flags: 'wx' }));
    count += 1;
  });
  return count;
}
