// An endpoint's state as text plus colour (never colour alone).
import type { EndpointState } from '../../../contract/api/admin.js';

const LABELS: Record<EndpointState, string> = { active: 'Active', disabled: 'Disabled', expired: 'Expired' };

export function StateBadge({ state }: { state: EndpointState }) {
  return <span class={`badge badge-${state}`}>{LABELS[state] ?? state}</span>;
}
