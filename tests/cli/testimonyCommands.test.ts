import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTestimony, cli, expectFailure, expectJsonFailure, fixture, initVault, makeTempDir, okJson, writeJson,
} from './cliHarness.js';

// One vault for the whole file: every unlock costs a second of Argon2id.
const temp = makeTempDir();
let dir = '';
let sampleId = '';
const EVIL_TITLE = 'evil \u001b]0;owned\u0007\u001b[2J title';
const sample = JSON.parse(fs.readFileSync(fixture('testimony.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  dir = await initVault(temp);
  sampleId = await addTestimony(dir);
});
afterAll(() => temp.remove());

describe('testimony add', () => {
  it('prints only the new id, and reports new vocabulary terms on stderr', async () => {
    const file = writeJson(temp, 'new-term.json', { ...sample, reference: 'T-NEW-TERM', violations: ['torture', 'hanging by the wrists (shabeh)'] });
    const run = await cli(['testimony', 'add', dir, file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    expect(run.stderr).toBe('tvault: added new violation term "hanging by the wrists (shabeh)" to the vocabulary\n');
  });

  it('returns id, interviewee, persons and added terms as JSON', async () => {
    // Its title carries terminal escapes; the list test below checks they never reach the terminal.
    const file = writeJson(temp, 'json-add.json', { ...sample, reference: 'T-JSON', title: EVIL_TITLE, facilities: ['Saydnaya', 'Branch 999 (unlisted)'] });
    const document = okJson(await cli(['testimony', 'add', dir, file, '--json']));
    expect(document.id).toMatch(/^[0-9a-f]{32}$/);
    expect(document.intervieweeId).toMatch(/^[0-9a-f]{32}$/);
    expect(document.personIds).toHaveLength(2);
    // "Saydnaya" is an alias of the seeded Sednaya term; only the unknown facility is added.
    expect(document.addedTerms).toEqual([{ scheme: 'facility', label: 'Branch 999 (unlisted)' }]);
  });

  it('names the invalid field, and adds nothing', async () => {
    const file = writeJson(temp, 'bad-email.json', { ...sample, reference: 'T-INVALID', interviewee: { name: 'X', email: 'not-an-address' } });
    const line = expectFailure(await cli(['testimony', 'add', dir, file]), 'INVALID_INPUT');
    expect(line).toBe('tvault: invalid testimony: interviewee.email: must be an email address (INVALID_INPUT)');
    // That nothing was added is checked by the list test below (no T-INVALID).
  });

  it('rejects a file that is not JSON before asking for a passphrase', async () => {
    const file = path.join(temp.path, 'not.json');
    fs.writeFileSync(file, '{"reference": "SECRET-REF", ');
    // No passphrase source at all: BAD_JSON proves the file was checked first.
    const run = await cli(['testimony', 'add', dir, file, '--json'], { env: { TVAULT_PASSPHRASE: undefined } });
    const document = expectJsonFailure(run, 'BAD_JSON');
    expect(document.message).not.toContain('SECRET-REF');
    expect(run.stderr).not.toContain('SECRET-REF');
  });

  it('reports a missing input file', async () => {
    expectFailure(await cli(['testimony', 'add', dir, path.join(temp.path, 'absent.json')]), 'FILE_NOT_FOUND');
  });
});

describe('testimony show / list', () => {
  it('shows the stored fields as JSON', async () => {
    const { testimony } = okJson(await cli(['testimony', 'show', dir, sampleId, '--json'])) as { testimony: Record<string, unknown> };
    expect(testimony).toMatchObject({ id: sampleId, version: 1, headVersion: 1, reference: 'SAMPLE-2025-0007', status: 'draft', language: 'en' });
    expect(testimony.interviewee).toMatchObject({ name: 'Samir Youssef Qassem', email: 's.qassem@example.net' });
    expect((testimony.facilities as { labelEn: string }[]).map((t) => t.labelEn)).toEqual([
      'Raids Branch (Branch 215), Military Intelligence', 'Sednaya Military Prison',
    ]);
  });

  it('shows it for humans: fields, persons with roles, transcript', async () => {
    const run = await cli(['testimony', 'show', dir, sampleId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^id: +[0-9a-f]{32}$/m);
    expect(run.stdout).toMatch(/^reference: +SAMPLE-2025-0007$/m);
    expect(run.stdout).toMatch(/^version: +1 \(latest\)$/m);
    expect(run.stdout).toMatch(/^missing \([0-9a-f]{32}\):\n {2}name: +Nour Hamdan$/m);
    expect(run.stdout).toContain('  I am Samir Youssef Qassem.');
  });

  it('lists testimonies as a table', async () => {
    const run = await cli(['testimony', 'list', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^ID +REFERENCE +V +STATUS/);
    expect(run.stdout).toMatch(new RegExp(`^${sampleId} +SAMPLE-2025-0007 +1 +draft +high +2025-01-20 +Arrest at a Homs`, 'm'));
    expect(run.stdout).not.toContain('T-INVALID');
    // Record text never drives the terminal: escapes and bells are replaced.
    expect(run.stdout).toMatch(/ T-JSON .* evil \uFFFD\]0;owned\uFFFD\uFFFD\[2J title$/m);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u0007');
  });

  it('reports an unknown id', async () => {
    const line = expectFailure(await cli(['testimony', 'show', dir, '0123456789abcdef0123456789abcdef']), 'NOT_FOUND');
    expect(line).toContain('0123456789abcdef0123456789abcdef');
  });
});

describe('testimony edit / history', () => {
  let id = '';
  beforeAll(async () => {
    id = await addTestimony(dir, writeJson(temp, 'to-edit.json', { ...sample, reference: 'T-EDIT', persons: [] }));
  });

  it('writes a new version and keeps the old one readable', async () => {
    const patch = writeJson(temp, 'patch.json', { status: 'in-review', violations: ['torture', 'sleep deprivation (cli test)'] });
    const run = await cli(['testimony', 'edit', dir, id, patch]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`testimony ${id} is now at version 2\n`);
    expect(run.stderr).toContain('added new violation term "sleep deprivation (cli test)"');

    const history = await cli(['testimony', 'history', dir, id]);
    expect(history.stdout).toMatch(/^VERSION +SAVED\n1 +\d{4}-\d\d-\d\dT[\d:.]+Z\n2 +\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    const latest = okJson(await cli(['testimony', 'show', dir, id, '--json'])).testimony as Record<string, unknown>;
    expect(latest).toMatchObject({ version: 2, status: 'in-review', reference: 'T-EDIT' });
    const original = okJson(await cli(['testimony', 'show', dir, id, '--version', '1', '--json'])).testimony as Record<string, unknown>;
    expect(original).toMatchObject({ version: 1, headVersion: 2, status: 'draft' });
  });

  it('returns the new version as JSON, and refuses an invalid patch', async () => {
    const edited = okJson(await cli(['testimony', 'edit', dir, id, writeJson(temp, 'p2.json', { summary: 'revised' }), '--json']));
    expect(edited).toMatchObject({ id, version: 3, addedTerms: [] });
    const line = expectFailure(await cli(['testimony', 'edit', dir, id, writeJson(temp, 'p3.json', { status: 'published' })]), 'INVALID_INPUT');
    expect(line).toContain('status');
  });

  it('reports a version that does not exist', async () => {
    expectFailure(await cli(['testimony', 'show', dir, id, '--version', '99']), 'NOT_FOUND');
  });
});

describe('testimony delete', () => {
  it('crypto-shreds the testimony and the persons only it names', async () => {
    const file = writeJson(temp, 'to-delete.json', { ...sample, reference: 'T-DELETE' });
    const added = okJson(await cli(['testimony', 'add', dir, file, '--json']));
    const id = added.id as string;
    const removed = okJson(await cli(['testimony', 'delete', dir, id, '--json']));
    expect(removed).toEqual({ ok: true, id, reference: 'T-DELETE', mediaDeleted: 0, personsDeleted: 3 });
    expectFailure(await cli(['person', 'show', dir, added.intervieweeId as string]), 'NOT_FOUND');
  });

  it('says what it removed, for humans', async () => {
    const id = await addTestimony(dir, writeJson(temp, 'to-delete-2.json', { ...sample, reference: 'T-DELETE-2', persons: [] }));
    const run = await cli(['testimony', 'delete', dir, id]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`deleted testimony T-DELETE-2 (${id}): 0 media file(s) and 1 person(s) crypto-shredded\n`);
    expectFailure(await cli(['testimony', 'delete', dir, id]), 'NOT_FOUND');
  });
});
