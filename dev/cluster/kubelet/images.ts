// The node's image catalogue: what each image "contains" and how its programs
// run here. Shell images stand in the host's /bin/sh and userland; fake daemons
// are small Node scripts in ./programs; a distroless image can run only its own
// entrypoint. References are normalized the way containerd does it.
import { createHash } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execNoSuchFile, execNotFoundInPath } from './messages';

export const PROGRAMS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'programs');

/** What a command name inside the image runs here. */
export type Program =
  /** A script in ./programs, run with this Node binary; `title` is what `ps` shows. */
  | { script: string }
  /** A host binary standing in for the image's own (e.g. zsh → bash). */
  | { host: string };

export interface ImageEntry {
  /** Normalized repository without tag, e.g. `docker.io/library/busybox`. */
  repository: string;
  /** Tags this entry answers for; omitted = any tag. */
  tags?: string[];
  /** The image config's USER, resolved to numbers (all catalogue images use numeric users). */
  user: { uid: number; gid: number };
  /** The image has a shell and the usual userland; the host's binaries stand in for it. */
  shell: boolean;
  /** Userland binaries this image does not ship, even though the host has them (bash in busybox). */
  missing?: string[];
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  /** Binaries of the image that are not the host's: by bare name and by absolute path. */
  programs: Record<string, Program>;
  sizeBytes: number;
}

export interface ResolvedImage {
  entry: ImageEntry;
  /** As containerd reports it in status.image: `docker.io/library/busybox:latest`. */
  name: string;
  /** As containerd reports it in status.imageID: `docker.io/library/busybox@sha256:…`. */
  imageID: string;
  digest: string;
}

const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const image = (e: Partial<ImageEntry> & Pick<ImageEntry, 'repository' | 'user' | 'shell'>): ImageEntry => ({
  entrypoint: [],
  cmd: [],
  env: { PATH: PATH_ENV },
  programs: {},
  sizeBytes: 10_000_000,
  ...e,
});
const script = (name: string): Program => ({ script: name });

const ROOT = { uid: 0, gid: 0 };
const NONROOT = { uid: 65532, gid: 65532 };

export const CATALOGUE: ImageEntry[] = [
  image({
    repository: 'docker.io/library/busybox',
    user: ROOT,
    shell: true,
    missing: ['bash', 'zsh'],
    cmd: ['sh'],
    sizeBytes: 4_269_694,
  }),
  image({
    repository: 'docker.io/library/alpine',
    user: ROOT,
    shell: true,
    missing: ['bash', 'zsh'],
    cmd: ['/bin/sh'],
    sizeBytes: 3_653_068,
  }),
  image({
    repository: 'docker.io/library/ubuntu',
    user: ROOT,
    shell: true,
    missing: ['zsh'],
    cmd: ['/bin/bash'],
    sizeBytes: 29_754_422,
  }),
  image({
    repository: 'docker.io/nicolaka/netshoot',
    user: ROOT,
    shell: true,
    cmd: ['zsh'],
    programs: { zsh: { host: '/bin/bash' }, '/bin/zsh': { host: '/bin/bash' } },
    sizeBytes: 210_542_519,
  }),
  image({
    repository: 'docker.io/percona/percona-xtradb-cluster',
    user: { uid: 1001, gid: 1001 },
    shell: true,
    entrypoint: ['/entrypoint.sh'],
    cmd: ['mysqld'],
    programs: {
      mysqld: script('mysqld.mjs'),
      '/usr/sbin/mysqld': script('mysqld.mjs'),
      '/entrypoint.sh': script('mysqld.mjs'),
      '/var/lib/mysql/pxc-entrypoint.sh': script('mysqld.mjs'),
    },
    sizeBytes: 431_207_522,
  }),
  image({
    repository: 'docker.io/percona/haproxy',
    user: { uid: 1001, gid: 1001 },
    shell: true,
    entrypoint: ['/opt/percona/haproxy-entrypoint.sh'],
    cmd: ['haproxy'],
    programs: {
      haproxy: script('haproxy.mjs'),
      '/usr/sbin/haproxy': script('haproxy.mjs'),
      '/opt/percona/haproxy-entrypoint.sh': script('haproxy.mjs'),
    },
    sizeBytes: 118_309_811,
  }),
  image({
    repository: 'docker.io/percona/percona-xtradb-cluster-operator',
    user: { uid: 2, gid: 2 },
    shell: true,
    cmd: ['/usr/local/bin/percona-xtradb-cluster-operator'],
    programs: {
      'percona-xtradb-cluster-operator': script('operator.mjs'),
      '/usr/local/bin/percona-xtradb-cluster-operator': script('operator.mjs'),
    },
    sizeBytes: 95_811_245,
  }),
  // The crash-looping application of the demo: distroless, so only its own binary.
  image({
    repository: 'ghcr.io/ephemera/shop-checkout',
    user: NONROOT,
    shell: false,
    entrypoint: ['/app/checkout'],
    env: { PATH: PATH_ENV, PORT: '8080' },
    programs: { '/app/checkout': script('shop-app.mjs'), checkout: script('shop-app.mjs') },
    sizeBytes: 14_318_220,
  }),
  image({
    repository: 'gcr.io/distroless/static',
    tags: ['nonroot', 'latest-nonroot', 'debug-nonroot'],
    user: NONROOT,
    shell: false,
    entrypoint: ['/server'],
    env: { PATH: PATH_ENV, PORT: '8080' },
    programs: { '/server': script('http-server.mjs'), server: script('http-server.mjs') },
    sizeBytes: 1_004_523,
  }),
  image({
    repository: 'gcr.io/distroless/static',
    user: ROOT,
    shell: false,
    entrypoint: ['/server'],
    env: { PATH: PATH_ENV, PORT: '8080' },
    programs: { '/server': script('http-server.mjs'), server: script('http-server.mjs') },
    sizeBytes: 1_004_523,
  }),
  image({
    repository: 'registry.k8s.io/pause',
    user: { uid: 65535, gid: 65535 },
    shell: false,
    entrypoint: ['/pause'],
    programs: { '/pause': script('pause.mjs'), pause: script('pause.mjs') },
    sizeBytes: 320_368,
  }),
  image({
    repository: 'docker.io/library/nginx',
    user: ROOT,
    shell: true,
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: { PATH: PATH_ENV, NGINX_VERSION: '1.27.3' },
    programs: {
      nginx: script('nginx.mjs'),
      '/usr/sbin/nginx': script('nginx.mjs'),
      '/docker-entrypoint.sh': script('nginx.mjs'),
    },
    sizeBytes: 72_099_501,
  }),
  // Ephemera's approved debug image: non-root, a shell and network tools.
  image({
    repository: 'ghcr.io/ephemera/debug-tools',
    user: NONROOT,
    shell: true,
    cmd: ['sh'],
    env: { PATH: PATH_ENV, HOME: '/home/nonroot' },
    sizeBytes: 48_112_903,
  }),
];

export interface ImageReference {
  /** `docker.io/library/busybox` */
  repository: string;
  tag?: string;
  digest?: string;
  /** containerd's normalized form: `docker.io/library/busybox:latest` or `…@sha256:…`. */
  normalized: string;
}

/** Parse and normalize a reference as containerd (docker/reference) does. */
export function parseReference(ref: string): ImageReference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let domain = hasDomain ? first : 'docker.io';
  let remainder = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const repository = `${domain}/${remainder}`;
  if (!tag && !digest) tag = 'latest';
  const normalized = digest ? `${repository}@${digest}` : `${repository}:${tag}`;
  return { repository, tag, digest, normalized };
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^\w[\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/** Why docker/reference refuses this reference (the kubelet's InvalidImageName), or undefined when it parses. */
export function referenceError(ref: string): string | undefined {
  const r = parseReference(ref);
  const remainder = r.repository.slice(r.repository.indexOf('/') + 1);
  if (ref !== ref.trim() || ref === '') return 'invalid reference format';
  if (remainder.toLowerCase() !== remainder) return `invalid reference format: repository name (${remainder}) must be lowercase`;
  if (!PATH_RE.test(remainder)) return 'invalid reference format';
  if (r.tag !== undefined && !TAG_RE.test(r.tag)) return 'invalid reference format';
  if (r.digest !== undefined && !DIGEST_RE.test(r.digest)) return 'invalid reference format';
  return undefined;
}

/** The tag's image policy default, as the apiserver defaults imagePullPolicy. */
export function defaultPullPolicy(ref: string): 'Always' | 'IfNotPresent' {
  const { tag, digest } = parseReference(ref);
  return !digest && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent';
}

const fakeDigest = (key: string) => `sha256:${createHash('sha256').update(`ephemera-fake-image\0${key}`).digest('hex')}`;

/** Find an image in the catalogue; undefined when the registry would answer "not found". */
export function lookupImage(ref: string): ResolvedImage | undefined {
  const r = parseReference(ref);
  const tag = r.tag ?? 'latest';
  const entry =
    CATALOGUE.find((e) => e.repository === r.repository && e.tags?.includes(tag)) ??
    CATALOGUE.find((e) => e.repository === r.repository && !e.tags);
  if (!entry) return undefined;
  const digest = fakeDigest(`${r.repository}:${tag}`);
  if (r.digest && r.digest !== digest) return undefined;
  return {
    entry,
    name: r.digest ? `${r.repository}@${digest}` : `${r.repository}:${tag}`,
    imageID: `${r.repository}@${digest}`,
    digest,
  };
}

/** How to start a command here: the file to execute and its arguments. */
export interface Executable {
  file: string;
  args: string[];
  /** The command as written, when it names the image's userland: what `ps` shows, looked up in $PATH inside a container's root. */
  asWritten?: string;
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function program(p: Program, args: string[]): Executable {
  if ('host' in p) return { file: p.host, args };
  return { file: process.execPath, args: [path.join(PROGRAMS_DIR, p.script), ...args] };
}

/** Where a container's root has the Node binary and the programs (rootfs.ts mounts them there). */
export const CONTAINER_NODE = '/.ephemera/node';
export const CONTAINER_PROGRAMS = '/.ephemera/programs';

/** The same command as seen from inside a container's own root. */
export function inContainerRoot(exe: Executable): Executable {
  if (exe.asWritten) return { file: exe.asWritten, args: exe.args };
  if (exe.file !== process.execPath || !exe.args[0]?.startsWith(`${PROGRAMS_DIR}/`)) return exe;
  const [script, ...rest] = exe.args;
  // process.title (what `ps` shows) can only reuse the space of the original command line: keep room for it.
  const room = `--title=${' '.repeat(128)}`;
  return { file: CONTAINER_NODE, args: [room, path.posix.join(CONTAINER_PROGRAMS, path.basename(script)), ...rest] };
}

/**
 * Resolve argv inside the image as runc would: a name with a slash is a path,
 * a bare name is searched in $PATH. On failure, runc's reason (the text between
 * "unable to start container process: " and ": unknown").
 */
export function resolveCommand(entry: ImageEntry, argv: string[]): Executable | { error: string } {
  const [cmd, ...args] = argv;
  if (cmd === undefined || cmd === '') return { error: execNotFoundInPath('') };
  const own = entry.programs[cmd];
  if (own) return program(own, args);
  const base = path.posix.basename(cmd);
  const shipped = entry.shell && !(entry.missing ?? []).includes(base);
  if (cmd.includes('/')) {
    if (shipped && isExecutable(cmd)) return { file: cmd, args };
    return { error: execNoSuchFile(cmd) };
  }
  if (shipped) {
    for (const dir of (entry.env.PATH ?? PATH_ENV).split(':')) {
      const candidate = path.join(dir, cmd);
      if (isExecutable(candidate)) return { file: candidate, args, asWritten: cmd };
    }
  }
  return { error: execNotFoundInPath(cmd) };
}
