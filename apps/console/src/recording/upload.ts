import { api } from '../api';
import type { RecordingUpload } from './recorder';

/** The console's upload of one recording: the JSON calls through the API client, the chunks as raw bytes (same CSRF token). */
export function recordingUpload(customerId: string): RecordingUpload {
  let token: string | undefined;
  return {
    start: async () => (await api.call('startRecording', { body: { customerId } })).id,
    chunk: async (id, index, bytes) => {
      token ??= await api.csrf();
      const res = await fetch(`/api/recordings/${encodeURIComponent(id)}/chunks/${index}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': token },
        credentials: 'same-origin',
        body: bytes as Uint8Array<ArrayBuffer>,
      });
      if (!res.ok) throw new TypeError(`chunk ${index} was not stored (HTTP ${res.status})`);
    },
    finish: (id, chunks, stoppedBy) => api.call('finishRecording', { params: { id }, body: { chunks, stoppedBy } }),
  };
}
