/**
 * GraphiQL served from the gateway's own assets: management clusters often sit in networks with
 * no internet access, and yoga's default GraphiQL loads its scripts and styles from a public CDN.
 * `@graphql-yoga/render-graphiql` inlines the whole GraphiQL bundle into the page instead.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/** The README's first query: what a newcomer sees in the editor (a test keeps the two equal). */
export const EXAMPLE_QUERY = `{
  managementClusters { name server reachable synced capiVersion providers { name type version } clusterCount }
  clusters(first: 20) {
    edges { node {
      name namespace phase kubernetesVersion
      # desired = spec.replicas (what you asked for); replicas = how many exist right now
      controlPlane { desired ready upToDate version machines { name phase version infrastructureMachine { kind providerID } } }
      machineDeployments { name phase desired ready upToDate machineSets { name machines { name phase nodeName } } }
      conditions { type status reason }
    } }
  }
  fleetSummary { byPhase { key count } }
}`;

export const graphiqlOptions: GraphiQLOptions = {
  title: 'capi-gateway',
  defaultQuery: EXAMPLE_QUERY,
  // Subscriptions go over graphql-ws on the GraphQL path, the way every other client uses them.
  subscriptionsProtocol: 'WS',
};

export { renderGraphiQL };
