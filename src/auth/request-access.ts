/** What a resolver may ask about the caller: reads (synchronous) and any other verb (a review). */
import type { ResourceAttributes } from '../k8s/access-review.ts';
import type { AccessReviews } from './access-reviews.ts';
import type { Identity } from './identity.ts';
import type { ObjectLocation, ReadAccess } from './read-access.ts';

export interface RequestAccess extends ReadAccess {
  /** The management cluster's SubjectAccessReview answer for the caller (false when it cannot say). */
  can(managementCluster: string, attributes: ResourceAttributes): Promise<boolean>;
}

export function requestAccess(identity: Identity, read: ReadAccess, reviews: AccessReviews): RequestAccess {
  return {
    allows: (location: ObjectLocation) => read.allows(location),
    can: (managementCluster, attributes) => reviews.allowed({ managementCluster, identity, attributes }),
  };
}
