import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childTracker, finished, graphqlLine, pollUntil, probe, query } from './cli-child.ts';

const started = /embedded management cluster: (https:\/\/\S+)/;
const legacyNote =
  'note: this is a legacy management cluster (--capi-api v1beta1): it serves the CAPI kinds at v1beta1 only';

describe('a data dir keeps the --capi-api it was created with', () => {
  const children = childTracker();
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-capi-api-'));
  });
  afterEach(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  async function create(dataDir: string, extra: string[]): Promise<string> {
    const child = children.start(['embedded', '--no-demo', '--data-dir', dataDir, '--port', '0', ...extra]);
    await child.waitForStdout(started);
    await child.stop();
    return readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8');
  }

  it('a v1beta2 data dir refuses --capi-api v1beta1, naming both, and changes nothing', async () => {
    const dataDir = join(dir, 'v1beta2');
    const kubeconfig = await create(dataDir, []);
    const result = await finished(['serve', '--capi-api', 'v1beta1', '--data-dir', dataDir, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `capi-gateway: cannot start the embedded management cluster: data dir ${dataDir} holds a management ` +
        `cluster created with --capi-api v1beta2, not --capi-api v1beta1; start it with --capi-api v1beta2, ` +
        `or use another --data-dir (or remove ${dataDir} to start over)\n`,
    );
    expect(result.stdout).toBe('');
    expect(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8')).toBe(kubeconfig);
  });

  it('a v1beta1 data dir started without the flag is refused at once (no hang), naming both', async () => {
    const dataDir = join(dir, 'v1beta1');
    await create(dataDir, ['--capi-api', 'v1beta1']);
    const result = await finished(['serve', '--data-dir', dataDir, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `data dir ${dataDir} holds a management cluster created with --capi-api v1beta1, not --capi-api v1beta2`,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a legacy cluster says at start what it is and is not, and suggests a command that shows something', async () => {
    const gateway = children.start([
      'serve',
      '--capi-api',
      'v1beta1',
      '--data-dir',
      join(dir, 'legacy'),
      '--port',
      '0',
    ]);
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    const out = gateway.stdout();
    expect(out).toContain(legacyNote);
    expect(out).toContain(
      'it runs no provisioning engine (an applied Cluster keeps no phase) and has no demo fleet',
    );
    expect(out).not.toContain('get clusters -A');
    expect(out).toMatch(/try: kubectl --kubeconfig \S+ api-resources --api-group cluster.x-k8s.io/);
    await pollUntil(
      'ready',
      () => probe(url, '/readyz'),
      (r) => r.status === 200,
    );
    expect(await query(url, '{ clusters { totalCount } }')).toEqual({
      data: { clusters: { totalCount: 0 } },
    });
  });

  it('a restarted legacy data dir with the flag starts as before', async () => {
    const dataDir = join(dir, 'again');
    await create(dataDir, ['--capi-api', 'v1beta1']);
    const again = children.start(['embedded', '--capi-api', 'v1beta1', '--data-dir', dataDir, '--port', '0']);
    await again.waitForStdout(started);
    await again.waitForStdout(/note: this is a legacy/);
  });
});
