import type { TChatPost, TChatPostFields } from '@cunwu/contract';
import { http } from '@/api/http';

/** A page of registered chat posts. */
export interface TChatPostPage {
  items: TChatPost[];
  nextCursor: string | null;
}

/** Files of a registration, by the multipart field name the server expects. */
export interface TChatPostFiles {
  voice: File | null;
  photos: File[];
  screenshots: File[];
}

/**
 * `POST /chat-posts` (multipart): the fields first, so the server can refuse bad input before it
 * reads megabytes of files, then each file under `voice`, `photo` or `screenshot`.
 */
export function registerChatPost(fields: TChatPostFields, files: TChatPostFiles): Promise<TChatPost> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, String(value));
  if (files.voice) form.append('voice', files.voice, files.voice.name);
  for (const file of files.photos) form.append('photo', file, file.name);
  for (const file of files.screenshots) form.append('screenshot', file, file.name);
  return http.post<TChatPost>('/chat-posts', form);
}

/** `GET /chat-posts?region=`: registered posts of a region, newest first. */
export function findChatPosts(region: string, cursor: string | undefined, limit: number, signal?: AbortSignal): Promise<TChatPostPage> {
  return http.get<TChatPostPage>('/chat-posts', { region, cursor, limit }, { signal });
}

/** `GET /chat-posts/{id}`: one post. */
export function fetchChatPost(id: string, signal?: AbortSignal): Promise<TChatPost> {
  return http.get<TChatPost>(`/chat-posts/${encodeURIComponent(id)}`, undefined, { signal });
}

/** `PATCH /chat-posts/{id}`: set the cleaned-up text; the original never changes. */
export function updateChatPost(id: string, editedText: string | null): Promise<TChatPost> {
  return http.patch<TChatPost>(`/chat-posts/${encodeURIComponent(id)}`, { editedText });
}
