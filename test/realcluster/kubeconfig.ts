import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  server: string;
  caPem: string;
  token: string;
  contextName: string;
}

/** Writes a kubeconfig (mode 0600: it carries an admin bearer token). */
export function writeKubeconfig(path: string, spec: KubeconfigSpec): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: spec.contextName,
        cluster: {
          server: spec.server,
          'certificate-authority-data': Buffer.from(spec.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: `${spec.contextName}-admin`, user: { token: spec.token } }],
    contexts: [
      { name: spec.contextName, context: { cluster: spec.contextName, user: `${spec.contextName}-admin` } },
    ],
    'current-context': spec.contextName,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
