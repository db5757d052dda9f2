// The short reference people quote for a booking ("LS-3K7Q"), in every e-mail and in the web app. It is the booking
// id in Crockford's base 32 (digits and capitals without I, L, O, U, so nobody misreads 0/O or 1/I over the phone),
// at least four characters. No imports: the web app uses this file too.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function bookingReference(bookingId: number | string): string {
  let n = BigInt(bookingId);
  let code = '';
  do {
    code = ALPHABET[Number(n % 32n)] + code;
    n /= 32n;
  } while (n > 0n);
  return `LS-${code.padStart(4, '0')}`;
}

