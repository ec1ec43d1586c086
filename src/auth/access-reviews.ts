/**
 * The management clusters' SubjectAccessReview answers, asked once per distinct question
 * (user, groups, verb, resource, namespace, name) and reused for a short TTL: the questions of
 * one request are collected by a DataLoader and sent together; concurrent requests of the same
 * user share the answers. A review that fails (management cluster down) answers "no" and is
 * not remembered.
 */
import DataLoader from 'dataloader';
import type { ResourceAttributes } from '../k8s/access-review.ts';
import type { Result } from '../k8s/domain-error.ts';
import { authenticatedGroup, type Identity } from './identity.ts';
import { TtlMap } from './ttl-map.ts';

export interface AccessQuestion {
  managementCluster: string;
  identity: Identity;
  attributes: ResourceAttributes;
}

/** Sends one review to a management cluster (ManagementClusterConnection.reviewAccess). */
export type ReviewSender = (
  managementCluster: string,
  who: { user: string; groups: readonly string[] },
  attributes: ResourceAttributes,
) => Promise<Result<boolean>>;

export interface AccessReviewsOptions {
  ttlMs?: number;
  /** Reviews in flight at once per batch. */
  concurrency?: number;
  now?: () => number;
}

/** The groups a review names: the user's, and system:authenticated as the API server adds it. */
export function reviewGroups(identity: Identity): string[] {
  return identity.groups.includes(authenticatedGroup)
    ? [...identity.groups]
    : [...identity.groups, authenticatedGroup];
}

function keyOf(q: AccessQuestion): string {
  const a = q.attributes;
  return JSON.stringify([
    q.managementCluster,
    q.identity.user,
    [...q.identity.groups].sort(),
    a.verb,
    a.group,
    a.resource,
    a.subresource ?? '',
    a.namespace,
    a.name ?? '',
  ]);
}

async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export class AccessReviews {
  private readonly loader: DataLoader<AccessQuestion, boolean, string>;
  /** Reviews sent so far (tests check that answers are reused). */
  sent = 0;

  constructor(
    private readonly send: ReviewSender,
    options: AccessReviewsOptions = {},
  ) {
    const concurrency = options.concurrency ?? 16;
    this.loader = new DataLoader<AccessQuestion, boolean, string>(
      (questions) => inParallel(questions, concurrency, (q) => this.review(q)),
      {
        cacheKeyFn: keyOf,
        cacheMap: new TtlMap<string, Promise<boolean>>(options.ttlMs ?? 10_000, 50_000, options.now),
      },
    );
  }

  private async review(q: AccessQuestion): Promise<boolean> {
    this.sent++;
    const answer = await this.send(
      q.managementCluster,
      { user: q.identity.user, groups: reviewGroups(q.identity) },
      q.attributes,
    );
    if (!answer.ok) {
      // Not remembered: the next request asks again.
      queueMicrotask(() => this.loader.clear(q));
      return false;
    }
    return answer.value;
  }

  /** Whether the management cluster allows it (false when it cannot say). */
  allowed(question: AccessQuestion): Promise<boolean> {
    return this.loader.load(question);
  }
}
