// The stack's alarms and who hears them: with alarmTopicArn every alarm notifies that topic when it
// goes off; without it no alarm has an action (and the stack creates no topic of its own either way).
import { describe, expect, it } from 'vitest';
import { type Synth, resourcesOfType } from '../synth.js';

export function alarmChecks(get: () => Synth, topicArn: string | null): void {
  describe(topicArn ? 'alarms (alarmTopicArn set)' : 'alarms (no alarmTopicArn)', () => {
    const alarms = () => Object.entries(resourcesOfType(get(), 'AWS::CloudWatch::Alarm'));

    it('has the dead-letter alarms of S3 events, digests and webhooks', () => {
      // EventPipeline's, and the notifications' two: the check below would pass vacuously without them.
      expect(alarms().length).toBeGreaterThanOrEqual(3);
      expect(alarms().map(([id]) => id).join(' ')).toMatch(/DeadLetterAlarm/);
    });

    if (topicArn) {
      it('makes every alarm notify the configured topic, and only that', () => {
        for (const [id, alarm] of alarms()) expect(alarm.Properties?.AlarmActions, id).toEqual([topicArn]);
      });
    } else {
      it('gives no alarm an action', () => {
        for (const [id, alarm] of alarms()) expect(alarm.Properties?.AlarmActions, id).toBeUndefined();
      });
    }

    it('creates no SNS topic (the alarm topic is the operator\'s own)', () => {
      get().template.resourceCountIs('AWS::SNS::Topic', 0);
    });
  });
}
