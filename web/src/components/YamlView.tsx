/**
 * An object's YAML, fetched only when opened: the stored object as the gateway reads it from its
 * management cluster (`raw`), read again each time it is opened.
 */
import { useEffect, useState } from 'react';
import { stringify } from 'yaml';
import { request } from '../api.ts';
import { DashObjectRawDocument } from '../../generated/graphql.ts';

type Loaded = { state: 'loading' } | { state: 'ok'; yaml: string } | { state: 'error'; message: string };

/** The YAML toggle of a row; the row shows a YamlPanel below itself while it is open. */
export function YamlToggle(props: { open: boolean; onToggle(): void; label: string }) {
  return (
    <button
      type="button"
      className="small"
      aria-expanded={props.open}
      onClick={props.onToggle}
      aria-label={`YAML of ${props.label}`}
    >
      YAML
    </button>
  );
}

/** The object's YAML, read when this panel mounts (each time the row's YAML is opened). */
export function YamlPanel({ id, label }: { id: string; label: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setLoaded({ state: 'loading' });
    void request(DashObjectRawDocument, { id }).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setLoaded({ state: 'error', message: result.error.message });
      const node = result.data.node;
      if (!node || !('raw' in node))
        return setLoaded({ state: 'error', message: result.partial[0]?.message ?? `${label} is gone` });
      setLoaded({ state: 'ok', yaml: stringify(node.raw) });
    });
    return () => {
      cancelled = true;
    };
  }, [id, label]);
  if (loaded.state === 'ok')
    return (
      <pre className="yaml" aria-label={`${label} YAML`} role="region">
        {loaded.yaml}
      </pre>
    );
  if (loaded.state === 'error')
    return (
      <div className="error-inline" role="alert">
        {loaded.message}
      </div>
    );
  return <div className="muted">Loading YAML…</div>;
}
