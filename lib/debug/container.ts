// What the three builders share: the debug container kubectl makes from its
// flags, the custom partial container Ephemera merges over the profile (the
// user's, plus volume mounts, runAsUser and stdinOnce, which kubectl has no
// flags for), and the adjustments and warnings a build reports.
import type { CustomContainer, DebugRequest, VolumeMountRequest } from './request';
import type { Adjustment, Container, Pod, RandomSource, SecurityContext, VolumeMount, Warning } from './types';
import { effectiveRunAs, imageUserWarning, type KnownImageUsers } from './image-user';
import { LEGACY_DEPRECATION } from './profiles';

/** What the builders need from outside: randomness, and what is known of images' users. */
export interface BuildDeps {
  /** For `debugger-xxxxx` and `node-debugger-<node>-xxxxx`. */
  random: RandomSource;
  /** Image users (a catalogue or a lookup), to predict the kubelet's runAsNonRoot refusal. */
  imageUsers?: KnownImageUsers;
  /** Approved images that run as non-root, to propose when the chosen one runs as root. */
  nonRootImages?: readonly string[];
}

/** The command the container runs: a node session in chroot runs it in the node's own filesystem. */
export function effectiveCommand(request: DebugRequest): string[] | undefined {
  if (request.kind === 'node' && request.chroot) return ['chroot', '/host', ...(request.command ?? [])];
  return request.command;
}

/** The debug container as kubectl builds it from its flags, before the profile (Go's omitempty: unset fields absent). */
export function requestedContainer(request: DebugRequest, name: string): Container {
  const command = effectiveCommand(request);
  return {
    name,
    ...(request.image ? { image: request.image } : {}),
    ...(command ? { command } : {}),
    ...(request.args ? { args: request.args } : {}),
    ...(request.env.length > 0 ? { env: request.env.map((e) => (e.value ? { name: e.name, value: e.value } : { name: e.name })) } : {}),
    resources: {},
    terminationMessagePolicy: 'File',
    ...(request.imagePullPolicy ? { imagePullPolicy: request.imagePullPolicy } : {}),
    ...(request.stdin ? { stdin: true } : {}),
    ...(request.tty ? { tty: true } : {}),
  };
}

/** A mount of a pod volume, read-only unless asked (Go omits `readOnly: false`). */
export function volumeMountFor(m: VolumeMountRequest): VolumeMount {
  return m.readOnly ? { name: m.name, mountPath: m.mountPath, readOnly: true } : { name: m.name, mountPath: m.mountPath };
}

/**
 * The partial container merged over the profile's result: the request's
 * custom, plus what kubectl can only take through `--custom`. The same object
 * goes into the `--custom` file of the equivalent kubectl command.
 */
export function effectiveCustom(request: DebugRequest): CustomContainer | undefined {
  const mounts = 'volumeMounts' in request ? request.volumeMounts.map(volumeMountFor) : [];
  const custom: CustomContainer = { ...request.custom };
  if (mounts.length > 0) custom.volumeMounts = [...(custom.volumeMounts ?? []), ...mounts];
  if (request.runAsUser !== undefined) custom.securityContext = { ...custom.securityContext, runAsUser: request.runAsUser };
  if (request.stdinOnce) custom.stdinOnce = true;
  return Object.keys(custom).length > 0 ? custom : undefined;
}

/** What Ephemera adds to the profile's result, named so the preview can say so. */
export function adjustmentsFor(request: DebugRequest): Adjustment[] {
  if (request.runAsUser === undefined) return [];
  return [
    {
      name: 'runAsUser',
      field: 'securityContext.runAsUser',
      value: request.runAsUser,
      reason: `Added to the ${request.profile} profile: run as user ${request.runAsUser}${request.runAsUser === 0 ? ' (root)' : ''}, as asked.`,
    },
  ];
}

/** kubectl's displayWarning: a pod-wide non-root user can defeat the capabilities a profile grants. */
function nonRootPodWarning(container: Container, pod: Pod | undefined): Warning[] {
  const podUser = pod?.spec.securityContext?.runAsUser;
  const sc: SecurityContext | undefined = container.securityContext;
  if (!podUser || !sc || sc.runAsUser === 0) return [];
  if (sc.privileged !== true && (sc.capabilities?.add ?? []).length === 0) return [];
  return [
    {
      code: 'nonRootPodCapabilities',
      message: `The pod runs as user ${podUser}, so some capabilities the profile grants may not work. Set runAsUser to 0 if the session needs them.`,
    },
  ];
}

export function warningsFor(request: DebugRequest, container: Container, pod: Pod | undefined, deps: BuildDeps): Warning[] {
  const warnings: Warning[] = [];
  if (request.profile === 'legacy') warnings.push({ code: 'legacyProfile', message: LEGACY_DEPRECATION });
  warnings.push(...nonRootPodWarning(container, pod));
  if (deps.imageUsers && container.image) {
    const runAs = effectiveRunAs(pod?.spec.securityContext, container.securityContext);
    const warning = imageUserWarning(container.image, deps.imageUsers, runAs, { nonRootImages: deps.nonRootImages });
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/** Go's Container field order, so previews read as `kubectl get -o yaml` does. */
const FIELD_ORDER = [
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
  'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
  'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty', 'targetContainerName',
];

export function inFieldOrder<C extends Container>(container: C): C {
  const rank = (key: string) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);
  return Object.fromEntries(Object.entries(container).sort(([a], [b]) => rank(a) - rank(b))) as C;
}
