import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestimony, cli, expectFailure, expectJsonFailure, fixture, initVault, makeTempDir, okJson, writeJson } from './cliHarness.js';

// suggest, save, show, preview and delete on one vault, in order; the last test edits the testimony.
const temp = makeTempDir('tv-cli-redaction-');
let dir = '';
let id = '';

type Plan = {
  format: string;
  testimonyId: string;
  testimonyVersion: number;
  suggestions: { id?: string; category: string; text: string; decision: 'accept' | 'reject'; source: string }[];
  spans: { field: string; start: number; end: number; textSha256: string; reason?: string; pseudonym?: string }[];
};

beforeAll(async () => {
  dir = await initVault(temp);
  id = await addTestimony(dir);
});
afterAll(() => temp.remove());

describe('redaction plans', () => {
  it('suggest prints a plan with every suggestion accepted; --out writes it (0600) once, with a warning', async () => {
    const printed = await cli(['redaction', 'suggest', dir, id]);
    expect(printed.code).toBe(0);
    const plan = JSON.parse(printed.stdout) as Plan;
    expect(plan).toMatchObject({ format: 'tvault-redaction-plan/1', testimonyId: id, testimonyVersion: 1 });
    expect(plan.suggestions.every((suggestion) => suggestion.decision === 'accept')).toBe(true);
    expect(plan.suggestions.map((suggestion) => suggestion.category)).toEqual(expect.arrayContaining(['witness-name', 'person-name', 'phone']));
    expect(printed.stderr).toMatch(/^tvault: \d+ suggestion\(s\) \(\d+ accepted, 0 rejected\)/);

    const file = path.join(temp.path, 'plan.json');
    const written = await cli(['redaction', 'suggest', dir, id, '--out', file]);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^wrote .*plan\.json: \d+ suggestion\(s\)/);
    expect(written.stderr).toContain('holds the very names and numbers it hides');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(plan);
    expectFailure(await cli(['redaction', 'suggest', dir, id, '--out', file], { env: { TVAULT_PASSPHRASE: undefined } }), 'OUTPUT_EXISTS');
  });

  it('save keeps an edited plan in the vault; show prints it back; preview applies it', async () => {
    const plan = JSON.parse(fs.readFileSync(path.join(temp.path, 'plan.json'), 'utf8')) as Plan;
    // The documenter keeps the phone number (the mechanism may call the witness) and the interviewee's name.
    const edited = { ...plan, suggestions: plan.suggestions.map((s) => (s.category === 'phone' ? { ...s, decision: 'reject' as const } : s)) };
    const saved = await cli(['redaction', 'save', dir, id, writeJson(temp, 'edited.json', edited)]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(new RegExp(`^saved the redaction plan of ${id}: \\d+ suggestion\\(s\\) \\(\\d+ accepted, [1-9]\\d* rejected\\)`));
    expect(saved.stderr).toContain('edited.json still holds the text it hides');

    const shown = await cli(['redaction', 'show', dir, id]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(edited);

    const preview = await cli(['redaction', 'preview', dir, id, '--profile', 'icc']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/^profile icc: anonymised/);
    expect(preview.stdout).toContain('title: Arrest at a Homs checkpoint and detention in Branch 215\n');
    expect(preview.stdout).toContain('  I am [WITNESS-1]. In October 2012');
    expect(preview.stdout).toContain('You can call me on 0933 410 552.'); // rejected in the saved plan
    expect(preview.stdout).not.toMatch(/Samir|Nour Hamdan/);
    expect(preview.stdout).toMatch(/^\d+ replacement\(s\): .*witness-name/m);

    // --plan overrides the saved plan: with every suggestion accepted, the phone goes too.
    const document = okJson(await cli(['redaction', 'preview', dir, id, '--profile', 'icc', '--plan', path.join(temp.path, 'plan.json'), '--json']));
    expect(document).toMatchObject({ testimonyId: id, profile: 'icc', anonymised: true });
    expect(document.transcript).toContain('You can call me on [PHONE].');
    expect(document.replacements).toContainEqual(expect.objectContaining({ field: 'transcript', category: 'phone', pseudonym: '[PHONE]' }));
    expect(JSON.stringify(document.replacements)).not.toContain('reason');
  });

  it('preview refuses a profile the consent does not cover (exit 51) and checks --profile before unlocking', async () => {
    const line = expectFailure(await cli(['redaction', 'preview', dir, id, '--profile', 'public']), 'ITEMS_REFUSED');
    expect(line).toBe(`tvault: ${id} CONSENT_SCOPE: consent covers un-mechanism, icc, ngo, not public (ITEMS_REFUSED)`);
    expectFailure(await cli(['redaction', 'preview', dir, id], { env: { TVAULT_PASSPHRASE: undefined } }), 'USAGE');
    expectFailure(await cli(['redaction', 'save', dir, id, path.join(temp.path, 'missing.json')], { env: { TVAULT_PASSPHRASE: undefined } }), 'FILE_NOT_FOUND');
  });

  it('save refuses an invalid plan, naming the field, never the text', async () => {
    const plan = JSON.parse(fs.readFileSync(path.join(temp.path, 'plan.json'), 'utf8')) as Plan;
    const invalid = await cli(['redaction', 'save', dir, id, writeJson(temp, 'invalid.json', { ...plan, suggestions: [{ ...plan.suggestions[0], decision: 'maybe' }] }), '--json']);
    const document = expectJsonFailure(invalid, 'INVALID_INPUT');
    expect(document.message).toMatch(/decision/);
    expect(document.message).not.toMatch(/Samir/);
  });

  it('a marked span is applied, and refused once the text under it changes (PLAN_STALE, exit 57)', async () => {
    const plan = JSON.parse(fs.readFileSync(path.join(temp.path, 'plan.json'), 'utf8')) as Plan;
    const { transcript } = JSON.parse(fs.readFileSync(fixture('testimony.json'), 'utf8')) as { transcript: string };
    const start = transcript.indexOf('Branch 215');
    const span = { field: 'transcript', start, end: start + 'Branch 215'.length, textSha256: createHash('sha256').update('Branch 215').digest('hex'), reason: 'the branch', pseudonym: '[PLACE-1]' };
    const withSpan = writeJson(temp, 'span.json', { ...plan, spans: [span] });
    const preview = okJson(await cli(['redaction', 'preview', dir, id, '--profile', 'ngo', '--plan', withSpan, '--json']));
    expect(preview.transcript).toContain('They took me to [PLACE-1] in Damascus');

    okJson(await cli(['testimony', 'edit', dir, id, writeJson(temp, 'patch.json', { transcript: `Recorded again. ${transcript}` }), '--json']));
    const stale = await cli(['redaction', 'preview', dir, id, '--profile', 'ngo', '--plan', withSpan]);
    expect(expectFailure(stale, 'PLAN_STALE')).toMatch(/no longer matches the text/);
    expect(stale.code).toBe(57);
  });

  it('delete removes the saved plan; show then says there is none; an unknown testimony is NOT_FOUND', async () => {
    expect(await cli(['redaction', 'delete', dir, id])).toEqual({ code: 0, stdout: `deleted the saved redaction plan of ${id}\n`, stderr: '' });
    expect(okJson(await cli(['redaction', 'show', dir, id, '--json']))).toEqual({ ok: true, testimonyId: id, plan: null });
    expectFailure(await cli(['redaction', 'delete', dir, '0'.repeat(32)]), 'NOT_FOUND');
  });
});
