import type { SearchRequestInput } from '../core/search/searchRequest.js';
import { CliError } from './CliError.js';
import type { CommandSpec } from './CommandSpec.js';
import { parsePositiveInteger } from './parseCommandArgs.js';

/** The filter flags of `tvault search` and `tvault stats` (core validates the values). */
export const SEARCH_FILTER_OPTIONS = {
  facility: { type: 'string', multiple: true },
  unit: { type: 'string', multiple: true },
  violation: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  'interviewed-from': { type: 'string' },
  'interviewed-to': { type: 'string' },
  language: { type: 'string', multiple: true },
  consent: { type: 'string', multiple: true },
  'has-media': { type: 'boolean' },
  'no-media': { type: 'boolean' },
  status: { type: 'string', multiple: true },
  tolerant: { type: 'boolean' },
  'no-variants': { type: 'boolean' },
} as const;

export const SEARCH_FILTER_HELP = [
  '--facility <term>        a facility by id or any label or alias, e.g. Saydnaya (repeat for OR)',
  '--unit <term>            a perpetrator unit (repeat for OR)',
  '--violation <term>       a violation type (repeat for OR)',
  '--from <date> --to <date>  testimonies whose period overlaps (YYYY, YYYY-MM or YYYY-MM-DD)',
  '--interviewed-from <date> --interviewed-to <date>  interviewed within',
  '--language <code>        e.g. ar (also matches ar-SY); repeat for OR',
  '--consent <scope>        consent grants: un-mechanism, icc, national-prosecution, ngo or public',
  '--has-media | --no-media',
  '--status <status>        draft, in-review, verified or archived (repeat for OR)',
  '--tolerant               also match unrecorded Latin spellings (Mohamad ~ Muhammad)',
  '--no-variants            do not widen names to their recorded variants and aliases',
] as const;

type FilterValues = {
  [K in keyof typeof SEARCH_FILTER_OPTIONS]?: (typeof SEARCH_FILTER_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof SEARCH_FILTER_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

function range(from: string | undefined, to: string | undefined): { from?: string; to?: string } | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** A request as the flags give it: core's request schema checks every value (scopes, statuses, dates). */
export type FlagSearchRequest = Omit<SearchRequestInput, 'filters'> & { filters: Record<string, unknown> };

/** Turns the flags into a search request; bad values are reported by core's request schema. */
export function searchRequestFromFlags(spec: CommandSpec, query: string, values: FilterValues & { limit?: string; offset?: string }): FlagSearchRequest {
  if (values['has-media'] && values['no-media']) throw new CliError('USAGE', 'give either --has-media or --no-media, not both');
  const period = range(values.from, values.to);
  const interviewDate = range(values['interviewed-from'], values['interviewed-to']);
  const hasMedia = values['has-media'] ? true : values['no-media'] ? false : undefined;
  const filters = {
    ...(values.facility ? { facilities: values.facility } : {}),
    ...(values.unit ? { perpetratorUnits: values.unit } : {}),
    ...(values.violation ? { violations: values.violation } : {}),
    ...(period ? { period } : {}),
    ...(interviewDate ? { interviewDate } : {}),
    ...(values.language ? { languages: values.language } : {}),
    ...(values.consent ? { consentScopes: values.consent } : {}),
    ...(hasMedia !== undefined ? { hasMedia } : {}),
    ...(values.status ? { statuses: values.status } : {}),
  };
  return {
    query,
    tolerant: values.tolerant === true,
    expandVariants: values['no-variants'] !== true,
    filters,
    ...(values.limit !== undefined ? { limit: parsePositiveInteger(spec, 'limit', values.limit) } : {}),
    ...(values.offset !== undefined ? { offset: values.offset === '0' ? 0 : parsePositiveInteger(spec, 'offset', values.offset) } : {}),
  };
}
