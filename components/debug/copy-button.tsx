'use client';

import { useState } from 'react';

/** Copies `text`; says so for a moment, in words a screen reader hears. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 1_500);
  };
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={label}
      className="rounded border border-zinc-300 px-2 py-0.5 text-xs text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <span aria-live="polite">{copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select and copy by hand' : 'Copy'}</span>
    </button>
  );
}
