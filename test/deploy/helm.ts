/**
 * helm for the chart's tests, built from the Go module proxy by deploy/scripts/build-helm.sh (a
 * no-op once built), and the chart rendered with it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './package-layout.ts';

const run = promisify(execFile);
export const chartDir = join(repoRoot, 'deploy/helm/capi-gateway');
export const testValues = join(chartDir, 'ci/test-values.yaml');

/** Why helm cannot be had here, or undefined. */
export function helmSkipReason(): string | undefined {
  return spawnSync('go', ['version']).status === 0
    ? undefined
    : 'Go is not installed: helm cannot be built from the module proxy';
}

export async function helmBinary(): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot, 'deploy/scripts/build-helm.sh')], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim().split('\n').at(-1)!;
}

export async function helm(bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(bin, args, {
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, HELM_CACHE_HOME: join(repoRoot, '.cache/helm') },
  });
}

/** `helm template` of the chart into `namespace` with `--set` pairs and values files. */
export async function renderChart(
  bin: string,
  options: { namespace: string; set?: string[]; values?: string[]; includeCrds?: boolean; release?: string },
): Promise<string> {
  const args = ['template', options.release ?? 'capi-gateway', chartDir, '--namespace', options.namespace];
  if (options.includeCrds) args.push('--include-crds');
  for (const file of options.values ?? []) args.push('-f', file);
  for (const pair of options.set ?? []) args.push('--set', pair);
  return (await helm(bin, args)).stdout;
}
