import fs from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from 'playwright-core';

/**
 * Debian's Chromium, never a downloaded browser. CHROMIUM_PATH overrides the location.
 * Everything that would make the browser talk to the network on its own is switched off, so
 * that the only requests a test sees are the ones the pages cause.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A small phone: the readers this library is built for. */
export const PHONE = { width: 360, height: 740 } as const;

/** A browsing context with JavaScript off, as the app promises to work without it. */
export async function noScriptContext(
  browser: Browser,
  locale: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: PHONE,
    locale,
    acceptDownloads: true,
    ...options,
  });
  // Fail fast: every page here is served from a local process.
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/** Same origin, compared as origins (a prefix test would accept http://host:80801 for :8080). */
export function sameOrigin(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

export interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** One line per violation: rule, impact, a few selectors. Never the page's HTML. */
export function describeViolations(url: string, violations: Violation[]): string {
  const lines = violations.map((v) => {
    const targets = v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' > '));
    const more = v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : '';
    return `  ${v.id} [${v.impact ?? 'n/a'}] ${v.help}: ${targets.join(' | ')}${more}`;
  });
  return `${violations.length} axe violation(s) on ${url}\n${lines.join('\n')}`;
}
