// The bench reads Chromium's CPU from /proc: the stat line's odd command names, and a real busy child.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descendantCpuSeconds, parseProcStat } from '../../../bench/process-cpu.js';

describe('parseProcStat', () => {
  it('reads the fields after a command that holds spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    const stat = '4242 (Web Content) (x)) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 1 1 1';
    expect(parseProcStat(4242, stat)).toEqual({ pid: 4242, command: 'Web Content) (x)', ppid: 17, ticks: 310 });
  });
});

describe.runIf(existsSync('/proc/self/stat'))('descendantCpuSeconds', () => {
  it("counts a busy child's CPU, and only the commands asked for", async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);'], { stdio: 'ignore' });
    // Read while it is alive, after it has spun for a while.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The kernel keeps the first 15 characters of the executable's name.
    const node = descendantCpuSeconds((command) => command === basename(process.execPath).slice(0, 15));
    const none = descendantCpuSeconds(() => false);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(node).toBeGreaterThanOrEqual(0.1);
    expect(none).toBe(0);
  });
});
