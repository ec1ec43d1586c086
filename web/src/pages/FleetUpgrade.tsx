/** A fleet upgrade in waves of the clusters the table's filter selects; each wave's progress live. */
import { useState } from 'react';
import { request } from '../api.ts';
import {
  DashUpgradeClustersDocument,
  type ClusterFilter,
  type DashErrorFragment,
  type DashOperationFragment,
  type WaveFailurePolicy,
} from '../../generated/graphql.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { OperationView } from '../components/OperationView.tsx';

export function FleetUpgrade({ filter }: { filter: ClusterFilter }) {
  const [version, setVersion] = useState('');
  const [maxConcurrency, setMaxConcurrency] = useState(1);
  const [soak, setSoak] = useState(0);
  const [onWaveFailure, setOnWaveFailure] = useState<WaveFailurePolicy>('ABORT');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<DashErrorFragment | { message: string }>();
  const [started, setStarted] = useState<{ operation: DashOperationFragment; waves: string[][] }>();

  const start = async (): Promise<void> => {
    setConfirming(false);
    setError(undefined);
    const result = await request(DashUpgradeClustersDocument, {
      filter,
      version: version.trim(),
      strategy: { maxConcurrency, soakBetweenWavesSeconds: soak, onWaveFailure },
    });
    if (!result.ok) return setError({ message: result.error.message });
    const answer = result.data.upgradeClusters;
    if (answer.__typename === 'UpgradeClustersPayload')
      setStarted({
        operation: answer.operation,
        waves: answer.waves.map((w) => w.clusters.map((c) => c.name)),
      });
    else setError(answer as DashErrorFragment);
  };

  return (
    <details className="panel">
      <summary>Fleet upgrade of the filtered clusters, in waves</summary>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirming(true);
        }}
      >
        <label>
          Version
          <input
            required
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            placeholder="v1.34.0"
          />
        </label>
        <label>
          Clusters at a time
          <input
            type="number"
            min={1}
            value={maxConcurrency}
            onChange={(e) => setMaxConcurrency(Number(e.target.value))}
          />
        </label>
        <label>
          Soak between waves (s)
          <input type="number" min={0} value={soak} onChange={(e) => setSoak(Number(e.target.value))} />
        </label>
        <label>
          When a wave fails
          <select
            value={onWaveFailure}
            onChange={(e) => setOnWaveFailure(e.target.value as WaveFailurePolicy)}
          >
            <option value="ABORT">stop</option>
            <option value="CONTINUE">continue</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Upgrade…
        </button>
      </form>
      {confirming && (
        <ConfirmDialog
          title={`Upgrade every filtered cluster to ${version}?`}
          confirmLabel="Start fleet upgrade"
          onConfirm={() => void start()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Filter: <code>{JSON.stringify(filter)}</code>, {maxConcurrency} at a time.
          </p>
        </ConfirmDialog>
      )}
      {error && <ErrorView error={error} />}
      {started && (
        <>
          <ol className="waves">
            {started.waves.map((wave, i) => (
              <li key={i}>
                Wave {i + 1}: {wave.join(', ')}
              </li>
            ))}
          </ol>
          <OperationView operation={started.operation} title="Fleet upgrade" />
        </>
      )}
    </details>
  );
}
