// The `policy:` section of Ephemera's configuration file: the guardrails an
// operator edits (DESIGN.md, "Guardrails"). The config loader includes
// PolicySchema as `policy: PolicySchema.prefault({})`; with nothing written,
// the defaults are the safe ones: restricted only, for debuggers; Ephemera's
// non-root debug image; break-glass for sysadmin, nodes and copies.
import { z } from 'zod';
import { ROLES } from '@/lib/auth/types';
import { PROFILES, type Profile } from '@/lib/debug/request';
import { parseImageReference } from '@/lib/debug/image-reference';
import { matchesImagePattern, parseImagePattern } from './glob';

const Profiles = z.array(z.enum(PROFILES));

const ImageRule = z.strictObject({
  /** `ghcr.io/ephemera/*`, `busybox:1.*`, `registry.example.com/**`; `*` stops at `/`, `**` does not. */
  pattern: z.string().trim().min(1),
  /** Only by digest (`@sha256:…`), so a moved tag cannot change what runs. */
  requireDigest: z.boolean().default(false),
  /** Only with these profiles (e.g. an image that runs as root, for `general`); absent = any. */
  profiles: Profiles.optional(),
  /** The image's user (uid), so Ephemera can predict the kubelet refusing runAsNonRoot. */
  user: z.int().min(0).optional(),
});
export type ImageRule = z.output<typeof ImageRule>;

const DEFAULT_IMAGE = 'ghcr.io/ephemera/debug-tools:1.0';
const DEFAULT_APPROVED: z.input<typeof ImageRule>[] = [
  { pattern: 'ghcr.io/ephemera/*', user: 65532 },
  // Runs as root: the restricted profile would be refused by the kubelet, so only with general.
  { pattern: 'busybox:1.*', user: 0, profiles: ['general'] },
];

/** `90s`, `15m`, `1h30m`, or a number of seconds → seconds. */
/** A duration in seconds, written as seconds or like `90d`, `1h30m`, `90s` (the configuration's other sections use it too). */
export const Duration = z.union(
  [
    z.int().positive(),
    z
      .string()
      .regex(/^(?=\d)(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/)
      .transform((s) => {
        const part = (unit: string) => Number(new RegExp(`(\\d+)${unit}`).exec(s)?.[1] ?? 0);
        return part('d') * 86_400 + part('h') * 3600 + part('m') * 60 + part('s');
      }),
  ],
  { error: 'expected a duration like 90s, 15m, 1h30m or 90d, or a number of seconds' },
);

const byRoleDefault: Partial<Record<(typeof ROLES)[number], Profile[]>> = {
  debugger: ['restricted'],
  admin: ['restricted', 'baseline', 'general', 'netadmin', 'sysadmin'],
};

export const PolicySchema = z
  .strictObject({
    images: z
      .strictObject({
        /** Used when a request names no image (ephemeral containers and node pods). */
        default: z.string().trim().min(1).default(DEFAULT_IMAGE),
        approved: z.array(ImageRule).default(() => DEFAULT_APPROVED.map((r) => ImageRule.parse(r))),
      })
      .prefault({}),
    profiles: z
      .strictObject({
        /** Role → the profiles it may use; a role not listed may not debug. */
        byRole: z.partialRecord(z.enum(ROLES), Profiles).default(byRoleDefault),
        /** In matching namespaces, only these profiles (on top of byRole). */
        byNamespace: z.array(z.strictObject({ namespaces: z.array(z.string().min(1)).min(1), profiles: Profiles })).default([]),
      })
      .prefault({}),
    breakGlass: z
      .strictObject({
        /** Who may break glass at all. */
        roles: z.array(z.enum(ROLES)).default(['admin']),
        profiles: Profiles.default(['sysadmin']),
        nodeDebugging: z.boolean().default(true),
        podCopies: z.boolean().default(true),
        reason: z
          .strictObject({
            minLength: z.int().min(1).default(10),
            /** A regular expression the reason must contain a match of, e.g. a ticket reference `[A-Z]+-[0-9]+`. */
            pattern: z.string().min(1).optional(),
            /** Shown in the form and in refusals. */
            example: z.string().default('INC-1234: checkout pods crash-looping since 09:10'),
          })
          .prefault({}),
      })
      .prefault({}),
    namespaces: z.strictObject({ disabled: z.array(z.string().min(1)).default(['kube-system', 'kube-public', 'kube-node-lease']) }).prefault({}),
    sessions: z
      .strictObject({
        /** Seconds (write 1h, 15m, 90s, or a number of seconds). */
        maxDuration: Duration.default(3600),
        idleTimeout: Duration.default(900),
        /** How long a terminal stays attached after its last browser left (a reload, a dropped connection) before Ephemera detaches and the session ends. */
        reconnectGrace: Duration.default(60),
        /** A shell ends when the last person detaches. */
        stdinOnce: z.boolean().default(true),
      })
      .prefault({}),
    recording: z
      .strictObject({
        /** Record keystrokes too (asciicast "i" events), not only what the terminal showed. Passwords typed blind are recorded with them. */
        input: z.boolean().default(false),
        /** When the store cannot take a session's recording: `end` it (fail closed) or `continue` with a warning and an audit event. */
        onStoreFailure: z.enum(['end', 'continue']).default('end'),
      })
      .prefault({}),
  })
  .superRefine((policy, ctx) => {
    const patterns = policy.images.approved.map((rule, i) => {
      const parsed = parseImagePattern(rule.pattern);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', path: ['images', 'approved', i, 'pattern'], message: parsed.error });
      return parsed;
    });
    const reference = parseImageReference(policy.images.default);
    if (!reference) ctx.addIssue({ code: 'custom', path: ['images', 'default'], message: `${JSON.stringify(policy.images.default)} is not a valid image reference` });
    else if (!patterns.some((p) => !('error' in p) && matchesImagePattern(p, reference))) {
      ctx.addIssue({ code: 'custom', path: ['images', 'default'], message: `${policy.images.default} is not matched by any images.approved pattern` });
    }
    const reasonPattern = policy.breakGlass.reason.pattern;
    if (reasonPattern !== undefined) {
      try {
        new RegExp(reasonPattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['breakGlass', 'reason', 'pattern'], message: `not a regular expression: ${(error as Error).message}` });
      }
    }
  });

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;

/** The policy when the configuration file has no `policy:` section. */
export const DEFAULT_POLICY: Policy = PolicySchema.parse({});
