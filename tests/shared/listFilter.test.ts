import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterAndSort, foldForFilter } from '../../src/renderer/src/archive/listFilter.js';
import type { TestimonySummary } from '../../src/shared/ipc/outputSchemas.js';

/** The testimony list sorts and filters summaries in the page; these are the rules, at 100k rows. */
function summaries(count: number): TestimonySummary[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index.toString(16).padStart(32, '0'),
    reference: `REF-${index}`,
    title: index % 2 === 0 ? `Detention at Sednaya ${index}` : `شهادة من صَيْدْنايا ${index}`,
    language: index % 2 === 0 ? 'en' : 'ar',
    status: index % 3 === 0 ? 'verified' : 'draft',
    sensitivity: index % 5 === 0 ? 'critical' : 'high',
    updatedAt: new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString(),
    ...(index % 7 === 0 ? {} : { interviewDate: `20${String(10 + (index % 15)).padStart(2, '0')}` }),
    version: 1,
  }));
}

describe('testimony list filter and sort', () => {
  const items = summaries(100_000);

  it('folds case, harakat, tatweel and letter variants', () => {
    expect(foldForFilter('صَيْدْنايا')).toBe(foldForFilter('صيدنايا'));
    expect(foldForFilter('أحمد')).toBe(foldForFilter('احمد'));
    expect(foldForFilter('مدرسة')).toBe(foldForFilter('مدرسه'));
    expect(foldForFilter('SEDNAYA')).toBe('sednaya');
  });

  it('sorts 100k rows naturally by reference, both ways, without losing any', () => {
    const started = performance.now();
    const ascending = filterAndSort(items, EMPTY_FILTER, { key: 'reference', descending: false });
    const elapsed = performance.now() - started;
    expect(ascending).toHaveLength(100_000);
    expect(ascending.slice(0, 3).map((item) => item.reference)).toEqual(['REF-0', 'REF-1', 'REF-2']);
    expect(ascending.at(-1)?.reference).toBe('REF-99999'); // numeric, not REF-9999 after REF-99998
    const descending = filterAndSort(items, EMPTY_FILTER, { key: 'reference', descending: true });
    expect(descending[0]?.reference).toBe('REF-99999');
    console.info(`filterAndSort: 100k rows sorted by reference in ${elapsed.toFixed(0)} ms`);
  });

  it('filters by folded text, status, sensitivity and language together, and never mutates its input', () => {
    const before = items.slice(0, 5).map((item) => item.id);
    const arabicVerified = filterAndSort(items, { ...EMPTY_FILTER, text: 'صيدنايا', status: 'verified' }, { key: 'updatedAt', descending: true });
    expect(arabicVerified.length).toBe(items.filter((item) => item.language === 'ar' && item.status === 'verified').length);
    expect(arabicVerified.every((item) => item.language === 'ar')).toBe(true);
    expect(arabicVerified[0]?.updatedAt.localeCompare(arabicVerified[1]?.updatedAt ?? '')).toBe(1);
    const critical = filterAndSort(items, { ...EMPTY_FILTER, sensitivity: 'critical', language: 'en' }, { key: 'title', descending: false });
    expect(critical.length).toBe(10_000);
    expect(items.slice(0, 5).map((item) => item.id)).toEqual(before);
  });

  it('puts missing interview dates together and keeps ties in reference order', () => {
    const byDate = filterAndSort(items.slice(0, 50), EMPTY_FILTER, { key: 'interviewDate', descending: false });
    const missing = byDate.filter((item) => item.interviewDate === undefined);
    expect(byDate.slice(0, missing.length)).toEqual(missing);
    expect(missing.map((item) => item.reference)).toEqual(['REF-0', 'REF-7', 'REF-14', 'REF-21', 'REF-28', 'REF-35', 'REF-42', 'REF-49']);
  });
});
