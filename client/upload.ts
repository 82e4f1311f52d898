/**
 * Progressive enhancement of the workspace upload form: with JavaScript, files go up with the tus
 * protocol in 1 MB chunks, with a progress bar, and an upload cut by a bad connection (or a
 * closed tab) resumes where it stopped. Without JavaScript the same form posts the file as is.
 */
import { Upload } from 'tus-js-client';

/** 1 MB: a chunk reaches the server within its 5-minute request limit even on 2G. */
const CHUNK_BYTES = 1024 * 1024;

function enhance(form: HTMLFormElement) {
  const edition = form.dataset.tusEdition;
  const input = form.querySelector<HTMLInputElement>('input[type=file]');
  if (!edition || !input) return;
  const progress = document.createElement('progress');
  progress.hidden = true;
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  form.append(progress, status);

  form.addEventListener('submit', (event) => {
    const file = input.files?.[0];
    if (!file) return;
    event.preventDefault();
    const field = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (button) button.disabled = true;
    progress.hidden = false;
    const upload = new Upload(file, {
      endpoint: '/tus/uploads',
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 10000, 30000, 60000],
      headers: { 'X-CSRF-Token': field('_csrf') },
      metadata: { edition, filename: file.name, role: field('role'), language: field('language') },
      removeFingerprintOnSuccess: true,
      onProgress(sent, total) {
        progress.max = total;
        progress.value = sent;
        status.textContent = `${Math.floor((sent / total) * 100)}%`;
      },
      onSuccess() {
        window.location.href = form.dataset.tusDone ?? window.location.href;
      },
      onError(error) {
        // The server names the problem with a message key; the page shows it in the reader's language.
        const body =
          (error as { originalResponse?: { getBody(): string } }).originalResponse?.getBody() ?? '';
        const key = /^[a-z.]+$/i.test(body) ? body : 'upload.error.failed';
        const url = new URL(window.location.href);
        url.searchParams.set('upload_error', key);
        window.location.href = url.toString();
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
}

document.querySelectorAll<HTMLFormElement>('form[data-tus-edition]').forEach(enhance);
