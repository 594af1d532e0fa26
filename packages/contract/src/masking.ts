/** Masking of personal data for public display (DESIGN §6). Runs on the server; the apps only show. */

/** 夏丽华 → 夏**; a single character stays as is. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/** 13812345678 → 138****5678; other lengths keep only the last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** ID-card or bank-account numbers: only the last 4 characters, ever. */
export function maskTail(value: string): string {
  const s = value.replace(/\s/g, '');
  return s.length <= 4 ? '****' : `****${s.slice(-4)}`;
}
