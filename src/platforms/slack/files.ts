// Files too big to show inline go up with files.uploadV2 into a conversation the person can read.
import type { webApi } from '@slack/bolt';
import type { FileToUpload } from './render.js';

export async function uploadFiles(client: webApi.WebClient, token: string | undefined, channelId: string, files: FileToUpload[]): Promise<void> {
  for (const file of files) {
    await client.filesUploadV2({ ...(token ? { token } : {}), channel_id: channelId, filename: file.name, title: file.name, content: file.content });
  }
}

/** The direct-message channel between the bot and a user (conversations.open is idempotent). */
export async function openDm(client: webApi.WebClient, token: string | undefined, userId: string): Promise<string> {
  const opened = await client.conversations.open({ ...(token ? { token } : {}), users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}
