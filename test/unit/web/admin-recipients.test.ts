import { describe, expect, it } from 'vitest';
import { MAX_ADMIN_RECIPIENTS } from '../../../contract/notifications.js';
import { parseRecipients, recipientsProblem } from '../../../web/src/admin/recipients.js';

describe('parseRecipients', () => {
  it('takes one address per line, or pasted lists, and drops empty entries', () => {
    expect(parseRecipients('ops@example.com\n\n  security@example.com  \n')).toEqual(['ops@example.com', 'security@example.com']);
    expect(parseRecipients('a@example.com, b@example.com; c@example.com')).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(parseRecipients('   ')).toEqual([]);
  });
});

describe('recipientsProblem', () => {
  it('takes the addresses the admin API takes', () => {
    expect(recipientsProblem(['ops@example.com', 'Security@Example.com'])).toBeNull();
    expect(recipientsProblem([])).toBeNull();
  });

  it('names the entries that are not addresses', () => {
    expect(recipientsProblem(['ops@example.com', 'ops', 'x@localhost'])).toBe('Not an e-mail address: ops, x@localhost');
  });

  it(`refuses more than ${MAX_ADMIN_RECIPIENTS} recipients, as the API does`, () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `ops${i}@example.com`);
    expect(recipientsProblem(list(MAX_ADMIN_RECIPIENTS))).toBeNull();
    expect(recipientsProblem(list(MAX_ADMIN_RECIPIENTS + 1))).toContain(`At most ${MAX_ADMIN_RECIPIENTS} recipients`);
  });
});
