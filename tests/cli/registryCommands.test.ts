import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestimony, cli, expectFailure, initVault, makeTempDir, okJson, writeJson } from './cliHarness.js';

// Persons and vocabulary, on one vault holding the sample testimony (search: searchCommands.test.ts).
const temp = makeTempDir();
let dir = '';
let sampleId = '';

beforeAll(async () => {
  dir = await initVault(temp);
  sampleId = await addTestimony(dir);
});
afterAll(() => temp.remove());

describe('person', () => {
  let personId = '';

  it('adds a person and prints only the id', async () => {
    const file = writeJson(temp, 'person.json', { name: 'Layla Haddad', aliases: ['ليلى حداد'], email: 'layla@example.org', birthDate: '1990-02' });
    const run = await cli(['person', 'add', dir, file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    personId = run.stdout.trim();
  });

  it('shows the person, for humans and as JSON', async () => {
    const human = await cli(['person', 'show', dir, personId]);
    expect(human.stdout).toBe(
      [`id:           ${personId}`, 'version:      1', 'name:         Layla Haddad', 'aliases:      ليلى حداد', 'email:        layla@example.org', 'birth date:   1990-02', ''].join('\n'),
    );
    const { person } = okJson(await cli(['person', 'show', dir, personId, '--json']));
    expect(person).toEqual({ id: personId, version: 1, name: 'Layla Haddad', aliases: ['ليلى حداد'], email: 'layla@example.org', birthDate: '1990-02' });
  });

  it('lists the registry, including the persons a testimony brought in', async () => {
    const { persons } = okJson(await cli(['person', 'list', dir, '--json'])) as { persons: { id: string; name: string }[] };
    expect(persons.map((p) => p.name).sort()).toEqual(['Layla Haddad', 'Nour Hamdan', 'Samir Youssef Qassem', 'the interrogator known as Abu Ali']);
    const table = await cli(['person', 'list', dir]);
    expect(table.stdout).toMatch(new RegExp(`^${personId} +Layla Haddad +ليلى حداد$`, 'm'));
  });

  it('names the invalid field, and refuses an unknown id', async () => {
    const line = expectFailure(await cli(['person', 'add', dir, writeJson(temp, 'bad-person.json', { name: 'X', gender: 'robot' })]), 'INVALID_INPUT');
    expect(line).toMatch(/^tvault: invalid person: gender: /);
    expectFailure(await cli(['person', 'show', dir, sampleId]), 'NOT_FOUND'); // a testimony id is not a person id
  });
});

describe('vocab', () => {
  it('lists one scheme, with English and Arabic labels', async () => {
    const { terms } = okJson(await cli(['vocab', 'list', dir, '--scheme', 'facility', '--json'])) as { terms: { scheme: string; labelEn?: string; labelAr?: string }[] };
    expect(terms.length).toBeGreaterThan(5);
    expect(new Set(terms.map((t) => t.scheme))).toEqual(new Set(['facility']));
    expect(terms).toContainEqual(expect.objectContaining({ labelEn: 'Sednaya Military Prison', labelAr: 'سجن صيدنايا العسكري' }));
  });

  it('adds a term with aliases, which testimonies then match', async () => {
    const added = await cli(['vocab', 'add', dir, '--scheme', 'facility', '--en', 'Branch 285 (cli test)', '--ar', 'فرع 285', '--alias', 'B285', '--alias', 'Branch two-eighty-five']);
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const table = await cli(['vocab', 'list', dir, '--scheme', 'facility']);
    expect(table.stdout).toMatch(new RegExp(`^${id} +facility +Branch 285 \\(cli test\\) +فرع 285 +B285, Branch two-eighty-five$`, 'm'));
    // An alias in a new testimony resolves to the term instead of creating another one.
    const file = writeJson(temp, 'alias.json', { reference: 'T-ALIAS', title: 'alias use', language: 'en', facilities: ['b285'] });
    const result = okJson(await cli(['testimony', 'add', dir, file, '--json']));
    expect(result.addedTerms).toEqual([]);
  });
});
