/**
 * HTML + CSS to PDF with WeasyPrint (Debian package `weasyprint`, fonts from fonts-noto-core):
 * it shapes Arabic and Persian and lays out right-to-left text correctly, which pdfkit and
 * pdf-lib do not. The HTML is piped in and the PDF read from stdout: no files, no shell, and no
 * network (`--base-url` points nowhere and our documents reference no external resources).
 */
import { spawn } from 'node:child_process';

export class PdfUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfUnavailableError';
  }
}

const TIMEOUT_MS = 60_000;
const MAX_BYTES = 32 * 1024 * 1024;

/** Renders a complete HTML document (with its CSS inline) to PDF bytes. */
export function htmlToPdf(html: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('weasyprint', ['--quiet', '--base-url', '/nonexistent/', '-', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BYTES) child.kill('SIGKILL');
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new PdfUnavailableError(
          error.code === 'ENOENT' ? 'weasyprint is not installed' : error.message,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0 && size <= MAX_BYTES) resolve(Buffer.concat(chunks));
      else
        reject(
          new PdfUnavailableError(
            signal ? `weasyprint stopped (${signal})` : `weasyprint failed: ${stderr.trim()}`,
          ),
        );
    });
    child.stdin.on('error', () => {}); // reported through 'close'
    child.stdin.end(html, 'utf8');
  });
}
