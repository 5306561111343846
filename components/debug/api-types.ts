// The JSON the debug form reads from the server (routes under
// /api/clusters/[cluster]/debug and /api/clusters/[cluster]/sessions), as the
// browser sees it. Only what the form uses is typed; the routes own the rest.
import type { Adjustment, FieldError, Profile, Warning } from '@/lib/debug';

export interface ProfileOption {
  name: Profile;
  /** One line: what the profile does. */
  explanation?: string;
  allowed: boolean;
  /** Why not, when not allowed. */
  reason?: string;
}

export interface DebugOptions {
  images: { default: string; approved: string[] };
  profiles: ProfileOption[];
  reason: { required: boolean; example?: string; minLength?: number };
  limits?: { maxDurationSeconds: number; idleTimeoutSeconds: number };
  /** Node debugging: the namespace the debug pod goes to. */
  namespace?: string;
}

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
