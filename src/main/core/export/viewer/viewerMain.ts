import './zodWithoutEval.js';
import { openPayloadInBrowser, parseCsv, type ViewerBundle } from './openPayloadInBrowser.js';
import type { ExportedTestimony } from '../exportedTestimonySchema.js';

/**
 * viewer.html: the lawyer's offline reader. Read-only; every piece of bundle text is put in the
 * page with textContent (never as HTML), and the page's CSP forbids any network access, any
 * script but this one, and any HTML sink (Trusted Types).
 */
// The few DOM members this page uses, declared here so the Node project can type-check the viewer
// without loading the DOM library for all of core (which would let core code use DOM globals).
type DomElement = {
  className: string;
  dir: string;
  lang: string;
  textContent: string | null;
  append(...nodes: (DomElement | DomText)[]): void;
  replaceChildren(...nodes: (DomElement | DomText)[]): void;
  addEventListener(type: 'click', listener: () => void): void;
};
type DomText = { readonly data: string };
type DomElements = {
  img: DomElement & { src: string; alt: string };
  audio: DomElement & { src: string; controls: boolean };
  button: DomElement & { type: string };
  input: DomElement & { value: string; files: ArrayLike<Blob & { name: string }> | null };
  textarea: DomElement & { value: string };
  [tag: string]: DomElement;
};
declare const document: {
  createElement<K extends string>(tag: K): K extends keyof DomElements ? DomElements[K] : DomElement;
  createTextNode(text: string): DomText;
  getElementById(id: string): DomElement | null;
};

type Child = DomElement | string;

function el<K extends string>(tag: K, attributes: { className?: string; dir?: string; lang?: string } = {}, ...children: Child[]) {
  const element = document.createElement(tag);
  if (attributes.className) element.className = attributes.className;
  if (attributes.dir) element.dir = attributes.dir;
  if (attributes.lang) element.lang = attributes.lang;
  for (const child of children) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

function byId<T extends DomElement = DomElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

const objectUrls: string[] = [];

function table(rows: string[][]): DomElement {
  const [head, ...body] = rows;
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...(head ?? []).map((cell) => el('th', {}, cell)))),
    el('tbody', {}, ...body.map((row) => el('tr', {}, ...row.map((cell) => el('td', { dir: 'auto' }, cell))))),
  );
}

function definition(label: string, value: string | undefined): DomElement[] {
  return value ? [el('dt', {}, label), el('dd', { dir: 'auto' }, value)] : [];
}

function renderTestimony(bundle: ViewerBundle, testimony: ExportedTestimony): DomElement {
  const rtl = testimony.language.startsWith('ar');
  const textDir = rtl ? 'rtl' : 'auto';
  const media = testimony.media.map((entry) => {
    const bytes = bundle.files.get(entry.file);
    if (!bytes) return el('p', {}, `${entry.file}: missing`);
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type: entry.mimeType === 'audio/wav' ? 'audio/wav' : 'image/jpeg' }));
    objectUrls.push(url);
    if (entry.mimeType === 'audio/wav') {
      const audio = el('audio');
      audio.controls = true;
      audio.src = url;
      return el('figure', {}, audio, el('figcaption', {}, entry.file));
    }
    const image = el('img');
    image.src = url;
    image.alt = entry.file;
    return el('figure', {}, image, el('figcaption', {}, entry.file));
  });
  const people = testimony.people.map((person) => el('li', { dir: 'auto' }, `${person.role}: ${person.pseudonym ?? person.name ?? ''}${person.aliases && person.aliases.length > 0 ? ` (${person.aliases.join(', ')})` : ''}${person.gender ? `, ${person.gender}` : ''}`));
  const logRows = parseCsv(bundle.redactionLog).filter((row, index) => index === 0 || row[0] === testimony.controlNumber);
  const custodyRows = parseCsv(bundle.custodyLog).filter((row, index) => index === 0 || row[0] === testimony.controlNumber);
  return el(
    'article',
    { className: 'testimony', lang: testimony.language },
    el('h2', { dir: 'auto' }, `${testimony.controlNumber}: `, el('span', { dir: textDir }, testimony.title)),
    el(
      'dl',
      {},
      ...definition('Profile', testimony.profile),
      ...definition('Anonymised', testimony.anonymised ? 'yes' : 'no'),
      ...definition('Language', testimony.language),
      ...definition('Interview date', testimony.interviewDate),
      ...definition('Interview place', testimony.interviewPlace),
      ...definition('Interviewer', testimony.interviewer),
      ...definition('Period', testimony.period ? `${testimony.period.from ?? '?'} – ${testimony.period.to ?? '?'}` : undefined),
      ...definition('Facilities', testimony.facilities.join('; ')),
      ...definition('Perpetrator units', testimony.perpetratorUnits.join('; ')),
      ...definition('Violations', testimony.violations.join('; ')),
      ...definition('Tags', testimony.tags.join(', ')),
      ...definition('Consent', `${testimony.consent.scopes.join(', ')}; anonymity ${testimony.consent.anonymity ? 'required' : 'not required'}; media ${testimony.consent.mediaUse ? 'allowed' : 'not allowed'}${testimony.consent.date ? `; given ${testimony.consent.date}` : ''}`),
    ),
    el('h3', {}, 'People'),
    el('ul', {}, ...people),
    el('h3', {}, 'Summary'),
    el('p', { className: 'prose', dir: textDir }, testimony.summary),
    el('h3', {}, 'Transcript'),
    el('div', { className: 'prose transcript', dir: textDir }, testimony.transcript),
    el('h3', {}, `Media (${testimony.media.length} included, ${testimony.excludedMedia.length} excluded)`),
    ...media,
    ...testimony.excludedMedia.map((entry) => el('p', { className: 'note', dir: 'auto' }, `Excluded: ${entry.reason}`)),
    el('h3', {}, 'Redaction log'),
    table(logRows),
    el('h3', {}, 'Custody log'),
    table(custodyRows),
  );
}

function render(bundle: ViewerBundle): void {
  const result = byId('result');
  result.replaceChildren();
  const checks = el('ul', { className: 'checks' }, ...bundle.checks.map((check) => el('li', { className: check.ok ? 'ok' : 'warn' }, `${check.ok ? '✓' : '!'} ${check.name}: ${check.detail}`)));
  const list = el('nav', { className: 'items' });
  const view = el('section', { className: 'view' });
  bundle.testimonies.forEach((testimony, index) => {
    const button = el('button', { className: 'item', dir: 'auto' }, `${testimony.controlNumber} ${testimony.title}`);
    button.type = 'button';
    button.addEventListener('click', () => view.replaceChildren(renderTestimony(bundle, testimony)));
    list.append(button);
    if (index === 0) view.replaceChildren(renderTestimony(bundle, testimony));
  });
  result.append(
    el('h2', {}, `Bundle ${bundle.manifest.bundleId}`),
    el('p', {}, `Created ${bundle.manifest.createdAt}, profile ${bundle.manifest.profile}, Testimony Vault ${bundle.manifest.appVersion}.`),
    el('p', {}, 'Signed by minisign key ', el('code', {}, bundle.signer.keyId), ': ', el('code', { className: 'key' }, bundle.signer.publicKey)),
    checks,
    list,
    view,
  );
}

async function readFile(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

async function open(): Promise<void> {
  const status = byId('status');
  const files = Array.from(byId<DomElements['input']>('files').files ?? []);
  const payload = files.find((file) => file.name.endsWith('.age'));
  status.className = 'status';
  if (!payload) {
    status.textContent = 'Choose payload.age (and, to check the signature, manifest.json and manifest.json.minisig).';
    return;
  }
  const manifest = files.find((file) => file.name === 'manifest.json');
  const signature = files.find((file) => file.name === 'manifest.json.minisig');
  status.textContent = 'Decrypting and checking…';
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  try {
    const passphrase = byId<DomElements['input']>('passphrase').value;
    const signer = byId<DomElements['input']>('signer').value;
    const bundle = await openPayloadInBrowser({
      payload: await readFile(payload),
      identityText: byId<DomElements['textarea']>('identity').value,
      ...(passphrase ? { passphrase } : {}),
      ...(manifest && signature ? { outerManifest: await readFile(manifest), outerSignature: new TextDecoder().decode(await readFile(signature)) } : {}),
      ...(signer.trim() ? { expectedSigner: signer } : {}),
    });
    status.textContent = `Verified: ${bundle.testimonies.length} testimon${bundle.testimonies.length === 1 ? 'y' : 'ies'}.`;
    status.className = 'status ok';
    render(bundle);
  } catch (error) {
    status.className = 'status error';
    const code = (error as { code?: unknown }).code;
    status.textContent = `Refused${typeof code === 'string' ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
    byId('result').replaceChildren();
  }
}

byId('open').addEventListener('click', () => void open());
