// What a person asks for, as it arrives from the form or the JSON API: zod
// schemas for the three kinds of debug session (ephemeral container, node
// debug pod, pod copy) with kubectl's defaults, and readable errors. Shapes
// only; the rules that need the pod (names taken, volumes, targets) are in
// validate.ts.
import { z } from 'zod';
import type { FieldError } from './types';
import { quote } from './field-errors';

/** kubectl v1.32's profiles; `legacy` is deprecated and kept only to be recognised. */
export const PROFILES = ['legacy', 'general', 'baseline', 'restricted', 'netadmin', 'sysadmin'] as const;
export type Profile = (typeof PROFILES)[number];
export const DEFAULT_PROFILE: Profile = 'restricted';

export const DEBUG_KINDS = ['ephemeral', 'node', 'copy'] as const;
export type DebugKind = (typeof DEBUG_KINDS)[number];

export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

const EnvVarSchema = z.strictObject({ name: z.string(), value: z.string().optional() });

/** A mount of one of the pod's own volumes; read-only unless asked otherwise. */
const VolumeMountRequestSchema = z.strictObject({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().default(true),
  /** Accepted only to be refused with the apiserver's words: ephemeral containers cannot use subPath. */
  subPath: z.string().optional(),
});

const ProfileKindSchema = z.enum(['RuntimeDefault', 'Unconfined', 'Localhost']);
const SecurityContextSchema = z.strictObject({
  capabilities: z.strictObject({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).optional(),
  privileged: z.boolean().optional(),
  runAsUser: z.int().min(0).optional(),
  runAsGroup: z.int().min(0).optional(),
  runAsNonRoot: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  procMount: z.enum(['Default', 'Unmasked']).optional(),
  seccompProfile: z.strictObject({ type: ProfileKindSchema, localhostProfile: z.string().optional() }).optional(),
  appArmorProfile: z.strictObject({ type: ProfileKindSchema, localhostProfile: z.string().optional() }).optional(),
  seLinuxOptions: z
    .strictObject({ user: z.string().optional(), role: z.string().optional(), type: z.string().optional(), level: z.string().optional() })
    .optional(),
});

const json = z.record(z.string(), z.unknown());

/**
 * A partial container merged over the profile's result, like kubectl's
 * `--custom` file. Fields kubectl refuses in a custom profile, and fields an
 * ephemeral container may not have, are accepted here so that validate.ts can
 * refuse them by name with the right words.
 */
export const CustomContainerSchema = z.strictObject({
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  env: z.array(z.strictObject({ name: z.string(), value: z.string().optional(), valueFrom: json.optional() })).optional(),
  envFrom: z.array(json).optional(),
  volumeMounts: z
    .array(
      z.strictObject({
        name: z.string(),
        mountPath: z.string(),
        readOnly: z.boolean().optional(),
        subPath: z.string().optional(),
        subPathExpr: z.string().optional(),
        mountPropagation: z.string().optional(),
        recursiveReadOnly: z.string().optional(),
      }),
    )
    .optional(),
  securityContext: SecurityContextSchema.optional(),
  imagePullPolicy: z.enum(PULL_POLICIES).optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
  // Allowed for node and copy pods; an ephemeral container may not have them.
  ports: z.array(json).optional(),
  resources: json.optional(),
  resizePolicy: z.array(json).optional(),
  restartPolicy: z.string().optional(),
  livenessProbe: json.optional(),
  readinessProbe: json.optional(),
  startupProbe: json.optional(),
  // kubectl refuses these in a custom profile.
  name: z.unknown().optional(),
  command: z.unknown().optional(),
  image: z.unknown().optional(),
  lifecycle: z.unknown().optional(),
  volumeDevices: z.unknown().optional(),
});
export type CustomContainer = z.output<typeof CustomContainerSchema>;

/** What every kind shares: kubectl debug's container flags, plus Ephemera's. */
const common = {
  namespace: z.string(),
  profile: z.enum(PROFILES).default(DEFAULT_PROFILE),
  /** Filled with the policy's default image when absent (ephemeral and node). */
  image: z.string().optional(),
  /** `-c`: the debug container's name; for a copy, an existing container to change or a new one. */
  name: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).default([]),
  imagePullPolicy: z.enum(PULL_POLICIES).optional(),
  stdin: z.boolean().default(false),
  tty: z.boolean().default(false),
  /** Ends the container's stdin when the last client detaches (kubectl has no flag for it). */
  stdinOnce: z.boolean().default(false),
  /** Run as this user on top of the profile (an Adjustment), e.g. for an image that runs as root under `restricted`. */
  runAsUser: z.int().min(0).max(2147483647).optional(),
  custom: CustomContainerSchema.optional(),
  /** Why: required for break-glass requests (policy breakGlass.reason). */
  reason: z.string().optional(),
};

export const EphemeralRequestSchema = z.strictObject({
  kind: z.literal('ephemeral'),
  pod: z.string(),
  /** `--target`: share this container's process namespace. */
  target: z.string().optional(),
  volumeMounts: z.array(VolumeMountRequestSchema).default([]),
  ...common,
});

export const NodeRequestSchema = z.strictObject({
  kind: z.literal('node'),
  node: z.string(),
  /** Wrap the command in `chroot /host`, so it runs in the node's own filesystem. */
  chroot: z.boolean().default(false),
  ...common,
});

/** `--keep-*`: what a copy keeps of the original (kubectl's defaults). */
const KeepSchema = z.strictObject({
  labels: z.boolean().default(false),
  annotations: z.boolean().default(false),
  liveness: z.boolean().default(false),
  readiness: z.boolean().default(false),
  startup: z.boolean().default(false),
  initContainers: z.boolean().default(true),
});
export type KeepFlags = z.output<typeof KeepSchema>;

export const CopyRequestSchema = z.strictObject({
  kind: z.literal('copy'),
  pod: z.string(),
  /** `--copy-to`: the copy's name. */
  copyTo: z.string(),
  /** `--set-image`: container name (or `*`) → image. */
  setImages: z.record(z.string(), z.string()).default({}),
  /** `--share-processes`: set only when given; otherwise the profile shares processes unless the pod says not to. */
  shareProcesses: z.boolean().optional(),
  sameNode: z.boolean().default(false),
  /** `--replace`: delete the original once the copy exists (a separate step). */
  replace: z.boolean().default(false),
  keep: KeepSchema.prefault({}),
  volumeMounts: z.array(VolumeMountRequestSchema).default([]),
  ...common,
});

export const DebugRequestSchema = z.discriminatedUnion('kind', [EphemeralRequestSchema, NodeRequestSchema, CopyRequestSchema]);

export type DebugRequest = z.output<typeof DebugRequestSchema>;
export type DebugRequestInput = z.input<typeof DebugRequestSchema>;
export type EphemeralRequest = z.output<typeof EphemeralRequestSchema>;
export type NodeRequest = z.output<typeof NodeRequestSchema>;
export type CopyRequest = z.output<typeof CopyRequestSchema>;
export type VolumeMountRequest = EphemeralRequest['volumeMounts'][number];

/** `a.b[0].c`, as the apiserver prints field paths. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

function issueErrors(issue: z.core.$ZodIssue): FieldError[] {
  const field = fieldPath(issue.path) || '(request)';
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const f = fieldPath([...issue.path, key]);
        return { field: f, message: `${f}: Forbidden: unknown field. Remove it (check its spelling)` };
      });
    case 'invalid_type':
      if (input === undefined) return [{ field, message: `${field}: Required value` }];
      return [{ field, message: `${field}: Invalid value: ${quote(input)}: expected ${issue.expected}` }];
    case 'invalid_value': {
      const values = issue.values.map((v) => quote(v)).join(', ');
      return [{ field, message: `${field}: Unsupported value: ${quote(input)}: supported values: ${values}` }];
    }
    case 'invalid_union': {
      if ('discriminator' in issue) {
        const kind = (input as Record<string, unknown> | undefined)?.[String(issue.discriminator)];
        const values = DEBUG_KINDS.map((v) => quote(v)).join(', ');
        const message = kind === undefined ? `${field}: Required value: one of ${values}` : `${field}: Unsupported value: ${quote(kind)}: supported values: ${values}`;
        return [{ field, message }];
      }
      return [{ field, message: `${field}: Invalid value: ${issue.message}` }];
    }
    case 'too_small':
    case 'too_big':
      return [{ field, message: `${field}: Invalid value: ${quote(input)}: ${issue.message.replace(/^Too (small|big): /, '')}` }];
    default:
      return [{ field, message: `${field}: ${issue.message}` }];
  }
}

/** Parse a request from a form or JSON body; every problem names its field. */
export function parseDebugRequest(input: unknown): { ok: true; request: DebugRequest } | { ok: false; errors: FieldError[] } {
  const parsed = DebugRequestSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, errors: parsed.error.issues.flatMap(issueErrors) };
}
