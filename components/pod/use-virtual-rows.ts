'use client';

// Windowing for a long table with rows of one fixed height: only the rows in
// (and near) the scroll container's viewport are rendered, between two spacer
// rows. Before the component has mounted (server render, hydration) it shows
// the first rows without spacers: the page's CSP blocks style attributes in
// server HTML, while styles React sets later (through the CSSOM) are allowed.

import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
  /** Whether windowing (and the spacers' inline heights) is active. */
  mounted: boolean;
  /** Scrolls so that row `index` is visible. */
  scrollToIndex(index: number): void;
}

export function useVirtualRows(container: RefObject<HTMLElement | null>, count: number, rowHeight: number, { overscan = 12, initial = 30, headerHeight = 0 } = {}): RowWindow {
  const [mounted, setMounted] = useState(false);
  const [view, setView] = useState({ top: 0, height: initial * rowHeight });

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    setMounted(true);
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    element.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [container]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = container.current;
      if (!element) return;
      const top = headerHeight + index * rowHeight;
      if (top < element.scrollTop + headerHeight) element.scrollTop = top - headerHeight;
      else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
    },
    [container, rowHeight, headerHeight],
  );

  if (!mounted) {
    const end = Math.min(count, initial);
    return { start: 0, end, padTop: 0, padBottom: 0, mounted, scrollToIndex };
  }
  const visibleRows = Math.ceil(view.height / rowHeight);
  // After a filter shrinks the list, the old scroll position may be past its end until the browser clamps it.
  const first = Math.min(Math.floor(Math.max(0, view.top - headerHeight) / rowHeight), Math.max(0, count - visibleRows));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visibleRows + overscan);
  return { start, end: Math.max(start, end), padTop: start * rowHeight, padBottom: Math.max(0, count - end) * rowHeight, mounted, scrollToIndex };
}
