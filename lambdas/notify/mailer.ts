// Sending one e-mail: SES v2 SendEmail from the deployment's verified identity (NOTIFICATION_SENDER),
// or aws-ses-v2-local in the local portal (SES_ENDPOINT). Without a sender, e-mail is off. No
// FromEmailAddressIdentityArn: that is for sending authorization (an identity another account owns),
// and the sender is an identity of the stack's own account, which SES finds from the address.
import type { SESv2Client } from '@aws-sdk/client-sesv2';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  /** Answers SES's message id. */
  send(mail: Mail): Promise<string>;
}

type Sdk = typeof import('@aws-sdk/client-sesv2');

export function sesMailer(env: { readonly NOTIFICATION_SENDER: string; readonly SES_ENDPOINT?: string | undefined }): Mailer {
  let loaded: Promise<{ client: SESv2Client; sdk: Sdk }> | undefined;
  const ses = () => (loaded ??= import('@aws-sdk/client-sesv2').then((sdk) => ({ sdk, client: new sdk.SESv2Client(env.SES_ENDPOINT ? { endpoint: env.SES_ENDPOINT } : {}) })));
  return {
    async send(mail) {
      const { client, sdk } = await ses();
      const result = await client.send(
        new sdk.SendEmailCommand({
          FromEmailAddress: env.NOTIFICATION_SENDER,
          Destination: { ToAddresses: mail.to },
          Content: { Simple: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: mail.text, Charset: 'UTF-8' } } } },
        }),
      );
      return result.MessageId ?? '';
    },
  };
}
