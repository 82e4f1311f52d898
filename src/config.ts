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
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
