// The seam between the simulated kubelet (which runs containers as local processes)
// and the remote-command protocol (which carries their bytes over a WebSocket).

/** How a process ended, as the channel-3 Status reports it. */
export type StreamExit =
  | { kind: 'exited'; exitCode: number }
  /** The runtime could not start or reach the process; message is shown to the user as-is. */
  | { kind: 'error'; message: string };

/**
 * One attach or exec stream to a running container process.
 * With tty, stdout carries the terminal and stderr is never emitted.
 */
export interface ContainerStream {
  readonly tty: boolean;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  /** Called once, when the process (exec) ends, or when the attached container ends. */
  onExit(listener: (exit: StreamExit) => void): void;
  writeStdin(chunk: Buffer): void;
  /** The client closed its stdin (v5 close frame for channel 0, or the socket went away). */
  closeStdin(): void;
  resize(columns: number, rows: number): void;
  /**
   * Flow control, where the stream has it (exec: one process, one reader):
   * stop delivering output until resumeOutput(); the process blocks once its
   * pipe fills. Attach fans one process out to every client and has none.
   */
  pauseOutput?(): void;
  resumeOutput?(): void;
  /**
   * The client went away. For exec this ends the process; for attach it only
   * detaches (and, with stdinOnce, closes the container's stdin).
   */
  detach(): void;
}

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}
