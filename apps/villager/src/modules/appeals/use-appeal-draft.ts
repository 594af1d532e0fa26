/**
 * The appeal being written (我要反映). One draft per phone and user, kept while he moves around the
 * app, with one idempotency key for its whole life: a double tap, a retry after a lost answer or a
 * retry of the photo upload all land on the same appeal.
 */
import { computed, reactive, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import type { UploaderFileListItem } from 'vant';
import { APPEAL_LIMITS, type TSubmitAppealRequest } from '@cunwu/contract';
import { isApiError, type TFieldError } from '@/api/http';
import { i18n } from '@/i18n';
import { useSession } from '@/modules/auth/use-session';
import { submitAppeal, uploadAppealFiles, type TAppealUpload, type TSubmitAppealResponse } from './api';
import { extensionOf, type TRecording } from './use-voice-recorder';

/** Photos per appeal: nine files in all, one of them may be the recording. */
export const MAX_PHOTOS = APPEAL_LIMITS.filesMax - 1;
/** Shortest text the server takes. */
export const CONTENT_MIN = 5;
/**
 * Text of an appeal told only by voice. The server requires some text; this says honestly that the
 * message is in the recording (nothing is transcribed by machine). Stored in Chinese: officials read it.
 */
export const VOICE_ONLY_CONTENT = '（语音反映，请收听录音）';

/** What the villager typed and chose. */
export interface TDraftFields {
  category: string;
  content: string;
  transcript: string;
  isPublic: boolean;
}

/** Where submitting stopped, so the page can say what happened and what a retry will do. */
export type TSubmitOutcome =
  | { ok: true; result: TSubmitAppealResponse }
  /** Nothing was filed (or it is unknown whether it was; a retry is safe either way). */
  | { ok: false; stage: 'create'; message: string; fieldErrors: TFieldError[] }
  /** The appeal is filed, but the photos or the recording did not arrive. */
  | { ok: false; stage: 'upload'; message: string; result: TSubmitAppealResponse };

/** A random key for the Idempotency-Key header; `crypto.randomUUID` needs https, getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function messageOf(error: unknown): string {
  if (!isApiError(error)) return i18n.global.t('common.unknownError');
  return error.fieldErrors[0]?.reason ?? error.message;
}

const { me } = useSession();

const fields = reactive<TDraftFields>({ category: '', content: '', transcript: '', isPublic: true });
const photos = ref<UploaderFileListItem[]>([]);
const voice = shallowRef<TRecording | null>(null);
const isSubmitting = ref(false);
/** Filed on the server (the files may still be missing). */
const filed = shallowRef<TSubmitAppealResponse | null>(null);
let isUploaded = false;
let idempotencyKey = newIdempotencyKey();
let ownerId: string | null = null;
/** The last appeal filed from this phone, for the success page (its similar appeals are known only here). */
const lastSubmitted = shallowRef<TSubmitAppealResponse | null>(null);

function revokePhotoUrl(item: UploaderFileListItem): void {
  if (item.url?.startsWith('blob:')) URL.revokeObjectURL(item.url);
}

/** Forget the recording (re-record or delete). */
function clearVoice(): void {
  if (voice.value) URL.revokeObjectURL(voice.value.url);
  voice.value = null;
}

/** Start a new draft with a new key. */
function resetDraft(): void {
  Object.assign(fields, { category: '', content: '', transcript: '', isPublic: true });
  photos.value.forEach(revokePhotoUrl);
  photos.value = [];
  clearVoice();
  filed.value = null;
  isUploaded = false;
  idempotencyKey = newIdempotencyKey();
}

/** A phone may change hands: another user's draft is never shown. */
function ensureOwner(): void {
  const userId = me.value?.user.id ?? null;
  if (ownerId !== null && ownerId !== userId) {
    resetDraft();
    lastSubmitted.value = null;
  }
  ownerId = userId;
}

function uploadsOf(): TAppealUpload[] {
  const uploads: TAppealUpload[] = [];
  if (voice.value) uploads.push({ kind: 'voice', blob: voice.value.blob, fileName: `voice.${extensionOf(voice.value.mimeType)}` });
  photos.value.forEach((item, i) => {
    if (item.file) uploads.push({ kind: 'photo', blob: item.file, fileName: item.file.name || `photo-${i + 1}.jpg` });
  });
  return uploads;
}

/** The request body from the fields; a voice-only appeal gets the honest placeholder text. */
function requestOf(villageCode: string): TSubmitAppealRequest {
  const content = fields.content.trim();
  const transcript = fields.transcript.trim();
  return {
    villageCode,
    category: fields.category,
    content: content === '' && voice.value ? VOICE_ONLY_CONTENT : content,
    ...(transcript !== '' && voice.value ? { transcript } : {}),
    isPublic: fields.isPublic,
  };
}

/**
 * File the appeal, then attach its files. Each stage that succeeded is remembered, so a retry after
 * a failed upload only uploads.
 */
async function submit(villageCode: string): Promise<TSubmitOutcome> {
  if (isSubmitting.value) return { ok: false, stage: 'create', message: '', fieldErrors: [] };
  isSubmitting.value = true;
  try {
    if (filed.value === null) {
      try {
        filed.value = await submitAppeal(requestOf(villageCode), idempotencyKey);
      } catch (error) {
        return { ok: false, stage: 'create', message: messageOf(error), fieldErrors: isApiError(error) ? error.fieldErrors : [] };
      }
    }
    const result = filed.value;
    const uploads = uploadsOf();
    if (!isUploaded && uploads.length > 0) {
      try {
        await uploadAppealFiles(result.id, uploads);
        isUploaded = true;
      } catch (error) {
        return { ok: false, stage: 'upload', message: messageOf(error), result };
      }
    }
    lastSubmitted.value = result;
    resetDraft();
    return { ok: true, result };
  } finally {
    isSubmitting.value = false;
  }
}

/** Give up on the files of an appeal already filed (the villager chose to go on without them). */
function finishWithoutFiles(): TSubmitAppealResponse | null {
  const result = filed.value;
  if (result === null) return null;
  lastSubmitted.value = result;
  resetDraft();
  return result;
}

/** The shared draft of the logged-in villager. */
export function useAppealDraft(): {
  fields: TDraftFields;
  photos: Ref<UploaderFileListItem[]>;
  voice: ShallowRef<TRecording | null>;
  filed: ShallowRef<TSubmitAppealResponse | null>;
  isSubmitting: Ref<boolean>;
  hasContent: ComputedRef<boolean>;
  lastSubmitted: ShallowRef<TSubmitAppealResponse | null>;
  setVoice: (recording: TRecording) => void;
  clearVoice: () => void;
  removePhoto: (item: UploaderFileListItem) => void;
  submit: (villageCode: string) => Promise<TSubmitOutcome>;
  finishWithoutFiles: () => TSubmitAppealResponse | null;
  resetDraft: () => void;
} {
  ensureOwner();
  return {
    fields,
    photos,
    voice,
    filed,
    isSubmitting,
    hasContent: computed(() => fields.content.trim().length >= CONTENT_MIN || voice.value !== null),
    lastSubmitted,
    setVoice: (recording) => {
      clearVoice();
      voice.value = recording;
    },
    clearVoice,
    removePhoto: revokePhotoUrl,
    submit,
    finishWithoutFiles,
    resetDraft,
  };
}
