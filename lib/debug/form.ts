// The debug form's state and what it sends: pure, so the page's behaviour
// (which kind, which command, one-shot or a terminal) is tested without a
// browser. The form renders this state; the preview and session routes get
// `toSessionBody(state)` and decide.
import type { DebugRequestInput, Profile } from './request';

/** What the person is about to do. `exec` and `attach` start no new container. */
export const FORM_KINDS = ['ephemeral', 'copy', 'exec', 'attach', 'node'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** Least privileged first, as the form lists them (the same order as lib/sessions/options.ts; `legacy` is never offered). */
export const PROFILE_ORDER: readonly Profile[] = ['restricted', 'baseline', 'general', 'netadmin', 'sysadmin'];

/** One line each, for when the policy route gives none. Matches DESIGN.md's table. */
export const PROFILE_SUMMARY: Readonly<Record<Profile, string>> = {
  restricted: 'Non-root, every capability dropped, no privilege escalation, RuntimeDefault seccomp.',
  baseline: 'No security context of its own: the pod’s and the cluster’s defaults apply.',
  netadmin: 'Adds NET_ADMIN and NET_RAW: change routes and firewall rules, capture packets.',
  general: 'Adds SYS_PTRACE (strace, gdb); nodes: the host’s / at /host and its namespaces.',
  sysadmin: 'Privileged: every capability and device. Break-glass.',
  legacy: 'kubectl’s deprecated default; not offered.',
};

/** One-shot diagnostics (guardrail 4): one command, its output, and the container exits. */
export const DIAGNOSTICS = [
  { id: 'sockets', label: 'Listening sockets', command: ['netstat', '-tlnp'] },
  { id: 'processes', label: 'Processes', command: ['ps', 'aux'] },
  { id: 'dns', label: 'DNS lookup', command: ['nslookup', 'kubernetes.default.svc.cluster.local'] },
  { id: 'custom', label: 'Another command', command: [] },
] as const;
export type DiagnosticId = (typeof DIAGNOSTICS)[number]['id'];

/** interactive shell (the image's default), an interactive command, or one one-shot diagnostic. */
export type RunMode = 'shell' | 'command' | 'oneshot';

export interface MountChoice {
  enabled: boolean;
  mountPath: string;
  readOnly: boolean;
}

export interface DebugFormState {
  kind: FormKind;
  namespace: string;
  /** The pod (ephemeral, copy, exec, attach) or the node (node). */
  pod?: string;
  node?: string;
  image: string;
  profile: Profile;
  /** Whose processes the debug container sees; '' for none. */
  target: string;
  mounts: Record<string, MountChoice>;
  run: RunMode;
  /** The interactive command, as typed. */
  command: string;
  diagnostic: DiagnosticId;
  /** The free-text diagnostic. */
  diagnosticText: string;
  reason: string;
  runAsUser?: number;
  /** Node: run the command under `chroot /host`. */
  chroot: boolean;
  /** Copy: the copy's name. */
  copyTo: string;
  /** Exec: the container to exec into; attach: the ephemeral container to re-attach to. */
  container: string;
}

/** Splits a command line the way a shell would for plain words and quotes (no expansion). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The command the container runs: undefined for the image's default shell. */
export function commandOf(state: Pick<DebugFormState, 'run' | 'command' | 'diagnostic' | 'diagnosticText'>): string[] | undefined {
  if (state.run === 'shell') return undefined;
  if (state.run === 'command') {
    const words = splitCommand(state.command);
    return words.length > 0 ? words : undefined;
  }
  const preset = DIAGNOSTICS.find((d) => d.id === state.diagnostic) ?? DIAGNOSTICS[0];
  if (preset.id !== 'custom') return [...preset.command];
  const text = state.diagnosticText.trim();
  return text ? ['sh', '-c', text] : undefined;
}

export type SessionMode = 'interactive' | 'oneshot';

export type ContainerSessionRequest = { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string; command?: string[] };

/** The body of POST /api/clusters/[cluster]/sessions. */
export interface SessionBody {
  request: DebugRequestInput | ContainerSessionRequest;
  mode: SessionMode;
}

/** The debug request the form describes (for the preview), or null for exec/attach, which build no spec. */
export function toDebugRequest(state: DebugFormState): DebugRequestInput | null {
  const oneshot = state.run === 'oneshot';
  const command = commandOf(state);
  const common = {
    namespace: state.namespace,
    profile: state.profile,
    ...(state.image.trim() ? { image: state.image.trim() } : {}),
    ...(command ? { command } : {}),
    // A one-shot command reads nothing: no stdin, no terminal, so it runs to its end and exits.
    stdin: !oneshot,
    tty: !oneshot,
    ...(state.runAsUser !== undefined ? { runAsUser: state.runAsUser } : {}),
    ...(state.reason.trim() ? { reason: state.reason.trim() } : {}),
  };
  const volumeMounts = Object.entries(state.mounts)
    .filter(([, mount]) => mount.enabled)
    .map(([name, mount]) => ({ name, mountPath: mount.mountPath, readOnly: mount.readOnly }));
  switch (state.kind) {
    case 'ephemeral':
      return { kind: 'ephemeral', pod: state.pod ?? '', ...(state.target ? { target: state.target } : {}), volumeMounts, ...common };
    case 'copy':
      return { kind: 'copy', pod: state.pod ?? '', copyTo: state.copyTo, volumeMounts, ...common };
    case 'node':
      return { kind: 'node', node: state.node ?? '', chroot: state.chroot, ...common };
    default:
      return null;
  }
}

/** What the Start button sends. */
export function toSessionBody(state: DebugFormState): SessionBody {
  const mode: SessionMode = state.run === 'oneshot' ? 'oneshot' : 'interactive';
  if (state.kind === 'exec' || state.kind === 'attach') {
    const command = state.kind === 'exec' ? commandOf(state) : undefined;
    return {
      request: { kind: state.kind, namespace: state.namespace, pod: state.pod ?? '', container: state.container, ...(command ? { command } : {}) },
      mode: state.kind === 'exec' ? mode : 'interactive',
    };
  }
  return { request: toDebugRequest(state)!, mode };
}

/** kubectl's STATUS column or any container waiting in CrashLoopBackOff: the copy is what helps. */
export function isCrashLooping(status: string, containerReasons: readonly (string | undefined)[]): boolean {
  return status === 'CrashLoopBackOff' || containerReasons.includes('CrashLoopBackOff');
}

/** Where a volume goes in the debug container unless the person says otherwise (the article's /db-mount style). */
export const defaultMountPath = (volume: string) => `/debug/${volume}`;

const quoteWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The kubectl line for exec and attach, which build no spec to preview. */
export function containerSessionCommand(state: Pick<DebugFormState, 'kind' | 'namespace' | 'pod' | 'container' | 'run' | 'command' | 'diagnostic' | 'diagnosticText'>): string {
  const where = `-n ${quoteWord(state.namespace)} ${quoteWord(state.pod ?? '')} -c ${quoteWord(state.container || '<container>')}`;
  if (state.kind === 'attach') return `kubectl attach -it ${where}`;
  const oneshot = state.run === 'oneshot';
  const command = commandOf(state) ?? ['sh'];
  return `kubectl exec ${oneshot ? '' : '-it '}${where} -- ${command.map(quoteWord).join(' ')}`;
}
