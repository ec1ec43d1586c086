/** One operation, live: its phase, progress and each step as the driver records it. */
import { useEffect, useState } from 'react';
import { subscribe } from '../api.ts';
import { DashOperationUpdatedDocument, type DashOperationFragment } from '../../generated/graphql.ts';
import { Link } from './Link.tsx';
import { operationPath } from '../router.ts';
import { TargetLink } from './TargetLink.tsx';

const phaseLevel: Record<string, string> = {
  SUCCEEDED: 'ok',
  RUNNING: 'progress',
  PENDING: 'progress',
  FAILED: 'bad',
  CANCELLED: 'idle',
};

export function PhaseBadge({ phase }: { phase: string }) {
  return <span className={`health health-${phaseLevel[phase] ?? 'idle'}`}>{phase}</span>;
}

export function useLiveOperation(initial: DashOperationFragment): DashOperationFragment {
  const [operation, setOperation] = useState(initial);
  useEffect(() => {
    setOperation(initial);
    return subscribe(
      DashOperationUpdatedDocument,
      { id: initial.id },
      {
        next: (data) => setOperation(data.operationUpdated),
      },
    );
  }, [initial]);
  return operation;
}

export function OperationView({
  operation: initial,
  title,
}: {
  operation: DashOperationFragment;
  title?: string;
}) {
  const operation = useLiveOperation(initial);
  return (
    <section className="operation" aria-label={`operation ${operation.name}`} data-phase={operation.phase}>
      <header>
        <strong>{title ?? operation.type}</strong> <TargetLink target={operation.target} />{' '}
        <PhaseBadge phase={operation.phase} />{' '}
        <progress max={1} value={operation.progress} aria-label="progress" />{' '}
        {Math.round(operation.progress * 100)}%{' '}
        <Link href={operationPath(operation.id)}>{operation.name}</Link>
      </header>
      {operation.error && <div className="error">{operation.error}</div>}
      <ol className="steps">
        {operation.steps.map((step) => (
          <li key={step.name} className={`step step-${step.phase.toLowerCase()}`}>
            <PhaseBadge phase={step.phase} /> <span className="step-name">{step.name}</span>
            {step.message && <span className="muted"> — {step.message}</span>}
          </li>
        ))}
      </ol>
      {operation.children.length > 0 && (
        <details open>
          <summary>{operation.children.length} child operations</summary>
          <ul>
            {operation.children.map((child) => (
              <li key={child.id}>
                <PhaseBadge phase={child.phase} /> {child.type} <TargetLink target={child.target} />{' '}
                {Math.round(child.progress * 100)}%{' '}
                {child.currentStep && <span className="muted">{child.currentStep}</span>}
                {child.error && <span className="error-inline"> {child.error}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
