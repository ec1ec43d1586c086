/**
 * The normalised gateway answers every fixture must give, recorded from the real fixture
 * (kube-apiserver + CAPI v1.14) into expected/<scenario>.json. `CONTRACT_RECORD=real` makes the
 * real fixture write them instead of comparing (review the diff before committing it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const expectedDir = fileURLToPath(new URL('./expected/', import.meta.url));

export function recording(fixture: string): boolean {
  return process.env.CONTRACT_RECORD === fixture;
}

function file(scenario: string): string {
  return `${expectedDir}${scenario}.json`;
}

/** The recorded answer, or undefined when none is recorded yet. */
export function expectedAnswer(scenario: string): unknown {
  const path = file(scenario);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined;
}

/** Writes the answer as the repository formats JSON (so `npm run format:check` stays green). */
export async function recordAnswer(scenario: string, answer: unknown): Promise<void> {
  mkdirSync(expectedDir, { recursive: true });
  const path = file(scenario);
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(answer), { ...options, filepath: path }));
}
