/**
 * An object's YAML, fetched only when opened: the stored object as the gateway reads it from its
 * management cluster (`raw`), read again each time it is opened.
 */
import { useEffect, useState } from 'react';
import { stringify } from 'yaml';
import { request } from '../api.ts';
import { DashObjectRawDocument } from '../../generated/graphql.ts';

type Loaded = { state: 'loading' } | { state: 'ok'; yaml: string } | { state: 'error'; message: string };

export function YamlButton({ id, label }: { id: string; label: string }) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    if (!open) return;
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
  }, [open, id, label]);
  return (
    <>
      <button
        type="button"
        className="small"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        aria-label={`YAML of ${label}`}
      >
        YAML
      </button>
      {open &&
        (loaded.state === 'ok' ? (
          <pre className="yaml" aria-label={`${label} YAML`} role="region">
            {loaded.yaml}
          </pre>
        ) : loaded.state === 'error' ? (
          <div className="error-inline" role="alert">
            {loaded.message}
          </div>
        ) : (
          <div className="muted">Loading YAML…</div>
        ))}
    </>
  );
}
