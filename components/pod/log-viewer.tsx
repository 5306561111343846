'use client';

// A container's log, streamed from the log route as the signed-in user:
// pick the container, how many lines back, the previous run (after a crash),
// and whether to follow. The text is kept to the last MAX_CHARS so a chatty
// container cannot exhaust the tab.

import { useEffect, useRef, useState } from 'react';

const MAX_CHARS = 1_000_000;

export interface LogViewerProps {
  cluster: string;
  namespace: string;
  pod: string;
  containers: Array<{ name: string; kind: string }>;
  defaultContainer: string;
}

type LogState = { phase: 'idle' | 'loading' | 'streaming' | 'done' } | { phase: 'error'; message: string };

export function LogViewer({ cluster, namespace, pod, containers, defaultContainer }: LogViewerProps) {
  const [container, setContainer] = useState(defaultContainer);
  const [tailLines, setTailLines] = useState(500);
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(false);
  const [text, setText] = useState('');
  const [state, setState] = useState<LogState>({ phase: 'idle' });
  const output = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    const params = new URLSearchParams({ container, tailLines: String(tailLines), previous: String(previous), follow: String(follow) });
    let buffer = '';
    let frame = 0;
    const flush = () => {
      frame = 0;
      setText(buffer.length > MAX_CHARS ? buffer.slice(-MAX_CHARS) : buffer);
    };
    setText('');
    setState({ phase: 'loading' });
    (async () => {
      const response = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/pods/${namespace}/${pod}/log?${params}`, { signal: controller.signal });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setState({ phase: 'error', message: body.error ?? `The log could not be read (HTTP ${response.status}).` });
        return;
      }
      setState({ phase: follow ? 'streaming' : 'loading' });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        if (buffer.length > 2 * MAX_CHARS) buffer = buffer.slice(-MAX_CHARS);
        frame ||= requestAnimationFrame(flush);
      }
      cancelAnimationFrame(frame);
      flush();
      setState({ phase: 'done' });
    })().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      setState({ phase: 'error', message: `The log stream broke off: ${(error as Error).message}` });
    });
    return () => {
      controller.abort();
      cancelAnimationFrame(frame);
    };
  }, [cluster, namespace, pod, container, tailLines, previous, follow]);

  // Keep the newest line in view while following, unless the reader scrolled up.
  useEffect(() => {
    const element = output.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [text]);

  const control = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          Container
          <select value={container} onChange={(event) => setContainer(event.target.value)} className={control}>
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
                {c.kind === 'container' ? '' : ` (${c.kind})`}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          Last
          <select value={tailLines} onChange={(event) => setTailLines(Number(event.target.value))} className={control}>
            {[100, 500, 1000, 5000].map((n) => (
              <option key={n} value={n}>
                {n} lines
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={previous} onChange={(event) => setPrevious(event.target.checked)} />
          Previous run
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
          Follow
        </label>
        <span role="status" className="text-xs text-zinc-500 dark:text-zinc-400">
          {state.phase === 'loading' ? 'Loading…' : state.phase === 'streaming' ? 'Following…' : state.phase === 'done' ? `${text.split('\n').length - 1} lines` : ''}
        </span>
      </div>
      {state.phase === 'error' ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-400/10 dark:text-red-300">
          {state.message}
        </p>
      ) : (
        <pre
          ref={output}
          aria-label={`Log of ${container}`}
          onScroll={(event) => {
            const element = event.currentTarget;
            pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
          }}
          className="h-80 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-zinc-100"
        >
          {text || (state.phase === 'done' ? '(empty)' : '')}
        </pre>
      )}
    </div>
  );
}
