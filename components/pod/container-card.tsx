import { stringify } from 'yaml';
import { age } from '@/lib/k8s/duration';
import type { ContainerView, StateView } from '@/lib/k8s/pod-view';

const KIND_LABEL = { init: 'init container', sidecar: 'sidecar (init, always restarted)', container: 'container', ephemeral: 'ephemeral container' } as const;

const STATE_TONE = {
  running: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/25',
  waiting: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/25',
  terminated: 'bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-500/25',
  unknown: 'bg-zinc-100 text-zinc-500 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-400 dark:ring-zinc-500/25',
};

function describeState(state: StateView, now: number): string {
  const parts: string[] = [state.state === 'unknown' ? 'no status yet' : state.state];
  if (state.reason) parts.push(state.reason);
  if (state.exitCode !== undefined) parts.push(`exit code ${state.exitCode}`);
  if (state.signal) parts.push(`signal ${state.signal}`);
  if (state.state === 'running' && state.startedAt) parts.push(`for ${age(state.startedAt, now)}`);
  if (state.state === 'terminated' && state.finishedAt) parts.push(`${age(state.finishedAt, now)} ago`);
  return parts.join(' · ');
}

const dt = 'text-xs text-zinc-500 dark:text-zinc-400';
const mono = 'font-mono text-xs break-all';

/** One container: its spec (image, command, target, securityContext, mounts, env as references) and its status. */
export function ContainerCard({ container, now }: { container: ContainerView; now: number }) {
  const { status } = container;
  return (
    <article aria-label={`${KIND_LABEL[container.kind]} ${container.name}`} className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <header className="flex flex-wrap items-center gap-2">
        <h3 className="font-mono font-semibold">{container.name}</h3>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{KIND_LABEL[container.kind]}</span>
        <span role="status" aria-label={`State of ${container.name}: ${status.state}${status.reason ? ` (${status.reason})` : ''}`} className={`ml-auto rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_TONE[status.state]}`}>
          {describeState(status, now)}
        </span>
      </header>
      {status.message && <p className="rounded bg-zinc-50 p-2 text-xs text-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300">{status.message}</p>}
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
        <div className="sm:col-span-2 lg:col-span-3">
          <dt className={dt}>Image</dt>
          <dd className={mono}>{container.image}</dd>
        </div>
        {(container.command.length > 0 || container.args.length > 0) && (
          <div className="sm:col-span-2 lg:col-span-3">
            <dt className={dt}>Command</dt>
            <dd className={mono}>{[...container.command, ...container.args].map((part) => (/[\s"'$]/.test(part) ? JSON.stringify(part) : part)).join(' ')}</dd>
          </div>
        )}
        {container.targetContainer && (
          <div>
            <dt className={dt}>Target container</dt>
            <dd className="font-mono text-xs">{container.targetContainer}</dd>
          </div>
        )}
        <div>
          <dt className={dt}>Ready · restarts</dt>
          <dd>
            {status.ready ? 'ready' : 'not ready'} · {status.restarts}
          </dd>
        </div>
        {status.startedAt && (
          <div>
            <dt className={dt}>Started</dt>
            <dd><time dateTime={status.startedAt}>{status.startedAt}</time></dd>
          </div>
        )}
        {status.finishedAt && (
          <div>
            <dt className={dt}>Finished</dt>
            <dd><time dateTime={status.finishedAt}>{status.finishedAt}</time></dd>
          </div>
        )}
        {status.lastState && (
          <div className="sm:col-span-2">
            <dt className={dt}>Last state</dt>
            <dd>{describeState(status.lastState, now)}</dd>
          </div>
        )}
        {container.kind === 'ephemeral' && (
          <div>
            <dt className={dt}>stdin · tty</dt>
            <dd>{container.stdin ? 'stdin' : 'no stdin'} · {container.tty ? 'tty' : 'no tty'}</dd>
          </div>
        )}
        {container.ports.length > 0 && (
          <div>
            <dt className={dt}>Ports</dt>
            <dd className="font-mono text-xs">{container.ports.join(', ')}</dd>
          </div>
        )}
        {container.resources && (
          <div>
            <dt className={dt}>Resources</dt>
            <dd className="font-mono text-xs">
              {Object.entries(container.resources).map(([kind, values]) => (
                <span key={kind} className="block">
                  {kind}: {Object.entries(values ?? {}).map(([name, value]) => `${name} ${value}`).join(', ')}
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
      {container.securityContext && (
        <div>
          <h4 className={dt}>securityContext</h4>
          <pre className="mt-1 overflow-x-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-800/60">{stringify(container.securityContext).trim()}</pre>
        </div>
      )}
      {container.mounts.length > 0 && (
        <div>
          <h4 className={dt}>Volume mounts</h4>
          <ul className="mt-1 space-y-0.5 font-mono text-xs">
            {container.mounts.map((mount) => (
              <li key={`${mount.volume}:${mount.mountPath}`}>
                {mount.mountPath} ← {mount.volume}
                {mount.subPath ? ` (subPath ${mount.subPath})` : ''} <span className="text-zinc-500">{mount.readOnly ? 'read-only' : 'read-write'}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {(container.env.length > 0 || container.envFrom.length > 0) && (
        <div>
          <h4 className={dt}>Environment</h4>
          <ul aria-label={`Environment of ${container.name}`} className="mt-1 space-y-0.5 font-mono text-xs">
            {container.env.map((env) => (
              <li key={env.name}>
                {env.name}={env.from ? <span className="text-violet-700 dark:text-violet-400">({env.from})</span> : env.value}
              </li>
            ))}
            {container.envFrom.map((source) => (
              <li key={source} className="text-violet-700 dark:text-violet-400">
                from {source}
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
