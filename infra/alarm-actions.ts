// Who hears an alarm: with `alarmTopicArn` set, every CloudWatch alarm of the stack notifies that
// existing SNS topic when it goes off (the operators subscribe to it); without it the alarms only show
// in the console. Applied once the stack is built, to every alarm in it, so an alarm added later to
// any construct is covered without wiring it by hand (test/infra/stack/alarms.checks.ts checks them all).
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Adds the topic as the alarm action of every Alarm under `scope`; answers how many. */
export function notifyOnAlarms(scope: Construct, topicArn: string): number {
  const action = new SnsAction(Topic.fromTopicArn(scope, 'AlarmTopic', topicArn));
  const alarms = scope.node.findAll().filter((node): node is Alarm => node instanceof Alarm);
  for (const alarm of alarms) alarm.addAlarmAction(action);
  return alarms.length;
}
