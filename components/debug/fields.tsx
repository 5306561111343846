'use client';

// The debug form's fields, each labelled for people and for tests.

import { DIAGNOSTICS, PROFILE_ORDER, PROFILE_SUMMARY, type DebugFormState, type MountChoice, type RunMode } from '@/lib/debug/form';
import type { Profile } from '@/lib/debug/request';
import type { ProfileOption } from './api-types';

export const input =
  'w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900 disabled:opacity-50';
export const legend = 'text-xs font-semibold text-zinc-700 dark:text-zinc-300';
const hint = 'text-xs text-zinc-500 dark:text-zinc-400';

type Update = (change: Partial<DebugFormState>) => void;

export function ImageField({ value, choices, approved, defaultImage, onChange }: { value: string; choices: string[]; approved: string[]; defaultImage: string; onChange: (image: string) => void }) {
  return (
    <div className="space-y-1">
      <label htmlFor="debug-image" className={legend}>
        Image
      </label>
      <input id="debug-image" list="debug-approved-images" value={value} onChange={(e) => onChange(e.target.value)} className={`${input} font-mono`} aria-describedby="debug-image-hint" />
      <datalist id="debug-approved-images">
        {[...new Set([defaultImage, ...choices])].filter(Boolean).map((image) => (
          <option key={image} value={image} />
        ))}
      </datalist>
      <p id="debug-image-hint" className={hint}>
        Approved: {approved.length > 0 ? approved.join(', ') : defaultImage}. The default is {defaultImage}; another image is checked against the policy in the preview.
      </p>
    </div>
  );
}

export function ProfileField({ value, allowed, onChange }: { value: Profile; allowed: ProfileOption[] | null; onChange: (profile: Profile) => void }) {
  const byName = new Map((allowed ?? []).map((o) => [o.profile, o]));
  return (
    <fieldset className="space-y-1">
      <legend className={legend}>Profile</legend>
      <p className={hint}>The least privileged first. Each is exactly kubectl’s profile of the same name.</p>
      {PROFILE_ORDER.map((name) => {
        const option = byName.get(name);
        // Until the policy is known, nothing is greyed out: the preview still decides.
        const mayUse = allowed === null || option !== undefined;
        return (
          <div key={name} className="flex items-start gap-2">
            <input
              type="radio"
              id={`profile-${name}`}
              name="profile"
              value={name}
              checked={value === name}
              disabled={!mayUse}
              onChange={() => onChange(name)}
              aria-describedby={`profile-${name}-about`}
              className="mt-1"
            />
            <label htmlFor={`profile-${name}`} className={mayUse ? '' : 'text-zinc-400 dark:text-zinc-600'}>
              <span className="font-mono font-medium">{name}</span>
              {option?.breakGlass && <span className="ml-1 text-xs text-amber-700 dark:text-amber-400">break-glass: needs a reason</span>}
              <span id={`profile-${name}-about`} className="block text-xs text-zinc-500 dark:text-zinc-400">
                {option?.description ?? PROFILE_SUMMARY[name]}
                {!mayUse && <span className="block text-red-700 dark:text-red-400">Not allowed: the policy does not give this profile to your roles here.</span>}
              </span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function TargetField({ value, containers, onChange }: { value: string; containers: string[]; onChange: (target: string) => void }) {
  return (
    <div className="space-y-1">
      <label htmlFor="debug-target" className={legend}>
        Target container (share its processes)
      </label>
      <select id="debug-target" value={value} onChange={(e) => onChange(e.target.value)} className={input}>
        <option value="">none: see only the debug container’s own processes</option>
        {containers.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface VolumeChoiceInfo {
  name: string;
  source: string;
  /** Where the pod's own containers mount it, for reference. */
  mountedAt: string[];
}

export function VolumesField({ volumes, value, onChange }: { volumes: VolumeChoiceInfo[]; value: Record<string, MountChoice>; onChange: (mounts: Record<string, MountChoice>) => void }) {
  if (volumes.length === 0) return null;
  const set = (name: string, change: Partial<MountChoice>) => onChange({ ...value, [name]: { ...value[name], ...change } });
  return (
    <fieldset className="space-y-2">
      <legend className={legend}>Volumes of the pod</legend>
      <p className={hint}>Mounted read-only unless you say otherwise (kubectl has no flag for this).</p>
      {volumes.map((volume) => {
        const choice = value[volume.name];
        if (!choice) return null;
        return (
          <div key={volume.name} className="space-y-1 rounded border border-zinc-200 p-2 dark:border-zinc-800">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={choice.enabled} onChange={(e) => set(volume.name, { enabled: e.target.checked })} aria-label={`Mount ${volume.name}`} />
              <span className="font-mono">{volume.name}</span>
              <span className={hint}>
                {volume.source}
                {volume.mountedAt.length > 0 ? ` · at ${volume.mountedAt.join(', ')}` : ''}
              </span>
            </label>
            {choice.enabled && (
              <div className="flex flex-wrap items-center gap-3 pl-6">
                <label className="flex items-center gap-1 text-xs">
                  Mount path
                  <input value={choice.mountPath} onChange={(e) => set(volume.name, { mountPath: e.target.value })} aria-label={`Mount path for ${volume.name}`} className={`${input} w-56 font-mono`} />
                </label>
                <label className="flex items-center gap-1 text-xs">
                  <input type="checkbox" checked={choice.readOnly} onChange={(e) => set(volume.name, { readOnly: e.target.checked })} aria-label={`Read-only ${volume.name}`} />
                  read-only
                </label>
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

const RUN_MODES: Array<{ value: RunMode; label: string; about: string }> = [
  { value: 'shell', label: 'Interactive shell', about: 'The image’s default shell in a terminal.' },
  { value: 'command', label: 'Interactive command', about: 'Your command in a terminal.' },
  { value: 'oneshot', label: 'One-shot diagnostic', about: 'One command; its output is shown and the container exits (the safest).' },
];

export function RunField({ state, update, modes = RUN_MODES.map((m) => m.value) }: { state: DebugFormState; update: Update; modes?: RunMode[] }) {
  return (
    <fieldset className="space-y-1">
      <legend className={legend}>What runs</legend>
      {RUN_MODES.filter((m) => modes.includes(m.value)).map((mode) => (
        <label key={mode.value} className="flex items-start gap-2">
          <input type="radio" name="run" value={mode.value} checked={state.run === mode.value} onChange={() => update({ run: mode.value })} className="mt-1" />
          <span>
            {mode.label}
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">{mode.about}</span>
          </span>
        </label>
      ))}
      {state.run === 'command' && (
        <label className="block space-y-1 pl-6 text-xs">
          Command
          <input value={state.command} onChange={(e) => update({ command: e.target.value })} placeholder="e.g. top -b" className={`${input} font-mono`} aria-label="Command" />
        </label>
      )}
      {state.run === 'oneshot' && (
        <div className="space-y-1 pl-6">
          <label className="block space-y-1 text-xs">
            Diagnostic
            <select value={state.diagnostic} onChange={(e) => update({ diagnostic: e.target.value as DebugFormState['diagnostic'] })} className={input} aria-label="Diagnostic">
              {DIAGNOSTICS.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                  {d.command.length > 0 ? ` (${d.command.join(' ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          {state.diagnostic === 'custom' && (
            <label className="block space-y-1 text-xs">
              Diagnostic command (run with sh -c)
              <input value={state.diagnosticText} onChange={(e) => update({ diagnosticText: e.target.value })} className={`${input} font-mono`} aria-label="Diagnostic command" />
            </label>
          )}
        </div>
      )}
    </fieldset>
  );
}

export function ReasonField({ value, required, example, onChange }: { value: string; required: boolean; example?: string; onChange: (reason: string) => void }) {
  return (
    <div className="space-y-1">
      <label htmlFor="debug-reason" className={legend}>
        Reason{required ? ' (required: break-glass)' : ' (optional)'}
      </label>
      <textarea
        id="debug-reason"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={2}
        required={required}
        aria-required={required}
        placeholder={example}
        aria-describedby="debug-reason-hint"
        className={input}
      />
      <p id="debug-reason-hint" className={hint}>
        {required ? 'Kept with the session and in the audit log.' : 'Kept with the session.'}
        {example ? ` For example: “${example}”.` : ''}
      </p>
    </div>
  );
}
