// Permission-gated UI, failing closed: until the answer is yes, the children
// are not rendered — nothing at all while the question is being asked, then
// either nothing or a disabled control that says why. This hides what the
// user cannot do; the server checks again when they try (assertCan,
// assertPermitted), so a hidden control is a courtesy, never the guard.

import { Suspense, type ReactNode } from 'react';
import type { EphemeraUser } from '@/lib/auth/types';
import { can, type ResourceAttributes } from '@/lib/k8s/access';
import { CAPABILITIES, permissionTo, type CapabilityName, type Permission } from '@/lib/k8s/permissions';

interface GateProps {
  children: ReactNode;
  /** When the answer is no: render nothing (default), or a disabled control labelled `label` with the reason. */
  whenDenied?: 'hide' | 'disable';
  label?: string;
}

type CanProps = GateProps & { user: EphemeraUser; cluster: string } & (
    | { capability: CapabilityName; namespace: string }
    /** A raw SelfSubjectAccessReview question, for what no capability names. */
    | { check: ResourceAttributes }
  );

export function Can(props: CanProps) {
  const { user, cluster } = props;
  const permission =
    'capability' in props ? permissionTo(user, cluster, props.namespace, props.capability) : can(user, cluster, props.check);
  const label = props.label ?? ('capability' in props ? CAPABILITIES[props.capability].label : undefined);
  return (
    <PermissionGate permission={permission} whenDenied={props.whenDenied} label={label}>
      {props.children}
    </PermissionGate>
  );
}

/** Renders `children` once `permission` resolves to allowed; nothing before, and nothing or a disabled control after a no or a failure. */
export function PermissionGate({ permission, ...gate }: GateProps & { permission: Promise<Permission> }) {
  return (
    <Suspense fallback={null}>
      <Decided permission={permission} {...gate} />
    </Suspense>
  );
}

async function Decided({ permission, children, whenDenied = 'hide', label }: GateProps & { permission: Promise<Permission> }) {
  const answer = await permission.catch((error: unknown): Permission => ({
    allowed: false,
    reason: error instanceof Error ? error.message : 'The permission check failed.',
  }));
  if (answer.allowed) return <>{children}</>;
  if (whenDenied === 'hide') return null;
  return <DisabledAction label={label ?? 'Not allowed'} reason={answer.reason} />;
}

/** A button that cannot be pressed, with the reason next to it (not only in a tooltip: keyboard and screen-reader users read it too). */
export function DisabledAction({ label, reason }: { label: string; reason: string }) {
  return (
    <span className="inline-flex flex-col gap-1">
      <button
        type="button"
        disabled
        aria-disabled="true"
        title={reason}
        className="cursor-not-allowed rounded-md border border-zinc-200 px-2.5 py-1 text-xs font-medium text-zinc-400 dark:border-zinc-800 dark:text-zinc-600"
      >
        {label}
      </button>
      <span className="max-w-sm text-xs leading-snug text-zinc-500 dark:text-zinc-400">{reason}</span>
    </span>
  );
}
