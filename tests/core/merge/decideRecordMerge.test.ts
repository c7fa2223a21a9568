import { describe, expect, it } from 'vitest';
import { decideRecordMerge } from '../../../src/main/core/merge/decideRecordMerge.js';

describe('decideRecordMerge: how an incoming history joins the local ones', () => {
  it('adds a record the vault has never seen', () => {
    expect(decideRecordMerge(['a', 'b'], [], 'X')).toEqual({ action: 'create' });
  });

  it('finds nothing new when the incoming history is the local one or the start of it', () => {
    expect(decideRecordMerge(['a', 'b'], [{ id: 'X', digests: ['a', 'b'] }], 'X')).toEqual({ action: 'present', localId: 'X' });
    expect(decideRecordMerge(['a'], [{ id: 'X', digests: ['a', 'b', 'c'] }], 'X')).toEqual({ action: 'present', localId: 'X' });
  });

  it('appends the later versions when the local history is the start of the incoming one', () => {
    expect(decideRecordMerge(['a', 'b', 'c'], [{ id: 'X', digests: ['a'] }], 'X')).toEqual({ action: 'extend', localId: 'X', from: 1 });
  });

  it('keeps a diverged history beside the local one, never over it', () => {
    expect(decideRecordMerge(['a', 'b', 'field'], [{ id: 'X', digests: ['a', 'b', 'archive'] }], 'X')).toEqual({ action: 'create' });
    // Different from the very first version: still two records, not one overwritten.
    expect(decideRecordMerge(['z'], [{ id: 'X', digests: ['a'] }], 'X')).toEqual({ action: 'create' });
  });

  it('recognises its own history in a conflict copy the other vault kept, and continues that copy', () => {
    const family = [{ id: 'X', digests: ['a', 'archive'] }, { id: 'C', digests: ['a', 'field'] }];
    expect(decideRecordMerge(['a', 'field'], family, 'X')).toEqual({ action: 'present', localId: 'C' });
    expect(decideRecordMerge(['a', 'field', 'field2'], family, 'X')).toEqual({ action: 'extend', localId: 'C', from: 2 });
    expect(decideRecordMerge(['a', 'other'], family, 'X')).toEqual({ action: 'create' });
  });

  it('prefers the record with the same id, then the longest history', () => {
    expect(decideRecordMerge(['a'], [{ id: 'C', digests: ['a'] }, { id: 'X', digests: ['a'] }], 'X')).toEqual({ action: 'present', localId: 'X' });
    expect(decideRecordMerge(['a', 'b', 'c'], [{ id: 'C', digests: ['a', 'b'] }, { id: 'D', digests: ['a'] }], 'X')).toEqual({ action: 'extend', localId: 'C', from: 2 });
    expect(decideRecordMerge(['a', 'b', 'c'], [{ id: 'C', digests: ['a', 'b'] }, { id: 'X', digests: ['a'] }], 'X')).toEqual({ action: 'extend', localId: 'X', from: 1 });
  });
});
