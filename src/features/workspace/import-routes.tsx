/**
 * Bulk import from the workspace: a ZIP of a folder with a manifest, as `learning-center import`
 * takes. The ZIP is streamed to disk, extracted within limits (no bombs, no escaping names, no
 * links), checked line by line and against what the person may change, then imported in one
 * transaction. Every temporary file is removed, whatever happens.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.js';
import { extractZip } from '../../platform/archives/extract.js';
import { ZipProblem } from '../../platform/archives/zip-reader.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import type { PageRenderer } from '../../platform/http/pages.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { recordAudit } from '../audit/log.js';
import { staffOf } from '../accounts/guard.js';
import type { Staff } from '../accounts/sessions.js';
import { importDirectory, type ImportResult } from '../imports/importer.js';
import { MANIFEST_NAMES, ManifestError, type ManifestProblem } from '../imports/manifest.js';
import { readStreamedForm } from '../uploads/streamed-form.js';
import { importProblems } from './import-policy.js';
import { organisationsForNewWorks, visibleOrganisations } from './policies.js';
import { organisationsByIds } from './repository.js';
import { ImportPage } from './views/import.js';
import { actorOf, signedInOf } from './work-routes.js';

const GB = 1024 * 1024 * 1024;
// The multipart limit (the largest upload) caps it too.
export const IMPORT_ZIP_MAX_BYTES = 1 * GB;
export const IMPORT_ZIP_LIMITS = {
  maxEntries: 10_000,
  maxEntryBytes: 1 * GB,
  maxTotalBytes: 4 * GB,
  maxRatio: 100,
};

export interface ImportDeps {
  database: Database;
  blobs: BlobStore;
  pages: PageRenderer;
}

/** The folder holding the manifest: the ZIP's root, or its only top-level folder. */
function manifestFolder(root: string): string | undefined {
  const has = (dir: string) => MANIFEST_NAMES.some((n) => fs.existsSync(path.join(dir, n)));
  if (has(root)) return root;
  const entries = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'));
  if (entries.length === 1 && entries[0]!.isDirectory() && has(path.join(root, entries[0]!.name))) {
    return path.join(root, entries[0]!.name);
  }
  return undefined;
}

export function registerImportRoutes(scope: FastifyInstance, deps: ImportDeps) {
  const { database, blobs, pages } = deps;

  const mayImport = async (staff: Staff) =>
    organisationsForNewWorks(
      staff,
      await organisationsByIds(database.db, visibleOrganisations(staff)),
    ).length > 0;

  const importPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      status?: number;
      error?: string;
      problems?: ManifestProblem[];
      result?: ImportResult;
    } = {},
  ) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('import.heading'),
        body: (
          <ImportPage
            ctx={ctx}
            csrfToken={staffOf(request).csrfToken}
            error={options.error}
            problems={options.problems}
            result={options.result}
          />
        ),
      }),
      { status: options.status ?? 200, signedIn: signedInOf(request) },
    );

  scope.get('/:lang/workspace/import', async (request, reply) => {
    if (!(await mayImport(staffOf(request)))) throw forbidden('may not import');
    return importPage(request, reply);
  });

  scope.post(
    '/:lang/workspace/import',
    { config: { streamedForm: true }, bodyLimit: IMPORT_ZIP_MAX_BYTES },
    async (request, reply) => {
      const staff = staffOf(request);
      if (!(await mayImport(staff))) throw forbidden('may not import');
      // The ZIP itself is only read here, never kept: staged on local disk even when files
      // live in object storage (where staging would upload it).
      const scratch = blobs.scratch;
      const form = await readStreamedForm(request, scratch, staff.csrfToken, (filename) =>
        /\.zip$/i.test(filename) ? { maxBytes: IMPORT_ZIP_MAX_BYTES } : 'import.error.notZip',
      );
      const workDir = blobs.makeTempDir('zip-');
      // Everything temporary is gone before the answer leaves.
      const outcome = await importZip(form, workDir).finally(async () => {
        if (form.file) await scratch.discardStaged(form.file.staged);
        fs.rmSync(workDir, { recursive: true, force: true });
      });
      return importPage(request, reply, outcome);

      async function importZip(
        sent: typeof form,
        dir: string,
      ): Promise<{
        status?: number;
        error?: string;
        problems?: ManifestProblem[];
        result?: ImportResult;
      }> {
        if (!sent.csrf) throw new AppError('BAD_FORM_TOKEN');
        if (sent.problem || !sent.file)
          return { status: 400, error: sent.problem ?? 'upload.error.noFile' };
        try {
          await extractZip(sent.file.staged.path, dir, IMPORT_ZIP_LIMITS);
        } catch (error) {
          if (!(error instanceof ZipProblem)) throw error;
          return { status: 400, error: `import.error.zip.${error.reason}` };
        }
        const folder = manifestFolder(dir);
        if (!folder) return { status: 400, error: 'import.error.noManifest' };
        let result: ImportResult;
        try {
          result = await importDirectory(database, blobs, folder, {
            authorise: (manifest) => importProblems(database.db, staff, manifest),
          });
        } catch (error) {
          if (!(error instanceof ManifestError)) throw error;
          // Problems name files inside the temporary folder: show them relative to the ZIP.
          return {
            status: 400,
            problems: error.problems.map((p) => ({ ...p, file: path.relative(folder, p.file) })),
          };
        }
        await recordAudit(database.db, actorOf(staff), {
          action: 'import',
          entityType: 'import',
          entityId: sent.file.staged.sha256,
          organisationId: staff.memberships[0]?.organisationId ?? null,
          detail: { ...result },
        });
        return { result };
      }
    },
  );
}
