/** Reading and checking the project form; each problem is a message key next to its field. */
import type { FastifyRequest } from 'fastify';
import { canonicalTag } from '../../platform/i18n/languages.js';
import { formField } from '../accounts/csrf.js';
import { cleanText, type FieldErrors } from '../workspace/forms.js';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const LINK_MAX = 500;

export interface ProjectForm {
  title: string;
  description: string;
  link: string;
  topic: string;
  language: string;
  /** The updated_at the form was loaded at (optimistic locking); empty for a new project. */
  updatedAt: string;
  /** Registration ids ticked as the team; undefined when the form had no team part. */
  members: string[] | undefined;
}

export function readProjectForm(request: FastifyRequest): ProjectForm {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const raw = body.member;
  const members =
    formField(request, 'team') === '1'
      ? (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
          .filter((v): v is string => typeof v === 'string')
          .slice(0, 500)
      : undefined;
  return {
    title: cleanText(formField(request, 'title'), TITLE_MAX),
    description: cleanText(formField(request, 'description'), DESCRIPTION_MAX),
    link: cleanText(formField(request, 'link'), LINK_MAX),
    topic: cleanText(formField(request, 'topic'), 64),
    language: cleanText(formField(request, 'language'), 64),
    updatedAt: cleanText(formField(request, 'updated_at'), 40),
    members,
  };
}

/** An http(s) address as typed, or undefined when it is anything else. */
export function safeLink(raw: string): string | undefined {
  if (/\s/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname || url.username || url.password) return undefined;
  return url.href;
}

export function checkProjectForm(
  form: ProjectForm,
  topicIds: ReadonlySet<string>,
  candidates: ReadonlySet<string>,
) {
  const errors: FieldErrors = {};
  if (!form.title) errors.title = 'project.error.title';
  if (!form.description) errors.description = 'project.error.description';
  let link: string | null = null;
  if (form.link) {
    link = safeLink(form.link) ?? null;
    if (!link) errors.link = 'project.error.link';
  }
  if (form.topic && !topicIds.has(form.topic)) errors.topic = 'project.error.topic';
  const language = canonicalTag(form.language);
  if (!language) errors.language = 'project.error.language';
  if (form.members?.some((m) => !candidates.has(m))) errors.team = 'project.error.team';
  return {
    errors,
    fields: {
      title: form.title,
      description: form.description,
      link,
      topic_id: form.topic || null,
      language: language ?? 'en',
    },
    members: form.members ? [...new Set(form.members)] : undefined,
  };
}
