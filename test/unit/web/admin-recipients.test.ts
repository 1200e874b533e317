import { describe, expect, it } from 'vitest';
import { parseRecipients } from '../../../web/src/admin/recipients.js';

describe('parseRecipients', () => {
  it('takes one address per line, or pasted lists, and drops empty entries', () => {
    expect(parseRecipients('ops@example.com\n\n  security@example.com  \n')).toEqual(['ops@example.com', 'security@example.com']);
    expect(parseRecipients('a@example.com, b@example.com; c@example.com')).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(parseRecipients('   ')).toEqual([]);
  });
});
