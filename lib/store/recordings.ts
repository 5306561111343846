// RecordingStore in SQL, the same statements on PostgreSQL and PGlite. A
// chunk and the header's running totals change in one transaction, so the
// totals always match the chunks stored; a chunk's seq is its primary key, so
// a retried append can never store the same events twice.

import { headerLine, type CastHeader } from '@/lib/recordings/asciicast';
import type { Database } from './database';
import type { RecordingChunk, RecordingInfo, RecordingStore } from './types';

export const DEFAULT_CHUNK_LIMIT = 100;
export const MAX_CHUNK_LIMIT = 1000;
/** Chunks read per query by cast(). */
const CAST_PAGE = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RecordingRow {
  session_id: string;
  header: CastHeader;
  input: boolean;
  started_at: Date;
  ended_at: Date | null;
  bytes: string; // bigint as text: node-postgres and PGlite would otherwise disagree on its type
  chunks: number;
}

interface ChunkRow {
  seq: number;
  events: string;
  text: string;
  bytes: number;
}

const COLUMNS = 'session_id, header, input, started_at, ended_at, bytes::text AS bytes, chunks';

function toInfo(row: RecordingRow): RecordingInfo {
  return {
    sessionId: row.session_id,
    header: row.header,
    input: row.input,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    bytes: Number(row.bytes),
    chunks: row.chunks,
  };
}

export class DuplicateChunkError extends Error {}

export function sqlRecordingStore(db: Database): RecordingStore {
  const get = async (sessionId: string) => {
    if (!UUID.test(sessionId)) return undefined;
    const [row] = await db.query<RecordingRow>(`SELECT ${COLUMNS} FROM recordings WHERE session_id = $1`, [sessionId]);
    return row ? toInfo(row) : undefined;
  };

  const chunks = async (sessionId: string, { after = -1, limit = DEFAULT_CHUNK_LIMIT }: { after?: number; limit?: number } = {}) => {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number from 1 to ${MAX_CHUNK_LIMIT} (got ${limit})`);
    if (!UUID.test(sessionId)) return [];
    return db.query<ChunkRow>('SELECT seq, events, text, bytes FROM recording_chunks WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
      sessionId,
      after,
      Math.min(limit, MAX_CHUNK_LIMIT),
    ]);
  };

  return {
    async begin(sessionId, header, { input }) {
      await db.query(`INSERT INTO recordings (session_id, header, input) VALUES ($1, $2, $3) ON CONFLICT (session_id) DO NOTHING`, [
        sessionId,
        JSON.stringify(header),
        input,
      ]);
      const info = await get(sessionId);
      if (!info) throw new Error(`the recording of session ${sessionId} was not stored`);
      return info;
    },

    async append(sessionId, chunk: RecordingChunk) {
      await db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO recording_chunks (session_id, seq, events, text, bytes) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (session_id, seq) DO NOTHING RETURNING seq`,
          [sessionId, chunk.seq, chunk.events, chunk.text, chunk.bytes],
        );
        if (inserted.length === 0) throw new DuplicateChunkError(`chunk ${chunk.seq} of session ${sessionId}'s recording is already stored`);
        await tx.query('UPDATE recordings SET bytes = bytes + $2, chunks = chunks + 1 WHERE session_id = $1', [sessionId, chunk.bytes]);
      });
    },

    async finish(sessionId) {
      await db.query('UPDATE recordings SET ended_at = now() WHERE session_id = $1 AND ended_at IS NULL', [sessionId]);
    },

    get,
    chunks,

    async observing(sessionId, observer) {
      await db.query(
        `INSERT INTO session_observers (session_id, observer) VALUES ($1, $2)
         ON CONFLICT (session_id, observer) DO UPDATE SET seen_at = now()`,
        [sessionId, observer],
      );
    },

    async observers(sessionId, withinMs) {
      if (!UUID.test(sessionId)) return [];
      const rows = await db.query<{ observer: string }>(
        `SELECT observer FROM session_observers WHERE session_id = $1 AND seen_at > now() - make_interval(secs => $2) ORDER BY observer`,
        [sessionId, withinMs / 1000],
      );
      return rows.map((row) => row.observer);
    },

    async cast(sessionId) {
      const info = await get(sessionId);
      if (!info) return undefined;
      return (async function* lines() {
        yield headerLine(info.header);
        let after = -1;
        for (;;) {
          const page = await chunks(sessionId, { after, limit: CAST_PAGE });
          for (const chunk of page) yield chunk.events;
          if (page.length < CAST_PAGE) return;
          after = page.at(-1)!.seq;
        }
      })();
    },
  };
}
