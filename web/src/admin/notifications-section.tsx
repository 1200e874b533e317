// An endpoint's notifications: who gets the digest of arrivals and the infected-file alerts, whether the
// uploader gets a receipt, and a signed webhook. A new signing secret is shown here once, right after
// the call that made it: the API never answers it again.
import { useEffect, useState } from 'preact/hooks';
import type { NotificationSettings, NotificationSettingsResult, PatchNotificationsRequest } from '../../../contract/api/admin.js';
import { failureText } from '../shared/api-client.js';
import { CopyButton } from '../shared/copy-button.js';
import { formatDateTime } from '../shared/format.js';
import { useAction } from '../shared/use-action.js';
import { adminApi } from './api.js';
import { parseRecipients, recipientsProblem } from './recipients.js';

export function NotificationsSection({ endpoint }: { endpoint: string }) {
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [recipients, setRecipients] = useState('');
  const [receipt, setReceipt] = useState(false);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, message, setMessage, run } = useAction();

  const show = (next: NotificationSettings) => {
    setSettings(next);
    setRecipients(next.adminRecipients.join('\n'));
    setReceipt(next.customerReceipt);
    setWebhookUrl(next.webhook?.url ?? '');
  };

  useEffect(() => {
    adminApi.getNotifications(endpoint).then(show, (e: unknown) => setMessage({ kind: 'error', text: failureText(e, 'Could not load the notification settings.') }));
  }, [endpoint]);

  const send = (call: () => Promise<NotificationSettingsResult>, done: string) =>
    run(
      async () => {
        const result = await call();
        show(result);
        setSecret(result.webhookSecret);
      },
      { success: done, fallback: 'Saving failed; try again.' },
    );

  const save = (event: Event) => {
    event.preventDefault();
    const adminRecipients = parseRecipients(recipients);
    const problem = recipientsProblem(adminRecipients);
    if (problem) {
      setMessage({ kind: 'error', text: problem });
      return;
    }
    const body: PatchNotificationsRequest = { adminRecipients, customerReceipt: receipt, webhookUrl: webhookUrl.trim() || null };
    void send(() => adminApi.patchNotifications(endpoint, body), 'Notification settings saved.');
  };
  const rotate = () => void send(() => adminApi.rotateWebhookSecret(endpoint), 'A new signing secret was made; the old one no longer signs.');

  return (
    <section class="card" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      {settings && !settings.emailEnabled && (
        <p class="hint" role="note">
          This deployment has no sender address (config notificationSender): no e-mail is sent; webhooks still are.
        </p>
      )}
      {/* The form only once the stored settings are in: typing into it earlier would be overwritten by them. */}
      <p class="hint">Arrivals are gathered into one message a few minutes after the last file of a burst. Infected files are alerted at once.</p>
      {!settings && !message && <p>Loading…</p>}
      {settings && (
        <form onSubmit={save} noValidate>
          <label for="notify-recipients">Admin recipients (one e-mail address per line)</label>
          <textarea id="notify-recipients" rows={3} value={recipients} onInput={(e) => setRecipients((e.target as HTMLTextAreaElement).value)} />
          <label class="checkbox">
            <input type="checkbox" checked={receipt} onChange={(e) => setReceipt((e.target as HTMLInputElement).checked)} /> E-mail the customer a receipt of what arrived
          </label>
          <label for="notify-webhook">Webhook URL (https; empty for none)</label>
          <input id="notify-webhook" type="url" value={webhookUrl} onInput={(e) => setWebhookUrl((e.target as HTMLInputElement).value)} placeholder="https://hooks.example.com/portal" />
          {settings?.webhook && <p class="hint">Signing secret made {formatDateTime(settings.webhook.secretCreatedAt)}.</p>}
          <div class="actions">
            <button type="submit" disabled={busy}>
              Save notifications
            </button>
            {settings?.webhook && (
              <button type="button" class="button-secondary" disabled={busy} onClick={rotate}>
                Rotate signing secret
              </button>
            )}
          </div>
        </form>
      )}
      {secret && (
        <div class="credentials" role="status" aria-label="Webhook signing secret">
          <p>
            <strong>Signing secret (shown once):</strong> <code>{secret}</code> <CopyButton value={secret} label="Copy the signing secret" />
          </p>
          <p class="hint">Give it to the receiver now: it verifies each webhook with it (README "Notifications"). It is not shown again.</p>
        </div>
      )}
      {message && (
        <p class={message.kind === 'ok' ? 'ok-text' : 'error-text'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
