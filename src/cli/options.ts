/** Options shared by `serve` and `embedded`, as commander parses them. */
export interface EmbeddedCliOptions {
  host: string;
  port: number;
  dataDir: string;
  ephemeral: boolean;
  demo: boolean;
  speed: number;
  capiApi: 'v1beta2' | 'v1beta1';
  failMachines: number;
  unhealthyNodes: number;
  /** kube-apiserver `--token-auth-file` format: users of the embedded API server besides the admin. */
  tokenAuthFile?: string;
}

export interface ServeCliOptions extends EmbeddedCliOptions {
  apiPort: number;
  config?: string;
}
