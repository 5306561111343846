'use client';

// The debug form: what to do with a pod (an ephemeral container, a copy,
// exec, re-attach) or a node, composed field by field, with the preview of
// exactly what will be sent beside it. Start creates the session and opens
// its page. The server decides again; this form only explains early.

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { containerSessionCommand, defaultMountPath, toDebugRequest, toSessionBody, type DebugFormState, type FormKind } from '@/lib/debug/form';
import { DEFAULT_PROFILE } from '@/lib/debug/request';
import type { FieldError } from '@/lib/debug/types';
import type { DebugOptions, ImageProposal } from './api-types';
import { ImageField, input, legend, ProfileField, ReasonField, RunField, TargetField, VolumesField, type VolumeChoiceInfo } from './fields';
import { PreviewPanel } from './preview-panel';
import { usePreview } from './use-preview';
import { useDebugOptions } from './use-debug-options';

export type DebugSubject =
  | {
      kind: 'pod';
      namespace: string;
      name: string;
      /** The pod's own containers (targets, exec). */
      containers: string[];
      /** Ephemeral containers still running: re-attach instead of adding another. */
      runningEphemeral: Array<{ name: string; image: string }>;
      volumes: VolumeChoiceInfo[];
      crashLooping: boolean;
    }
  | { kind: 'node'; name: string };

const KIND_LABELS: Record<FormKind, { label: string; about: string }> = {
  ephemeral: { label: 'Add an ephemeral container', about: 'Shares the pod’s network; optionally one container’s processes and the pod’s volumes. It stays in the pod’s spec for good.' },
  copy: { label: 'Debug a copy of the pod', about: 'A copy with a debug container and shared processes; the original is left alone. Deleted when the session ends. Break-glass.' },
  exec: { label: 'Exec into a container', about: 'A shell or command in a container that is already there; the pod is not changed.' },
  attach: { label: 'Re-attach to a running ephemeral container', about: 'Ephemeral containers can never be removed: use the one that is still running.' },
  node: { label: 'Debug the node', about: 'A node-debugger pod on the node, with the host’s / at /host as the profile says. Deleted when the session ends. Break-glass.' },
};

function initialState(subject: DebugSubject): DebugFormState {
  const pod = subject.kind === 'pod' ? subject : undefined;
  return {
    kind: subject.kind === 'node' ? 'node' : pod!.crashLooping ? 'copy' : 'ephemeral',
    namespace: pod?.namespace ?? 'default',
    ...(pod ? { pod: pod.name } : { node: subject.name }),
    image: '',
    profile: DEFAULT_PROFILE,
    target: '',
    mounts: Object.fromEntries((pod?.volumes ?? []).map((v) => [v.name, { enabled: false, mountPath: defaultMountPath(v.name), readOnly: true }])),
    run: 'shell',
    command: '',
    diagnostic: 'sockets',
    diagnosticText: '',
    reason: '',
    chroot: false,
    copyTo: pod ? `${pod.name.slice(0, 50)}-debug` : '',
    container: pod?.runningEphemeral[0]?.name ?? '',
  };
}

interface StartFailure {
  message: string;
  rule?: string;
  errors?: FieldError[];
}

export function DebugForm({ cluster, subject }: { cluster: string; subject: DebugSubject }) {
  const router = useRouter();
  const [state, setState] = useState<DebugFormState>(() => initialState(subject));
  const update = (change: Partial<DebugFormState>) => setState((s) => ({ ...s, ...change }));
  const options = useDebugOptions(cluster, subject);
  const [starting, setStarting] = useState(false);
  const [failure, setFailure] = useState<StartFailure | null>(null);

  // The policy's default image, once known, unless the person has typed one.
  const defaultImage = options.value?.images.default ?? '';
  useEffect(() => {
    if (defaultImage) setState((s) => (s.image ? s : { ...s, image: defaultImage }));
  }, [defaultImage]);
  useEffect(() => {
    if (options.value?.namespace && subject.kind === 'node') setState((s) => ({ ...s, namespace: options.value!.namespace! }));
  }, [options.value, subject.kind]);

  const request = useMemo(() => toDebugRequest(state), [state]);
  // Wait for the policy's default image before the first preview, so it does not flash an adjustment.
  const preview = usePreview(cluster, request && (options.value || options.error) ? toSessionBody(state) : null);
  const kinds: FormKind[] =
    subject.kind === 'node'
      ? ['node']
      : [...(subject.crashLooping ? (['copy', 'ephemeral'] as const) : (['ephemeral', 'copy'] as const)), 'exec', ...(subject.runningEphemeral.length > 0 ? (['attach'] as const) : [])];
  const containerKind = state.kind === 'exec' || state.kind === 'attach';
  const requiredFor = options.value?.reason.requiredFor;
  const reasonRequired = requiredFor
    ? (state.kind === 'node' && requiredFor.node) || (state.kind === 'copy' && requiredFor.copy) || requiredFor.profiles.includes(state.profile)
    : state.kind === 'node' || state.kind === 'copy' || state.profile === 'sysadmin';
  const kindOption = (kind: FormKind) => options.value?.kinds.find((k) => k.kind === kind);
  const profilesHere = options.value ? (options.value.profilesByKind[state.kind as 'ephemeral' | 'copy' | 'node'] ?? []) : null;

  const onProposal = (proposal: ImageProposal) => {
    if (proposal.kind === 'runAsUser' && proposal.runAsUser !== undefined) update({ runAsUser: proposal.runAsUser });
    if (proposal.kind === 'image' && proposal.image) update({ image: proposal.image, runAsUser: undefined });
  };

  const start = async (event: React.FormEvent) => {
    event.preventDefault();
    setStarting(true);
    setFailure(null);
    try {
      const response = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(toSessionBody(state)),
      });
      const body = (await response.json().catch(() => ({}))) as { session?: { id: string }; message?: string; error?: string; rule?: string; errors?: FieldError[] };
      if (response.ok && body.session) {
        router.push(`/sessions/${body.session.id}`);
        return;
      }
      setFailure({ message: body.message ?? body.error ?? `The session could not be started (HTTP ${response.status}).`, rule: body.rule, errors: body.errors });
    } catch (error) {
      setFailure({ message: `The session could not be started: ${(error as Error).message}` });
    }
    setStarting(false);
  };

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <form onSubmit={start} aria-label="Debug session" className="space-y-4 rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        {subject.kind === 'pod' && subject.runningEphemeral.length > 0 && state.kind !== 'attach' && (
          <div role="note" className="rounded bg-sky-50 p-3 text-sm text-sky-900 dark:bg-sky-400/10 dark:text-sky-200">
            {subject.runningEphemeral.length === 1 ? 'An ephemeral container is' : `${subject.runningEphemeral.length} ephemeral containers are`} still running in this pod (
            {subject.runningEphemeral.map((c) => c.name).join(', ')}). Ephemeral containers can never be removed: re-attach rather than add another.{' '}
            <button type="button" onClick={() => update({ kind: 'attach', container: subject.runningEphemeral[0].name })} className="font-medium underline">
              Re-attach to {subject.runningEphemeral[0].name}
            </button>
          </div>
        )}
        {subject.kind === 'pod' && subject.crashLooping && (
          <p role="note" className="rounded bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">
            This pod is crash-looping: its container restarts before anything can attach. Debug a copy of it instead (kubectl debug --copy-to), where a debug container shares its processes.
          </p>
        )}
        {options.value && !options.value.allowed && options.value.refusal && (
          <div role="alert" aria-label="Debugging refused here" className="rounded bg-red-50 p-3 text-sm text-red-900 dark:bg-red-400/10 dark:text-red-200">
            <p className="font-semibold">Refused{options.value.refusal.rule ? <> by the policy rule <span className="font-mono">{options.value.refusal.rule}</span></> : ''}</p>
            <p>{options.value.refusal.message}</p>
          </div>
        )}
        {options.error && (
          <p role="alert" className="rounded bg-red-50 p-2 text-xs text-red-900 dark:bg-red-400/10 dark:text-red-200">
            The policy’s options could not be read: {options.error}
          </p>
        )}

        {kinds.length > 1 && (
          <fieldset className="space-y-1">
            <legend className={legend}>What to do</legend>
            {kinds.map((kind) => (
              <label key={kind} className="flex items-start gap-2">
                <input type="radio" name="kind" value={kind} checked={state.kind === kind} disabled={kindOption(kind)?.message !== undefined} onChange={() => update({ kind, ...(kind === 'exec' ? { container: subject.kind === 'pod' ? subject.containers[0] ?? '' : '' } : kind === 'attach' && subject.kind === 'pod' ? { container: subject.runningEphemeral[0]?.name ?? '' } : {}) })} className="mt-1" />
                <span>
                  {KIND_LABELS[kind].label}
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">{KIND_LABELS[kind].about}</span>
                  {kindOption(kind)?.message && <span className="block text-xs text-red-700 dark:text-red-400">{kindOption(kind)!.message}</span>}
                </span>
              </label>
            ))}
          </fieldset>
        )}

        {containerKind && subject.kind === 'pod' ? (
          <div className="space-y-1">
            <label htmlFor="debug-container" className={legend}>
              {state.kind === 'exec' ? 'Container to exec into' : 'Ephemeral container to re-attach to'}
            </label>
            <select id="debug-container" value={state.container} onChange={(e) => update({ container: e.target.value })} className={input}>
              {(state.kind === 'exec' ? subject.containers : subject.runningEphemeral.map((c) => c.name)).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <>
            <ImageField value={state.image} choices={options.value?.images.choices ?? []} approved={options.value?.images.approved.map((rule) => rule.pattern) ?? []} defaultImage={defaultImage} onChange={(image) => update({ image })} />
            {state.kind === 'ephemeral' && subject.kind === 'pod' && <TargetField value={state.target} containers={subject.containers} onChange={(target) => update({ target })} />}
            {state.kind === 'copy' && (
              <label className="block space-y-1">
                <span className={legend}>Name of the copy</span>
                <input value={state.copyTo} onChange={(e) => update({ copyTo: e.target.value })} className={`${input} font-mono`} aria-label="Name of the copy" />
              </label>
            )}
            <ProfileField value={state.profile} allowed={profilesHere} onChange={(profile) => update({ profile })} />
            {state.runAsUser !== undefined && (
              <p className="text-xs">
                Runs as user <span className="font-mono">{state.runAsUser}</span> (Ephemera adds runAsUser).{' '}
                <button type="button" className="underline" onClick={() => update({ runAsUser: undefined })}>
                  Undo
                </button>
              </p>
            )}
            {subject.kind === 'pod' && state.kind !== 'node' && <VolumesField volumes={subject.volumes} value={state.mounts} onChange={(mounts) => update({ mounts })} />}
            {state.kind === 'node' && (
              <>
                <label className="flex items-start gap-2">
                  <input type="checkbox" checked={state.chroot} onChange={(e) => update({ chroot: e.target.checked })} className="mt-1" />
                  <span>
                    Run in the node’s filesystem (chroot /host)
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">Otherwise the node’s / is at /host (profiles that mount it).</span>
                  </span>
                </label>
                <label className="block space-y-1">
                  <span className={legend}>Namespace of the debug pod</span>
                  <input value={state.namespace} onChange={(e) => update({ namespace: e.target.value })} className={`${input} font-mono`} aria-label="Namespace of the debug pod" />
                </label>
              </>
            )}
          </>
        )}
        {state.kind !== 'attach' && <RunField state={state} update={update} />}
        {!containerKind && <ReasonField value={state.reason} required={reasonRequired} example={options.value?.reason.example} onChange={(reason) => update({ reason })} />}

        {failure && (
          <div role="alert" aria-label="Not started" className="space-y-1 rounded bg-red-50 p-3 text-sm text-red-900 dark:bg-red-400/10 dark:text-red-200">
            <p className="font-semibold">Not started{failure.rule ? <> (policy rule <span className="font-mono">{failure.rule}</span>)</> : ''}</p>
            <p>{failure.message}</p>
            {failure.errors?.map((error) => (
              <p key={error.field + error.message} className="text-xs">
                {error.message}
              </p>
            ))}
          </div>
        )}
        <div className="flex items-center gap-3">
          <button type="submit" disabled={starting || options.value?.allowed === false} className="rounded-md bg-violet-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-700 disabled:opacity-60">
            {starting ? 'Starting…' : state.run === 'oneshot' ? 'Run' : 'Start'}
          </button>
          {options.value?.limits && (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              Ends after {Math.round(options.value.limits.maxDurationSeconds / 60)} min, or {Math.round(options.value.limits.idleTimeoutSeconds / 60)} min without input.
            </p>
          )}
        </div>
      </form>
      <div className="lg:sticky lg:top-4 lg:self-start">
        <PreviewPanel
          result={preview.result}
          pending={preview.pending}
          localCommand={containerKind ? containerSessionCommand(state) : undefined}
          onProposal={onProposal}
        />
      </div>
    </div>
  );
}
