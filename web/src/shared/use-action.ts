// One button's call to the API as the pages show it: busy while it runs (its buttons disabled), the
// last message cleared when it starts, then either the page's ok text or the failure in words for
// people (failureText). A page shows `message` or `error` as it always has; validation and other
// messages of its own go through `setMessage`, so one message at a time is on screen.
import { useState } from 'preact/hooks';
import { failureText } from './api-client.js';

export interface ActionMessage {
  kind: 'ok' | 'error';
  text: string;
}

export interface ActionOptions {
  /** Shown when the work fails with anything but an ApiError (whose own message is shown). */
  fallback: string;
  /** Shown as an ok message when the work succeeds; without it the message stays cleared. */
  success?: string;
  /**
   * The page's own words for a failure it understands better than the API's message (a 404 on a file
   * row means the object left the bucket), or null to show the usual text.
   */
  explain?: (error: unknown) => string | null;
}

export interface ActionState {
  setBusy: (busy: boolean) => void;
  setMessage: (message: ActionMessage | null) => void;
}

/**
 * The steps of one action, apart from Preact so that their order can be tested. Never rejects: a
 * failure becomes the error message. The work's own updates (progress, callbacks after success) run
 * inside it, after the message was cleared and before the outcome is shown.
 */
export async function runAction(work: () => Promise<void>, options: ActionOptions, state: ActionState): Promise<void> {
  state.setBusy(true);
  state.setMessage(null);
  try {
    await work();
    if (options.success !== undefined) state.setMessage({ kind: 'ok', text: options.success });
  } catch (error) {
    state.setMessage({ kind: 'error', text: options.explain?.(error) ?? failureText(error, options.fallback) });
  } finally {
    state.setBusy(false);
  }
}

export interface Action {
  busy: boolean;
  message: ActionMessage | null;
  /** The message's text when it reports a failure, for pages that show only failures (ErrorAlert). */
  error: string | null;
  setMessage: (message: ActionMessage | null) => void;
  run: (work: () => Promise<void>, options: ActionOptions) => Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  return {
    busy,
    message,
    error: message?.kind === 'error' ? message.text : null,
    setMessage,
    run: (work, options) => runAction(work, options, { setBusy, setMessage }),
  };
}
