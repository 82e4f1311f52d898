import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { registerAssetRoutes } from './features/assets/routes.js';
import { guardSignedInRoutes } from './features/accounts/guard.js';
import { registerAccountRoutes, registerSignInRoutes } from './features/accounts/routes.js';
import { registerDownloadRoutes } from './features/downloads/routes.js';
import { registerSearchRoutes } from './features/search/routes.js';
import { MAX_UPLOAD_BYTES } from './features/uploads/file-kinds.js';
import { registerResumableUploads } from './features/uploads/resumable.js';
import { registerUploadRoutes } from './features/uploads/routes.js';
import { registerLanguageRoutes } from './features/languages/routes.js';
import { registerLibraryRoutes } from './features/library/routes.js';
import { cachedRepository } from './features/library/cached-repository.js';
import { ErrorPage } from './features/library/views/reading.js';
import { ContentVersionWatcher, VersionedMemo } from './platform/cache/content-version.js';
import type { Database } from './platform/db/database.js';
import { readContentVersion } from './platform/db/content-version.js';
import { AppError, ERRORS, operationalError, RETRY_AFTER_SECONDS } from './platform/http/errors.js';
import { PageCache } from './platform/http/page-cache.js';
import { PageRenderer } from './platform/http/pages.js';
import { RateLimiter } from './platform/http/rate-limit.js';
import { registerSecurityHeaders } from './platform/http/security.js';
import {
  logSerializers,
  registerObservability,
  requestIdFor,
  type Readiness,
} from './platform/observability/index.js';
import { registerDashboardRoutes } from './features/workspace/dashboard-routes.js';
import { registerEditionRoutes } from './features/workspace/edition-routes.js';
import { registerImportRoutes } from './features/workspace/import-routes.js';
import { registerPeopleRoutes } from './features/workspace/people-routes.js';
import { registerWorkRoutes } from './features/workspace/work-routes.js';
import type { Catalogs } from './platform/i18n/catalog.js';
import { registerCurriculumPublicRoutes } from './features/curricula/public-routes.js';
import { registerCurriculumWorkspaceRoutes } from './features/curricula/workspace-routes.js';
import { registerEventPublicRoutes } from './features/events/public-routes.js';
import { registerEventWorkspaceRoutes } from './features/events/workspace-routes.js';
import { registerRegistrationPublicRoutes } from './features/registration/public-routes.js';
import { registerRegistrationWorkspaceRoutes } from './features/registration/workspace-routes.js';
import { registerSurveyPublicRoutes } from './features/surveys/public-routes.js';
import { registerSurveyWorkspaceRoutes } from './features/surveys/workspace-routes.js';
import { registerProjectPublicRoutes } from './features/projects/public-routes.js';
import { registerProjectWorkspaceRoutes } from './features/projects/workspace-routes.js';
import { registerPrivacyPublicRoutes } from './features/privacy/public-routes.js';
import { registerPrivacyWorkspaceRoutes } from './features/privacy/workspace-routes.js';
import { apiFrameworkError } from './features/api/errors.js';
import { registerApiRoutes } from './features/api/routes.js';
import { registerDiscoveryRoutes } from './features/discovery/routes.js';
import { registerOaiRoutes } from './features/oai/routes.js';
import { registerOpdsRoutes } from './features/opds/routes.js';
import type { ReachDeps } from './features/reach-deps.js';
import { registerImpactWorkspaceRoutes } from './features/impact/workspace-routes.js';
import { FieldCipher } from './platform/crypto/field-encryption.js';
import { loadKeyRing, type KeyRing } from './platform/crypto/key-ring.js';
import type { ProgrammeDeps } from './features/programmes/deps.js';
import type { BlobStore } from './platform/storage/blob-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: { method: string; url: string }[];
    /** Marked at shutdown so that /readyz turns 503 before the server stops accepting. */
    readiness: Readiness;
  }
}

export interface AppDeps {
  config: Config;
  database: Database;
  blobs: BlobStore;
  catalogs: Catalogs;
  /** Where JSON logs go (default stdout); tests capture them to check what is logged. */
  logStream?: NodeJS.WritableStream;
  /** The time as sessions and rate limits see it; tests move it to check timeouts. */
  clock?: () => Date;
  /** Keys of participants' encrypted fields; by default from FIELD_KEYS or the key file. */
  keyRing?: KeyRing;
}

/**
 * Builds the HTTP application. Logging records the route template, status and timing only:
 * never a client address, a query string or a cookie (see SECURITY.md).
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, blobs, catalogs } = deps;
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            base: null, // no hostname or pid in every line
            ...(deps.logStream ? { stream: deps.logStream } : {}),
            serializers: logSerializers,
          },
    // X-Request-Id from the proxy when well-formed (nginx's $request_id), else a fresh one.
    genReqId: requestIdFor,
    // Fastify's own request lines carry the client address and the full URL: ours replace them.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    // A whole request (headers and body) must arrive within 5 minutes: room for a 1 MB upload
    // chunk on 2G (about 40 s), not for a slow-loris client; headers alone get 60 s (Node's
    // headersTimeout), and a connection idle for a minute is closed.
    requestTimeout: 300_000,
    connectionTimeout: 60_000,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { allErrors: true, coerceTypes: true, removeAdditional: false } },
    frameworkErrors: (error, request, reply) => {
      // The JSON API answers in JSON, even for addresses the router refuses.
      if (apiFrameworkError(error, request, reply)) return;
      // Malformed percent-encoding and the like: a clear page, not Fastify's JSON.
      void pages.renderStatus(request, reply, 400, (ctx) => ({
        title: ctx.t('error.badRequest.title'),
        body: <ErrorPage ctx={ctx} status={400} messageKey={ERRORS.BAD_URL.messageKey} />,
      }));
      request.log.info({ code: error.code }, 'framework error');
    },
  });

  // The route table, for tests that must cover every route (the access matrix).
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });

  const contentVersion = new ContentVersionWatcher(() => readContentVersion(database.db));
  const cache = new PageCache(config.pageCacheSeconds * 1000, contentVersion);
  const data = cachedRepository(new VersionedMemo(contentVersion));
  const pages = new PageRenderer(catalogs, cache, config.publicMaxAgeSeconds);

  await registerSecurityHeaders(app);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  // A person who changed something sees it at once on this instance; others within a second.
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.method === 'POST') contentVersion.expire();
    return payload;
  });

  // Health, readiness, metrics and the one log line per request (request ids included).
  app.decorate(
    'readiness',
    registerObservability(app, { database, blobs, metricsToken: config.metricsToken }),
  );

  // Before any route: encapsulated plugins take the handlers in force when they register.
  app.setNotFoundHandler((request, reply) =>
    pages.renderStatus(request, reply, 404, (ctx) => ({
      title: ctx.t('error.notFound.title'),
      body: <ErrorPage ctx={ctx} status={404} messageKey={ERRORS.NOT_FOUND.messageKey} />,
    })),
  );

  app.setErrorHandler(
    (error: Error & { validation?: unknown; statusCode?: number }, request, reply) => {
      let status = 500;
      let messageKey: string = ERRORS.INTERNAL.messageKey;
      // A busy or unreachable database or storage, a full disk: a clear page, not a 500.
      const known = error instanceof AppError ? error : operationalError(error);
      if (known) {
        status = known.status;
        messageKey = known.messageKey;
        if (known !== error) request.log.warn({ code: known.message }, 'resource unavailable');
      } else if (error.validation) {
        status = 400;
        messageKey = ERRORS.BAD_PARAMETER.messageKey;
      } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        status = error.statusCode;
        messageKey = status === 404 ? ERRORS.NOT_FOUND.messageKey : ERRORS.BAD_URL.messageKey;
      }
      if (status >= 500 && !known) request.log.error({ err: error }, 'request failed');
      if (status === 503 || status === 507)
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      // A large body the request still had to send (an upload refused half-way) would keep
      // the connection busy: answer, then close it. A small rest is read and dropped instead,
      // so the client is not cut off while still writing it (EPIPE before it reads our answer).
      const unread = Number(request.headers['content-length'] ?? Number.POSITIVE_INFINITY);
      if (!request.raw.complete && !(unread <= 1024 * 1024)) reply.header('connection', 'close');
      return pages.renderStatus(request, reply, status, (ctx) => ({
        title: ctx.t(
          status === 404
            ? 'error.notFound.title'
            : status >= 500
              ? 'error.internal.title'
              : 'error.badRequest.title',
        ),
        body: <ErrorPage ctx={ctx} status={status} messageKey={messageKey} />,
      }));
    },
  );

  registerLanguageRoutes(app, { catalogs });
  registerAssetRoutes(app);
  registerLibraryRoutes(app, { db: database.db, pages, data });
  registerDownloadRoutes(app, {
    db: database.db,
    blobs,
    config,
    ...(config.pageCacheSeconds > 0 ? { memo: new VersionedMemo(contentVersion, 20_000) } : {}),
  });
  registerSearchRoutes(app, { db: database.db, pages });
  const reachDeps: ReachDeps = {
    db: database.db,
    database,
    pages,
    data,
    blobs,
    publicUrl: config.publicUrl,
    adminEmail: config.adminEmail,
  };
  registerOpdsRoutes(app, reachDeps);
  registerOaiRoutes(app, reachDeps);
  registerDiscoveryRoutes(app, reachDeps);
  registerApiRoutes(app, reachDeps);

  const keyRing = deps.keyRing ?? loadKeyRing(process.env, config.dataDir);
  const cipher = new FieldCipher(keyRing);
  const accountDeps = {
    db: database.db,
    pages,
    cipher,
    // The pepper keeps rate-limit client keys unlinkable from a copy of the database alone.
    limiter: new RateLimiter(database.db, deps.clock, keyRing.indexKey),
    clock: deps.clock ?? (() => new Date()),
    limits: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
  };
  registerSignInRoutes(app, accountDeps);

  const programmeDeps: ProgrammeDeps = {
    db: database.db,
    database,
    pages,
    blobs,
    cipher,
    limiter: accountDeps.limiter,
    clock: accountDeps.clock,
  };
  registerCurriculumPublicRoutes(app, programmeDeps);
  registerEventPublicRoutes(app, programmeDeps);
  registerRegistrationPublicRoutes(app, programmeDeps);
  registerSurveyPublicRoutes(app, programmeDeps);
  registerProjectPublicRoutes(app, programmeDeps);
  registerPrivacyPublicRoutes(app, programmeDeps);
  // Outside the form gate: tus requests carry their CSRF token in a header (see resumable.ts).
  registerResumableUploads(app, {
    ...accountDeps,
    database,
    blobs,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    s3: config.s3,
  });
  // Everything signed in sits behind one gate: session, CSRF, two-factor for network admins.
  await app.register(async (scope) => {
    // Error pages too: nothing of the signed-in side may stay in a browser or proxy cache.
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    guardSignedInRoutes(scope, accountDeps);
    registerAccountRoutes(scope, accountDeps);
    registerWorkRoutes(scope, accountDeps);
    // Streamed to disk part by part: one file, a few small fields, nothing held in memory.
    await scope.register(multipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 8, parts: 10, fieldSize: 1024 },
    });
    const editions = registerEditionRoutes(scope, accountDeps);
    registerUploadRoutes(scope, { database, blobs, pages }, editions.showUploadError);
    registerImportRoutes(scope, { database, blobs, pages });
    registerDashboardRoutes(scope, accountDeps);
    registerPeopleRoutes(scope, accountDeps);
    registerCurriculumWorkspaceRoutes(scope, programmeDeps);
    registerEventWorkspaceRoutes(scope, programmeDeps);
    registerRegistrationWorkspaceRoutes(scope, programmeDeps);
    registerSurveyWorkspaceRoutes(scope, programmeDeps);
    registerProjectWorkspaceRoutes(scope, programmeDeps);
    registerImpactWorkspaceRoutes(scope, programmeDeps);
    registerPrivacyWorkspaceRoutes(scope, programmeDeps);
  });

  return app;
}
