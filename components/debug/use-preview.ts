'use client';

// The live preview: the form's request goes to the preview route ~200 ms
// after the last change; a newer request cancels the one in flight, so what
// is shown is always the answer to what the form says now.

import { useEffect, useState } from 'react';
import type { SessionBody } from '@/lib/debug/form';
import type { FieldError } from '@/lib/debug/types';
import type { PreviewResult } from './api-types';

export const PREVIEW_DEBOUNCE_MS = 200;

export function usePreview(cluster: string, request: SessionBody | null): { result: PreviewResult | null; pending: boolean } {
  const [result, setResult] = useState<PreviewResult | null>(null);
  const [pending, setPending] = useState(false);
  const body = request ? JSON.stringify(request) : null;

  useEffect(() => {
    if (body === null) {
      setResult(null);
      setPending(false);
      return;
    }
    const controller = new AbortController();
    setPending(true);
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/debug/preview`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
          signal: controller.signal,
        });
        const json = (await response.json().catch(() => null)) as { ok?: boolean; error?: string; message?: string; rule?: string; errors?: FieldError[] } | null;
        if (response.ok && json?.ok === true) setResult(json as PreviewResult);
        else {
          // A refusal: { error, message, rule?, errors? } with its status.
          const message = json?.message ?? json?.error ?? `The preview could not be made (HTTP ${response.status}).`;
          setResult({ ok: false, message, ...(json?.rule ? { rule: json.rule } : {}), ...(json?.errors ? { errors: json.errors } : {}) });
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        setResult({ ok: false, message: `The preview could not be fetched: ${(error as Error).message}` });
      }
      setPending(false);
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [cluster, body]);

  return { result, pending };
}
