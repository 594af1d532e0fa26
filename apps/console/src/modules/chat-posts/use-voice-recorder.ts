import { onScopeDispose, ref } from 'vue';

/** Why recording could not start, each with its own advice to the user. */
export type TRecorderProblem = 'denied' | 'noMicrophone' | 'busy' | 'insecure' | 'unsupported' | 'failed';

/** Longest recording; a villager's voice message is seconds to a few minutes. */
export const RECORDING_MAX_SECONDS = 10 * 60;

/** Formats the server accepts, best first (Chrome/Firefox record webm or ogg, Safari mp4). */
const CANDIDATE_TYPES = [
  { mime: 'audio/webm;codecs=opus', type: 'audio/webm', ext: 'webm' },
  { mime: 'audio/webm', type: 'audio/webm', ext: 'webm' },
  { mime: 'audio/ogg;codecs=opus', type: 'audio/ogg', ext: 'ogg' },
  { mime: 'audio/mp4', type: 'audio/mp4', ext: 'm4a' },
] as const;

function problemOf(error: unknown): TRecorderProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'noMicrophone';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  return 'failed';
}

/** Record a voice message in the browser with MediaRecorder; `stop()` resolves with the file. */
export function useVoiceRecorder() {
  const state = ref<'idle' | 'requesting' | 'recording'>('idle');
  const problem = ref<TRecorderProblem | null>(null);
  const seconds = ref(0);
  let recorder: MediaRecorder | null = null;
  let stream: MediaStream | null = null;
  let chunks: Blob[] = [];
  let ticker: ReturnType<typeof setInterval> | null = null;
  let finish: ((file: File | null) => void) | null = null;
  let onAutoStop: ((file: File | null) => void) | null = null;

  function release(): void {
    if (ticker) clearInterval(ticker);
    ticker = null;
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    recorder = null;
    state.value = 'idle';
  }

  /** Ask for the microphone and start; `autoStopped` receives the file if the length limit ends it. */
  async function start(autoStopped: (file: File | null) => void): Promise<boolean> {
    problem.value = null;
    if (!window.isSecureContext) {
      problem.value = 'insecure';
      return false;
    }
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      problem.value = 'unsupported';
      return false;
    }
    const format = CANDIDATE_TYPES.find((c) => MediaRecorder.isTypeSupported(c.mime));
    if (!format) {
      problem.value = 'unsupported';
      return false;
    }
    state.value = 'requesting';
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      problem.value = problemOf(error);
      release();
      return false;
    }
    chunks = [];
    seconds.value = 0;
    onAutoStop = autoStopped;
    const current = new MediaRecorder(stream, { mimeType: format.mime });
    recorder = current;
    current.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    current.onstop = () => {
      const blob = new Blob(chunks, { type: format.type });
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const file = blob.size > 0 ? new File([blob], `voice-${stamp}.${format.ext}`, { type: format.type }) : null;
      chunks = [];
      release();
      const done = finish ?? onAutoStop;
      finish = null;
      onAutoStop = null;
      done?.(file);
    };
    current.start(1000);
    state.value = 'recording';
    ticker = setInterval(() => {
      seconds.value += 1;
      if (seconds.value >= RECORDING_MAX_SECONDS && current.state === 'recording') current.stop();
    }, 1000);
    return true;
  }

  /** Stop and get the recorded file (null when nothing was captured). */
  function stop(): Promise<File | null> {
    return new Promise((resolve) => {
      if (!recorder || recorder.state === 'inactive') {
        release();
        resolve(null);
        return;
      }
      finish = resolve;
      recorder.stop();
    });
  }

  /** Throw the recording away (leaving the page, cancelling). */
  function cancel(): void {
    finish = () => undefined;
    onAutoStop = null;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    else release();
  }

  onScopeDispose(cancel);

  return { state, problem, seconds, start, stop, cancel };
}
