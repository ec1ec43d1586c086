/**
 * A management cluster for in-process tests: the fake transport's objects, and an "API server"
 * whose SubjectAccessReview answers come from a small rule table (user or group → verbs on
 * resources in namespaces), recording every review it was asked.
 */
import { fleetOf, type Fleet } from '../../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { ResourceAttributes } from '../../../src/k8s/access-review.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { unavailableWriter } from '../../../src/k8s/kube-writer.ts';
import { ManagementClusterConnection } from '../../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from '../support/fake-transport.ts';

export interface Rule {
  subject: string;
  verbs: string[];
  resources: string[];
  /** '*' for every namespace (a ClusterRoleBinding). */
  namespace: string;
}

export interface ReviewAsked {
  user: string;
  groups: readonly string[];
  attributes: ResourceAttributes;
}

export function allows(
  rules: readonly Rule[],
  user: string,
  groups: readonly string[],
  a: ResourceAttributes,
) {
  return rules.some(
    (r) =>
      (r.subject === user || groups.includes(r.subject)) &&
      (r.verbs.includes(a.verb) || r.verbs.includes('*')) &&
      (r.resources.includes(a.resource) || r.resources.includes('*')) &&
      (r.namespace === '*' || r.namespace === a.namespace),
  );
}

export interface FakeRbacFleet {
  fleet: Fleet;
  transport: FakeTransport;
  reviews: ReviewAsked[];
}

export function fakeRbacFleet(name: string, objects: KubeObject[], rules: readonly Rule[]): FakeRbacFleet {
  const transport = new FakeTransport(capiFakeKinds);
  for (const object of objects) transport.put(object);
  const reviews: ReviewAsked[] = [];
  const connection = new ManagementClusterConnection(name, 'https://fake', transport, {
    access: {
      writerAs: () => unavailableWriter('the fake management cluster takes no writes'),
      reviewAccess: (who, attributes) => {
        reviews.push({ user: who.user, groups: who.groups, attributes });
        return Promise.resolve({ ok: true, value: allows(rules, who.user, who.groups, attributes) });
      },
    },
  });
  return { fleet: fleetOf([new ManagementClusterCache(connection)]), transport, reviews };
}
