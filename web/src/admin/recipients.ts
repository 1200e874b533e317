// The console's recipients field: addresses one per line (or separated by commas, semicolons or
// spaces, as people paste them), empty entries dropped. Checked here with the admin API's own rule
// (contract/email-address.ts, MAX_ADMIN_RECIPIENTS), so a typo is named before anything is sent;
// the API checks each address again.
import { isEmailAddress } from '../../../contract/email-address.js';
import { MAX_ADMIN_RECIPIENTS } from '../../../contract/notifications.js';

export const parseRecipients = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);

/** What is wrong with the list, in words; null when the API will take it. */
export function recipientsProblem(recipients: readonly string[]): string | null {
  const bad = recipients.filter((address) => !isEmailAddress(address));
  if (bad.length) return `Not an e-mail address: ${bad.join(', ')}`;
  if (recipients.length > MAX_ADMIN_RECIPIENTS) return `At most ${MAX_ADMIN_RECIPIENTS} recipients (there are ${recipients.length}).`;
  return null;
}
