import { OperationDocument, type OperationQuery } from '../../generated/graphql.ts';
import { eventually, gql } from './gql.ts';

export type OperationResult = NonNullable<OperationQuery['operation']>;

/** Polls `operation(id)` until it reaches `phase` (or any terminal phase other than it: then fails). */
export async function untilOperation(
  url: string,
  id: string,
  phase: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'RUNNING',
  timeoutMs = 60_000,
): Promise<OperationResult> {
  let last: OperationResult | null = null;
  try {
    return await eventually(
      async () => {
        const res = await gql(url, OperationDocument, { id });
        if (res.errors) throw new Error(JSON.stringify(res.errors));
        last = res.data?.operation ?? null;
        if (last && last.phase !== phase && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(last.phase))
          throw new Error(`operation ended ${last.phase}: ${last.error ?? ''}`);
        return last?.phase === phase ? last : undefined;
      },
      timeoutMs,
      `operation to be ${phase}`,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}
