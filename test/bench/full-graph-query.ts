/** The benchmark's query: the whole ownership tree of every cluster, about eight fields per object. */
import { parse, type DocumentNode } from 'graphql';

export const fullGraphQuery: DocumentNode = parse(/* GraphQL */ `
  query FleetGraph($first: Int!) {
    clusters(first: $first) {
      totalCount
      edges {
        node {
          id
          name
          namespace
          phase
          kubernetesVersion
          paused
          controlPlaneInitialized
          infrastructureProvisioned
          infrastructureCluster {
            name
            kind
            provisioned
          }
          controlPlane {
            name
            kind
            version
            desired
            replicas
            ready
            upToDate
            initialized
            machines {
              ...BenchMachine
            }
          }
          machineDeployments {
            name
            phase
            version
            desired
            replicas
            ready
            available
            upToDate
            machineSets {
              name
              version
              desired
              replicas
              ready
              available
              upToDate
              machines {
                ...BenchMachine
              }
            }
          }
        }
      }
    }
  }

  fragment BenchMachine on Machine {
    id
    name
    phase
    version
    providerID
    nodeName
    bootstrapReady
    infrastructureReady
    infrastructureMachine {
      name
      kind
      provisioned
      providerID
      addresses {
        type
        address
      }
    }
  }
`);

interface BenchMachine {
  infrastructureMachine: { name: string } | null;
}

export interface FullGraphData {
  clusters: {
    totalCount: number;
    edges: Array<{
      node: {
        infrastructureCluster: { name: string } | null;
        controlPlane: { machines: BenchMachine[] } | null;
        machineDeployments: Array<{ machineSets: Array<{ machines: BenchMachine[] }> }>;
      };
    }>;
  };
}

export interface GraphCounts {
  clusters: number;
  infrastructureClusters: number;
  controlPlaneMachines: number;
  workerMachines: number;
  infrastructureMachines: number;
}

/** What a result holds, to check that every run returned the whole tree. */
export function countGraph(data: FullGraphData): GraphCounts {
  const counts: GraphCounts = {
    clusters: 0,
    infrastructureClusters: 0,
    controlPlaneMachines: 0,
    workerMachines: 0,
    infrastructureMachines: 0,
  };
  const machine = (m: BenchMachine) => {
    if (m.infrastructureMachine) counts.infrastructureMachines++;
  };
  for (const { node } of data.clusters.edges) {
    counts.clusters++;
    if (node.infrastructureCluster) counts.infrastructureClusters++;
    for (const m of node.controlPlane?.machines ?? []) {
      counts.controlPlaneMachines++;
      machine(m);
    }
    for (const md of node.machineDeployments)
      for (const ms of md.machineSets)
        for (const m of ms.machines) {
          counts.workerMachines++;
          machine(m);
        }
  }
  return counts;
}
