/** An object as YAML, rendered only when asked for. */
import { useState } from 'react';
import { stringify } from 'yaml';

export function YamlButton({ value, label }: { value: () => unknown; label: string }) {
  const [open, setOpen] = useState(false);
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
      {open && <pre className="yaml">{stringify(value())}</pre>}
    </>
  );
}
