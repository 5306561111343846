// The guardrails, decided: may this person start this debug session, and if
// so with what filled in and under which limits. Pure: policy, user and
// request in, a decision out. Every refusal names the policy rule that made
// it and says what to do; the cluster's own RBAC still decides afterwards.
import type { RecordingRules } from '@/lib/store/types';
import type { EphemeraUser, Role } from '@/lib/auth/types';
import type { DebugRequest, Profile } from '@/lib/debug/request';
import type { Adjustment } from '@/lib/debug/types';
import { isDigestPinned } from '@/lib/debug/image-reference';
import { matchesGlob } from './glob';
import { matchingRules } from './images';
import type { Policy } from './schema';

export type PolicyRule =
  | 'profiles.byRole'
  | 'profiles.byNamespace'
  | 'namespaces.disabled'
  | 'breakGlass.roles'
  | 'breakGlass.reason'
  | 'images.approved'
  | 'images.digest';

/** What the session must enforce once it runs. */
export interface SessionLimits {
  maxDurationSeconds: number;
  idleTimeoutSeconds: number;
  reconnectGraceSeconds: number;
  stdinOnce: boolean;
  recording: RecordingRules;
}

export type Decision =
  | {
      allowed: true;
      /** The request with the policy's defaults filled in; build from this one. */
      request: DebugRequest;
      adjustments: Adjustment[];
      limits: SessionLimits;
      /** Break-glass sessions deserve a louder audit entry and a closer look afterwards. */
      breakGlass: boolean;
    }
  | { allowed: false; rule: PolicyRule; message: string };

const refuse = (rule: PolicyRule, message: string): Decision => ({ allowed: false, rule, message });
const list = (items: readonly string[]) => items.join(', ');

function allowedProfiles(policy: Policy, roles: readonly Role[]): Profile[] {
  return [...new Set(roles.flatMap((role) => policy.profiles.byRole[role] ?? []))];
}

/** What makes this request break-glass, in words, or undefined when it is an ordinary one. */
function breakGlassReason(policy: Policy, request: DebugRequest): string | undefined {
  if (request.kind === 'node' && policy.breakGlass.nodeDebugging) return 'Node debugging';
  if (request.kind === 'copy' && policy.breakGlass.podCopies) return 'A pod copy';
  if (policy.breakGlass.profiles.includes(request.profile)) return `The ${request.profile} profile`;
  return undefined;
}

function checkReason(policy: Policy, what: string, reason: string | undefined): Decision | undefined {
  const { minLength, pattern, example } = policy.breakGlass.reason;
  const given = reason?.trim() ?? '';
  if (given.length < minLength) {
    return refuse('breakGlass.reason', `${what} is break-glass: write why, in at least ${minLength} characters, e.g. "${example}".`);
  }
  if (pattern !== undefined && !new RegExp(pattern).test(given)) {
    return refuse('breakGlass.reason', `${what} is break-glass: the reason must include a reference matching ${pattern}, e.g. "${example}".`);
  }
  return undefined;
}

function checkImage(policy: Policy, image: string, profile: Profile, field: string): Decision | undefined {
  const rules = matchingRules(policy, image);
  const approved = policy.images.approved.map((r) => r.pattern);
  if (rules.length === 0) {
    return refuse('images.approved', `${field} ${image} is not an approved image. Use one matching ${list(approved)} (the default is ${policy.images.default}).`);
  }
  const forProfile = rules.filter((r) => r.profiles === undefined || r.profiles.includes(profile));
  if (forProfile.length === 0) {
    const profiles = [...new Set(rules.flatMap((r) => r.profiles ?? []))];
    return refuse('images.approved', `${field} ${image} is approved only with the ${list(profiles)} profile${profiles.length > 1 ? 's' : ''}. Choose one of those, or use ${policy.images.default}.`);
  }
  if (forProfile.every((r) => r.requireDigest) && !isDigestPinned(image)) {
    return refuse('images.digest', `${field} ${image} must be pinned by digest (${forProfile[0].pattern} requires it): use ${image.split('@')[0]}@sha256:<digest>.`);
  }
  return undefined;
}

/** Decide whether `user` may start `request` under `policy`. */
export function evaluate(policy: Policy, user: EphemeraUser, request: DebugRequest): Decision {
  const profiles = allowedProfiles(policy, user.roles);
  if (profiles.length === 0) {
    const held = user.roles.length > 0 ? `your roles (${list(user.roles)}) do` : 'you hold no role that does';
    return refuse('profiles.byRole', `Starting debug sessions needs a role the policy allows to debug; ${held} not. Ask for the debugger role.`);
  }
  const disabled = policy.namespaces.disabled.find((pattern) => matchesGlob(pattern, request.namespace));
  if (disabled !== undefined) {
    return refuse('namespaces.disabled', `Debugging is switched off in namespace ${request.namespace} (namespaces.disabled: ${disabled}). Ask an admin if you need it there.`);
  }
  if (!profiles.includes(request.profile)) {
    return refuse('profiles.byRole', `The ${request.profile} profile is not allowed for your roles (${list(user.roles)}). Choose ${list(profiles)}, or ask an admin.`);
  }
  for (const rule of policy.profiles.byNamespace) {
    if (rule.namespaces.some((pattern) => matchesGlob(pattern, request.namespace)) && !rule.profiles.includes(request.profile)) {
      return refuse('profiles.byNamespace', `In namespace ${request.namespace} only the ${list(rule.profiles)} profile${rule.profiles.length > 1 ? 's are' : ' is'} allowed. Choose ${rule.profiles.length > 1 ? 'one of them' : 'it'}.`);
    }
  }
  const glass = breakGlassReason(policy, request);
  if (glass !== undefined) {
    if (!user.roles.some((role) => policy.breakGlass.roles.includes(role))) {
      return refuse('breakGlass.roles', `${glass} is break-glass, allowed only to ${list(policy.breakGlass.roles)}. Ask one of them, or use an ephemeral container with an allowed profile.`);
    }
    const reasonRefusal = checkReason(policy, glass, request.reason);
    if (reasonRefusal) return reasonRefusal;
  }

  const adjustments: Adjustment[] = [];
  let completed: DebugRequest = request;
  if (request.kind !== 'copy' && !request.image) {
    completed = { ...completed, image: policy.images.default };
    adjustments.push({ name: 'defaultImage', field: 'image', value: policy.images.default, reason: `No image was chosen, so the policy's default, ${policy.images.default}, is used.` });
  }
  const images: Array<[string, string]> = completed.image ? [['image', completed.image]] : [];
  if (completed.kind === 'copy') images.push(...Object.entries(completed.setImages).map(([c, image]): [string, string] => [`setImages[${c}]`, image]));
  for (const [field, image] of images) {
    const imageRefusal = checkImage(policy, image, request.profile, field);
    if (imageRefusal) return imageRefusal;
  }
  if (policy.sessions.stdinOnce && completed.stdin && !completed.stdinOnce) {
    completed = { ...completed, stdinOnce: true };
    adjustments.push({ name: 'stdinOnce', field: 'stdinOnce', value: true, reason: 'The policy ends a session’s shell when the last person detaches (stdinOnce).' });
  }

  return {
    allowed: true,
    request: completed,
    adjustments,
    limits: { maxDurationSeconds: policy.sessions.maxDuration, idleTimeoutSeconds: policy.sessions.idleTimeout, reconnectGraceSeconds: policy.sessions.reconnectGrace, stdinOnce: policy.sessions.stdinOnce, recording: policy.recording },
    breakGlass: glass !== undefined,
  };
}
