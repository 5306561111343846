'use client';

// Beside the form: the exact spec as YAML and the equivalent kubectl command
// line, what Ephemera adds ("Ephemera adds …"), what it warns about, and the
// policy's refusal with the rule that made it. Never silent.

import type { ImageProposal, PreviewResult } from './api-types';
import { CopyButton } from './copy-button';

const box = 'space-y-2 rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900';
const pre = 'max-h-[28rem] overflow-auto rounded bg-zinc-50 p-3 font-mono text-xs whitespace-pre dark:bg-zinc-950';

export interface PreviewPanelProps {
  result: PreviewResult | null;
  pending: boolean;
  /** exec and attach build no spec: only their kubectl line is shown. */
  localCommand?: string;
  onProposal: (proposal: ImageProposal) => void;
}

export function PreviewPanel({ result, pending, localCommand, onProposal }: PreviewPanelProps) {
  if (localCommand !== undefined) {
    return (
      <section aria-label="Preview" className={box}>
        <Heading title="kubectl equivalent" text={localCommand} copyLabel="Copy the kubectl command" />
        <pre aria-label="kubectl command" className={pre}>{localCommand}</pre>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Nothing is added to the pod: the terminal connects to a container that is already there.</p>
      </section>
    );
  }
  return (
    <section aria-label="Preview" aria-busy={pending} className={box}>
      {result === null ? (
        <p className="text-zinc-500 dark:text-zinc-400">{pending ? 'Preparing the preview…' : 'The preview appears here.'}</p>
      ) : !result.ok ? (
        <Refusal result={result} />
      ) : (
        <>
          <Kubectl kubectl={result.kubectl} />
          <Heading title="Spec sent to the cluster" text={result.yaml} copyLabel="Copy the YAML" />
          <pre aria-label="Spec YAML" className={pre}>{result.yaml}</pre>
          {result.breakGlass && (
            <p className="rounded bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">Break-glass: this session needs a written reason and is audited closely.</p>
          )}
          <h3 className="text-xs font-semibold">Ephemera adds</h3>
          {result.adjustments.length === 0 ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Nothing: this is what kubectl would send with the same flags.</p>
          ) : (
            <ul aria-label="Ephemera adds" className="list-disc space-y-1 pl-5 text-xs">
              {result.adjustments.map((adjustment) => (
                <li key={adjustment.name + adjustment.field}>
                  <span className="font-mono">{adjustment.field}</span>: {adjustment.reason}
                </li>
              ))}
            </ul>
          )}
          {result.warnings.length > 0 && (
            <>
              <h3 className="text-xs font-semibold">Warnings</h3>
              <ul aria-label="Warnings" className="space-y-2 text-xs">
                {result.warnings.map((warning) => (
                  <li key={warning.code + warning.message} className="rounded bg-amber-50 p-2 text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">
                    <p>{warning.message}</p>
                    {warning.proposals && warning.proposals.length > 0 && (
                      <div className="mt-2 flex flex-wrap gap-2">
                        {warning.proposals.map((proposal) => (
                          <button
                            key={proposal.kind + (proposal.image ?? proposal.runAsUser)}
                            type="button"
                            onClick={() => onProposal(proposal)}
                            className="rounded bg-white px-2 py-0.5 font-medium text-amber-900 ring-1 ring-amber-600/30 hover:bg-amber-100 dark:bg-zinc-900 dark:text-amber-200"
                          >
                            {proposal.kind === 'runAsUser' ? `Run as user ${proposal.runAsUser}` : `Use ${proposal.image}`}
                          </button>
                        ))}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

function Kubectl({ kubectl }: { kubectl: Extract<PreviewResult, { ok: true }>['kubectl'] }) {
  const command = typeof kubectl === 'string' ? { line: kubectl } : kubectl;
  const text = command.customFile ? `cat > ${command.customFile.path} <<'EOF'\n${command.customFile.content}\nEOF\n${command.line}` : command.line;
  return (
    <>
      <Heading title="kubectl equivalent" text={text} copyLabel="Copy the kubectl command" />
      <pre aria-label="kubectl command" className={pre}>{text}</pre>
      {command.notes && command.notes.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-zinc-500 dark:text-zinc-400">
          {command.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function Heading({ title, text, copyLabel }: { title: string; text: string; copyLabel: string }) {
  return (
    <div className="flex items-center justify-between gap-2">
      <h3 className="text-xs font-semibold">{title}</h3>
      <CopyButton text={text} label={copyLabel} />
    </div>
  );
}

function Refusal({ result }: { result: Extract<PreviewResult, { ok: false }> }) {
  return (
    <div role="alert" aria-label="Refused" className="space-y-2 rounded bg-red-50 p-3 text-sm text-red-900 dark:bg-red-400/10 dark:text-red-200">
      <p className="font-semibold">
        Refused{result.rule ? <> by the policy rule <span className="font-mono">{result.rule}</span></> : ''}
      </p>
      <p>{result.message}</p>
      {result.errors && result.errors.length > 0 && (
        <ul className="list-disc space-y-1 pl-5 text-xs">
          {result.errors.map((error) => (
            <li key={error.field + error.message}>{error.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
