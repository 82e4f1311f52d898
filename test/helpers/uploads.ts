import type { StaffClient } from './staff.js';

/** Posts the upload form as a browser does: token first, then role, language, the file. */
export async function upload(
  client: StaffClient,
  editionId: string,
  file: { name: string; data: Uint8Array | string; type?: string },
  fields: { role?: string; language?: string; csrf?: string | null } = {},
) {
  const form = new FormData();
  if (fields.csrf !== null) form.append('_csrf', fields.csrf ?? client.csrf);
  form.append('role', fields.role ?? 'original');
  form.append('language', fields.language ?? '');
  form.append(
    'file',
    new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)], {
      type: file.type ?? 'application/octet-stream',
    }),
    file.name,
  );
  const response = await fetch(`${client.baseUrl}/en/workspace/editions/${editionId}/files`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      origin: client.baseUrl,
    },
    body: form,
  });
  return { response, html: await response.text() };
}
