import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { APP_SCHEME, cspHeader, isAppUrl } from './security.js';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Must run before `app` is ready: app:// behaves like https (standard, secure origin). Not
 * corsEnabled, so no other origin can read it; the page's own fetch calls are blocked by the CSP anyway.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } }]);
}

/**
 * Maps app://app/<path> to a file inside rendererDir, or null: another scheme or host, a bad
 * escape, a NUL, a backslash, or anything that would leave rendererDir.
 */
export function resolveAppFile(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const root = path.resolve(rendererDir);
  const filePath = path.resolve(root, `.${pathname}`);
  return filePath.startsWith(root + path.sep) ? filePath : null;
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Answers one app:// request from the built renderer, with the CSP and no-sniff headers. */
export async function serveAppRequest(request: Pick<Request, 'url' | 'method'>, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET') return new Response('Method not allowed', { status: 405 });
  const filePath = resolveAppFile(request.url, rendererDir);
  if (!filePath) return notFound();
  let body: Buffer;
  try {
    const stat = await fs.stat(filePath);
    if (!stat.isFile()) return notFound();
    body = await fs.readFile(filePath);
  } catch {
    return notFound();
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': cspHeader(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  });
}

/** After `app` is ready: serve the renderer bundle over app://. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
}
