import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childTracker, finished, graphqlLine, pollUntil, probe, query } from './cli-child.ts';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The README's "Several management clusters" section: its sh and yaml blocks, as written. */
async function readmeExample(): Promise<{ commands: string[][]; yaml: string }> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Several management clusters'));
  const block = (lang: string) => new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section)![1]!;
  const commands = block('sh')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/#.*$/, '').trim().split(/\s+/));
  return { commands, yaml: block('yaml') };
}

/** `npm run embedded -- ARGS` / `npm start -- ARGS` as the capi-gateway command they run. */
function asCli(command: string[]): string[] {
  const dashes = command.indexOf('--');
  const args = dashes < 0 ? [] : command.slice(dashes + 1);
  if (command.slice(0, 3).join(' ') === 'npm run embedded') return ['embedded', ...args];
  if (command.slice(0, 2).join(' ') === 'npm start') return ['serve', ...args];
  throw new Error(`unexpected README command: ${command.join(' ')}`);
}

describe('serve --config: kubeconfigs checked before anything starts', () => {
  const children = childTracker();
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-config-'));
  });
  afterEach(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('a kubeconfig that does not exist: one line naming the entry and the file; the embedded cluster never starts', async () => {
    const config = join(dir, 'gateway.yaml');
    await writeFile(
      config,
      'managementClusters:\n  - name: local\n    embedded: true\n  - name: prod-eu\n    kubeconfig: ./prod-eu.kubeconfig\n',
    );
    const dataDir = join(dir, 'data');
    const result = await finished(['serve', '--config', config, '--port', '0', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `invalid config ${config}: managementClusters.1 (prod-eu): kubeconfig ${join(dir, 'prod-eu.kubeconfig')} does not exist\n`,
    );
    expect(result.stdout).toBe('');
    expect(await exists(dataDir)).toBe(false);
  });

  it('a context the kubeconfig lacks: one line naming it and the contexts it has', async () => {
    // A real kubeconfig to point at: the one an `embedded` run writes.
    const lab = children.start(['embedded', '--no-demo', '--data-dir', join(dir, 'lab')]);
    await lab.waitForStdout(/kubeconfig: /);
    const config = join(dir, 'gateway.yaml');
    await writeFile(
      config,
      'managementClusters:\n  - name: local\n    embedded: true\n  - name: lab\n    kubeconfig: ./lab/embedded.kubeconfig\n    context: admin@prod-eu\n',
    );
    const dataDir = join(dir, 'data');
    const result = await finished(['serve', '--config', config, '--port', '0', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `invalid config ${config}: managementClusters.1 (lab): kubeconfig ${join(dir, 'lab', 'embedded.kubeconfig')} ` +
        `has no context 'admin@prod-eu'; it has: capi-gateway-embedded\n`,
    );
    expect(await exists(dataDir)).toBe(false);
  });

  it("the README's example works as written", async () => {
    const { commands, yaml } = await readmeExample();
    expect(commands).toHaveLength(2);
    await writeFile(join(dir, 'gateway.yaml'), yaml);
    // The README's commands, run from the folder with gateway.yaml; only the ports (a shared test
    // machine) and the demo fleets (time) differ.
    const lab = children.start([...asCli(commands[0]!), '--no-demo'], { cwd: dir });
    await lab.waitForStdout(/kubeconfig: /);
    const gateway = children.start([...asCli(commands[1]!), '--port', '0', '--no-demo'], { cwd: dir });
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    await pollUntil(
      'ready',
      () => probe(url, '/readyz'),
      (r) => r.status === 200,
    );
    expect(await query(url, '{ managementClusters { name reachable synced } }')).toEqual({
      data: {
        managementClusters: [
          { name: 'local', reachable: true, synced: true },
          { name: 'lab', reachable: true, synced: true },
        ],
      },
    });
  });
});
