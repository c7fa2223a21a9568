import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSENT_SCOPES, TESTIMONY_STATUSES } from '../../../src/main/core/records/testimonySchema.js';
import { DocumentFacts, LINK, type DocumentFact } from '../../../src/main/core/search/DocumentFacts.js';

const factArbitrary: fc.Arbitrary<DocumentFact> = fc.record({
  facilities: fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 4 }),
  units: fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 3 }),
  violations: fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 5 }),
  persons: fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 6 }),
  language: fc.constantFrom('en', 'ar', 'ar-SY', 'fr', 'ku'),
  status: fc.constantFrom(...TESTIMONY_STATUSES),
  scopes: fc.subarray([...CONSENT_SCOPES]),
  period: fc.option(fc.constant(['2012-10-01', '2014-03-31'] as const), { nil: null }),
  interview: fc.option(fc.constant(['2020-05-01', '2020-05-31'] as const), { nil: null }),
});

describe('document facts (the facet columns a snapshot carries packed)', () => {
  it('packs and unpacks every column exactly, across growth, rewrites and deletes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), factArbitrary, fc.boolean(), fc.integer({ min: 0, max: 3 })), { maxLength: 200 }), (operations) => {
        const facts = DocumentFacts.empty();
        const expected = new Map<number, { fact: DocumentFact; media: number }>();
        for (const [rowid, fact, keep, media] of operations) {
          facts.set(rowid, fact);
          facts.setMedia(rowid, media);
          expected.set(rowid, { fact, media });
          if (!keep) {
            facts.delete(rowid);
            expected.delete(rowid);
          }
        }
        const unpacked = DocumentFacts.unpack(facts.pack());
        expect(unpacked).not.toBeNull();
        for (const copy of [facts, unpacked as DocumentFacts]) {
          for (let rowid = 0; rowid < Math.max(copy.size, 5001); rowid += 1) expect(copy.has(rowid)).toBe(expected.has(rowid));
          for (const [rowid, { fact, media }] of expected) {
            expect([...copy.linked(rowid, LINK.facility)]).toEqual(fact.facilities);
            expect([...copy.linked(rowid, LINK.unit)]).toEqual(fact.units);
            expect([...copy.linked(rowid, LINK.violation)]).toEqual(fact.violations);
            expect([...copy.linked(rowid, LINK.person)]).toEqual(fact.persons);
            expect(copy.languages[copy.language[rowid] ?? -1]).toBe(fact.language);
            expect(TESTIMONY_STATUSES[copy.status[rowid] ?? -1]).toBe(fact.status);
            expect(CONSENT_SCOPES.filter((_, i) => ((copy.scopes[rowid] ?? 0) & (1 << i)) !== 0)).toEqual(CONSENT_SCOPES.filter((scope) => fact.scopes.includes(scope)));
            expect(copy.media[rowid]).toBe(media);
            expect(copy.periodLow[rowid]).toBe(fact.period ? 20121001 : 0);
            expect(copy.interviewHigh[rowid]).toBe(fact.interview ? 20200531 : 0);
          }
        }
        // The unpacked copy keeps working as a live store.
        const live = unpacked as DocumentFacts;
        live.set(9000, { facilities: [7], units: [], violations: [], persons: [8], language: 'en', status: 'draft', scopes: [], period: null, interview: null });
        expect([...live.linked(9000, LINK.person)]).toEqual([8]);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a blob it did not write', () => {
    expect(DocumentFacts.unpack(new Uint8Array([1, 0, 0, 0, 0x7b]))).toBeNull();
    expect(DocumentFacts.unpack(new Uint8Array(2))).toBeNull();
  });
});
