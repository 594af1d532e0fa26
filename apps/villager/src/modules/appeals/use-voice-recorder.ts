/**
 * Voice recording in the phone's browser (MediaRecorder). WeChat's browser on Android records
 * webm/opus, Firefox ogg/opus, iOS mp4/aac; the server accepts all three (checked by content).
 */
import { computed, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';

/** Longest recording: long enough to tell a story, short enough to upload on 4G. */
export const MAX_RECORDING_MS = 180_000;
/** Shorter than this is a slip of the finger, not a message. */
export const MIN_RECORDING_MS = 1_000;

/** Preferred formats, best first (the server takes webm, ogg, mp3, m4a, amr). */
const MIME_CANDIDATES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg', 'audio/mp4'];

/** A finished recording. */
export interface TRecording {
  blob: Blob;
  /** Object URL for playback on this phone. */
  url: string;
  mimeType: string;
  durationMs: number;
}

/** Why no recording could be made. */
export type TRecorderProblem =
  /** The browser has no MediaRecorder or microphone access (or the page is not on https). */
  | 'unsupported'
  /** The villager or the phone refused the microphone. */
  | 'denied'
  /** No microphone found, or another app is using it. */
  | 'noDevice'
  /** Anything else (the recording came back empty, the recorder failed). */
  | 'failed'
  /** Released too early to be a message. */
  | 'tooShort';

/** Recorder state. */
export type TRecorderState = 'idle' | 'starting' | 'recording';

/** File extension the server and a person would expect for a recorded type. */
export function extensionOf(mimeType: string): string {
  if (mimeType.includes('ogg')) return 'ogg';
  if (mimeType.includes('mp4') || mimeType.includes('aac')) return 'm4a';
  if (mimeType.includes('mpeg')) return 'mp3';
  return 'webm';
}

/** Whether this browser can record at all (checked before showing the record button as usable). */
export function canRecord(): boolean {
  return typeof window.MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

function pickMimeType(): string {
  for (const candidate of MIME_CANDIDATES) {
    try {
      if (MediaRecorder.isTypeSupported(candidate)) return candidate;
    } catch {
      // Some WebViews throw instead of answering; try the next one.
    }
  }
  return ''; // the browser's default
}

function problemOf(error: unknown): TRecorderProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'noDevice';
  if (name === 'NotSupportedError' || name === 'TypeError') return 'unsupported';
  return 'failed';
}

/** A recorder that hands each finished recording to `onRecorded`; the microphone is released after each take. */
export function useVoiceRecorder(onRecorded: (recording: TRecording) => void): {
  state: Readonly<Ref<TRecorderState>>;
  elapsedMs: Readonly<Ref<number>>;
  problem: ShallowRef<TRecorderProblem | null>;
  isSupported: ComputedRef<boolean>;
  start: () => Promise<void>;
  stop: () => void;
} {
  const state = ref<TRecorderState>('idle');
  const elapsedMs = ref(0);
  const problem = shallowRef<TRecorderProblem | null>(canRecord() ? null : 'unsupported');
  let recorder: MediaRecorder | null = null;
  let stream: MediaStream | null = null;
  let startedAt = 0;
  let ticker: number | undefined;
  /** Set when stop is asked for while the microphone is still being opened (a very short tap). */
  let isStopRequested = false;

  function release(): void {
    window.clearInterval(ticker);
    ticker = undefined;
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    recorder = null;
  }

  async function start(): Promise<void> {
    if (state.value !== 'idle') return;
    if (!canRecord()) {
      problem.value = 'unsupported';
      return;
    }
    problem.value = null;
    isStopRequested = false;
    state.value = 'starting';
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
    } catch (error) {
      state.value = 'idle';
      problem.value = problemOf(error);
      release();
      return;
    }
    if (isStopRequested) {
      state.value = 'idle';
      problem.value = 'tooShort';
      release();
      return;
    }
    const mimeType = pickMimeType();
    let current: MediaRecorder;
    try {
      current = mimeType ? new MediaRecorder(stream, { mimeType, audioBitsPerSecond: 32_000 }) : new MediaRecorder(stream);
    } catch (error) {
      state.value = 'idle';
      problem.value = problemOf(error);
      release();
      return;
    }
    recorder = current;
    const chunks: Blob[] = [];
    current.addEventListener('dataavailable', (event: BlobEvent) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    current.addEventListener('stop', () => {
      const durationMs = Date.now() - startedAt;
      const type = current.mimeType || mimeType || chunks[0]?.type || 'audio/webm';
      release();
      state.value = 'idle';
      const blob = new Blob(chunks, { type: type.split(';')[0] ?? type });
      if (durationMs < MIN_RECORDING_MS) problem.value = 'tooShort';
      else if (blob.size === 0) problem.value = 'failed';
      else onRecorded({ blob, url: URL.createObjectURL(blob), mimeType: blob.type, durationMs });
    });
    current.addEventListener('error', () => {
      problem.value = 'failed';
      if (current.state !== 'inactive') current.stop();
    });
    startedAt = Date.now();
    elapsedMs.value = 0;
    // A timeslice makes the browser hand over data as it goes, so a long take is not lost in one piece.
    current.start(1000);
    state.value = 'recording';
    ticker = window.setInterval(() => {
      elapsedMs.value = Date.now() - startedAt;
      if (elapsedMs.value >= MAX_RECORDING_MS) stop();
    }, 200);
  }

  function stop(): void {
    if (state.value === 'starting') {
      isStopRequested = true;
      return;
    }
    if (recorder && recorder.state !== 'inactive') {
      elapsedMs.value = Date.now() - startedAt;
      recorder.stop();
    }
  }

  // Leaving the page mid-take keeps what was said and lets go of the microphone.
  onScopeDispose(() => {
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    else release();
  });

  return { state, elapsedMs, problem, isSupported: computed(() => problem.value !== 'unsupported'), start, stop };
}

/** 65 000 ms → 1:05. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
