import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestVault, type VaultFixture, errorCodeOf, sampleTestimony } from '../coreFixtures.js';

describe('testimonies, persons and vocabularies', () => {
  let fixture: VaultFixture;
  beforeAll(async () => {
    fixture = await createTestVault();
  });
  afterAll(() => fixture.cleanup());

  it('round-trips every field of the sample testimony, with its persons and vocabulary terms', () => {
    const sample = sampleTestimony();
    const { testimonyId, intervieweeId, personIds, addedTerms } = fixture.service.addTestimony(sample);
    const shown = fixture.service.getTestimony(testimonyId);
    expect(shown).toMatchObject({
      reference: sample.reference, title: sample.title, language: 'en', interviewDate: '2025-01-20', interviewer: 'Documentation team A',
      transcript: sample.transcript, summary: sample.summary, tags: ['branch-215', 'homs'], period: { from: '2012-10', to: '2016-03' },
      consent: { scopes: ['un-mechanism', 'icc', 'ngo'], anonymity: true, mediaUse: true, date: '2025-01-20', withdrawn: false },
      status: 'draft', sensitivity: 'high', version: 1, headVersion: 1,
    });
    expect(shown.interviewee).toMatchObject({ id: intervieweeId, name: 'Samir Youssef Qassem', phone: '+963 933 410 552', nationalId: '02110498765', email: 's.qassem@example.net', birthDate: '1985-06-03', gender: 'male' });
    expect(shown.interviewee?.aliases).toContain('سمير يوسف قاسم');
    expect(shown.persons.map((p) => [p.id, p.name, p.role])).toEqual([
      [personIds[0], 'Nour Hamdan', 'missing'],
      [personIds[1], 'the interrogator known as Abu Ali', 'perpetrator'],
    ]);
    expect(shown.facilities.map((t) => t.labelEn)).toEqual(['Raids Branch (Branch 215), Military Intelligence', 'Sednaya Military Prison']);
    expect(shown.perpetratorUnits.map((t) => t.labelEn)).toEqual(['Military Intelligence Directorate']);
    expect(shown.violations.map((t) => t.labelEn)).toEqual(['torture', 'enforced disappearance', 'inhumane conditions of detention']);
    expect(addedTerms).toEqual([]);
  });

  it('matches vocabulary across scripts, harakat and spellings, and adds and reports unknown terms', () => {
    const { testimonyId, addedTerms } = fixture.service.addTestimony({
      reference: 'T-AR-1', title: 'شهادة', language: 'ar',
      facilities: ['صَيْدْنايا', 'SAYDNAYA', 'فرع فلسطين'], violations: ['الشبح', 'Shabeh', 'water torture'], perpetratorUnits: ['أمن الدولة'],
    });
    const shown = fixture.service.getTestimony(testimonyId);
    expect(shown.facilities.map((t) => t.labelEn)).toEqual(['Sednaya Military Prison', 'Palestine Branch (Branch 235), Military Intelligence']);
    expect(shown.violations.map((t) => t.labelEn)).toEqual(['suspension (shabeh)', 'water torture']);
    expect(shown.perpetratorUnits.map((t) => t.labelAr)).toEqual(['إدارة المخابرات العامة (أمن الدولة)']);
    expect(addedTerms).toEqual([{ scheme: 'violation', label: 'water torture' }]);
    expect(fixture.service.listVocabulary('violation').some((t) => t.labelEn === 'water torture')).toBe(true);
  });

  it('keeps every version on edit, and an edit changes only the fields it names', () => {
    const { testimonyId } = fixture.service.addTestimony(sampleTestimony());
    const original = fixture.service.getTestimony(testimonyId);
    const { version } = fixture.service.updateTestimony(testimonyId, { title: 'Corrected title', violations: ['beating'] });
    expect(version).toBe(2);
    const edited = fixture.service.getTestimony(testimonyId);
    expect(edited.title).toBe('Corrected title');
    expect(edited.transcript).toBe(original.transcript);
    expect(edited.tags).toEqual(original.tags);
    expect(edited.consent).toEqual(original.consent);
    expect(edited.facilities).toEqual(original.facilities);
    expect(edited.violations.map((t) => t.labelEn)).toEqual(['beating']);
    expect(fixture.service.getTestimony(testimonyId, 1).title).toBe(original.title);
    expect(fixture.service.testimonyHistory(testimonyId).map((v) => v.version)).toEqual([1, 2]);
  });

  it('names the bad field in invalid input and stores nothing', async () => {
    const countBefore = fixture.service.listTestimonies().length;
    const invalid = { ...sampleTestimony(), interviewee: { name: 'X', email: 'not-an-email' } };
    await expect(async () => fixture.service.addTestimony(invalid)).rejects.toThrow(/interviewee\.email/);
    await expect(async () => fixture.service.addTestimony({ ...sampleTestimony(), interviewDate: '2025-02-30' })).rejects.toThrow(/interviewDate/);
    await expect(async () => fixture.service.addTestimony({ ...sampleTestimony(), consent: { scopes: ['everyone'] } })).rejects.toThrow(/consent\.scopes/);
    await expect(async () => fixture.service.addTestimony({ ...sampleTestimony(), surprise: 1 })).rejects.toThrow(/surprise|unrecognized/i);
    expect(await errorCodeOf(() => fixture.service.addTestimony('not an object'))).toBe('INVALID_INPUT');
    expect(fixture.service.listTestimonies().length).toBe(countBefore);
  });

  it('reports unknown ids', async () => {
    expect(await errorCodeOf(() => fixture.service.getTestimony('0'.repeat(32)))).toBe('NOT_FOUND');
    expect(await errorCodeOf(() => fixture.service.updateTestimony('0'.repeat(32), { title: 'x' }))).toBe('NOT_FOUND');
    const personId = fixture.service.addPerson({ name: 'Person Only' });
    expect(await errorCodeOf(() => fixture.service.getTestimony(personId))).toBe('NOT_FOUND');
    expect(await errorCodeOf(() => fixture.service.getTestimony(fixture.service.listTestimonies()[0]?.id ?? '', 9))).toBe('NOT_FOUND');
  });

  it('round-trips persons in the registry with every sensitive field, and versions their edits', () => {
    const personId = fixture.service.addPerson({ name: 'يوسف درويش', aliases: ['Youssef Darwich', 'Yousef Darwish'], phone: '٠٩٣٣ ٤١٠ ٥٥٢', gender: 'male', birthDate: '1979' });
    expect(fixture.service.getPerson(personId)).toMatchObject({ name: 'يوسف درويش', aliases: ['Youssef Darwich', 'Yousef Darwish'], phone: '٠٩٣٣ ٤١٠ ٥٥٢', birthDate: '1979' });
    expect(fixture.service.updatePerson(personId, { name: 'يوسف درويش', aliases: [] })).toBe(2);
    expect(fixture.service.getPerson(personId, 1).aliases).toHaveLength(2);
    expect(fixture.service.listPersons().some((p) => p.id === personId)).toBe(true);
  });

  it('crypto-shreds a deleted testimony: its key and every version are gone, and persons only it named', () => {
    const other = fixture.service.addTestimony(sampleTestimony());
    const { testimonyId, personIds, intervieweeId } = fixture.service.addTestimony(sampleTestimony());
    fixture.service.updateTestimony(testimonyId, { title: 'second version' });
    const result = fixture.service.deleteTestimony(testimonyId);
    expect(result).toEqual({ mediaDeleted: 0, personsDeleted: 3 });
    const db = fixture.service.sessionForCore.db;
    for (const id of [testimonyId, intervieweeId, ...personIds]) {
      expect(db.prepare('SELECT COUNT(*) AS n FROM records WHERE record_id = ?').get(id)).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM record_fields WHERE record_id = ?').get(id)).toEqual({ n: 0 });
    }
    expect(fixture.service.getTestimony(other.testimonyId).persons).toHaveLength(2);
    expect(fixture.service.auditLog().entries.filter((e) => e.recordId === testimonyId).map((e) => e.action)).toEqual(['testimony.create', 'testimony.edit', 'testimony.delete']);
  });

  it('searches with Arabic normalisation and vocabulary aliases, kept current as records change', async () => {
    const { testimonyId } = fixture.service.addTestimony({ reference: 'T-AR-2', title: 'إبراهيم', language: 'ar', transcript: 'اعتُقِلتُ عام ٢٠١٤ في صَيْدْنايا', facilities: ['Sednaya'] });
    for (const query of ['ابراهيم', '2014', 'صيدنايا', 'Seidnaya']) {
      expect((await fixture.service.search({ query })).hits.map((hit) => hit.id), query).toContain(testimonyId);
    }
    expect((await fixture.service.search({ query: 'nothing-like-this' })).total).toBe(0);
    fixture.service.updateTestimony(testimonyId, { transcript: 'نُقلتُ إلى تدمر' });
    expect((await fixture.service.search({ query: '٢٠١٤' })).hits.map((hit) => hit.id)).not.toContain(testimonyId);
    expect((await fixture.service.search({ query: 'تدمر' })).hits.map((hit) => hit.id)).toContain(testimonyId);
  });

  it('passes verify after all of the above', async () => {
    const report = await fixture.service.verify();
    expect(report.problems).toEqual([]);
    expect(report.counts.auditEntries).toBeGreaterThan(10);
  });
});
