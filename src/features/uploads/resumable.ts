/**
 * Resumable uploads with the tus protocol (tus.io), so that a partner on a flaky connection does
 * not start a 500 MB video again: the browser sends chunks, and after a break asks how far the
 * server got and goes on from there. Used by the upload form's script; without JavaScript the
 * plain form still works.
 *
 * Our checks come first, in the Fastify route: a signed-in session, the CSRF token in a header,
 * a same-origin request; at creation the edition's policy, the file's kind and size; afterwards
 * that the upload is the person's own. A finished upload goes through the same content checks
 * and the same transaction as a form upload.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Metadata, Server, type Upload } from '@tus/server';
import pg from 'pg';
import type { S3Config } from '../../config.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.js';
import { BlobTooLargeError, type BlobStore } from '../../platform/storage/blob-store.js';
import { isSameOrigin, sameToken } from '../accounts/csrf.js';
import { readSessionToken } from '../accounts/cookies.js';
import { loadSession, type SessionLimits, type Staff } from '../accounts/sessions.js';
import { loadEdition, scopeOf } from '../workspace/access.js';
import { canEditEdition } from '../workspace/workflow.js';
import { cleanFilename } from '../downloads/filename.js';
import { contentProblem, kindForFilename, MAX_UPLOAD_BYTES, roleProblem } from './file-kinds.js';
import { addFileToEdition } from './store-upload.js';
import { PgAdvisoryLocker } from './pg-locker.js';
import { makeTusStorage, type TusStorage } from './tus-store.js';

export const TUS_PATH = '/tus/uploads';
/** Unfinished uploads are kept this long for the browser to come back. */
const EXPIRY_MS = 24 * 60 * 60_000;
const ID_PATTERN = /^[0-9a-f]{32}$/;

/** Our own headers, set on the request after our checks; a client's copies are dropped. */
const USER_HEADER = 'x-lc-user';
const USERNAME_HEADER = 'x-lc-username';

export interface ResumableDeps {
  database: Database;
  blobs: BlobStore;
  dataDir: string;
  /** PostgreSQL: instances lock uploads with advisory locks (a pool of its own). */
  databaseUrl?: string | undefined;
  /** Object storage: unfinished uploads live in the bucket, so any instance can continue them. */
  s3?: S3Config | undefined;
  limits: SessionLimits;
  clock: () => Date;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function registerResumableUploads(app: FastifyInstance, deps: ResumableDeps) {
  const { database, blobs } = deps;
  const directory = path.join(deps.dataDir, 'tus');
  fs.mkdirSync(directory, { recursive: true });

  // Made at first use: FileStore creates its folder asynchronously in its constructor, which
  // would race an app closed (and its data folder removed) right after start.
  let parts: { store: TusStorage; tus: Server } | undefined;
  const tusParts = () => (parts ??= makeTus());
  // One upload's PATCH requests may reach different instances: on PostgreSQL they take turns.
  let lockPool: pg.Pool | undefined;

  const makeTus = () => {
    const store = makeTusStorage({ dataDir: deps.dataDir, s3: deps.s3 }, EXPIRY_MS);
    if (deps.databaseUrl) {
      lockPool = new pg.Pool({ connectionString: deps.databaseUrl, max: 20 });
      lockPool.on('error', () => {}); // a dropped idle connection is replaced on demand
    }
    return {
      store,
      tus: new Server({
        path: TUS_PATH,
        datastore: store.store,
        ...store.serverOptions,
        ...(lockPool ? { locker: new PgAdvisoryLocker(lockPool) } : {}),
        relativeLocation: true,
        maxSize: MAX_UPLOAD_BYTES,
        onUploadCreate: async (req, upload) => ({
          metadata: {
            ...upload.metadata,
            user: req.headers.get(USER_HEADER),
            username: req.headers.get(USERNAME_HEADER),
          },
        }),
        onUploadFinish: async (_req, upload) => {
          try {
            await finish(upload);
            return { status_code: 204 };
          } catch (error) {
            if (error instanceof Refusal) throw { status_code: error.status, body: error.message };
            throw error;
          } finally {
            await store.remove(upload.id).catch(() => {});
          }
        },
      }),
    };
  };

  /** The finished file, checked like a form upload and added to its edition. */
  async function finish(upload: Upload) {
    const meta = upload.metadata ?? {};
    const staff = await staffById(meta.user ?? '');
    const filename = cleanFilename(meta.filename ?? '');
    const kind = kindForFilename(filename);
    if (!staff || !kind) throw new Refusal(400, 'upload.error.type');
    const { edition, work } = await loadEdition(database.db, staff, meta.edition ?? '');
    if (!canEditEdition(staff, scopeOf(work), edition.status))
      throw new Refusal(403, 'error.forbidden.body');
    const staged = await blobs
      .stage(await tusParts().store.read(upload.id), kind.maxBytes)
      .catch((error: unknown) => {
        if (error instanceof BlobTooLargeError) throw new Refusal(413, 'upload.error.tooLarge');
        throw error;
      });
    const problem =
      (await contentProblem(kind, staged.path)) ??
      roleProblem({ role: meta.role ?? 'original', language: meta.language ?? '' }, kind);
    if (typeof problem === 'string') {
      await blobs.discardStaged(staged);
      throw new Refusal(422, problem);
    }
    await addFileToEdition(
      database,
      blobs,
      { userId: staff.userId, name: meta.username ?? staff.username },
      {
        editionId: edition.id,
        organisationId: work.publisher_id,
        published: edition.status === 'published' && work.published_at !== null,
      },
      { staged, filename, kind, ...problem },
    );
  }

  /** The memberships of the uploader, as the policies need them, at the time the upload ends. */
  async function staffById(userId: string): Promise<Staff | undefined> {
    const { membershipsOf } = await import('../accounts/sessions.js');
    const user = await database.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'totp_enabled_at', 'disabled_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) return undefined;
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      totpEnabled: user.totp_enabled_at !== null,
      memberships: await membershipsOf(database.db, user.id),
      sessionHash: '',
      csrfToken: '',
    };
  }

  /** Our checks, before tus sees the request. */
  async function authorise(request: FastifyRequest): Promise<Staff> {
    const session = await loadSession(
      database.db,
      readSessionToken(request),
      deps.clock(),
      deps.limits,
    );
    if (!session || session.secondFactorPending) throw new Refusal(401, 'not signed in');
    // A custom header cannot be sent cross-site without a CORS preflight, which we never allow.
    const token = request.headers['x-csrf-token'];
    if (
      typeof token !== 'string' ||
      !sameToken(token, session.staff.csrfToken) ||
      !isSameOrigin(request)
    ) {
      throw new Refusal(403, 'bad form token');
    }
    const staff = session.staff;
    const id = request.url.slice(TUS_PATH.length + 1).split('?')[0] ?? '';
    if (request.method === 'POST' && id === '') {
      const meta = Metadata.parse(String(request.headers['upload-metadata'] ?? ''));
      const kind = kindForFilename(cleanFilename(meta.filename ?? ''));
      if (!kind) throw new Refusal(400, 'upload.error.type');
      // The length comes first (no deferred lengths), so a file too large never starts.
      const length = String(request.headers['upload-length'] ?? '');
      if (!/^\d{1,15}$/.test(length)) throw new Refusal(400, 'upload.error.noFile');
      if (Number(length) > kind.maxBytes) throw new Refusal(413, 'upload.error.tooLarge');
      const { edition, work } = await loadEdition(database.db, staff, meta.edition ?? '');
      if (!canEditEdition(staff, scopeOf(work), edition.status))
        throw new Refusal(403, 'forbidden');
    } else if (request.method !== 'OPTIONS') {
      // Someone else's upload does not exist, as far as this person can tell.
      const upload = ID_PATTERN.test(id)
        ? await tusParts()
            .store.getUpload(tusParts().store.idOf(id))
            .catch(() => undefined)
        : undefined;
      if (!upload || upload.metadata?.user !== staff.userId)
        throw new Refusal(404, 'no such upload');
    }
    return staff;
  }

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    let staff: Staff;
    try {
      staff = await authorise(request);
    } catch (error) {
      if (error instanceof Refusal)
        return reply.code(error.status).type('text/plain').send(error.message);
      // An edition that is not there, or not the person's: the same answer.
      const status = (error as { status?: number }).status;
      if (status === 403 || status === 404)
        return reply.code(status).type('text/plain').send('refused');
      throw error;
    }
    const headers = request.raw.headers;
    headers[USER_HEADER] = staff.userId;
    headers[USERNAME_HEADER] = staff.username;
    reply.hijack();
    await tusParts().tus.handle(request.raw, reply.raw);
  };

  // tus reads the body itself: Fastify must not.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) =>
    done(null),
  );
  for (const url of [TUS_PATH, `${TUS_PATH}/*`]) {
    app.route({ method: ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'], url, handler: handle });
  }

  // Uploads abandoned for a day go (their partial files with them).
  const expiry = setInterval(
    () =>
      void tusParts()
        .store.deleteExpired()
        .catch(() => {}),
    3_600_000,
  );
  expiry.unref();
  app.addHook('onClose', async () => {
    clearInterval(expiry);
    await lockPool?.end();
  });
}
