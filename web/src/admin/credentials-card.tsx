// The sign-in details for a customer, shown exactly once after creating a login or resetting its
// password: the server keeps no copy of the temporary password.
import type { LoginCredentials } from '../../../contract/api/admin.js';
import { CopyButton } from '../shared/copy-button.js';

export function CredentialsCard({ credentials, title }: { credentials: LoginCredentials; title: string }) {
  const rows: [string, string][] = [
    ['Portal URL', credentials.portalUrl],
    ['Username', credentials.email || credentials.username],
    ['Temporary password', credentials.temporaryPassword],
  ];
  return (
    <section class="card credentials" aria-labelledby="credentials-heading" role="status">
      <h2 id="credentials-heading">{title}</h2>
      <p class="banner banner-warn">
        <strong>This password won't be shown again.</strong> Copy it now and hand it to the customer; they choose their own password at first sign-in.
      </p>
      <dl class="credentials-list">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code class="secret">{value}</code> <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
            </dd>
          </div>
        ))}
      </dl>
      {credentials.invitationSent && <p>Cognito has also e-mailed an invitation to {credentials.email}.</p>}
    </section>
  );
}
