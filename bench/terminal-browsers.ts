// The browsers' side of the terminal benchmarks, in a process of its own so
// that the server process measured (bench/terminal.ts) holds only the bridge.
//   tsx bench/terminal-browsers.ts '<json task>'
// Tasks:
//   {"task":"count","url":…}   counts the output bytes until `ended`; prints
//                              {bytes, firstByteMs, lastByteMs, openMs, endedMs, ended}
//   {"task":"fleet","urls":[…],"groups":[…]}  opens every socket, waits for
//                              `attached` on each; then one socket per group
//                              types `echo mark-<group>` and every socket of
//                              the group must see it; prints {attached, marked, errors}
// The result is the last line of stdout, as JSON.

import { performance } from 'node:perf_hooks';
import { TerminalClient } from '@/lib/sessions/__integration__/support';

const task = JSON.parse(process.argv[2] ?? '{}') as
  | { task: 'count'; url: string }
  | { task: 'fleet'; urls: string[]; groups: number[]; timeoutMs?: number };

async function count(url: string) {
  let firstByteMs = 0;
  let lastByteMs = 0;
  const client = new TerminalClient(url, { keepOutput: false });
  const start = performance.now();
  await client.opened;
  const openMs = performance.now() - start;
  client.socket.on('message', (_data, isBinary) => {
    if (!isBinary) return;
    lastByteMs = performance.now() - start;
    if (!firstByteMs) firstByteMs = lastByteMs;
  });
  const ended = await client.message('ended', 600_000);
  return { bytes: client.bytes, openMs, firstByteMs, lastByteMs, endedMs: performance.now() - start, ended };
}

async function fleet(urls: string[], groups: number[], timeoutMs = 60_000) {
  const errors: string[] = [];
  const clients = urls.map((url) => new TerminalClient(url));
  const attached = await Promise.all(
    clients.map((client, i) =>
      client.message('attached', timeoutMs).then(
        () => true,
        (error: Error) => (errors.push(`session ${i}: ${error.message.slice(0, 300)}`), false),
      ),
    ),
  );
  const leaders = new Map<number, TerminalClient>();
  clients.forEach((client, i) => {
    if (attached[i] && !leaders.has(groups[i])) leaders.set(groups[i], client);
  });
  for (const [group, client] of leaders) client.type(`echo mark-$((${group}+1000))\r`);
  const marked = await Promise.all(
    clients.map((client, i) =>
      attached[i]
        ? client.output(new RegExp(`mark-${groups[i] + 1000}`), timeoutMs).then(
            () => true,
            (error: Error) => (errors.push(`session ${i}: ${error.message.slice(0, 300)}`), false),
          )
        : false,
    ),
  );
  for (const client of clients) client.socket.close();
  return { sessions: urls.length, attached: attached.filter(Boolean).length, marked: marked.filter(Boolean).length, errors };
}

const result = task.task === 'count' ? await count(task.url) : await fleet(task.urls, task.groups, task.timeoutMs);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
