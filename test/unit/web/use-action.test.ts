import { describe, expect, it } from 'vitest';
import { ApiError, failureText } from '../../../web/src/shared/api-client.js';
import { runAction, type ActionMessage, type ActionOptions } from '../../../web/src/shared/use-action.js';

/** Runs one action against recorded state setters: every update in order, the work's steps among them. */
async function record(work: (log: unknown[]) => Promise<void>, options: ActionOptions) {
  const log: unknown[] = [];
  await runAction(() => work(log), options, {
    setBusy: (busy: boolean) => log.push({ busy }),
    setMessage: (message: ActionMessage | null) => log.push({ message }),
  });
  return log;
}

describe('failureText', () => {
  it("shows an ApiError's own message, and the page's words for anything else", () => {
    expect(failureText(new ApiError(409, 'conflict', 'Someone else changed this endpoint.'), 'fallback')).toBe('Someone else changed this endpoint.');
    expect(failureText(new TypeError('x is undefined'), 'The settings could not be saved.')).toBe('The settings could not be saved.');
    expect(failureText('not an error', 'fallback')).toBe('fallback');
  });

  it('knows an ApiError from another copy of the module by its name', () => {
    const foreign = Object.assign(new Error('Try again later.'), { name: 'ApiError' });
    expect(failureText(foreign, 'fallback')).toBe('Try again later.');
  });
});

describe('runAction', () => {
  it('marks busy and clears the last message before the work, shows the ok text after it, then ends busy', async () => {
    const log = await record(async (steps) => {
      steps.push('work starts');
      await Promise.resolve();
      steps.push('work ends');
    }, { fallback: 'failed', success: 'Settings saved.' });
    expect(log).toEqual([{ busy: true }, { message: null }, 'work starts', 'work ends', { message: { kind: 'ok', text: 'Settings saved.' } }, { busy: false }]);
  });

  it('leaves the message cleared after success when there is no ok text', async () => {
    const log = await record(async (steps) => void steps.push('work'), { fallback: 'failed' });
    expect(log).toEqual([{ busy: true }, { message: null }, 'work', { busy: false }]);
  });

  it("shows an ApiError's message instead of the ok text, and ends busy", async () => {
    const log = await record(
      async (steps) => {
        steps.push('progress 1');
        await Promise.resolve();
        throw new ApiError(503, 'directory_busy', 'The portal is busy; try again in a minute.');
      },
      { fallback: 'Reconcile stopped; run it again to go on.', success: 'never shown' },
    );
    expect(log).toEqual([{ busy: true }, { message: null }, 'progress 1', { message: { kind: 'error', text: 'The portal is busy; try again in a minute.' } }, { busy: false }]);
  });

  it('shows the fallback for a failure that is not an ApiError, without rejecting', async () => {
    const run = record(() => Promise.reject(new TypeError('boom')), { fallback: 'That did not work. Please try again.' });
    await expect(run).resolves.toEqual([{ busy: true }, { message: null }, { message: { kind: 'error', text: 'That did not work. Please try again.' } }, { busy: false }]);
  });

  it('shows the fallback when the work throws before its first await', async () => {
    const log = await record(() => {
      throw new Error('synchronous');
    }, { fallback: 'The endpoint could not be deleted.' });
    expect(log).toEqual([{ busy: true }, { message: null }, { message: { kind: 'error', text: 'The endpoint could not be deleted.' } }, { busy: false }]);
  });

  it("shows the page's own words for a failure it explains, and the usual text for the others", async () => {
    const gone = (error: unknown) => (error instanceof ApiError && error.status === 404 ? 'This file is no longer in the bucket.' : null);
    const options = { fallback: 'The file could not be deleted.', explain: gone };
    const notFound = await record(() => Promise.reject(new ApiError(404, 'file_not_found', 'Not found.')), options);
    expect(notFound).toEqual([{ busy: true }, { message: null }, { message: { kind: 'error', text: 'This file is no longer in the bucket.' } }, { busy: false }]);
    const busy = await record(() => Promise.reject(new ApiError(503, 'directory_busy', 'The portal is busy; try again in a minute.')), options);
    expect(busy).toContainEqual({ message: { kind: 'error', text: 'The portal is busy; try again in a minute.' } });
    const bug = await record(() => Promise.reject(new TypeError('boom')), options);
    expect(bug).toContainEqual({ message: { kind: 'error', text: 'The file could not be deleted.' } });
  });
});
