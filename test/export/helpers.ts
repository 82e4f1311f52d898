import { cliEntry } from '../helpers/cli.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'parse5';
import { REPO_ROOT, type TestApp } from '../helpers/app.js';

type Node = {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
};

/** Every address an HTML document refers to: href, src, poster and srcset candidates. */
export function referencesOf(html: string): { tag: string; name: string; value: string }[] {
  const found: { tag: string; name: string; value: string }[] = [];
  const walk = (node: Node) => {
    for (const attr of node.attrs ?? []) {
      if (attr.name === 'srcset') {
        for (const c of attr.value.split(',')) {
          const url = c.trim().split(/\s+/)[0];
          if (url) found.push({ tag: node.nodeName, name: 'srcset', value: url });
        }
      } else if (['href', 'src', 'poster', 'action', 'data'].includes(attr.name)) {
        found.push({ tag: node.nodeName, name: attr.name, value: attr.value });
      }
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(parse(html) as unknown as Node);
  return found;
}

export function htmlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Crawls an exported folder: every reference must be relative (or a fragment, or another
 * site), and every relative one must name a file inside the folder. Returns the problems.
 */
export function brokenLinks(root: string, ownOrigins: string[]): string[] {
  const problems: string[] = [];
  for (const file of htmlFiles(root)) {
    const where = path.relative(root, file);
    const html = fs.readFileSync(file, 'utf8');
    if (/<script\b(?![^>]*application\/ld\+json)/i.test(html)) problems.push(`${where}: script`);
    if (/<form\b/i.test(html)) problems.push(`${where}: form`);
    for (const ref of referencesOf(html)) {
      const value = ref.value;
      if (value === '' || value.startsWith('#')) continue;
      if (value.startsWith('/')) {
        problems.push(`${where}: absolute path ${value}`);
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
        if (/^(https?:)/i.test(value) && ownOrigins.some((o) => value.startsWith(o))) {
          problems.push(`${where}: link to the site ${value}`);
        }
        if (/^file:/i.test(value)) problems.push(`${where}: file: link ${value}`);
        continue;
      }
      const target = decodeURIComponent(value.replace(/[?#].*$/, ''));
      const resolved = path.resolve(path.dirname(file), target);
      if (!resolved.startsWith(path.resolve(root) + path.sep)) {
        problems.push(`${where}: leaves the bundle ${value}`);
      } else if (!fs.existsSync(resolved) || fs.statSync(resolved).isDirectory()) {
        problems.push(`${where}: missing ${value}`);
      }
    }
  }
  return problems;
}

/** Runs the real CLI (through tsx) against a test app's database and files. */
export function runCli(
  t: TestApp,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cliEntry(), ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATA_DIR: t.dataDir,
        ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : { DATABASE_URL: '' }),
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        XAPIAN_CJK_NGRAM: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** kiwix-serve on 127.0.0.1, with CJK n-gram search; resolves once it answers. */
export async function startKiwix(
  zim: string,
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn('kiwix-serve', ['-i', '127.0.0.1', '--port', String(port), zim], {
    env: { ...process.env, XAPIAN_CJK_NGRAM: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`kiwix-serve exited: ${log}`);
    try {
      const response = await fetch(`${url}/catalog/v2/entries`);
      if (response.ok) return { url, child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`kiwix-serve did not start: ${log}`);
}
