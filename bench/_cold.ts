import { startLambdaFixture } from './cold/fixture.js';
import { measureColdStarts } from './cold/cold-start.js';
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const fixture = await startLambdaFixture();
try {
  const cold = await measureColdStarts(fixture, Number(process.env.RUNS ?? 10), () => undefined);
  for (const [name, r] of Object.entries(cold)) console.log(name, r.medianMs.toFixed(1), 'import', median(r.runs.map((x) => x.importMs)).toFixed(1), 'first', median(r.runs.map((x) => x.firstAnswerMs)).toFixed(1));
} finally {
  await fixture.close();
}
