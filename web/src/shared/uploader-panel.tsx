// The upload widget as a Preact component: Uppy's Dashboard plus a total progress line with speed
// and time left across all files, announcements for screen readers at milestones only, the "Resume N
// uploads" button after a reload (file-handles.ts), the files a resume refused as different files, the
// files waiting for another upload to finish (upload-slots.ts), and until when each unfinished upload
// can be resumed (upload-deadline.ts).
import type { Meta, UppyEventMap } from '@uppy/core';
import { Component, type RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { onSessionExpired } from './api-client.js';
import { formatBytes, formatDuration, formatSpeed } from './format.js';
import { secondsLeft, summarizeProgress, ThroughputMeter, type ProgressSummary } from './progress-meter.js';
import type { UploadSettings } from '../../../contract/api/uploads.js';
import type { FileReceipt } from '../../../contract/checksums.js';
import type { FileHandleResume } from './file-handles.js';
import { isDifferentFileError } from './stored-part-check.js';
import { deadlineText, uploadDeadlines, type DeadlineFile, type UploadDeadline } from './upload-deadline.js';
import { WAITING_FOR_SLOT } from './upload-slots.js';
import { UnfinishedUploads } from './unfinished-uploads.js';
import { createUploader, type UploadBody, type UploadLimits } from './uploader.js';

export interface UploaderPanelProps {
  id: string;
  settings: UploadSettings;
  limits: UploadLimits;
  meta?: Record<string, string>;
  /** The endpoint the files go to (named in each receipt). */
  endpoint: string;
  /** Called after each file completes (e.g. to refresh the list of received files). */
  onFileUploaded?: () => void;
  /** Each stored file's receipt. */
  onFileStored?: (receipt: FileReceipt) => void;
  height?: number;
}

interface Totals {
  summary: ProgressSummary;
  speed: number;
  uploading: boolean;
  paused: boolean;
  /** Files paused until another upload ends (not by the person). */
  waiting: number;
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
  const [handles, setHandles] = useState<FileHandleResume | null>(null);
  const [refusals, setRefusals] = useState<Map<string, string>>(new Map());
  const [deadlines, setDeadlines] = useState<UploadDeadline[]>([]);
  const [waiting, setWaiting] = useState<string[]>([]);
  /** Upload ids the widget holds, and a counter that asks the unfinished-uploads list to look again. */
  const [known, setKnown] = useState<string[]>([]);
  const [openVersion, setOpenVersion] = useState(0);
  const onUploaded = useRef(props.onFileUploaded);
  onUploaded.current = props.onFileUploaded;
  const onStored = useRef(props.onFileStored);
  onStored.current = props.onFileStored;

  useEffect(() => {
    if (!hostRef.current) return undefined;
    const { uppy, handles, slots, destroy } = createUploader({
      id: props.id,
      target: hostRef.current,
      settings: props.settings,
      limits: props.limits,
      meta: props.meta,
      height: props.height,
      endpoint: props.endpoint,
      onFileStored: (receipt) => onStored.current?.(receipt),
    });
    setHandles(handles);
    const meter = new ThroughputMeter();
    let wasWaiting = false;
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
      const waitingFiles = slots.waiting();
      const waitingIds = new Set(waitingFiles.map((f) => f.id));
      // Uppy's file type does not declare `s3Multipart`, where @uppy/aws-s3 keeps the upload's ids; DeadlineFile does.
      const multipartFiles: readonly DeadlineFile[] = files;
      setDeadlines(uploadDeadlines(multipartFiles, props.settings.incompleteUploadDays));
      // A file had to wait for a place: the list may show uploads that hold places for nothing.
      if (waitingFiles.length > 0 && !wasWaiting) setOpenVersion((v) => v + 1);
      wasWaiting = waitingFiles.length > 0;
      setWaiting(waitingFiles.map((f) => f.name));
      setKnown(multipartFiles.flatMap((f) => (f.s3Multipart?.uploadId ? [f.s3Multipart.uploadId] : [])));
      setTotals(
        files.length
          ? {
              summary,
              speed,
              uploading,
              paused: files.some((f) => f.isPaused && !f.progress.uploadComplete && !waitingIds.has(f.id)),
              waiting: waitingIds.size,
              failed: files.filter((f) => f.error).length,
            }
          : null,
      );
    };
    const timer = setInterval(refresh, 1000);
    const settle = (fileId: string) => setRefusals((current) => (current.has(fileId) ? new Map([...current].filter(([id]) => id !== fileId)) : current));
    const onSuccess: UppyEventMap<Meta, UploadBody>['upload-success'] = (file) => {
      if (file) settle(file.id);
      refresh();
      onUploaded.current?.();
    };
    // A resume refused because the file is not the one the upload began with: said plainly, until it goes.
    const onError: UppyEventMap<Meta, UploadBody>['upload-error'] = (file, error) => {
      if (file && isDifferentFileError(error)) setRefusals((current) => new Map(current).set(file.id, error.message));
    };
    const onRemoved: UppyEventMap<Meta, UploadBody>['file-removed'] = (file) => {
      if (file) settle(file.id);
      refresh();
    };
    const onComplete: UppyEventMap<Meta, UploadBody>['complete'] = (result) => {
      const ok = result.successful?.length ?? 0;
      const failed = result.failed?.length ?? 0;
      setAnnouncement(failed ? `${ok} file${ok === 1 ? '' : 's'} sent, ${failed} failed.` : `All ${ok} file${ok === 1 ? '' : 's'} sent.`);
      refresh();
      // A failed upload may stay open on S3: look again. A batch that all went through changed nothing
      // the list shows, and asking anyway would cost every upload one more request.
      if (failed > 0) setOpenVersion((v) => v + 1);
    };
    const onUpload = () => setAnnouncement('Upload started.');
    uppy.on('upload-success', onSuccess);
    uppy.on('upload-error', onError);
    uppy.on('complete', onComplete);
    uppy.on('upload', onUpload);
    uppy.on('file-added', refresh);
    uppy.on('file-removed', onRemoved);
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
      {handles && <ResumeFromHandles handles={handles} />}
      {refusals.size > 0 && (
        <div class="banner banner-error" role="alert" data-testid="different-file">
          {[...refusals].map(([id, message]) => (
            <p key={id}>{message}</p>
          ))}
        </div>
      )}
      <DashboardHost hostRef={hostRef} />
      {totals && <TotalLine totals={totals} />}
      {waiting.length > 0 && (
        <ul class="waiting-uploads" data-testid="waiting-uploads">
          {waiting.map((name, i) => (
            <li key={`${name}-${i}`}>
              {name}: {WAITING_FOR_SLOT}, then it starts by itself
            </li>
          ))}
        </ul>
      )}
      {deadlines.length > 0 && <ResumeDeadlines deadlines={deadlines} />}
      <UnfinishedUploads known={known} endpoint={props.meta?.endpoint} version={openVersion} />
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
  if (totals.waiting) parts.push(`${totals.waiting} ${WAITING_FOR_SLOT}`);
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

/** Unfinished uploads stay on S3 for a while, not for ever: said before the parts are gone. */
function ResumeDeadlines({ deadlines }: { deadlines: UploadDeadline[] }) {
  const now = Date.now();
  return (
    <ul class="resume-deadlines" data-testid="resume-deadlines">
      {deadlines.map((deadline) => (
        <li key={`${deadline.name}-${deadline.until}`}>{deadlineText(deadline, now)}</li>
      ))}
    </ul>
  );
}

/** After a reload: the uploads whose files can come back from kept handles, with one click. */
function ResumeFromHandles({ handles }: { handles: FileHandleResume }) {
  const [restorable, setRestorable] = useState(handles.restorable);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<string[]>([]);
  useEffect(() => handles.subscribe(setRestorable), [handles]);
  if (restorable === 0 && refused.length === 0) return null;
  const resume = async () => {
    setBusy(true);
    try {
      setRefused((await handles.resume()).refused);
    } finally {
      setBusy(false);
    }
  };
  const uploads = `${restorable} upload${restorable === 1 ? '' : 's'}`;
  return (
    <div class="banner banner-warn" role="status">
      {restorable > 0 && (
        <>
          <p>{uploads} can continue where {restorable === 1 ? 'it' : 'they'} stopped, without choosing the files again. Your browser asks once for permission to read them.</p>
          <button type="button" onClick={resume} disabled={busy}>
            Resume {uploads}
          </button>
        </>
      )}
      {refused.length > 0 && <p>Choose these files again to continue: {refused.join(', ')}.</p>}
    </div>
  );
}
