// Links from e-mails into the web app. Each opens a page that shows something and offers the action; a GET on a
// link never decides anything (mail scanners fetch links). A signed-out visitor goes through sign-in and comes back
// to the link's page (src/auth/return-path.ts).
export interface AppLinks {
  /** The booking among the person's bookings. */
  booking(bookingId: number): string;
  /** The request, highlighted on the approvals page, where a manager approves or declines it. */
  approval(bookingId: number): string;
  approvals(): string;
  profile(): string;
}

/** Links under PUBLIC_URL (an absolute http(s) URL without query or fragment, validated by src/config.ts). */
export function appLinks(publicUrl: string): AppLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    booking: (id) => `${base}/bookings?booking=${encodeURIComponent(String(id))}`,
    approval: (id) => `${base}/approvals?booking=${encodeURIComponent(String(id))}`,
    approvals: () => `${base}/approvals`,
    profile: () => `${base}/profile`,
  };
}
