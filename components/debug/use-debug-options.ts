'use client';

// What the policy lets this person do here: approved images and the default,
// the profiles (allowed or not, and why), whether a reason is required, the
// limits. Read once from the options route.

import { useEffect, useState } from 'react';
import type { DebugOptions } from './api-types';
import type { DebugSubject } from './debug-form';

export function useDebugOptions(cluster: string, subject: DebugSubject): { value: DebugOptions | null; error: string | null } {
  const [value, setValue] = useState<DebugOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = subject.kind === 'pod' ? new URLSearchParams({ namespace: subject.namespace, pod: subject.name }) : new URLSearchParams({ node: subject.name });
  const url = `/api/clusters/${encodeURIComponent(cluster)}/debug/options?${query}`;

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const response = await fetch(url, { signal: controller.signal });
        const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
        if (!response.ok || !body) {
          setError((body?.message as string) ?? (body?.error as string) ?? `HTTP ${response.status}`);
          return;
        }
        setValue(body as unknown as DebugOptions);
      } catch (e) {
        if (!controller.signal.aborted) setError((e as Error).message);
      }
    })();
    return () => controller.abort();
  }, [url]);

  return { value, error };
}
