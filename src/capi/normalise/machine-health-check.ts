import type { KubeObject } from '../../k8s/kube-object.ts';
import type { MachineHealthCheckView } from '../views.ts';
import { baseOf, viewOf } from './base.ts';
import { arr, num, record } from './json-path.ts';

export function normaliseMachineHealthCheck(
  object: KubeObject,
  managementCluster: string,
): MachineHealthCheckView {
  return viewOf<MachineHealthCheckView>(baseOf(object, managementCluster, []), {
    viewKind: 'MachineHealthCheck',
    targets: arr(object, 'status', 'targets').filter((t): t is string => typeof t === 'string'),
    currentHealthy: num(object, 'status', 'currentHealthy'),
    expectedMachines: num(object, 'status', 'expectedMachines'),
    remediationsAllowed: num(object, 'status', 'remediationsAllowed'),
    selector: record(object, 'spec', 'selector', 'matchLabels'),
  });
}
