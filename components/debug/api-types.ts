// The JSON the debug form reads from the server (routes under
// /api/clusters/[cluster]/debug and /api/clusters/[cluster]/sessions), as the
// browser sees it. The options are lib/sessions/options.ts's, as they are.
import type { Adjustment, FieldError, Warning } from '@/lib/debug';

export type { DebugOptions, ProfileOption } from '@/lib/sessions/options';

export interface ImageProposal {
  kind: 'runAsUser' | 'image';
  runAsUser?: number;
  image?: string;
}

export type PreviewWarning = Warning & { proposals?: ImageProposal[] };

export type PreviewResult =
  | {
      ok: true;
      yaml: string;
      /** The equivalent kubectl command: its shell line, and notes (e.g. a --custom file to write first). */
      kubectl: string | { line: string; notes?: string[]; customFile?: { path: string; content: string } };
      adjustments: Adjustment[];
      warnings: PreviewWarning[];
      limits?: { maxDurationSeconds: number; idleTimeoutSeconds: number };
      breakGlass?: boolean;
    }
  | { ok: false; errors?: FieldError[]; rule?: string; message: string };
