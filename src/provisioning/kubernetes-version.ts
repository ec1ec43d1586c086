/**
 * Kubernetes versions as CAPI writes them (`v1.31.2`, optionally with pre-release or build
 * metadata), compared with the `semver` package. CAPI's webhooks demand the leading `v`
 * (`version.KubeSemver`); a caller may omit it and gets it added.
 */
import semver from 'semver';

export interface KubernetesVersion {
  /** As written to the API server: always with the leading `v`, build metadata kept. */
  text: string;
  major: number;
  minor: number;
  patch: number;
  parsed: semver.SemVer;
}

const KUBE_SEMVER = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-+][0-9A-Za-z.+-]*)?$/;

/** The version, or null when it is not a full semantic version (`1.31` and `latest` are not). */
export function parseKubernetesVersion(input: string): KubernetesVersion | null {
  if (input.length > 256 || !KUBE_SEMVER.test(input)) return null;
  const parsed = semver.parse(input);
  if (!parsed) return null;
  return {
    text: input.startsWith('v') ? input : `v${input}`,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    parsed,
  };
}

/** <0, 0, >0 as `a` is older than, equal to or newer than `b` (build metadata ignored, as semver says). */
export function compareVersions(a: KubernetesVersion, b: KubernetesVersion): number {
  return semver.compare(a.parsed, b.parsed);
}

/** `v1.31` — a minor line, for messages and step names. */
export function minorOf(version: KubernetesVersion): string {
  return `v${version.major}.${version.minor}`;
}

export function sameMinor(a: KubernetesVersion, b: KubernetesVersion): boolean {
  return a.major === b.major && a.minor === b.minor;
}

/** How many minor versions `to` is ahead of `from` (negative when behind; across majors counts 100 per major). */
export function minorDistance(from: KubernetesVersion, to: KubernetesVersion): number {
  return (to.major - from.major) * 100 + (to.minor - from.minor);
}

/** The newest of a list of version strings (unparseable ones skipped), or null. */
export function newestOf(versions: Iterable<string | null | undefined>): KubernetesVersion | null {
  let newest: KubernetesVersion | null = null;
  for (const text of versions) {
    const version = text ? parseKubernetesVersion(text) : null;
    if (version && (!newest || compareVersions(version, newest) > 0)) newest = version;
  }
  return newest;
}

/** The oldest of a list of version strings (unparseable ones skipped), or null. */
export function oldestOf(versions: Iterable<string | null | undefined>): KubernetesVersion | null {
  let oldest: KubernetesVersion | null = null;
  for (const text of versions) {
    const version = text ? parseKubernetesVersion(text) : null;
    if (version && (!oldest || compareVersions(version, oldest) < 0)) oldest = version;
  }
  return oldest;
}

/** Equal as versions (`v1.31.2` and `1.31.2` are; build metadata is compared too, as CAPI compares strings). */
export function sameVersion(a: string | null | undefined, b: KubernetesVersion): boolean {
  const parsed = a ? parseKubernetesVersion(a) : null;
  return parsed !== null && parsed.text === b.text;
}
