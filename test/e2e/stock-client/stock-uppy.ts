// The stock client, as an integrator would load it: @uppy/core and @uppy/aws-s3 and nothing of the
// portal's page. Bundled by vite for the browser test (see bundleStockUppy).
export { default as Uppy } from '@uppy/core';
export { default as AwsS3 } from '@uppy/aws-s3';
