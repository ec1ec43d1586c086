/**
 * Runs a mutation and sorts its answer: the operation it started, or the typed error to show
 * where the action was started (a transport failure becomes an error of its own).
 */
import { useState } from 'react';
import type { DashErrorFragment, DashOperationFragment } from '../../generated/graphql.ts';
import type { Result } from '../api.ts';

export type ShownError = DashErrorFragment | { __typename?: string; message: string };

type Answer = { __typename?: string } & ({ operation: DashOperationFragment } | { message: string });

export function useAction(onStarted: (operation: DashOperationFragment) => void) {
  const [error, setError] = useState<ShownError>();
  const [busy, setBusy] = useState(false);
  const run = async <T>(send: () => Promise<Result<T>>, pick: (data: T) => Answer): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await send();
      if (!result.ok) return setError({ __typename: 'RequestFailed', message: result.error.message });
      const answer = pick(result.data);
      if ('operation' in answer) onStarted(answer.operation);
      else setError(answer as ShownError);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, clear: () => setError(undefined) };
}
