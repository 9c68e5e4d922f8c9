/**
 * Random ids for chats, turns, attachments and usage records, shaped like a version 4 UUID.
 * They only need to be unique, not secret, so Math.random serves: loading node:crypto (or
 * touching the global WebCrypto object) would cost activation 4-7 ms, and the chat makes its
 * first id while the extension activates.
 */
export function randomId(): string {
  const hex = (digits: number) => {
    let out = '';
    while (out.length < digits) out += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, digits);
  };
  const variant = '89ab'[Math.floor(Math.random() * 4)];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
