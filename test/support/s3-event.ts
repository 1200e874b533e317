// An S3 event as EventBridge delivers it (the AWS documentation's example), with the parts a test varies.
export const s3Event = (over: { type?: string; key?: string; sequencer?: string | undefined; bucket?: string; source?: string; id?: string } = {}) => ({
  version: '0',
  id: over.id ?? '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': over.type ?? 'Object Created',
  source: over.source ?? 'aws.s3',
  account: '111122223333',
  time: '2021-11-12T00:00:00Z',
  region: 'ca-central-1',
  resources: ['arn:aws:s3:::portal-bucket'],
  detail: {
    version: '0',
    bucket: { name: over.bucket ?? 'portal-bucket' },
    object: { key: over.key ?? 'uploads/acme/report.pdf', size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', ...('sequencer' in over ? (over.sequencer === undefined ? {} : { sequencer: over.sequencer }) : { sequencer: '617f08299329d189' }) },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    reason: 'PutObject',
  },
});
