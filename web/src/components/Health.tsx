/** Health at a glance: a colour, a shape and a word — never colour alone. */
export type HealthLevel = 'ok' | 'progress' | 'warn' | 'bad' | 'idle';

export interface HealthInfo {
  level: HealthLevel;
  text: string;
}

interface ClusterLike {
  phase?: string | null;
  paused?: boolean;
  deletionTimestamp?: string | null;
  conditions: ReadonlyArray<{ type: string; status: string; reason?: string | null }>;
}

export function clusterHealth(cluster: ClusterLike): HealthInfo {
  if (cluster.deletionTimestamp || cluster.phase === 'Deleting') return { level: 'idle', text: 'Deleting' };
  if (cluster.phase === 'Failed') return { level: 'bad', text: 'Failed' };
  if (cluster.paused) return { level: 'warn', text: 'Paused' };
  const available = cluster.conditions.find((c) => c.type === 'Available');
  if (cluster.phase === 'Provisioned' && available?.status === 'True')
    return { level: 'ok', text: 'Healthy' };
  if (cluster.phase === 'Provisioned' && available?.status === 'False')
    return { level: 'warn', text: `Degraded${available.reason ? ` (${available.reason})` : ''}` };
  if (cluster.phase === 'Pending' || cluster.phase === 'Provisioning' || cluster.phase === 'Provisioned')
    return { level: 'progress', text: cluster.phase === 'Provisioned' ? 'Starting' : cluster.phase };
  return { level: 'idle', text: cluster.phase ?? 'Unknown' };
}

/** CAPI's negative-polarity conditions: True reports something going on, False is the quiet state. */
const negativePolarity = new Set([
  'Paused',
  'Deleting',
  'RollingOut',
  'ScalingUp',
  'ScalingDown',
  'Remediating',
  'Updating',
]);

export function isNegativePolarity(type: string): boolean {
  return negativePolarity.has(type);
}

export function conditionHealth(status: string, type = ''): HealthLevel {
  if (negativePolarity.has(type)) return status === 'False' ? 'ok' : status === 'True' ? 'warn' : 'progress';
  return status === 'True' ? 'ok' : status === 'False' ? 'bad' : 'progress';
}

const glyphs: Record<HealthLevel, string> = { ok: '●', progress: '◐', warn: '▲', bad: '✖', idle: '○' };

export function HealthBadge({ health }: { health: HealthInfo }) {
  return (
    <span className={`health health-${health.level}`}>
      <span aria-hidden="true">{glyphs[health.level]}</span> {health.text}
    </span>
  );
}
