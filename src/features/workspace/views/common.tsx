import type { ComponentChildren } from 'preact';
import { Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { FieldErrors } from '../forms.js';

export { Csrf, Notice, SubmitButton } from '../../accounts/views.js';

/** A labelled form field with its problem, if any, tied to it for screen readers. */
export function Field({
  ctx,
  name,
  label,
  errors,
  children,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  errors: FieldErrors;
  children: ComponentChildren;
}) {
  const error = errors[name];
  return (
    <label>
      <Msg ctx={ctx} k={label} />
      {children}
      {error && (
        <span class="error" id={`${name}-error`}>
          <Msg ctx={ctx} k={error} />
        </span>
      )}
    </label>
  );
}

export function FormErrors({ ctx, errors }: { ctx: PageContext; errors: FieldErrors }) {
  if (Object.keys(errors).length === 0) return null;
  return (
    <p class="error" role="alert">
      <Msg ctx={ctx} k="workspace.error.form" />
    </p>
  );
}

export function StatusLabel({
  ctx,
  status,
  stale,
}: {
  ctx: PageContext;
  status: string;
  stale?: boolean;
}) {
  return (
    <span class={`st-${stale ? 'stale' : status}`}>
      <Msg ctx={ctx} k={`workspace.status.${status}`} />
      {stale && (
        <>
          {' · '}
          <Msg ctx={ctx} k="workspace.status.stale" />
        </>
      )}
    </span>
  );
}
