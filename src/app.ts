// Placeholder until the gateway lands (issue 5 / the first schema of issue 2).
export interface ResolvedManagementCluster {
  name: string;
  kubeconfigPath: string;
  context?: string;
}
export interface AppOptions {
  host: string;
  port: number;
  managementClusters: ResolvedManagementCluster[];
}
export interface App {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export async function buildApp(_options: AppOptions): Promise<App> {
  throw new Error('the gateway is not built yet');
}
