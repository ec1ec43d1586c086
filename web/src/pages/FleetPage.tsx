/**
 * The fleet: every management cluster, the counts as small charts, and one server-side page of
 * the cluster table — filtered, sorted and paged by the gateway — kept live by clusterEvents and
 * fleetSummaryUpdated.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request, subscribe } from '../api.ts';
import {
  DashClusterEventsDocument,
  DashClustersDocument,
  DashFleetSummaryDocument,
  DashManagementClustersDocument,
  type ClusterFilter,
  type ClusterOrder,
  type ClusterOrderField,
  type ClusterPhase,
  type DashManagementClustersQuery,
  type FleetCountsFragment,
  type FleetRowFragment,
} from '../../generated/graphql.ts';
import { BarChart } from '../components/BarChart.tsx';
import { clusterHealth, HealthBadge } from '../components/Health.tsx';
import { Link } from '../components/Link.tsx';
import { VirtualRows } from '../components/VirtualRows.tsx';
import { clusterPath } from '../router.ts';
import { FleetUpgrade } from './FleetUpgrade.tsx';

type ManagementClusters = DashManagementClustersQuery['managementClusters'];
const phases: ClusterPhase[] = ['Pending', 'Provisioning', 'Provisioned', 'Deleting', 'Failed', 'Unknown'];

export interface FilterState {
  managementCluster: string;
  namespace: string;
  phase: string;
  kubernetesVersion: string;
  labelSelector: string;
  nameContains: string;
}

const emptyFilter: FilterState = {
  managementCluster: '',
  namespace: '',
  phase: '',
  kubernetesVersion: '',
  labelSelector: '',
  nameContains: '',
};

export function toClusterFilter(state: FilterState): ClusterFilter {
  const filter: ClusterFilter = {};
  if (state.managementCluster) filter.managementCluster = state.managementCluster;
  if (state.namespace.trim()) filter.namespace = state.namespace.trim();
  if (state.phase) filter.phase = state.phase as ClusterPhase;
  if (state.kubernetesVersion.trim()) filter.kubernetesVersion = state.kubernetesVersion.trim();
  if (state.labelSelector.trim()) filter.labelSelector = state.labelSelector.trim();
  if (state.nameContains.trim()) filter.nameContains = state.nameContains.trim();
  return filter;
}

/** The value after the user stops typing, so a filter is not sent per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function useManagementClusters(): ManagementClusters {
  const [list, setList] = useState<ManagementClusters>([]);
  useEffect(() => {
    let stopped = false;
    const load = async (): Promise<void> => {
      const result = await request(DashManagementClustersDocument);
      if (!stopped && result.ok) setList(result.data.managementClusters);
    };
    void load();
    // No subscription reports reachability: one small query every few seconds.
    const timer = setInterval(() => void load(), 5_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return list;
}

function ManagementClusterCards({ list }: { list: ManagementClusters }) {
  return (
    <section aria-label="management clusters" className="cards">
      {list.map((mc) => (
        <article key={mc.id} className="card" aria-label={`management cluster ${mc.name}`}>
          <h3>{mc.name}</h3>
          <div className="muted small-text">{mc.server}</div>
          <div>
            <HealthBadge
              health={
                mc.reachable ? { level: 'ok', text: 'reachable' } : { level: 'bad', text: 'unreachable' }
              }
            />{' '}
            <HealthBadge
              health={mc.synced ? { level: 'ok', text: 'synced' } : { level: 'progress', text: 'syncing' }}
            />
          </div>
          <div>
            CAPI {mc.capiVersion ?? '—'} · {mc.clusterCount ?? '?'} clusters
          </div>
          {mc.error && <div className="error-inline">{mc.error}</div>}
          <details>
            <summary>{mc.providers?.length ?? 0} providers</summary>
            {mc.providersUnavailableReason && <div className="muted">{mc.providersUnavailableReason}</div>}
            <ul>
              {(mc.providers ?? []).map((p) => (
                <li key={`${p.type}/${p.name}`}>
                  {p.name} <span className="muted">({p.type})</span> {p.version ?? ''}
                </li>
              ))}
            </ul>
          </details>
        </article>
      ))}
    </section>
  );
}

function SummaryCharts({ filter }: { filter: ClusterFilter }) {
  const [summary, setSummary] = useState<FleetCountsFragment>();
  useEffect(
    () =>
      subscribe(
        DashFleetSummaryDocument,
        { filter },
        { next: (data) => setSummary(data.fleetSummaryUpdated) },
      ),
    [filter],
  );
  if (!summary) return <section className="charts muted">Loading the summary…</section>;
  return (
    <section className="charts" aria-label="fleet summary">
      <div className="total">
        <span className="big">{summary.clusters}</span> clusters
      </div>
      <BarChart title="By phase" data={summary.byPhase} />
      <BarChart title="By Kubernetes version" data={summary.byKubernetesVersion} />
      <BarChart title="By infrastructure provider" data={summary.byInfrastructureKind} />
      <BarChart title="By management cluster" data={summary.byManagementCluster} />
      {summary.errors.map((e) => (
        <div key={e.managementCluster} className="error-inline">
          {e.managementCluster}: {e.message}
        </div>
      ))}
    </section>
  );
}

function Filters(props: {
  state: FilterState;
  onChange(state: FilterState): void;
  managementClusters: ManagementClusters;
}) {
  const set = (key: keyof FilterState) => (event: { target: { value: string } }) =>
    props.onChange({ ...props.state, [key]: event.target.value });
  return (
    <form className="filters" aria-label="filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Management cluster
        <select value={props.state.managementCluster} onChange={set('managementCluster')}>
          <option value="">all</option>
          {props.managementClusters.map((mc) => (
            <option key={mc.name}>{mc.name}</option>
          ))}
        </select>
      </label>
      <label>
        Namespace
        <input value={props.state.namespace} onChange={set('namespace')} placeholder="any" />
      </label>
      <label>
        Phase
        <select value={props.state.phase} onChange={set('phase')}>
          <option value="">any</option>
          {phases.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      <label>
        Version
        <input
          value={props.state.kubernetesVersion}
          onChange={set('kubernetesVersion')}
          placeholder="v1.33.1"
        />
      </label>
      <label>
        Labels
        <input
          value={props.state.labelSelector}
          onChange={set('labelSelector')}
          placeholder="env=prod,tier!=x"
        />
      </label>
      <label>
        Name
        <input value={props.state.nameContains} onChange={set('nameContains')} placeholder="contains" />
      </label>
      <button type="button" onClick={() => props.onChange(emptyFilter)}>
        Clear
      </button>
    </form>
  );
}

type ColumnKey =
  'name' | 'managementCluster' | 'namespace' | 'phase' | 'health' | 'version' | 'infra' | 'nodes' | 'created';
/** The columns; those with an order field are sorted by the gateway (over every page). */
const columns: Array<{ key: ColumnKey; label: string; orderBy?: ClusterOrderField }> = [
  { key: 'name', label: 'Name', orderBy: 'NAME' },
  { key: 'health', label: 'Health' },
  { key: 'managementCluster', label: 'Mgmt cluster', orderBy: 'MANAGEMENT_CLUSTER' },
  { key: 'namespace', label: 'Namespace', orderBy: 'NAMESPACE' },
  { key: 'phase', label: 'Phase', orderBy: 'PHASE' },
  { key: 'version', label: 'Version', orderBy: 'KUBERNETES_VERSION' },
  { key: 'infra', label: 'Infrastructure', orderBy: 'INFRASTRUCTURE_KIND' },
  { key: 'nodes', label: 'CP / workers ready' },
  { key: 'created', label: 'Created', orderBy: 'CREATED' },
];

/** The gateway's default order (management cluster, namespace, name), named as a column sort. */
const defaultOrder: ClusterOrder = { field: 'MANAGEMENT_CLUSTER', direction: 'ASC' };

/** What a row is sorted by (a live change of it moves the row: the page is reloaded). */
function orderValue(row: FleetRowFragment, field: ClusterOrderField): string | null {
  switch (field) {
    case 'NAME':
      return row.name;
    case 'MANAGEMENT_CLUSTER':
      return row.managementCluster.name;
    case 'NAMESPACE':
      return row.namespace;
    case 'PHASE':
      return row.phase ?? null;
    case 'KUBERNETES_VERSION':
      return row.kubernetesVersion ?? null;
    case 'INFRASTRUCTURE_KIND':
      return row.infrastructureCluster?.kind ?? null;
    case 'CREATED':
      return row.createdAt ?? null;
  }
}

/** How long ago: `45s`, `12m`, `5h`, `3d`. */
function age(createdAt: string | null | undefined): string {
  if (!createdAt) return '—';
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(createdAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

interface Page {
  rows: FleetRowFragment[];
  totalCount: number;
  hasNext: boolean;
  hasPrevious: boolean;
  startCursor: string | null;
  endCursor: string | null;
  errors: Array<{ managementCluster: string; message: string }>;
}

type PageRequest = { first: number; after?: string } | { last: number; before: string };

/** The order and the page asked for, changed together: a cursor is only valid in its own order. */
interface TableQuery {
  orderBy: ClusterOrder;
  page: PageRequest;
}

function ClusterTable({ filter }: { filter: ClusterFilter }) {
  const [pageSize, setPageSize] = useState(100);
  const [query, setQuery] = useState<TableQuery>({ orderBy: defaultOrder, page: { first: 100 } });
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<string>();
  const [flash, setFlash] = useState<ReadonlySet<string>>(new Set());
  const queryRef = useRef(query);
  queryRef.current = query;
  /** The rows shown now (state updaters run later: events read what is on screen from here). */
  const rowsRef = useRef<FleetRowFragment[]>([]);
  rowsRef.current = page?.rows ?? [];
  /** Only the answer to the latest request is shown. */
  const latest = useRef(0);
  const orderBy = query.orderBy;

  const load = useCallback(async () => {
    const seq = ++latest.current;
    const { orderBy, page } = queryRef.current;
    const result = await request(DashClustersDocument, { filter, orderBy, ...page });
    if (seq !== latest.current) return;
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(undefined);
    const c = result.data.clusters;
    setPage({
      rows: c.edges.map((e) => e.node),
      totalCount: c.totalCount,
      hasNext: c.pageInfo.hasNextPage,
      hasPrevious: c.pageInfo.hasPreviousPage,
      startCursor: c.pageInfo.startCursor ?? null,
      endCursor: c.pageInfo.endCursor ?? null,
      errors: c.errors,
    });
  }, [filter]);

  useEffect(() => {
    setQuery((q) => ({ ...q, page: { first: pageSize } }));
    setPageIndex(0);
  }, [filter, pageSize]);

  useEffect(() => {
    void load();
  }, [load, query]);

  const sortBy = (field: ClusterOrderField): void => {
    const direction = orderBy.field === field && orderBy.direction === 'ASC' ? 'DESC' : 'ASC';
    setQuery({ orderBy: { field, direction }, page: { first: pageSize } });
    setPageIndex(0);
  };

  // Live: a changed cluster on this page is replaced in place; one added or removed reloads the
  // page (at most once a second) so counts and cursors stay right.
  useEffect(() => {
    let reload: ReturnType<typeof setTimeout> | undefined;
    const scheduleReload = (): void => {
      reload ??= setTimeout(() => {
        reload = undefined;
        void load();
      }, 1_000);
    };
    const stop = subscribe(
      DashClusterEventsDocument,
      { filter },
      {
        next: ({ clusterEvents: event }) => {
          const cluster = event.cluster;
          if (event.type === 'MODIFIED' && cluster) {
            const field = queryRef.current.orderBy.field;
            const old = rowsRef.current.find((r) => r.id === cluster.id);
            setPage((current) => {
              if (!current || !current.rows.some((r) => r.id === cluster.id)) return current;
              return { ...current, rows: current.rows.map((r) => (r.id === cluster.id ? cluster : r)) };
            });
            // What the page is sorted by changed: the gateway places the row again.
            if (old && orderValue(old, field) !== orderValue(cluster, field)) scheduleReload();
            setFlash((current) => new Set([...current, cluster.id]));
            setTimeout(
              () => setFlash((current) => new Set([...current].filter((id) => id !== cluster.id))),
              1_500,
            );
            return;
          }
          if (event.type === 'ADDED' && cluster) {
            let known = false;
            setPage((current) => {
              if (!current || !current.rows.some((r) => r.id === cluster.id)) return current;
              known = true;
              return { ...current, rows: current.rows.map((r) => (r.id === cluster.id ? cluster : r)) };
            });
            if (!known) scheduleReload();
            return;
          }
          scheduleReload();
        },
      },
    );
    return () => {
      stop();
      if (reload) clearTimeout(reload);
    };
  }, [filter, load]);

  const rows = page?.rows ?? [];

  const header = (
    <div className="row head" role="row">
      {columns.map((column) => {
        if (!column.orderBy)
          return (
            <div key={column.key} role="columnheader" className={`cell col-${column.key}`}>
              {column.label}
            </div>
          );
        const active = orderBy.field === column.orderBy;
        const descending = orderBy.direction === 'DESC';
        return (
          <div
            key={column.key}
            role="columnheader"
            className={`cell col-${column.key}`}
            aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}
          >
            <button
              type="button"
              className="sort"
              title={`Sort every page by ${column.label.toLowerCase()}`}
              onClick={() => sortBy(column.orderBy!)}
            >
              {column.label} {active ? (descending ? '▼' : '▲') : ''}
            </button>
          </div>
        );
      })}
    </div>
  );

  const from = page && page.rows.length > 0 ? pageIndex * pageSize + 1 : 0;
  return (
    <section aria-label="clusters">
      <div className="table-bar">
        <span>
          {page ? `${from}–${from + Math.max(0, page.rows.length - 1)} of ${page.totalCount}` : 'Loading…'}
        </span>
        <label>
          Rows per page{' '}
          <select value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))}>
            {[50, 100, 250, 500, 1000].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!page?.hasPrevious || !page.startCursor}
          onClick={() => {
            setQuery((q) => ({ ...q, page: { last: pageSize, before: page!.startCursor! } }));
            setPageIndex((i) => Math.max(0, i - 1));
          }}
        >
          ◀ Previous
        </button>
        <button
          type="button"
          disabled={!page?.hasNext || !page.endCursor}
          onClick={() => {
            setQuery((q) => ({ ...q, page: { first: pageSize, after: page!.endCursor! } }));
            setPageIndex((i) => i + 1);
          }}
        >
          Next ▶
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      {page?.errors.map((e) => (
        <div key={e.managementCluster} className="error-inline">
          {e.managementCluster}: {e.message} (its clusters are missing from this page)
        </div>
      ))}
      <div className="table" role="table" aria-label="cluster table" aria-rowcount={page?.totalCount ?? -1}>
        {header}
        <VirtualRows
          items={rows}
          rowHeight={34}
          height={Math.min(560, Math.max(34, rows.length * 34))}
          label="cluster rows"
          render={(row) => (
            <div
              key={row.id}
              role="row"
              className={`row${flash.has(row.id) ? ' flash' : ''}`}
              data-cluster={row.name}
            >
              <div role="cell" className="cell col-name">
                <Link href={clusterPath(row.managementCluster.name, row.namespace, row.name)}>
                  {row.name}
                </Link>
              </div>
              <div role="cell" className="cell col-health">
                <HealthBadge health={clusterHealth(row)} />
              </div>
              <div role="cell" className="cell col-managementCluster">
                {row.managementCluster.name}
              </div>
              <div role="cell" className="cell col-namespace">
                {row.namespace}
              </div>
              <div role="cell" className="cell col-phase">
                {row.phase ?? '—'}
              </div>
              <div role="cell" className="cell col-version">
                {row.kubernetesVersion ?? '—'}
              </div>
              <div role="cell" className="cell col-infra">
                {row.infrastructureCluster?.kind ?? '—'}
              </div>
              <div role="cell" className="cell col-nodes">
                {row.summary.controlPlane.ready ?? 0}/{row.summary.controlPlane.desired ?? '?'} ·{' '}
                {row.summary.workers.ready ?? 0}/{row.summary.workers.desired ?? '?'}
              </div>
              <div role="cell" className="cell col-created" title={row.createdAt ?? undefined}>
                {age(row.createdAt)}
              </div>
            </div>
          )}
        />
        {page && page.rows.length === 0 && <div className="muted empty">No cluster matches.</div>}
      </div>
    </section>
  );
}

export function FleetPage() {
  const managementClusters = useManagementClusters();
  const [filterState, setFilterState] = useState(emptyFilter);
  const debounced = useDebounced(filterState, 300);
  const filter = useMemo(() => toClusterFilter(debounced), [debounced]);
  return (
    <main>
      <h1>Fleet</h1>
      <ManagementClusterCards list={managementClusters} />
      <SummaryCharts filter={filter} />
      <Filters state={filterState} onChange={setFilterState} managementClusters={managementClusters} />
      <ClusterTable filter={filter} />
      {/* What the filters say now, not what the table last loaded: the upgrade must select what is shown. */}
      <FleetUpgrade filter={toClusterFilter(filterState)} />
    </main>
  );
}
