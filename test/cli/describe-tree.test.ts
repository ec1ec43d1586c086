/** The describe tree's rules on hand-made gateway answers: clusterctl v1.14's grouping and rows. */
import { describe, expect, it } from 'vitest';
import type { ConditionFieldsFragment } from '../../client/index.ts';
import { humanDuration } from '../../src/cli/commands/age.ts';
import { formatColumns } from '../../src/cli/commands/columns.ts';
import { buildTree, type DescribedCluster, type TreeRow } from '../../src/cli/commands/describe-tree.ts';
import { colourEnabled, painter } from '../../src/cli/commands/output.ts';

const cond = (
  type: string,
  status: string,
  reason: string,
  at = '2026-01-01T00:00:00Z',
): ConditionFieldsFragment => ({
  type,
  status,
  reason,
  message: null,
  lastTransitionTime: at,
});

const healthy = (at?: string) => [
  cond('Available', 'True', 'Available', at),
  cond('Ready', 'True', 'Ready', at),
  cond('UpToDate', 'True', 'UpToDate', at),
];

function machine(
  name: string,
  conditions: ConditionFieldsFragment[],
  owner: string | null,
  controlPlane = false,
): DescribedMachine {
  return {
    id: name,
    name,
    namespace: 'ns',
    createdAt: null,
    deletionTimestamp: null,
    phase: 'Running',
    version: 'v1.33.1',
    nodeName: name,
    providerID: null,
    controlPlane,
    labels: {},
    conditions,
    owner: owner === null ? null : { id: owner },
    infrastructureMachine: null,
    bootstrapConfig: null,
  };
}

type DescribedMachine = DescribedCluster['machines'][number];

const counts = { desired: 3, replicas: 3, ready: 2, available: 2, upToDate: 3 };

function cluster(machines: DescribedMachine[]): DescribedCluster {
  return {
    id: 'c',
    kind: 'Cluster',
    name: 'c1',
    namespace: 'ns',
    createdAt: null,
    deletionTimestamp: null,
    paused: false,
    topology: null,
    summary: {
      controlPlane: { desired: 3, replicas: 3, ready: 3, available: 3, upToDate: 3 },
      workers: { desired: 3, replicas: 6, ready: 3, available: 3, upToDate: 6 },
    },
    conditions: [cond('Available', 'False', 'NotAvailable')],
    infrastructureCluster: {
      kind: 'DockerCluster',
      name: 'c1-x',
      deletionTimestamp: null,
      conditions: [cond('Ready', 'True', 'Ready')],
    },
    controlPlane: {
      id: 'cp',
      kind: 'KubeadmControlPlane',
      name: 'c1-cp',
      version: 'v1.33.1',
      deletionTimestamp: null,
      ...counts,
      conditions: [],
    },
    machineDeployments: [
      {
        id: 'md',
        name: 'c1-md',
        version: 'v1.33.1',
        deletionTimestamp: null,
        ...counts,
        desired: null,
        conditions: [],
        machineSets: [
          {
            id: 'ms',
            name: 'c1-md-abc',
            version: 'v1.33.1',
            deletionTimestamp: null,
            ...counts,
            conditions: [],
          },
        ],
      },
    ],
    machinePools: [
      {
        id: 'mp',
        name: 'c1-mp',
        version: 'v1.33.1',
        deletionTimestamp: null,
        ...counts,
        conditions: [],
        bootstrapConfig: null,
        infrastructureMachinePool: null,
      },
    ],
    machines,
  };
}

const names = (row: TreeRow, depth = 0): string[] => [
  `${'  '.repeat(depth)}${row.name}`,
  ...row.children.flatMap((c) => names(c, depth + 1)),
];

describe('describe tree (clusterctl v1.14 rules)', () => {
  const machines = [
    machine('cp-c', healthy('2026-01-01T00:05:00Z'), 'cp', true),
    machine('cp-a', healthy('2026-01-01T00:01:00Z'), 'cp', true),
    machine('cp-b', healthy('2026-01-01T00:03:00Z'), 'cp', true),
    // Same statuses, another reason: not grouped with the others.
    machine(
      'md-1',
      [
        cond('Available', 'False', 'NotReady'),
        cond('Ready', 'False', 'NodeNotReady'),
        cond('UpToDate', 'True', 'UpToDate'),
      ],
      'ms',
    ),
    machine(
      'md-2',
      [
        cond('Available', 'False', 'NotReady'),
        cond('Ready', 'False', 'NodeStartupTimeout'),
        cond('UpToDate', 'True', 'UpToDate'),
      ],
      'ms',
    ),
    // No UpToDate condition matches only a machine without one.
    machine('mp-1', healthy().slice(0, 2), 'mp'),
    machine('mp-2', healthy(), 'mp'),
  ];

  it('groups siblings with the same Available/Ready/UpToDate status and reason; rows ordered by name', () => {
    const tree = buildTree(cluster(machines), { grouping: true, showMachineSets: false });
    expect(names(tree)).toEqual([
      'Cluster ns/c1',
      '  DockerCluster ns/c1-x',
      '  KubeadmControlPlane ns/c1-cp, v1.33.1',
      '    3 Machines...',
      '  Workers',
      '    MachineDeployment ns/c1-md, v1.33.1',
      '      Machine ns/md-1, v1.33.1',
      '      Machine ns/md-2, v1.33.1',
      '    MachinePool ns/c1-mp, v1.33.1',
      '      Machine ns/mp-1, v1.33.1',
      '      Machine ns/mp-2, v1.33.1',
    ]);
    const group = tree.children[1]!.children[0]!;
    expect(group).toMatchObject({
      available: '3',
      ready: '3',
      upToDate: '3',
      replicas: '',
      message: 'See cp-a, cp-b, ...',
    });
    // The group's SINCE is its oldest transition.
    expect(group.condition?.lastTransitionTime).toBe('2026-01-01T00:01:00Z');
  });

  it("counters as clusterctl shows them: the Cluster's status summed, none without desired, none on a MachinePool", () => {
    const tree = buildTree(cluster(machines), { grouping: true, showMachineSets: false });
    expect(tree).toMatchObject({ replicas: '9/6', available: '6', ready: '6', upToDate: '9' });
    expect(tree.condition?.status).toBe('False');
    const [md, mp] = tree.children[2]!.children;
    expect(md).toMatchObject({ replicas: '', available: '2', ready: '2', upToDate: '3' });
    expect(mp).toMatchObject({ replicas: '', available: '', ready: '', upToDate: '', condition: undefined });
    expect(md!.children[0]).toMatchObject({ replicas: '1', available: '0', ready: '0', upToDate: '1' });
  });

  it('--grouping=false keeps one row per machine; --show-machinesets adds the MachineSet level', () => {
    const tree = buildTree(cluster(machines), { grouping: false, showMachineSets: true });
    expect(names(tree).filter((n) => n.includes('Machines...'))).toEqual([]);
    expect(names(tree)).toContain('      MachineSet ns/c1-md-abc, v1.33.1');
    expect(names(tree)).toContain('        Machine ns/md-1, v1.33.1');
  });
});

describe('CLI formatting', () => {
  it('ages as kubectl prints them', () => {
    expect(
      [5_000, 150_000, 1_800_000, 4 * 3_600_000 + 60_000, 30 * 3_600_000, 3 * 86_400_000 + 3_600_000].map(
        humanDuration,
      ),
    ).toEqual(['5s', '2m30s', '30m', '4h1m', '30h', '3d1h']);
  });

  it('pads columns by visible width (colour codes do not count)', () => {
    const paint = painter(true);
    expect(
      formatColumns(
        ['A', 'B'],
        [
          [paint('red', 'xx'), 'y'],
          ['z', 'w'],
        ],
      ),
    ).toBe(`A    B\n${paint('red', 'xx')}   y\nz    w\n`);
  });

  it('colour only on a terminal, never with NO_COLOR, also off a terminal with FORCE_COLOR', () => {
    const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    try {
      delete process.env.NO_COLOR;
      delete process.env.FORCE_COLOR;
      expect(colourEnabled(tty)).toBe(true);
      expect(colourEnabled(pipe)).toBe(false);
      process.env.FORCE_COLOR = '1';
      expect(colourEnabled(pipe)).toBe(true);
      process.env.FORCE_COLOR = '0';
      expect(colourEnabled(tty)).toBe(false);
      process.env.NO_COLOR = '1';
      process.env.FORCE_COLOR = '1';
      expect(colourEnabled(tty)).toBe(false);
      expect(painter(false)('red', 'Failed')).toBe('Failed');
      expect(painter(true)('red', 'Failed')).toBe('\u001b[31mFailed\u001b[39m');
    } finally {
      for (const [key, value] of Object.entries(saved))
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
  });
});
