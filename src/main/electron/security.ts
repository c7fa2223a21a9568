import type { Session, WebContents, WebFrameMain } from 'electron';

/** The renderer is served only from this origin (see protocol.ts); nothing else is trusted. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
] as const;

/** Sent as a header with every app:// response; src/renderer/index.html carries the same as a meta tag. */
export function cspHeader(): string {
  return CSP_DIRECTIVES.join('; ');
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for app://app/… only. (Node gives non-special schemes an opaque origin, so compare parts.) */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host.toLowerCase() === APP_HOST && parsed.username === '' && parsed.password === '';
}

/**
 * The webRequest policy: our own bundle, blob: URLs the page made itself, and the DevTools front
 * end. Everything else (http, https, ws, wss, file, ftp, data, other custom schemes) is cancelled.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (isAppUrl(url)) return true;
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol === 'blob:') return isAppUrl(url.slice('blob:'.length));
  return parsed.protocol === 'devtools:';
}

/** The page never navigates: every screen lives in the one document. */
export function isAllowedNavigation(_url: string): boolean {
  return false;
}

/** No camera, microphone, geolocation, notifications, clipboard, HID, USB, serial… nothing. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

/** IPC is answered only for our app's own top-level page. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame) return false;
  try {
    return frame.parent === null && isAppUrl(frame.url);
  } catch {
    return false; // a frame disposed mid-call throws on access
  }
}

type SessionPolicyTarget = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setSpellCheckerEnabled' | 'on'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** Denies every permission and download, and cancels every request that is not for app://. */
export function applySessionPolicy(session: SessionPolicyTarget): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequestUrl(details.url) }));
}

type WebContentsPolicyTarget = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** For every web contents: no navigation, no redirects, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContentsPolicyTarget): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
