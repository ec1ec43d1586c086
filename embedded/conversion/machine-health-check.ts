/** MachineHealthCheck: unhealthy conditions / timeouts / maxUnhealthy / remediationTemplate ⇄ checks + remediation. */
import { healthCheckToV1beta1, healthCheckToV1beta2 } from './health-check.ts';
import { kindConverter } from './kind-converter.ts';
import { objectAt, take } from './json.ts';
import { conditionsOnly } from './status.ts';

export const machineHealthCheckConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'MachineHealthCheck',
  specToV1beta2: (spec) => {
    const { checks, remediation } = healthCheckToV1beta2(spec);
    if (Object.keys(checks).length) spec['checks'] = checks;
    if (Object.keys(remediation).length) spec['remediation'] = remediation;
    return spec;
  },
  specToV1beta1: (spec, object) => {
    const checks = take(spec, 'checks');
    const remediation = objectAt(take(spec, 'remediation'));
    return { ...spec, ...healthCheckToV1beta1(checks, remediation, object.metadata.namespace) };
  },
  status: conditionsOnly,
});
