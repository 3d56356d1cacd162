// Files and pictures go up with files.uploadV2 (files.getUploadURLExternal, the upload, then
// files.completeUploadExternal) into a conversation the person can read, all in one message.
import type { webApi } from '@slack/bolt';
import type { FileToUpload } from './render.js';

export async function uploadFiles(client: webApi.WebClient, token: string | undefined, channelId: string, files: FileToUpload[]): Promise<void> {
  if (!files.length) return;
  await client.filesUploadV2({
    ...(token ? { token } : {}),
    channel_id: channelId,
    file_uploads: files.map((file) =>
      typeof file.content === 'string'
        ? { filename: file.name, title: file.name, content: file.content }
        : // Pictures carry their description for screen readers (the numbers are in the message text too).
          { filename: file.name, title: file.name, file: Buffer.from(file.content), alt_text: file.alt },
    ),
  });
}

/** The direct-message channel between the bot and a user (conversations.open is idempotent). */
export async function openDm(client: webApi.WebClient, token: string | undefined, userId: string): Promise<string> {
  const opened = await client.conversations.open({ ...(token ? { token } : {}), users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}
