// Secrets at rest: AES-256-GCM under a key from the environment, so a database dump or backup does not
// hand out the tokens in it. The row a value belongs to is authenticated too: a sealed value copied
// into another row does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const KEY_BYTES = 32;

const sealedSchema = z.object({ sealed: z.literal('aes-256-gcm'), iv: z.string(), tag: z.string(), data: z.string() });
export type Sealed = z.infer<typeof sealedSchema>;

export const isSealed = (value: unknown): value is Sealed => sealedSchema.safeParse(value).success;

export function seal(key: Buffer, row: string, plaintext: string): Sealed {
  // A fresh 96-bit nonce per value: GCM must never see the same (key, nonce) twice.
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(row));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { sealed: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The plaintext; throws when the key, the row or the value is not the one it was sealed with. */
export function unseal(key: Buffer, row: string, sealed: Sealed): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(row));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
