/**
 * Plain explanations of why the database or the storage cannot be used, for operators: one line,
 * no stack, no password. `where` (host:port) is added at start-up on the console; /readyz, which
 * the public may reach, leaves it out.
 */
const DATABASE_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running and listening there?)',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name could not be resolved',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset by the server',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user (check pg_hba.conf and the user name)',
  '3D000': 'the database does not exist (create it first)',
  '53300': 'too many connections',
  '57P03': 'the database server is starting up',
  '57P01': 'the database server is shutting down',
  SQLITE_CANTOPEN: 'the database file cannot be opened (check DATA_DIR and its permissions)',
  SQLITE_READONLY: 'the database file is read-only (check the permissions of DATA_DIR)',
  SQLITE_CORRUPT: 'the database file is damaged (restore a backup)',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_FULL: 'the disk is full',
  SQLITE_BUSY: 'the database is busy (another process holds its lock)',
  EACCES: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // AggregateError (pg tries ::1 and 127.0.0.1): the first inner error names the cause.
    const inner = (e as { errors?: unknown[] }).errors?.[0];
    e = inner ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The first line of an error's message, without anything that looks like a URL's password. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '')
    .replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@')
    .slice(0, 300);
}

export function describeDatabaseError(error: unknown): string {
  const code = codeOf(error);
  const cause = code ? DATABASE_CAUSES[code.replace(/^(SQLITE_[A-Z]+)_.*/, '$1')] : undefined;
  if (cause) return `${cause} (${code})`;
  return code ? `${firstLine(error)} (${code})` : firstLine(error);
}

/** "127.0.0.1:5432/learning_center" from a DATABASE_URL, without the user or password. */
export function databaseLocation(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
