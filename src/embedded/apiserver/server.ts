// Placeholder until the API server lands (issue 2).
export interface ApiServer {
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}
export async function startApiServer(_options: {
  host: string;
  port: number;
  dataDir: string;
}): Promise<ApiServer> {
  throw new Error('the embedded API server is not built yet');
}
