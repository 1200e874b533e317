// The console's recipients field: addresses one per line (or separated by commas, semicolons or
// spaces, as people paste them), empty entries dropped. The API checks each address.
export const parseRecipients = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
