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
  /** Objects to load at start (NDJSON, JSON or YAML), e.g. a fleet from `npm run seed:generate`. */
  seed?: string;
}

export interface ServeCliOptions extends EmbeddedCliOptions {
  apiPort: number;
  config?: string;
  /** `--no-introspection`: false; unset: the config file's (default on). */
  introspection?: boolean;
  /** `--no-graphiql`: false; unset: the config file's (default on). */
  graphiql?: boolean;
  /** `--trusted-documents [paths...]`: true alone means the shipped ones (the CLI's and the dashboard's). */
  trustedDocuments?: string[] | true;
  logLevel?: string;
}
