/** Object names and deterministic pseudo-randomness (same object → same jitter, same faults). */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from the alphabet Kubernetes' generateName uses. */
export function randomSuffix(): string {
  return [...randomBytes(5)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** A suffix derived from a seed: idempotent names for objects created on behalf of another. */
export function stableSuffix(seed: string): string {
  return [...createHash('sha256').update(seed).digest().subarray(0, 5)]
    .map((byte) => ALPHABET[byte % ALPHABET.length])
    .join('');
}

/** A number in [0, 1) derived from a seed. */
export function stableFraction(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 10);
}

/** JSON with sorted keys, so equal objects hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Kubernetes label values are at most 63 characters; CAPI hashes longer names. */
export function labelValue(name: string): string {
  return name.length <= 63
    ? name
    : `hash_${createHash('sha256').update(name).digest('base64url').slice(0, 20)}_z`;
}
