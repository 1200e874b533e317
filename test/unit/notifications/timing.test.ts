import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, S3_MAX_KEY_BYTES } from '../../../contract/limits.js';
import {
  DIGEST_NAME_LIMIT,
  DIGEST_RECEIPT_NAME_LIMIT,
  DIGEST_RECEIPT_UPLOADER_LIMIT,
  NOTIFICATION_QUIET_MAX_SECONDS,
  SQS_MAX_VISIBILITY_SECONDS,
  WEBHOOK_LONGEST_PAUSE_SECONDS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_VISIBILITY_MARGIN_SECONDS,
  webhookBackoffSeconds,
  webhookPauseSeconds,
  webhookRetrySpanSeconds,
} from '../../../contract/notifications.js';
import { LAMBDA_ENV } from '../../../contract/lambda-env.js';
import { EMAIL_ADDRESS_MAX_CHARS } from '../../../contract/email-address.js';

describe('webhook retry timing', () => {
  it('grows from one minute and stays a margin below SQS\'s 12-hour visibility limit', () => {
    expect(webhookBackoffSeconds(1)).toBe(60);
    expect(webhookBackoffSeconds(2)).toBe(120);
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
      expect(webhookBackoffSeconds(attempt)).toBeGreaterThanOrEqual(webhookBackoffSeconds(Math.max(1, attempt - 1)));
      expect(webhookBackoffSeconds(attempt)).toBeLessThanOrEqual(SQS_MAX_VISIBILITY_SECONDS - WEBHOOK_VISIBILITY_MARGIN_SECONDS);
    }
  });

  it('sets a pause that ends within 12 h of the receive however long the message was held', () => {
    // Attempt 11 wants the longest pause; set a second after the receive it is a second shorter.
    expect(webhookPauseSeconds(11, 1)).toBe(WEBHOOK_LONGEST_PAUSE_SECONDS - 1);
    expect(webhookPauseSeconds(11, 0.2)).toBe(WEBHOOK_LONGEST_PAUSE_SECONDS - 1);
    expect(webhookPauseSeconds(1, 60)).toBe(60);
    expect(webhookPauseSeconds(11, SQS_MAX_VISIBILITY_SECONDS)).toBe(0);
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) {
      for (const held of [0, 1, 59.5, 300]) expect(held + webhookPauseSeconds(attempt, held)).toBeLessThanOrEqual(SQS_MAX_VISIBILITY_SECONDS - WEBHOOK_VISIBILITY_MARGIN_SECONDS);
    }
  });

  it('retries for at least 24 hours before the dead-letter queue', () => {
    expect(webhookRetrySpanSeconds()).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('spans what README says: the 11 pauses between 12 attempts, 1 minute doubling up to 12 hours less the margin', () => {
    expect(webhookRetrySpanSeconds()).toBe(60 + 120 + 240 + 480 + 960 + 1920 + 3840 + 7680 + 15_360 + 30_720 + 42_600);
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const hours = Math.round(webhookRetrySpanSeconds() / 3600);
    expect(readme).toContain(`${WEBHOOK_MAX_ATTEMPTS} attempts over about ${hours} hours (the ${WEBHOOK_MAX_ATTEMPTS - 1} pauses add up to ${webhookRetrySpanSeconds().toLocaleString('en-US')} s)`);
  });
});

describe('quiet period', () => {
  it('defaults to 5 minutes and is bounded by SQS DelaySeconds', () => {
    expect(LAMBDA_ENV.NOTIFICATION_QUIET_SECONDS.default).toBe(300);
    expect(LAMBDA_ENV.NOTIFICATION_QUIET_SECONDS.max).toBe(NOTIFICATION_QUIET_MAX_SECONDS);
    expect(NOTIFICATION_QUIET_MAX_SECONDS).toBe(900);
    expect(() => LAMBDA_ENV.NOTIFICATION_QUIET_SECONDS.parse('901')).toThrow(/0 to 900/);
  });
});

describe('pending digest item', () => {
  it('stays far below DynamoDB\'s 400 KB item limit at its fullest', () => {
    const entry = 30; // attribute names, sizes and DynamoDB's per-element overhead, generously
    const listed = 2 * DIGEST_NAME_LIMIT * (MAX_NAME_BYTES + S3_MAX_KEY_BYTES + entry); // names and names kept apart during a send
    const receipts = DIGEST_RECEIPT_UPLOADER_LIMIT * (EMAIL_ADDRESS_MAX_CHARS + entry + 2 * DIGEST_RECEIPT_NAME_LIMIT * (MAX_NAME_BYTES + entry));
    expect(listed + receipts).toBeLessThan(300 * 1024);
  });
});
