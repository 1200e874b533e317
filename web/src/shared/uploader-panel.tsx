// The upload widget as a Preact component: Uppy's Dashboard plus a total progress line with speed
// and time left across all files, and announcements for screen readers at milestones only.
import type { Meta, UppyEventMap } from '@uppy/core';
import { Component, type RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { onSessionExpired } from './api-client.js';
import { formatBytes, formatDuration, formatSpeed } from './format.js';
import { secondsLeft, summarizeProgress, ThroughputMeter, type ProgressSummary } from './progress-meter.js';
import type { UploadSettings } from '../../../contract/api/uploads.js';
import { createUploader, type UploadBody, type UploadLimits } from './uploader.js';

export interface UploaderPanelProps {
  id: string;
  settings: UploadSettings;
  limits: UploadLimits;
  meta?: Record<string, string>;
  /** Called after each file completes (e.g. to refresh the list of received files). */
  onFileUploaded?: () => void;
  height?: number;
}

interface Totals {
  summary: ProgressSummary;
  speed: number;
  uploading: boolean;
  paused: boolean;
  failed: number;
}

/** Uppy renders into this element itself, so Preact must never re-render its children. */
class DashboardHost extends Component<{ hostRef: RefObject<HTMLDivElement> }> {
  override shouldComponentUpdate() {
    return false;
  }
  override render() {
    return <div ref={this.props.hostRef} class="uploader-dashboard" />;
  }
}

export function UploaderPanel(props: UploaderPanelProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [totals, setTotals] = useState<Totals | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const onUploaded = useRef(props.onFileUploaded);
  onUploaded.current = props.onFileUploaded;

  useEffect(() => {
    if (!hostRef.current) return undefined;
    const { uppy, destroy } = createUploader({ id: props.id, target: hostRef.current, settings: props.settings, limits: props.limits, meta: props.meta, height: props.height });
    const meter = new ThroughputMeter();
    const refresh = () => {
      const files = uppy.getFiles();
      const summary = summarizeProgress(
        files.map((f) => ({
          bytesUploaded: f.progress.bytesUploaded || 0,
          bytesTotal: f.size ?? (typeof f.progress.bytesTotal === 'number' ? f.progress.bytesTotal : 0),
          complete: Boolean(f.progress.uploadComplete),
          paused: Boolean(f.isPaused),
          failed: Boolean(f.error),
        })),
      );
      const uploading = files.some((f) => f.progress.uploadStarted && !f.progress.uploadComplete && !f.error && !f.isPaused);
      const speed = uploading ? meter.sample(Date.now(), summary.bytesUploaded) : (meter.reset(), 0);
      setTotals(files.length ? { summary, speed, uploading, paused: files.some((f) => f.isPaused && !f.progress.uploadComplete), failed: files.filter((f) => f.error).length } : null);
    };
    const timer = setInterval(refresh, 1000);
    const onSuccess = () => {
      refresh();
      onUploaded.current?.();
    };
    const onComplete: UppyEventMap<Meta, UploadBody>['complete'] = (result) => {
      const ok = result.successful?.length ?? 0;
      const failed = result.failed?.length ?? 0;
      setAnnouncement(failed ? `${ok} file${ok === 1 ? '' : 's'} sent, ${failed} failed.` : `All ${ok} file${ok === 1 ? '' : 's'} sent.`);
      refresh();
    };
    const onUpload = () => setAnnouncement('Upload started.');
    uppy.on('upload-success', onSuccess);
    uppy.on('complete', onComplete);
    uppy.on('upload', onUpload);
    uppy.on('file-added', refresh);
    uppy.on('file-removed', refresh);
    // A lapsed session: stop asking the API (every call would be a 401) until the person signs in
    // again; Golden Retriever brings the uploads back after the reload.
    const stopListening = onSessionExpired(() => uppy.pauseAll());
    return () => {
      clearInterval(timer);
      stopListening();
      destroy();
    };
    // The widget is created once per mount; settings do not change during a page's life.
  }, []);

  return (
    <div class="uploader">
      <DashboardHost hostRef={hostRef} />
      {totals && <TotalLine totals={totals} />}
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function TotalLine({ totals }: { totals: Totals }) {
  const { summary, speed } = totals;
  const percent = summary.bytesTotal ? Math.floor((summary.bytesUploaded / summary.bytesTotal) * 100) : 0;
  const left = secondsLeft(summary, speed);
  const parts = [
    `${summary.filesDone} of ${summary.filesTotal} file${summary.filesTotal === 1 ? '' : 's'}`,
    `${formatBytes(summary.bytesUploaded)} of ${formatBytes(summary.bytesTotal)} (${percent}%)`,
  ];
  if (totals.uploading && speed > 0) parts.push(formatSpeed(speed));
  if (totals.uploading && left !== null && left > 0) parts.push(`about ${formatDuration(left)} left`);
  if (totals.paused && !totals.uploading) parts.push('paused');
  if (totals.failed) parts.push(`${totals.failed} failed`);
  return (
    <div class="total-progress">
      <label>
        <span class="visually-hidden">Total progress</span>
        <progress max={100} value={percent} />
      </label>
      <p class="total-line" data-testid="total-progress">
        Total: {parts.join(' · ')}
      </p>
    </div>
  );
}
