/** Kubernetes version rules shared by the webhooks and the controllers. */
import semver from 'semver';

export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
  raw: string;
}

export function parseKubernetesVersion(version: string | undefined): ParsedVersion | undefined {
  if (!version) return undefined;
  const parsed = semver.parse(version.startsWith('v') ? version.slice(1) : version);
  return parsed ? { major: parsed.major, minor: parsed.minor, patch: parsed.patch, raw: version } : undefined;
}

/** CAPI accepts versions without the `v` prefix and stores them with it. */
export function withVersionPrefix(version: string): string {
  return /^\d/.test(version) ? `v${version}` : version;
}

export function compareKubernetesVersions(a: string, b: string): number {
  const pa = parseKubernetesVersion(a);
  const pb = parseKubernetesVersion(b);
  if (!pa || !pb) return a.localeCompare(b);
  return semver.compare(pa.raw.replace(/^v/, ''), pb.raw.replace(/^v/, ''));
}

/** The lowest of a set of versions (KCP's status.version is the lowest among its machines). */
export function lowestVersion(versions: Iterable<string>): string | undefined {
  let lowest: string | undefined;
  for (const version of versions)
    if (!lowest || compareKubernetesVersions(version, lowest) < 0) lowest = version;
  return lowest;
}

/** True when `to` skips at least one minor release after `from`. */
export function skipsMinor(from: ParsedVersion, to: ParsedVersion): boolean {
  return to.major > from.major || to.minor > from.minor + 1;
}
