// Uploading into an endpoint from the console: the customer page's widget, loaded only when asked
// for (Uppy is most of the weight), sending `metadata.endpoint` so the API files it there.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EndpointDetail } from '../../../contract/api/admin.js';
import { UPLOADS_ROUTES, type MeResponse, type UploadSettings } from '../../../contract/api/uploads.js';
import { api, failureText } from '../shared/api-client.js';
import type { UploaderPanelProps } from '../shared/uploader-panel.js';
import { adminApi } from './api.js';
import { ErrorAlert } from '../shared/error-alert.js';

interface Loaded {
  Panel: FunctionComponent<UploaderPanelProps>;
  settings: UploadSettings;
  detail: EndpointDetail;
}

export function UploadIntoEndpoint({ endpoint, onFileUploaded }: { endpoint: string; onFileUploaded: () => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      import('../shared/uploader-panel.js'),
      import('../shared/uploader.js'),
      adminApi.getEndpoint(endpoint),
      // The upload API tells admins the upload settings for an endpoint they name; defaults otherwise.
      api.get<MeResponse>(UPLOADS_ROUTES.me.path, { query: { endpoint } }).catch(() => null),
    ]).then(
      ([panel, uploader, detail, me]) => {
        if (!cancelled) setLoaded({ Panel: panel.UploaderPanel, settings: me?.upload ?? uploader.DEFAULT_UPLOAD_SETTINGS, detail });
      },
      (e: unknown) => !cancelled && setError(failureText(e, 'The upload widget could not be loaded. Reload the page.')),
    );
    return () => {
      cancelled = true;
    };
  }, [endpoint]);

  return (
    <section class="card" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload into {endpoint}</h2>
      <ErrorAlert message={error} />
      {!loaded && !error && <p>Loading the uploader…</p>}
      {loaded && (
        <loaded.Panel
          id={`admin-${endpoint}`}
          settings={loaded.settings}
          limits={{ maxFileSizeBytes: loaded.detail.maxFileSizeBytes, allowedExtensions: loaded.detail.allowedExtensions }}
          meta={{ endpoint }}
          endpoint={endpoint}
          onFileUploaded={onFileUploaded}
          height={360}
        />
      )}
    </section>
  );
}
