import path from 'node:path';

/** Everything the process reads from its environment, parsed once and validated. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `undefined` means the embedded SQLite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Seed the demo library when the library is empty at `serve` start. */
  seedDemo: boolean;
  /** How long a rendered public page may be served from the in-process cache. */
  pageCacheSeconds: number;
  /** Cache-Control max-age sent on public pages. */
  publicMaxAgeSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** A signed-in session ends after this long without a request (admins: a third of it). */
  sessionIdleMinutes: number;
  /** A signed-in session ends this long after sign-in, whatever happens. */
  sessionAbsoluteHours: number;
  /**
   * Behind a TLS-terminating proxy (nginx): trust its X-Forwarded-Proto so that session
   * cookies are marked Secure. Client addresses are never recorded either way.
   */
  trustProxy: boolean;
  /** Run background jobs (thumbnails, small video versions, text extraction) in this process. */
  runJobs: boolean;
  /**
   * The site's public address (e.g. https://library.example.org), for absolute links in feeds,
   * sitemaps, OAI-PMH and OPDS. Unset: taken from each request's Host.
   */
  publicUrl: string | undefined;
  /** Contact address published where protocols require one (OAI-PMH Identify). */
  adminEmail: string | undefined;
  /** On SIGTERM, how long in-flight requests and a running job get before they are cut off. */
  shutdownGraceSeconds: number;
  /** Bearer token that opens /metrics; unset: /metrics answers direct loopback requests only. */
  metricsToken: string | undefined;
  /** SQLite: how long a write waits for another process's lock before the request gets a 503. */
  busyTimeoutMs: number;
  /**
   * A running job's claim lasts this long and is renewed while it runs; after a crash another
   * instance takes the job over once it lapses.
   */
  jobLeaseSeconds: number;
  /** S3-compatible object storage for file contents; `undefined` means local disk (DATA_DIR/blobs). */
  s3: S3Config | undefined;
  /**
   * nginx internal location (e.g. /_blobs/) that serves DATA_DIR/blobs/: downloads are authorised
   * and counted here, and nginx sends the bytes (X-Accel-Redirect). Local disk only.
   */
  xAccelRedirect: string | undefined;
}

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Folder-like prefix for every key, e.g. "library/" (empty: none). */
  prefix: string;
  /** Downloads streamed through the app, or answered with a redirect to a presigned URL. */
  downloads: 'stream' | 'redirect';
  presignSeconds: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

function intInRange(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  const value = Number(raw.trim());
  if (value < min || value > max) {
    problems.push(`${name} must be from ${min} to ${max}, got ${value}`);
    return fallback;
  }
  return value;
}

function bool(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: boolean,
  problems: string[],
): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false, got "${env[name]}"`);
  return fallback;
}

function metricsToken(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const token = env.METRICS_TOKEN?.trim() || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{16,200}$/.test(token)) {
    problems.push('METRICS_TOKEN must be 16 to 200 printable characters without spaces');
    return undefined;
  }
  return token;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = intInRange(env, 'PORT', 3000, 0, 65535, problems);

  const host = (env.HOST ?? '127.0.0.1').trim();
  if (host === '' || /[\s/]/.test(host))
    problems.push(`HOST must be a host name or IP address, got "${env.HOST}"`);

  const dataDir = path.resolve(env.DATA_DIR?.trim() || 'data');

  let databaseUrl: string | undefined = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(databaseUrl);
    } catch {
      problems.push(
        'DATABASE_URL is not a valid URL (expected postgres://user@host:5432/database)',
      );
    }
    if (parsed && parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      problems.push(
        `DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database), got "${parsed.protocol}//..."`,
      );
    } else if (parsed && parsed.pathname.replace('/', '') === '') {
      problems.push(
        'DATABASE_URL must name a database, e.g. postgres://postgres@127.0.0.1:5432/learning_center',
      );
    }
    if (problems.length) databaseUrl = undefined;
  }

  let publicUrl = env.PUBLIC_URL?.trim() || undefined;
  if (publicUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(publicUrl);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
      problems.push(
        `PUBLIC_URL must be an http(s) address like https://library.example.org, got "${publicUrl}"`,
      );
      publicUrl = undefined;
    } else {
      publicUrl = parsed.origin + parsed.pathname.replace(/\/+$/, '');
    }
  }

  let adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  if (adminEmail !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(adminEmail)) {
    problems.push(`ADMIN_EMAIL must be an e-mail address, got "${adminEmail}"`);
    adminEmail = undefined;
  }

  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl,
    seedDemo: bool(env, 'SEED_DEMO', true, problems),
    pageCacheSeconds: intInRange(env, 'PAGE_CACHE_SECONDS', 10, 0, 86400, problems),
    publicMaxAgeSeconds: intInRange(env, 'PUBLIC_MAX_AGE_SECONDS', 60, 0, 86400, problems),
    logLevel,
    sessionIdleMinutes: intInRange(env, 'SESSION_IDLE_MINUTES', 90, 5, 24 * 60, problems),
    sessionAbsoluteHours: intInRange(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30, problems),
    trustProxy: bool(env, 'TRUST_PROXY', false, problems),
    runJobs: bool(env, 'RUN_JOBS', true, problems),
    publicUrl,
    adminEmail,
    shutdownGraceSeconds: intInRange(env, 'SHUTDOWN_GRACE_SECONDS', 25, 1, 600, problems),
    metricsToken: metricsToken(env, problems),
    busyTimeoutMs: intInRange(env, 'BUSY_TIMEOUT_MS', 5000, 0, 60_000, problems),
    jobLeaseSeconds: intInRange(env, 'JOB_LEASE_SECONDS', 600, 3, 86_400, problems),
    ...storageConfig(env, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const S3_REQUIRED = [
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
] as const;

/** Object storage settings (all or none) and the X-Accel-Redirect prefix. */
function storageConfig(
  env: NodeJS.ProcessEnv,
  problems: string[],
): Pick<Config, 's3' | 'xAccelRedirect'> {
  let xAccelRedirect = env.X_ACCEL_REDIRECT?.trim() || undefined;
  if (xAccelRedirect !== undefined && !/^\/(?:[A-Za-z0-9._~-]+\/)+$/.test(xAccelRedirect)) {
    problems.push(
      `X_ACCEL_REDIRECT must be an nginx location path that starts and ends with "/", like /_blobs/, got "${xAccelRedirect}"`,
    );
    xAccelRedirect = undefined;
  }
  const given = S3_REQUIRED.filter((name) => env[name]?.trim());
  const s3Only = ['S3_PREFIX', 'S3_DOWNLOADS', 'S3_PRESIGN_SECONDS'].filter((n) => env[n]?.trim());
  if (given.length === 0) {
    if (s3Only.length)
      problems.push(
        `${s3Only.join(', ')} set without object storage: set S3_ENDPOINT and the rest`,
      );
    return { s3: undefined, xAccelRedirect };
  }
  const missing = S3_REQUIRED.filter((name) => !env[name]?.trim());
  if (missing.length) {
    problems.push(
      `Object storage needs ${S3_REQUIRED.join(', ')} together; missing: ${missing.join(', ')}`,
    );
  }
  const endpoint = env.S3_ENDPOINT?.trim() ?? '';
  let parsed: URL | undefined;
  try {
    parsed = new URL(endpoint);
  } catch {
    // reported below
  }
  if (
    endpoint &&
    (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash)
  ) {
    problems.push(
      `S3_ENDPOINT must be an http(s) address like https://s3.example.org, got "${endpoint}"`,
    );
  }
  const bucket = env.S3_BUCKET?.trim() ?? '';
  // S3's bucket naming rules (lower case, digits, dots, hyphens; 3 to 63 characters).
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(
      `S3_BUCKET must be 3 to 63 lower-case letters, digits, dots or hyphens, got "${bucket}"`,
    );
  }
  const region = env.S3_REGION?.trim() || 'us-east-1';
  if (!/^[a-z0-9-]{1,64}$/.test(region)) {
    problems.push(`S3_REGION must look like us-east-1, got "${region}"`);
  }
  let prefix = env.S3_PREFIX?.trim() ?? '';
  if (
    prefix &&
    (!/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*\/?$/.test(prefix) ||
      prefix.split('/').some((segment) => /^\.+$/.test(segment)))
  ) {
    problems.push(
      `S3_PREFIX must be folder names made of letters, digits, dots, hyphens or underscores separated by "/", got "${prefix}"`,
    );
  }
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  const downloads = (env.S3_DOWNLOADS?.trim() || 'stream') as 'stream' | 'redirect';
  if (downloads !== 'stream' && downloads !== 'redirect') {
    problems.push(`S3_DOWNLOADS must be stream or redirect, got "${env.S3_DOWNLOADS}"`);
  }
  if (xAccelRedirect !== undefined) {
    problems.push(
      'X_ACCEL_REDIRECT serves files from the local data folder: it cannot be used with S3_ENDPOINT',
    );
  }
  return {
    xAccelRedirect: undefined,
    s3: {
      endpoint: parsed ? parsed.origin + parsed.pathname.replace(/\/+$/, '') : endpoint,
      bucket,
      region,
      // Keys may contain a colon (Swift's tempauth "account:user"): only emptiness is checked.
      accessKeyId: env.S3_ACCESS_KEY_ID?.trim() ?? '',
      secretAccessKey: env.S3_SECRET_ACCESS_KEY?.trim() ?? '',
      forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true, problems),
      prefix,
      downloads,
      presignSeconds: intInRange(env, 'S3_PRESIGN_SECONDS', 300, 30, 86400, problems),
    },
  };
}
