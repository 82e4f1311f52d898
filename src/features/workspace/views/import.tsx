import { Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { ManifestProblem } from '../../imports/manifest.js';
import type { ImportResult } from '../../imports/importer.js';
import { Csrf, SubmitButton } from './common.js';

export function ImportPage(p: {
  ctx: PageContext;
  csrfToken: string;
  error?: string | undefined;
  problems?: ManifestProblem[] | undefined;
  result?: ImportResult | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="import.heading" />
      </h1>
      {p.result && (
        <p class="ok" role="status">
          <Msg ctx={ctx} k="import.done" v={{ ...p.result }} />
        </p>
      )}
      {p.error && (
        <p class="error" role="alert">
          <Msg ctx={ctx} k={p.error} />
        </p>
      )}
      {p.problems && p.problems.length > 0 && (
        <>
          <p class="error" role="alert">
            <Msg ctx={ctx} k="import.problems" v={{ count: p.problems.length }} />
          </p>
          <div class="grid" tabIndex={0} role="region" aria-label={ctx.t('import.problem')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <Msg ctx={ctx} k="import.line" />
                  </th>
                  <th scope="col">
                    <Msg ctx={ctx} k="import.problem" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.problems.map((problem) => (
                  <tr data-line={problem.line}>
                    <td>{ctx.number(problem.line)}</td>
                    {/* The checker's messages are in English, and marked so. */}
                    <td lang="en" dir="ltr">
                      {problem.message}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p>
        <Msg ctx={ctx} k="import.explain" />
      </p>
      <form
        method="post"
        action={ctx.href('/workspace/import')}
        enctype="multipart/form-data"
        class="fields"
      >
        <Csrf token={p.csrfToken} />
        <label>
          <Msg ctx={ctx} k="import.file" />
          <input type="file" name="file" required accept=".zip,application/zip" />
        </label>
        <SubmitButton ctx={ctx} k="import.submit" />
      </form>
    </>
  );
}
