/**
 * The keys that protect participants' personal fields, kept outside the database.
 *
 * Sources, first match wins:
 *  1. FIELD_KEYS="k2:<base64 32 bytes>,k1:<base64>" (the first is current) and FIELD_INDEX_KEY
 *     (base64, 32 bytes), e.g. from the operator's secret store;
 *  2. FIELD_KEYS_FILE: a JSON key file `{ "current": "k2", "keys": { "k2": "...", "k1": "..." },
 *     "index": "..." }`;
 *  3. `<DATA_DIR>/secrets/field-keys.json`, created (mode 0600) on first start so that the
 *     embedded install works out of the box. Production installs should keep keys elsewhere.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface KeyRing {
  /** Id of the key new ciphertexts use. */
  current: string;
  keys: ReadonlyMap<string, Buffer>;
  /** HMAC key of the blind indexes (participant codes); not rotated by `keys rotate`. */
  indexKey: Buffer;
  /** Where the ring was read from: a file path, or "environment". */
  source: string;
}

interface KeyFile {
  current: string;
  keys: Record<string, string>;
  index: string;
}

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function decodeKey(id: string, base64: string): Buffer {
  if (!KEY_ID.test(id)) {
    throw new KeyRingError(`Key id "${id}" must be 1-32 letters, digits, "-" or "_"`);
  }
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new KeyRingError(`Key "${id}" must be 32 bytes in base64, got ${key.length} bytes`);
  }
  return key;
}

function fromFile(file: string, data: KeyFile): KeyRing {
  const keys = new Map(Object.entries(data.keys).map(([id, k]) => [id, decodeKey(id, k)]));
  if (!keys.has(data.current)) {
    throw new KeyRingError(`${file}: the current key "${data.current}" is not in "keys"`);
  }
  return { current: data.current, keys, indexKey: decodeKey('index', data.index), source: file };
}

export function defaultKeyFile(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'field-keys.json');
}

function readKeyFile(file: string): KeyFile {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  } catch (error) {
    throw new KeyRingError(`Cannot read the key file ${file}: ${(error as Error).message}`);
  }
}

/** Writes a key file atomically (temporary file, fsync, rename), readable by its owner only. */
function writeKeyFile(file: string, data: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(data, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

const newKey = () => randomBytes(32).toString('base64');

export function loadKeyRing(env: NodeJS.ProcessEnv, dataDir: string): KeyRing {
  const fromEnv = env.FIELD_KEYS?.trim();
  if (fromEnv) {
    const entries = fromEnv.split(',').map((pair) => {
      const at = pair.indexOf(':');
      if (at < 1) throw new KeyRingError('FIELD_KEYS must look like "k2:<base64>,k1:<base64>"');
      const id = pair.slice(0, at).trim();
      return [id, decodeKey(id, pair.slice(at + 1))] as const;
    });
    const index = env.FIELD_INDEX_KEY?.trim();
    if (!index) throw new KeyRingError('FIELD_INDEX_KEY must be set together with FIELD_KEYS');
    return {
      current: entries[0]![0],
      keys: new Map(entries),
      indexKey: decodeKey('index', index),
      source: 'environment',
    };
  }
  const file = env.FIELD_KEYS_FILE?.trim() || defaultKeyFile(dataDir);
  if (!fs.existsSync(file)) {
    if (env.FIELD_KEYS_FILE?.trim())
      throw new KeyRingError(`FIELD_KEYS_FILE ${file} does not exist`);
    writeKeyFile(file, { current: 'k1', keys: { k1: newKey() }, index: newKey() });
  }
  return fromFile(file, readKeyFile(file));
}

/**
 * Adds a new key to a key file and makes it current; returns its id. Existing ciphertexts keep
 * their key id and stay readable; `keys reencrypt` moves them to the new key.
 */
export function rotateKeyFile(file: string): string {
  const data = readKeyFile(file);
  let n = Object.keys(data.keys).length + 1;
  while (data.keys[`k${n}`]) n++;
  const id = `k${n}`;
  writeKeyFile(file, { ...data, current: id, keys: { [id]: newKey(), ...data.keys } });
  return id;
}

/** Removes a key that no ciphertext uses any more (the caller checks that). */
export function retireKeyFromFile(file: string, id: string): void {
  const data = readKeyFile(file);
  if (data.current === id) throw new KeyRingError(`Key "${id}" is current: rotate first`);
  if (!data.keys[id]) throw new KeyRingError(`Key "${id}" is not in ${file}`);
  const keys = { ...data.keys };
  delete keys[id];
  writeKeyFile(file, { ...data, keys });
}
