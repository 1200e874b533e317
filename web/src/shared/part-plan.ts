// The part plan lives in contract/ (the uploads Lambda bounds signed parts by the same plan).
export { partCount, PartPlanError, planPartSize, type PartPlanOptions } from '../../../contract/part-plan.js';
