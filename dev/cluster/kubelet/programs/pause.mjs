// registry.k8s.io/pause: sleeps until told to stop.
import { err, forever, onStop, title } from './lib.mjs';

title(['/pause']);
onStop((signal) => err(`Shutting down, got signal: ${signal === 'SIGINT' ? 'Interrupt' : 'Terminated'}`));
forever();
