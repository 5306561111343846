// Ephemera's benchmarks (DESIGN.md, "Targets"). Figures, not assertions:
// nothing here fails a build. Three groups, the first two with their own dev cluster:
//   browsing: 10,000 pods in 50 namespaces on the dev cluster, then
//     - the pods API from the shared cache vs `kubectl get pods -A -o json`;
//     - first paint of the pods page in Chromium;
//     - a status change reaching 50 open live streams.
//   terminal (bench/terminal.ts): the bridge's throughput vs `kubectl exec`,
//     keystroke echo vs client-node's Exec directly, many concurrent sessions,
//     Start to prompt vs `kubectl debug -it`, and the bridge recording vs not.
//   recording (bench/recording.ts): the recorder into PGlite and PostgreSQL vs
//     into no store, for text and for NUL bytes.
// Prints one table per group.
//   tsx bench/run.ts [--only browsing|terminal|recording] [--pods 10000] [--namespaces 50] [--user ada]
//                    [--terminal-bytes 200000000] [--terminal-runs 3] [--keystrokes 400] [--sessions 500] [--fleet-pods 10]
//                    [--start-runs 5] [--recording-bytes 50000000] [--recording-runs 3]

import { parseArgs } from 'node:util';
import { benchFirstPaint } from './first-paint';
import { benchLiveStreams } from './live-streams';
import { benchPodsApi } from './pods-api';
import { signIn, startStack, withBrowser } from './stack';
import { table, type Figure } from './stats';
import { benchRecording } from './recording';
import { benchTerminal } from './terminal';

const GROUPS = ['browsing', 'terminal', 'recording'] as const;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    pods: { type: 'string', default: '10000' },
    namespaces: { type: 'string', default: '50' },
    user: { type: 'string', default: 'ada' },
    'terminal-bytes': { type: 'string', default: '200000000' },
    'terminal-runs': { type: 'string', default: '3' },
    keystrokes: { type: 'string', default: '400' },
    sessions: { type: 'string', default: '500' },
    'start-runs': { type: 'string', default: '5' },
    'fleet-pods': { type: 'string', default: '10' },
    'recording-bytes': { type: 'string', default: '50000000' },
    'recording-runs': { type: 'string', default: '3' },
  },
});
if (values.only !== undefined && !(GROUPS as readonly string[]).includes(values.only)) {
  process.stderr.write(`--only takes one of: ${GROUPS.join(', ')}\n`);
  process.exit(2);
}
const runs = (group: (typeof GROUPS)[number]) => values.only === undefined || values.only === group;
const log = (line: string) => process.stdout.write(`${line}\n`);
const reports: string[] = [];

if (runs('browsing')) {
  const pods = Number(values.pods);
  const namespaces = Number(values.namespaces);
  log(`Starting the dev cluster with ${pods} pods in ${namespaces} namespaces, the dev IdP and Ephemera…`);
  const stack = await startStack({ pods, namespaces });
  const figures: Figure[] = [];
  try {
    await withBrowser(async (newContext) => {
      const context = await newContext();
      const cookie = await signIn(context, stack.url, values.user!);
      log(`Signed in as ${values.user}. Measuring the pods API…`);
      figures.push(...(await benchPodsApi(stack.url, cookie, stack.kubeconfig, pods)));
      log('Measuring first paint…');
      figures.push(...(await benchFirstPaint(context, stack.url, pods)));
      log('Measuring 50 live streams…');
      figures.push(...(await benchLiveStreams(stack.url, cookie, stack.kubeconfig)));
    });
  } finally {
    await stack.stop();
  }
  reports.push(`Ephemera browsing benchmarks — ${pods} pods, ${namespaces} namespaces, user ${values.user}, ${new Date().toISOString()}\n\n${table(figures)}`);
}

if (runs('terminal')) {
  log('Starting the dev cluster for the terminal benchmarks…');
  const options = {
    bytes: Number(values['terminal-bytes']),
    runs: Number(values['terminal-runs']),
    keystrokes: Number(values.keystrokes),
    sessions: Number(values.sessions),
    startRuns: Number(values['start-runs']),
    fleetPods: Number(values['fleet-pods']),
    log,
  };
  const figures = await benchTerminal(options);
  reports.push(`Ephemera terminal benchmarks — ${options.bytes} bytes × ${options.runs}, ${options.keystrokes} keystrokes, ${options.sessions} sessions, ${new Date().toISOString()}\n\n${table(figures)}`);
}

if (runs('recording')) {
  log('Recording: the recorder into no store, PGlite and PostgreSQL…');
  const bytes = Number(values['recording-bytes']);
  const figures = await benchRecording({ bytes, runs: Number(values['recording-runs']), log });
  reports.push(`Ephemera recording benchmarks — ${bytes} bytes × ${values['recording-runs']}, ${new Date().toISOString()}\n\n${table(figures)}`);
}

log(`\n${reports.join('\n\n')}\n`);
process.exit(0);
