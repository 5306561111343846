// The Kubernetes objects the debug builder reads and returns, as JSON (the
// shapes kubectl v1.32 sends), and the builder's own results. Only the fields
// the builder touches are typed; the rest of a pod passes through untouched.

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: string;
  recursiveReadOnly?: string;
}

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

export interface SecurityContext {
  capabilities?: Capabilities;
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  seccompProfile?: { type: string; localhostProfile?: string };
  [field: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  resources?: Record<string, unknown>;
  volumeMounts?: VolumeMount[];
  terminationMessagePolicy?: string;
  imagePullPolicy?: string;
  securityContext?: SecurityContext;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  [field: string]: unknown;
}

export interface EphemeralContainer extends Container {
  targetContainerName?: string;
}

export interface Volume {
  name: string;
  [source: string]: unknown;
}

export interface PodSecurityContext {
  runAsUser?: number;
  runAsNonRoot?: boolean;
  [field: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: EphemeralContainer[];
  volumes?: Volume[];
  nodeName?: string;
  restartPolicy?: string;
  tolerations?: Array<Record<string, unknown>>;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  shareProcessNamespace?: boolean;
  securityContext?: PodSecurityContext;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: { phase?: string; [field: string]: unknown };
}

/** A node as the builder needs it: its name. */
export interface NodeRef {
  metadata: { name: string };
}

/** The body of `PATCH …/pods/POD/ephemeralcontainers` (strategic merge patch). */
export interface EphemeralContainersPatch {
  spec: {
    '$setElementOrder/ephemeralContainers'?: Array<{ name: string }>;
    ephemeralContainers: EphemeralContainer[];
  };
}

/** A request field that cannot be honoured, with the apiserver's wording and what to do. */
export interface FieldError {
  /** The request field, e.g. `volumeMounts[0].name` or `custom.ports`. */
  field: string;
  /** What is wrong and what to do, e.g. `custom.ports: Forbidden: cannot be set for an Ephemeral Container. Remove …`. */
  message: string;
}

/** The builder or the policy refused the request; nothing was built. */
export interface Refusal {
  ok: false;
  errors: FieldError[];
}

/**
 * Something Ephemera adds to or fills in for what kubectl would do with the
 * same flags and profile. Returned, never applied silently, so the form and
 * the preview can say so.
 */
export interface Adjustment {
  /** Stable name, e.g. `runAsUser`, `defaultImage`, `stdinOnce`. */
  name: string;
  /** The field changed, e.g. `securityContext.runAsUser`, `image`. */
  field: string;
  value: unknown;
  /** One sentence a person reads: what was changed and why. */
  reason: string;
}

/** A concern the builder predicts but does not act on (e.g. the kubelet will refuse the image's user). */
export interface Warning {
  code: string;
  message: string;
}

/** Uniform in [0, 1), like Math.random; injected so names are reproducible in tests. */
export type RandomSource = () => number;
