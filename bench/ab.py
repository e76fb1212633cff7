#!/usr/bin/env python3
"""bench/ab.py N 'CMD A' 'CMD B' ...: run the commands in turn, N rounds,
and print each one's median and minimum CPU (user + sys, from wait4's
rusage, microsecond resolution) with its median user and sys.

Alternating is what makes two builds comparable on a machine whose speed
drifts by 10% from one minute to the next: both see the same drift.
Leading VAR=value words set the command's environment. Output of the
commands goes to /dev/null.

Example:
  bench/ab.py 16 "old/sipscope -q -r F --report stats" \\
                 "new/sipscope -q -r F --report stats" "bench/out/bin/floor F"
"""
import os
import shlex
import statistics
import sys


def run(args, env):
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            os.execvpe(args[0], args, env)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) == 127:
        sys.exit(f"ab.py: cannot run {args[0]}")
    return ru.ru_utime, ru.ru_stime


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    cmds = sys.argv[2:]
    parsed = []
    for c in cmds:
        args, env = shlex.split(c), dict(os.environ)
        while args and "=" in args[0] and not args[0].startswith(("/", ".")):
            k, v = args.pop(0).split("=", 1)
            env[k] = v
        if not args:
            sys.exit(f"ab.py: no command in '{c}'")
        parsed.append((args, env))
    res = [[] for _ in cmds]
    for _ in range(rounds):
        for i, (args, env) in enumerate(parsed):
            res[i].append(run(args, env))
    for c, r in zip(cmds, res):
        tot = [u + s for u, s in r]
        print(f"{statistics.median(tot):.3f} med  {min(tot):.3f} min  "
              f"user {statistics.median(u for u, _ in r):.3f} "
              f"sys {statistics.median(s for _, s in r):.3f}  | {c}")


if __name__ == "__main__":
    main()
