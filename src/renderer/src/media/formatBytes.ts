const UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

/** 1536 → "1.5 KiB"; units stay Latin (they are symbols), digits follow the interface. */
export function formatBytes(bytes: number, formatNumber: (value: number) => string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(unit === 0 ? value : Math.round(value * 10) / 10)} ${UNITS[unit] ?? 'B'}`;
}
