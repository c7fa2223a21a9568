import type { FacetDimension, SearchFiltersInput } from '../../../shared/ipc/researchSchemas.js';

/** The list-valued filter each checkbox facet narrows (year facets set a date range instead). */
export const LIST_FILTER_OF = {
  facility: 'facilities',
  perpetratorUnit: 'perpetratorUnits',
  violation: 'violations',
  language: 'languages',
  consentScope: 'consentScopes',
  status: 'statuses',
} as const satisfies Partial<Record<FacetDimension, keyof SearchFiltersInput>>;
export type ListFacet = keyof typeof LIST_FILTER_OF;

export function isSelected(filters: SearchFiltersInput, dimension: FacetDimension, value: string): boolean {
  if (dimension === 'hasMedia') return filters.hasMedia !== undefined && String(filters.hasMedia) === value;
  if (dimension === 'year') return filters.period?.from === value && filters.period.to === value;
  if (dimension === 'interviewYear') return filters.interviewDate?.from === value && filters.interviewDate.to === value;
  const list: readonly string[] | undefined = filters[LIST_FILTER_OF[dimension]];
  return list?.includes(value) ?? false;
}

/** Ticks or unticks one facet value. Values of one dimension are OR-ed; dimensions are AND-ed (core's rule). */
export function toggleFacet(filters: SearchFiltersInput, dimension: FacetDimension, value: string): SearchFiltersInput {
  const next: SearchFiltersInput = { ...filters };
  const selected = isSelected(filters, dimension, value);
  if (dimension === 'hasMedia') {
    if (selected) delete next.hasMedia;
    else next.hasMedia = value === 'true';
    return next;
  }
  if (dimension === 'year' || dimension === 'interviewYear') {
    const key = dimension === 'year' ? 'period' : 'interviewDate';
    if (selected || value === 'unknown') delete next[key];
    else next[key] = { from: value, to: value };
    return next;
  }
  const key = LIST_FILTER_OF[dimension];
  const current: string[] = [...(filters[key] ?? [])];
  const updated = selected ? current.filter((entry) => entry !== value) : [...current, value];
  if (updated.length === 0) delete next[key];
  else (next as Record<string, unknown>)[key] = updated;
  return next;
}

export function activeFilterCount(filters: SearchFiltersInput): number {
  return Object.values(filters).filter((value) => value !== undefined && (!Array.isArray(value) || value.length > 0)).length;
}
