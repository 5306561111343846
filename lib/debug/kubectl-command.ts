// The `kubectl debug` command line that does what a request does, shown
// beside every preview. What kubectl has no flag for (volume mounts,
// runAsUser, stdinOnce, values it cannot parse) goes into a `--custom` file,
// whose content is returned with a note saying why.
import type { DebugRequest } from './request';
import { effectiveCommand, effectiveCustom } from './container';

export interface KubectlCommand {
  /** Starts with `kubectl`; run it as is (after writing the custom file, if any). */
  argv: string[];
  /** The same, quoted for a POSIX shell. */
  line: string;
  /** The `--custom` file's name and JSON content, when one is needed. */
  customFile?: { path: string; content: string };
  notes: string[];
}

export const CUSTOM_FILE = 'ephemera-custom.json';

/** kubectl's --env is a StringToString flag, read as CSV: a comma or a quote would split or break the value. */
const envFlagCanCarry = (value: string) => !/[",\n\r]/.test(value);

/** Quote a word for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Pass a completed request (the builder's `request`) so the container name is the one that was built. */
export function kubectlCommandFor(request: DebugRequest): KubectlCommand {
  const notes: string[] = [];
  const target = request.kind === 'node' ? `node/${request.node}` : request.pod;
  const argv = ['kubectl', 'debug', '-n', request.namespace, target];
  if (request.image) argv.push(`--image=${request.image}`);
  if (request.name !== undefined) argv.push(`--container=${request.name}`);
  argv.push(`--profile=${request.profile}`);

  const custom: Record<string, unknown> = { ...effectiveCustom(request) };
  const envByFlag = request.env.every((e) => envFlagCanCarry(e.value ?? ''));
  if (envByFlag) for (const e of request.env) argv.push(`--env=${e.name}=${e.value ?? ''}`);
  else {
    custom.env = [...request.env, ...((custom.env as unknown[]) ?? [])];
    notes.push('kubectl --env cannot carry a value with a comma or a quote, so the variables are in the custom file.');
  }
  if (request.env.length > 1 && envByFlag) notes.push('kubectl applies several --env flags in no particular order; the variables are the same.');
  if (request.imagePullPolicy) argv.push(`--image-pull-policy=${request.imagePullPolicy}`);
  if (request.stdin) argv.push('--stdin');
  if (request.tty) argv.push('--tty');

  if (request.kind === 'ephemeral' && request.target) argv.push(`--target=${request.target}`);
  if (request.kind === 'node') notes.push('kubectl picks its own random suffix for the node-debugger pod name.');
  if (request.kind === 'copy') {
    argv.push(`--copy-to=${request.copyTo}`);
    for (const [container, image] of Object.entries(request.setImages)) argv.push(`--set-image=${container}=${image}`);
    if (request.shareProcesses !== undefined) argv.push(`--share-processes=${request.shareProcesses}`);
    if (request.sameNode) argv.push('--same-node');
    if (request.replace) argv.push('--replace');
    const keep = request.keep;
    if (keep.labels) argv.push('--keep-labels');
    if (keep.annotations) argv.push('--keep-annotations');
    if (keep.liveness) argv.push('--keep-liveness');
    if (keep.readiness) argv.push('--keep-readiness');
    if (keep.startup) argv.push('--keep-startup');
    if (!keep.initContainers) argv.push('--keep-init-containers=false');
  }

  // kubectl takes either a command or args after `--`; with both, args go through the custom file.
  const command = effectiveCommand(request);
  let tail: string[] = [];
  if (command) {
    tail = command;
    if (request.args) custom.args = request.args;
  } else if (request.args) {
    argv.push('--arguments-only');
    tail = request.args;
  }

  let customFile: KubectlCommand['customFile'];
  if (Object.keys(custom).length > 0) {
    customFile = { path: CUSTOM_FILE, content: JSON.stringify(custom, null, 2) + '\n' };
    argv.push(`--custom=${CUSTOM_FILE}`);
    notes.unshift(customNote(request, custom));
  }
  if (tail.length > 0) argv.push('--', ...tail);
  return { argv, line: argv.map(shellQuote).join(' '), customFile, notes };
}

/** What the custom file carries that kubectl has no flag for, in words. */
function customReasons(request: DebugRequest, custom: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  if ('volumeMounts' in request && request.volumeMounts.length > 0) reasons.push('volume mounts');
  if (request.runAsUser !== undefined) reasons.push('runAsUser');
  if (request.stdinOnce) reasons.push('stdinOnce');
  if (custom.args && effectiveCommand(request)) reasons.push('a command with args');
  return reasons;
}

function customNote(request: DebugRequest, custom: Record<string, unknown>): string {
  const reasons = customReasons(request, custom);
  if (reasons.length === 0) return `Save the JSON below as ${CUSTOM_FILE}: it is the custom container.`;
  const words = reasons.length === 1 ? reasons[0] : `${reasons.slice(0, -1).join(', ')} or ${reasons[reasons.length - 1]}`;
  return `kubectl has no flags for ${words}: save the JSON below as ${CUSTOM_FILE}.`;
}
