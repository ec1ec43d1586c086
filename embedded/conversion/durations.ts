/**
 * v1beta1 durations (Go `metav1.Duration` strings such as "10m0s") ⇄ v1beta2 `…Seconds`
 * integers, as CAPI's ConvertToSeconds / ConvertFromSeconds do.
 */
const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration string; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([+-])?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!match && text !== '0') return undefined;
  if (text === '0') return 0;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * units[part[2]!]!;
  return text.startsWith('-') ? -total : total;
}

/** Go's time.Duration.String() for whole seconds: "0s", "45s", "10m0s", "1h0m0s". */
export function formatGoDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(seconds));
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

export function toSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = parseGoDuration(value);
  return seconds === undefined ? undefined : Math.round(seconds);
}

export function fromSeconds(value: unknown): string | undefined {
  return typeof value === 'number' ? formatGoDuration(value) : undefined;
}
