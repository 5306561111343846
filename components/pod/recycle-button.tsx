'use client';

// Recycling one pod, after a confirmation that says what will happen: the
// DELETE goes out as the signed-in user, for exactly the pod (uid) they saw.

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';

export interface RecycleButtonProps {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  owner: string;
  ephemeral: { count: number; running: number };
  /** Where to go afterwards; stays (and re-renders) when absent. */
  after?: string;
}

export function RecycleButton({ cluster, namespace, name, uid, owner, ephemeral, after }: RecycleButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string }>();

  const recycle = async () => {
    setBusy(true);
    try {
      const response = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/pods/${namespace}/${name}?uid=${encodeURIComponent(uid)}`, { method: 'DELETE' });
      const body = (await response.json().catch(() => ({}))) as { message?: string; error?: string };
      setOutcome({ ok: response.ok, message: body.message ?? body.error ?? `HTTP ${response.status}` });
      if (response.ok) {
        dialog.current?.close();
        if (after) router.push(after);
        else router.refresh();
      }
    } catch (error) {
      setOutcome({ ok: false, message: `The request failed: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="inline-flex flex-col gap-1">
      <button
        type="button"
        onClick={() => {
          setOutcome(undefined);
          dialog.current?.showModal();
        }}
        className="rounded-md border border-red-300 px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-400/10"
      >
        Recycle pod…
      </button>
      {outcome && !dialog.current?.open && (
        <span role="status" className={`text-xs ${outcome.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}>
          {outcome.message}
        </span>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={`recycle-${uid}`}
        className="m-auto max-w-md rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id={`recycle-${uid}`} className="text-base font-semibold">
          Recycle pod {namespace}/{name}?
        </h2>
        <div className="mt-3 space-y-2 text-sm text-zinc-700 dark:text-zinc-300">
          <p>
            The pod is deleted, as you, and its controller <span className="font-mono">{owner}</span> creates it again — without its {ephemeral.count}{' '}
            ephemeral {ephemeral.count === 1 ? 'container' : 'containers'}.
          </p>
          {ephemeral.running > 0 && (
            <p className="font-medium text-amber-800 dark:text-amber-300">
              {ephemeral.running} of them {ephemeral.running === 1 ? 'is' : 'are'} still running: anyone debugging in this pod loses their session.
            </p>
          )}
          <p>The workload is briefly one pod short while the new one starts.</p>
        </div>
        {outcome && !outcome.ok && (
          <p role="alert" className="mt-3 rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-400/10 dark:text-red-300">
            {outcome.message}
          </p>
        )}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md px-3 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Cancel
          </button>
          <button type="button" disabled={busy} onClick={recycle} className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60">
            {busy ? 'Deleting…' : 'Delete pod'}
          </button>
        </div>
      </dialog>
    </span>
  );
}
