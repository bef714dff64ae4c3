"""Mutation testing of the modules that hold Souk's invariants (cosmic-ray).

    uv run --group mutation python tests/mutation/run.py            # every target, one after the other
    uv run --group mutation python tests/mutation/run.py ledger     # one target (see --list)

Each target's source files are mutated one small change at a time (a comparison
turned, a condition negated, a constant moved by one, ``and`` for ``or``, a loop
that never runs, an exception handler that catches nothing...), and the target's
tests run against each mutant.  A mutant the tests fail on is killed; one they pass
on survived, and is either a missing test or an equivalent mutant (same behaviour).
The sessions are kept in ``.mutation/`` (one SQLite file per target); the table and
each survivor's diff are printed at the end.

Cosmic-ray mutates the files in place; they are restored after each mutant, and
this script puts the original bytes back if it is stopped in the middle.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cosmic_ray.commands import execute, init
from cosmic_ray.config import ConfigDict
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult
from targets import TARGETS, Target

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ROOT / ".mutation"

# Operators kept: each makes a mutant a careful test can tell apart.  The full
# cross product of binary operators (``+`` into ``<<``, ``%``, ``^``...) and of
# comparisons into identity tests mostly makes code that crashes at once and
# costs a test run each; they are left out, as is renaming variables.
KEPT = re.compile(
    r"core/("
    r"ReplaceBinaryOperator_(Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Mul|Mod_FloorDiv)"
    r"|ReplaceComparisonOperator_(Eq_NotEq|NotEq_Eq|Lt_LtE|Lt_GtE|LtE_Lt|LtE_Gt|Gt_GtE|Gt_LtE"
    r"|GtE_Gt|GtE_Lt|Is_IsNot|IsNot_Is|In_NotIn|NotIn_In)"
    r"|ReplaceUnaryOperator_(Delete_Not|USub_UAdd)"
    r"|AddNot|ReplaceTrueWithFalse|ReplaceFalseWithTrue|ReplaceAndWithOr|ReplaceOrWithAnd"
    r"|ReplaceBreakWithContinue|ReplaceContinueWithBreak|ExceptionReplacer"
    r"|ZeroIterationForLoop"
    r")$"
)


def test_command(target: Target) -> str:
    """Stop at the first failure: a killed mutant costs only the tests up to it."""
    return shlex.join([sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "--no-header", *target.tests])


@contextmanager
def originals_kept(paths: list[Path]) -> Iterator[None]:
    """Put each source file back as it was, whatever stops the run."""
    saved = {path: path.read_bytes() for path in paths}
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        for path, content in saved.items():
            if path.read_bytes() != content:
                path.write_bytes(content)
                print(f"restored {path.relative_to(ROOT)}", file=sys.stderr)


def baseline(target: Target) -> float | None:
    """The seconds the unmutated tests take; they must pass, or no mutant means anything.

    This run writes the bytecode of everything the tests import (cosmic-ray runs each
    mutant with ``PYTHONDONTWRITEBYTECODE``, and so may the environment): without it,
    every mutant's run compiles the whole core again, several seconds each.  The mutated
    file's own cached bytecode never matches its new modification time, so it is always
    compiled from the mutated source.
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", sysconfig.get_paths()["purelib"]], check=False)
    started = time.monotonic()
    done = subprocess.run(
        shlex.split(test_command(target)), cwd=ROOT, capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        print(f"{target.name}: the tests fail before any mutation:\n{done.stdout[-3000:]}", file=sys.stderr)
        return None
    return time.monotonic() - started


def skip_unwanted(db: WorkDB, target: Target) -> None:
    """Mark as skipped the mutants of operators left out and of functions outside the invariant."""
    skipped = WorkResult(output="not in this target", worker_outcome=WorkerOutcome.SKIPPED)
    for item in db.pending_work_items:
        mutation = item.mutations[0]
        outside = target.functions and mutation.definition_name not in target.functions
        if outside or not KEPT.match(mutation.operator_name):
            db.set_result(item.job_id, skipped)


def run(target: Target) -> bool:
    """Mutate the target and run its tests on each mutant; False if its tests fail unmutated."""
    sources = [ROOT / source for source in target.sources]
    seconds = baseline(target)
    if seconds is None:
        return False
    config = ConfigDict(
        {
            "module-path": target.sources,
            "timeout": max(60.0, 4 * seconds),
            "test-command": test_command(target),
            "distributor": ConfigDict({"name": "local"}),
        }
    )
    SESSIONS.mkdir(exist_ok=True)
    with use_db(str(SESSIONS / f"{target.name}.sqlite"), WorkDB.Mode.create) as db:
        init(sources, db, {})
        skip_unwanted(db, target)
        pending = len(db.pending_work_items)
        print(f"{target.name}: {pending} mutants, baseline {seconds:.1f} s", file=sys.stderr, flush=True)
        started = time.monotonic()
        with originals_kept(sources):
            execute(db, config)
    print(f"{target.name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return True


def tested(db: WorkDB) -> list[tuple[object, WorkResult]]:
    return [(item, result) for item, result in db.completed_work_items if result.worker_outcome != "skipped"]


def report(target: Target) -> str:
    """One row of the table and the survivors, from the target's session."""
    path = SESSIONS / f"{target.name}.sqlite"
    if not path.exists():
        return f"| {target.name} | not yet run | | |\n"
    with use_db(str(path), WorkDB.Mode.open) as db:
        results = tested(db)
        pending = len(db.pending_work_items)
    survivors = [(item, r) for item, r in results if r.test_outcome == TestOutcome.SURVIVED]
    killed = sum(1 for _, r in results if r.test_outcome == TestOutcome.KILLED)
    other = len(results) - killed - len(survivors)
    row = f"| {target.name} | {len(results)} | {killed} | {len(survivors)} |"
    if other or pending:
        row += f" ({other} incompetent, {pending} not run)"
    lines = [row]
    for item, result in sorted(survivors, key=lambda s: s[0].mutations[0].start_pos):
        mutation = item.mutations[0]
        where = f"{Path(mutation.module_path).name}:{mutation.start_pos[0]}"
        changed = [
            line for line in (result.diff or "").splitlines() if line[:1] in "+-" and line[:3] not in "+++---"
        ]
        lines.append(f"    survived {where} {mutation.definition_name} {mutation.operator_name}")
        lines.extend(f"        {line.strip()}" for line in changed)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("targets", nargs="*", help="target names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the targets and their tests")
    parser.add_argument("--report", action="store_true", help="only print the table of the last runs")
    args = parser.parse_args()
    by_name = {target.name: target for target in TARGETS}
    if args.list:
        for target in TARGETS:
            print(f"{target.name:20} {' '.join(target.tests)}\n{'':20} {target.why}")
        return
    unknown = set(args.targets) - set(by_name)
    if unknown:
        sys.exit(f"no such target: {', '.join(sorted(unknown))} (see --list)")
    chosen = [by_name[name] for name in args.targets] or list(TARGETS)
    broken = [] if args.report else [target.name for target in chosen if not run(target)]
    print("| target | mutants | killed | survived |\n| --- | --- | --- | --- |")
    for target in chosen:
        print(report(target), end="")
    if broken:
        sys.exit(f"not run, their tests fail unmutated: {', '.join(broken)}")


if __name__ == "__main__":
    main()
