import { Type } from 'typebox';
import { WORK_TYPES } from '../../platform/db/schema.js';

/** Limits and the schemas that validate every path parameter and query of the library. */
export const PAGE_SIZE = 20;
export const LANGUAGE_PAGE_SIZE = 100;
/** How many other editions the work page lists before linking to the full, paged list. */
export const WORK_PAGE_EDITIONS = 24;
const MAX_PAGE = 10_000;

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$' });
const Tag = Type.String({ pattern: '^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,7}$', maxLength: 64 });
const PageNumber = Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 });

export const LibraryQuery = Type.Object(
  {
    language: Type.Optional(Tag),
    type: Type.Optional(Type.Union(WORK_TYPES.map((t) => Type.Literal(t)))),
    topic: Type.Optional(Slug),
    page: Type.Optional(PageNumber),
  },
  { additionalProperties: false },
);
export const PageQuery = Type.Object(
  { page: Type.Optional(PageNumber) },
  { additionalProperties: false },
);
/** Reading online; `text=1` is the text-only mode (no styles, no images, no site navigation). */
export const ReadQuery = Type.Object(
  {
    page: Type.Optional(PageNumber),
    text: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
export const LangParams = Type.Object({ lang: Type.String({ maxLength: 64 }) });
export const WorkParams = Type.Object({ lang: Type.String({ maxLength: 64 }), slug: Slug });
export const EditionParams = Type.Object({
  lang: Type.String({ maxLength: 64 }),
  slug: Slug,
  edition: Tag,
});
export const SlugParams = Type.Object({ lang: Type.String({ maxLength: 64 }), slug: Slug });

export function pageCount(total: number, size: number) {
  return Math.max(1, Math.ceil(total / size));
}
