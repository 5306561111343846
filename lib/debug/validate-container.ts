// Validation of the debug container's own fields, as the apiserver (and
// kubectl's Validate) would refuse them, worded with the field and what to do.
import type { DebugKind, DebugRequest, VolumeMountRequest } from './request';
import type { EnvVar, FieldError } from './types';
import { duplicate, forbidden, invalid, listOf, notFound, required } from './field-errors';
import { imageReferenceError } from './image-reference';
import { dns1123LabelErrors, envVarNameErrors } from './names';

export function imageErrors(field: string, image: string | undefined, needed: boolean): FieldError[] {
  if (image === undefined || image === '') {
    return needed ? [required(field, 'Choose a debug image (the policy names the approved ones)')] : [];
  }
  const error = imageReferenceError(image);
  if (!error) return [];
  const hint = error.includes('lowercase') ? `Repository names are lowercase: try ${JSON.stringify(image.toLowerCase())}` : 'Use a reference like registry.example.com/team/tool:1.2';
  return [invalid(field, image, error, hint)];
}

export function containerNameErrors(field: string, name: string): FieldError[] {
  return dns1123LabelErrors(name).map((e) => invalid(field, name, e, 'Use lower case letters, digits and -, e.g. "debugger-1"'));
}

function envErrors(field: string, env: ReadonlyArray<{ name: string }>): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  env.forEach((e, i) => {
    const f = `${field}[${i}].name`;
    if (e.name === '') errors.push(required(f, 'Name the variable'));
    else for (const m of envVarNameErrors(e.name)) errors.push(invalid(f, e.name, m));
    if (seen.has(e.name)) errors.push(duplicate(f, e.name, 'Set each variable once'));
    seen.add(e.name);
  });
  return errors;
}

/** The fields kubectl, and so Ephemera, does not take from a custom profile. */
const NOT_CUSTOMIZABLE: Record<string, string> = {
  name: 'Use the name field',
  command: 'Use the command field',
  image: 'Use the image field',
  lifecycle: 'Remove it: a debug container has no lifecycle hooks',
  volumeDevices: 'Remove it',
};

/** EphemeralContainerCommon fields an ephemeral container may not set, and why it needs none. */
const NOT_FOR_EPHEMERAL: Record<string, string> = {
  ports: 'Remove it: the debug container shares the pod network, so it reaches every port already',
  resources: 'Remove it: ephemeral containers have no resource requests or limits of their own',
  resizePolicy: 'Remove it',
  restartPolicy: 'Remove it: ephemeral containers are never restarted',
  livenessProbe: 'Remove it: ephemeral containers have no probes',
  readinessProbe: 'Remove it: ephemeral containers have no probes',
  startupProbe: 'Remove it: ephemeral containers have no probes',
  lifecycle: 'Remove it: a debug container has no lifecycle hooks',
};

/** Go's zero value for the field, which the apiserver treats as unset. */
const isUnset = (key: string, value: unknown) =>
  value === undefined || (key === 'resources' && typeof value === 'object' && value !== null && Object.values(value).every((v) => v === undefined));

/**
 * A custom variable merges into the container's variable of the same name,
 * keeping what it does not set: a value over a valueFrom (or the reverse)
 * yields both, which the apiserver refuses.
 */
function envConflicts(custom: NonNullable<DebugRequest['custom']>, original: readonly EnvVar[]): FieldError[] {
  return (custom.env ?? []).flatMap((e, i) => {
    const before = original.find((o) => o.name === e.name);
    const mixes = before && ((e.value && before.valueFrom) || (e.valueFrom && before.value));
    if (!mixes) return [];
    const detail = "a custom variable merges into the container's, and the result would have both value and valueFrom (the apiserver refuses it)";
    return [invalid(`custom.env[${i}]`, e.name, detail, "Set the variable with env instead, which replaces the container's variables")];
  });
}

function customErrors(request: DebugRequest, kind: DebugKind, volumes: readonly string[], originalEnv: readonly EnvVar[]): FieldError[] {
  const custom = request.custom;
  if (!custom) return [];
  const errors: FieldError[] = [];
  for (const [key, todo] of Object.entries(NOT_CUSTOMIZABLE)) {
    // For an ephemeral container the apiserver's words say more.
    if (kind === 'ephemeral' && key in NOT_FOR_EPHEMERAL) continue;
    if (custom[key as keyof typeof custom] !== undefined) {
      errors.push(forbidden(`custom.${key}`, 'not modifiable via custom profile (kubectl: "name, command, image, lifecycle and volume devices are not modifiable via custom profile")', todo));
    }
  }
  if (kind === 'ephemeral') {
    for (const [key, todo] of Object.entries(NOT_FOR_EPHEMERAL)) {
      if (!isUnset(key, custom[key as keyof typeof custom])) errors.push(forbidden(`custom.${key}`, 'cannot be set for an Ephemeral Container', todo));
    }
  }
  errors.push(...envErrors('custom.env', custom.env ?? []));
  errors.push(...envConflicts(custom, originalEnv));
  (custom.volumeMounts ?? []).forEach((m, i) => {
    const f = `custom.volumeMounts[${i}]`;
    errors.push(...mountErrors(f, m, volumes, kind));
    if (kind === 'ephemeral' && m.subPathExpr) errors.push(forbidden(`${f}.subPathExpr`, 'cannot be set for an Ephemeral Container', 'Mount the whole volume'));
  });
  if (request.runAsUser !== undefined && custom.securityContext?.runAsUser !== undefined) {
    errors.push(forbidden('runAsUser', 'also set as custom.securityContext.runAsUser', 'Set it in one place'));
  }
  return errors;
}

function mountErrors(field: string, mount: { name: string; mountPath: string; subPath?: string }, volumes: readonly string[], kind: DebugKind): FieldError[] {
  const errors: FieldError[] = [];
  if (!volumes.includes(mount.name)) {
    const choose = volumes.length > 0 ? `Choose one of the volumes: ${listOf(volumes)}` : 'There are no volumes to mount';
    errors.push(mount.name === '' ? required(`${field}.name`, choose) : notFound(`${field}.name`, mount.name, choose));
  }
  if (mount.mountPath === '') errors.push(required(`${field}.mountPath`, 'Say where to mount it, e.g. /debug/data'));
  else if (!mount.mountPath.startsWith('/')) errors.push(invalid(`${field}.mountPath`, mount.mountPath, 'must be an absolute path', `Try "/${mount.mountPath}"`));
  if (mount.subPath && kind === 'ephemeral') errors.push(forbidden(`${field}.subPath`, 'cannot be set for an Ephemeral Container', 'Mount the whole volume and look in the sub-directory'));
  else if (mount.subPath) errors.push(forbidden(`${field}.subPath`, 'not supported by Ephemera', 'Mount the whole volume and look in the sub-directory'));
  return errors;
}

function volumeMountErrors(mounts: readonly VolumeMountRequest[], volumes: readonly string[], kind: DebugKind, customPaths: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const paths = new Set(customPaths);
  mounts.forEach((m, i) => {
    errors.push(...mountErrors(`volumeMounts[${i}]`, m, volumes, kind));
    if (paths.has(m.mountPath)) errors.push(invalid(`volumeMounts[${i}].mountPath`, m.mountPath, 'must be unique', 'Mount each volume at its own path'));
    paths.add(m.mountPath);
  });
  return errors;
}

/**
 * What every kind checks of the container: name, image, command, env,
 * stdin/tty, volume mounts (of `volumes`) and the custom partial container
 * (merged over a container whose variables are `originalEnv`).
 */
export function containerErrors(
  request: DebugRequest,
  kind: DebugKind,
  volumes: readonly string[],
  imageNeeded: boolean,
  originalEnv: readonly EnvVar[] = request.env,
): FieldError[] {
  const errors: FieldError[] = [];
  if (request.name !== undefined) errors.push(...containerNameErrors('name', request.name));
  errors.push(...imageErrors('image', request.image, imageNeeded));
  if (request.command?.length === 0) errors.push(required('command', 'Give the program to run, or leave command out to run the image default'));
  else if (request.command?.[0] === '') errors.push(required('command[0]', 'Give the program to run'));
  errors.push(...envErrors('env', request.env));
  if (request.tty && !request.stdin) errors.push(forbidden('tty', 'requires stdin (kubectl: -i/--stdin is required for containers with -t/--tty=true)', 'Turn stdin on, or tty off'));
  if (request.stdinOnce && !request.stdin) errors.push(forbidden('stdinOnce', 'requires stdin', 'Turn stdin on, or stdinOnce off'));
  const mounts = 'volumeMounts' in request ? request.volumeMounts : [];
  const customPaths = (request.custom?.volumeMounts ?? []).map((m) => m.mountPath);
  errors.push(...volumeMountErrors(mounts, volumes, kind, customPaths));
  errors.push(...customErrors(request, kind, volumes, originalEnv));
  return errors;
}
