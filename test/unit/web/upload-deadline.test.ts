// The deadline the page shows for an unfinished upload: when it began plus the lifecycle rule's days,
// for multipart uploads not yet complete and of known start, soonest first.
import { describe, expect, it } from 'vitest';
import { deadlineText, resumeDeadline, STARTED_AT_META, uploadDeadlines, type DeadlineFile } from '../../../web/src/shared/upload-deadline.js';

const STARTED = '2026-12-04T10:30:00.000Z';
const file = (name: string, over: Partial<DeadlineFile> = {}): DeadlineFile => ({
  name,
  meta: { [STARTED_AT_META]: STARTED },
  progress: { uploadComplete: false },
  s3Multipart: { uploadId: `u-${name}` },
  ...over,
});

describe('resumeDeadline', () => {
  it('is the start plus the days', () => {
    expect(resumeDeadline(STARTED, 7)).toBe('2026-12-11T10:30:00.000Z');
    expect(resumeDeadline(STARTED, 1)).toBe('2026-12-05T10:30:00.000Z');
  });

  it('is null for a missing or unreadable start', () => {
    expect(resumeDeadline(undefined, 7)).toBeNull();
    expect(resumeDeadline('yesterday', 7)).toBeNull();
    expect(resumeDeadline(1_700_000_000_000, 7)).toBeNull();
  });
});

describe('uploadDeadlines', () => {
  it('lists unfinished multipart uploads of known start, soonest first', () => {
    const files = [
      file('later.bin', { meta: { [STARTED_AT_META]: '2026-12-05T00:00:00.000Z' } }),
      file('sooner.bin'),
      file('done.bin', { progress: { uploadComplete: true } }),
      file('small.txt', { s3Multipart: undefined }),
      file('unknown-start.bin', { meta: {} }),
    ];
    expect(uploadDeadlines(files, 7)).toEqual([
      { name: 'sooner.bin', until: '2026-12-11T10:30:00.000Z' },
      { name: 'later.bin', until: '2026-12-12T00:00:00.000Z' },
    ]);
  });
});

describe('deadlineText', () => {
  const options = { locale: 'en-GB', timeZone: 'UTC' };
  it('names the file, the date and how far off it is', () => {
    const now = Date.parse(STARTED);
    expect(deadlineText({ name: 'big.iso', until: '2026-12-11T10:30:00.000Z' }, now, options)).toBe('big.iso can be resumed until 11 Dec 2026, 10:30 (in 7 days)');
  });

  it('says "could be" once the deadline has passed', () => {
    const now = Date.parse('2026-12-14T10:30:00.000Z');
    expect(deadlineText({ name: 'big.iso', until: '2026-12-11T10:30:00.000Z' }, now, options)).toBe('big.iso could be resumed until 11 Dec 2026, 10:30 (3 days ago)');
  });
});
