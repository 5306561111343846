// Ephemera's configuration file (ephemera.yaml by default, EPHEMERA_CONFIG to
// choose another): what an operator decides about access, kept out of the
// environment because it is structured and reviewed like code. Parsed with
// `yaml`, validated with zod; every problem names the file, the line and the
// field (`ephemera.yaml:12: auth.roles.debugger[0]: expected a string, got a number`).
// Secrets never go here: they stay in the environment (lib/config/env.ts).

import fs from 'node:fs';
import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { ROLES, type Role } from '@/lib/auth/types';
import { Duration, PolicySchema } from '@/lib/policy/schema';
import { ConfigError } from './env';

const groupList = z.array(z.string().trim().min(1)).prefault([]);

const AuthSchema = z.strictObject({
  claims: z
    .strictObject({
      /** The claim holding the user name; `sub` when the token lacks it. */
      username: z.string().trim().min(1).default('preferred_username'),
      /** The claim holding the user's groups (a list of strings, or one string). */
      groups: z.string().trim().min(1).default('groups'),
    })
    .prefault({}),
  /** Prepended to every group before it is sent to clusters, like kube-apiserver's --oidc-groups-prefix. */
  groupsPrefix: z.string().default(''),
  /** Ephemera role → the IdP groups (as the IdP sends them, without groupsPrefix) that give it. */
  roles: z.strictObject(Object.fromEntries(ROLES.map((role) => [role, groupList])) as Record<Role, typeof groupList>).prefault({}),
  /** Whom a signed-in person without a role should ask, shown on the no-access page. */
  accessContact: z.string().trim().min(1).optional(),
});

/** How long things are kept (lib/retention); each absent one is kept forever. */
const RetentionSchema = z.strictObject({
  /** Ended sessions, with their recordings: removed this long after they ended. */
  sessions: Duration.optional(),
  /** Audit events: removed this long after they were recorded. */
  auditEvents: Duration.optional(),
});

/** Where stored audit events are copied for a SIEM (lib/audit/sink.ts): one JSON line each to a file, or POSTed to a webhook. */
const AuditSinkSchema = z.union(
  [
    z.strictObject({ file: z.string().trim().min(1) }),
    z.strictObject({
      webhook: z.strictObject({
        url: z.url({ protocol: /^https?$/ }),
        /** Sent with every POST (an Authorization header, say). */
        headers: z.record(z.string(), z.string()).optional(),
      }),
    }),
  ],
  { error: 'expected either file: /path/to/audit.jsonl or webhook: { url, headers }' },
);

const AuditSchema = z.strictObject({
  sink: AuditSinkSchema.optional(),
});

const FileSchema = z.strictObject({
  auth: AuthSchema.prefault({}),
  /** The guardrails for debug sessions (lib/policy); the safe defaults when absent. */
  policy: PolicySchema.prefault({}),
  retention: RetentionSchema.prefault({}),
  audit: AuditSchema.prefault({}),
});

export type FileConfig = z.infer<typeof FileSchema>;
export type AuthFileConfig = FileConfig['auth'];
export type RetentionConfig = FileConfig['retention'];
export type AuditSinkConfig = NonNullable<FileConfig['audit']['sink']>;

/** The configuration when there is no file: nobody holds a role until one is written, and the default policy. */
export const DEFAULT_FILE_CONFIG: FileConfig = FileSchema.parse({});

/** Parses and validates the text of a configuration file; `name` is how errors name the file. */
export function parseConfigFile(text: string, name: string): FileConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => `${name}:${error.linePos?.[0].line ?? 1}: YAML syntax error: ${firstSentence(error.message)}`);
    throw new ConfigError(problems.join('\n'));
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    throw new ConfigError(`${name}: YAML error: ${(error as Error).message}`);
  }
  const parsed = FileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const lineOf = (path: PropertyKey[], key?: string) => lineCounter.linePos(offsetOf(doc, path, key)).line;
  const problems = parsed.error.issues.flatMap((issue) => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${name}:${lineOf(path, key)}: ${fieldName([...path, key])}: ${unknownKey(path, key)}`);
    }
    return [`${name}:${lineOf(path)}: ${fieldName(path) || '(the file)'}: ${describeIssue(issue, valueAt(data, path))}`];
  });
  throw new ConfigError(problems.join('\n'));
}

/** Reads the configuration file. A missing default file means defaults; a missing file that was asked for is an error. */
export function loadConfigFile(file: { path: string; explicit: boolean; shownAs: string }): { config: FileConfig; found: boolean } {
  let text: string;
  try {
    text = fs.readFileSync(file.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !file.explicit) return { config: DEFAULT_FILE_CONFIG, found: false };
    if (code === 'ENOENT') throw new ConfigError(`EPHEMERA_CONFIG points to ${file.path}, which does not exist. Create it (see ephemera.example.yaml) or unset EPHEMERA_CONFIG.`);
    throw new ConfigError(`cannot read ${file.path}: ${(error as Error).message}`);
  }
  return { config: parseConfigFile(text, file.shownAs), found: true };
}

// ---------------------------------------------------------------- messages

const firstSentence = (message: string) => message.split(/ at line \d+/)[0].trim();

/** `auth.roles.debugger[0]`, the way a person would point at the field. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(FileSchema.shape),
  auth: Object.keys(AuthSchema.shape),
  'auth.claims': ['username', 'groups'],
  'auth.roles': ROLES,
  policy: ['images', 'profiles', 'breakGlass', 'namespaces', 'sessions', 'recording'],
  'policy.images': ['default', 'approved'],
  'policy.profiles': ['byRole', 'byNamespace'],
  'policy.profiles.byRole': ROLES,
  'policy.breakGlass': ['roles', 'profiles', 'nodeDebugging', 'podCopies', 'reason'],
  'policy.breakGlass.reason': ['minLength', 'pattern', 'example'],
  'policy.namespaces': ['disabled'],
  'policy.sessions': ['maxDuration', 'idleTimeout', 'reconnectGrace', 'stdinOnce'],
  'policy.recording': ['input', 'onStoreFailure'],
  retention: Object.keys(RetentionSchema.shape),
  audit: Object.keys(AuditSchema.shape),
  'audit.sink.webhook': ['url', 'headers'],
};

/** `policy.images.approved[0]` → `policy.images.approved`: list items share their list's keys. */
const knownKeysAt = (where: string): readonly string[] | undefined =>
  KNOWN_KEYS[where] ??
  { 'policy.images.approved': ['pattern', 'requireDigest', 'profiles', 'user'], 'policy.profiles.byNamespace': ['namespaces', 'profiles'] }[where.replace(/\[\d+\]$/, '')];

function unknownKey(path: readonly PropertyKey[], key: string): string {
  const where = fieldName(path);
  const known = knownKeysAt(where) ?? [];
  if (where === 'auth.roles' || where === 'policy.profiles.byRole') return `unknown role "${key}"; Ephemera's roles are ${ROLES.join(', ')}`;
  return `unknown key "${key}"${known.length ? `; expected one of ${known.join(', ')}` : ''}`;
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', array: 'a list', object: 'a mapping', number: 'a number', boolean: 'true or false' };

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return TYPE_NAMES[typeof value] ?? typeof value;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${kindOf(value)}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : issue.message;
    default:
      return issue.message;
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), data);
}

/** Where in the text a field is: the key itself for an unknown key, else the value, else the nearest enclosing node. */
function offsetOf(doc: Document, path: readonly PropertyKey[], key?: string): number {
  const segments = path.map((part) => (typeof part === 'number' ? part : String(part)));
  if (key !== undefined) {
    const map = segments.length ? doc.getIn(segments, true) : doc.contents;
    const pair = isMap(map) ? map.items.find((item) => (item.key as { value?: unknown } | null)?.value === key) : undefined;
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) return keyNode.range[0];
  }
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true)) as Node | null | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}
