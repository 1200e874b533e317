// What the uploads Lambda counts. The core sees only this interface (tests record it); the handler
// backs it with Powertools Metrics (CloudWatch EMF), flushed once per request.
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';

export type UploadMetricName =
  | 'UploadsCreated'
  | 'SmallUploadsPresigned'
  | 'UploadsCompleted'
  | 'UploadsAborted'
  | 'BytesCompleted'
  | 'PartsSigned';

export interface UploadMetrics {
  add(name: UploadMetricName, value: number): void;
}

export const noMetrics: UploadMetrics = { add: () => {} };

export function powertoolsUploadMetrics(metrics: Metrics): UploadMetrics {
  return {
    add: (name, value) => metrics.addMetric(name, name === 'BytesCompleted' ? MetricUnit.Bytes : MetricUnit.Count, value),
  };
}

/** Publishes what one request recorded; publishing nothing would log a Powertools warning each time. */
export function flushMetrics(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
