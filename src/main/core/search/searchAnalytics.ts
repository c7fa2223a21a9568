/** A vocabulary term in an analytics table: its id and labels only (never a person). */
export type AnalyticsTerm = { id: string; labelEn?: string; labelAr?: string };

/** `null` in a dimension means the testimony records none; `year: null` means it has no period. */
export type FacilityViolationYearCount = { facility: AnalyticsTerm | null; violation: AnalyticsTerm | null; year: number | null; count: number };
export type UnitYearCount = { perpetratorUnit: AnalyticsTerm | null; year: number | null; count: number };

/**
 * Counts of testimonies over a search result. A testimony counts once in every cell it belongs to:
 * once per (facility, violation, year) combination it records, where the years are every calendar
 * year its period touches (2012-10 to 2014-03 counts in 2012, 2013 and 2014). So cells of one table
 * can add up to more than `total`, which is the number of distinct testimonies.
 */
export type SearchAnalytics = {
  total: number;
  facilityViolationYear: FacilityViolationYearCount[];
  unitYear: UnitYearCount[];
};
