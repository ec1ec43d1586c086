/**
 * The fleet: every management cluster, the counts as small charts, and one server-side page of
 * the cluster table, kept live by clusterEvents and fleetSummaryUpdated.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request, subscribe } from '../api.ts';
import {
  DashClusterEventsDocument,
  DashClustersDocument,
  DashFleetSummaryDocument,
  DashManagementClustersDocument,
  type ClusterFilter,
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

type SortKey =
  'name' | 'managementCluster' | 'namespace' | 'phase' | 'health' | 'version' | 'infra' | 'nodes';
const columns: Array<{ key: SortKey; label: string }> = [
  { key: 'name', label: 'Name' },
  { key: 'health', label: 'Health' },
  { key: 'managementCluster', label: 'Mgmt cluster' },
  { key: 'namespace', label: 'Namespace' },
  { key: 'phase', label: 'Phase' },
  { key: 'version', label: 'Version' },
  { key: 'infra', label: 'Infrastructure' },
  { key: 'nodes', label: 'CP / workers ready' },
];

function sortValue(row: FleetRowFragment, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return row.name;
    case 'managementCluster':
      return row.managementCluster.name;
    case 'namespace':
      return row.namespace;
    case 'phase':
      return row.phase ?? '';
    case 'health':
      return clusterHealth(row).text;
    case 'version':
      return row.kubernetesVersion ?? '';
    case 'infra':
      return row.infrastructureCluster?.kind ?? '';
    case 'nodes':
      return (row.summary.controlPlane.ready ?? 0) + (row.summary.workers.ready ?? 0);
  }
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

function ClusterTable({ filter }: { filter: ClusterFilter }) {
  const [pageSize, setPageSize] = useState(100);
  const [pageRequest, setPageRequest] = useState<PageRequest>({ first: 100 });
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<string>();
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'name', descending: false });
  const [flash, setFlash] = useState<ReadonlySet<string>>(new Set());
  const requestRef = useRef(pageRequest);
  requestRef.current = pageRequest;

  const load = useCallback(async () => {
    const result = await request(DashClustersDocument, { filter, ...requestRef.current });
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
    setPageRequest({ first: pageSize });
    setPageIndex(0);
  }, [filter, pageSize]);

  useEffect(() => {
    void load();
  }, [load, pageRequest]);

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
            setPage((current) => {
              if (!current || !current.rows.some((r) => r.id === cluster.id)) return current;
              return { ...current, rows: current.rows.map((r) => (r.id === cluster.id ? cluster : r)) };
            });
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

  const rows = useMemo(() => {
    const list = [...(page?.rows ?? [])];
    list.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -order : order;
    });
    return list;
  }, [page, sort]);

  const header = (
    <div className="row head" role="row">
      {columns.map((column) => {
        const active = sort.key === column.key;
        return (
          <div
            key={column.key}
            role="columnheader"
            className={`cell col-${column.key}`}
            aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
          >
            <button
              type="button"
              className="sort"
              onClick={() => setSort({ key: column.key, descending: active ? !sort.descending : false })}
            >
              {column.label} {active ? (sort.descending ? '▼' : '▲') : ''}
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
          <span className="muted"> (sorting orders this page)</span>
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
            setPageRequest({ last: pageSize, before: page!.startCursor! });
            setPageIndex((i) => Math.max(0, i - 1));
          }}
        >
          ◀ Previous
        </button>
        <button
          type="button"
          disabled={!page?.hasNext || !page.endCursor}
          onClick={() => {
            setPageRequest({ first: pageSize, after: page!.endCursor! });
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
