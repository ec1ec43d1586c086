/**
 * Renders only the rows in view (plus a few either side) of a fixed-height list, so a page of
 * 1,000 clusters is as cheap as a page of 20.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export function VirtualRows<T>(props: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  render(item: T, index: number): ReactNode;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && el.scrollTop > props.items.length * props.rowHeight) el.scrollTop = 0;
  }, [props.items.length, props.rowHeight]);
  const overscan = 8;
  const first = Math.max(0, Math.floor(scrollTop / props.rowHeight) - overscan);
  const count = Math.ceil(props.height / props.rowHeight) + overscan * 2;
  const visible = props.items.slice(first, first + count);
  const total = props.items.length * props.rowHeight;
  return (
    <div
      ref={ref}
      className="virtual"
      style={{ maxHeight: props.height }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="rowgroup"
      aria-label={props.label}
    >
      <div style={{ height: total, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * props.rowHeight, left: 0, right: 0 }}>
          {visible.map((item, i) => props.render(item, first + i))}
        </div>
      </div>
    </div>
  );
}
