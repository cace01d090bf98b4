"""kill -9 at any moment while the UI is editing: the file on disk is always a valid workshop."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.conftest import DEMO, assert_opens_clean

_EDIT_FOREVER = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from needsmap.tui.app import create_app

    async def main():
        app = create_app(Path(sys.argv[1]))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("7")  # the matrix: every space is an edit, saved at once
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            i = 0
            while True:
                await pilot.press("space")
                i += 1
                print(i, flush=True)
                if i % 7 == 0:
                    await pilot.press("down")
                else:
                    await pilot.press("right")

    asyncio.run(main())
""")


def test_kill_minus_nine_never_leaves_a_broken_file(demo_copy: Path):
    path = demo_copy
    rng = random.Random(5)
    edits_seen = 0
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", _EDIT_FOREVER, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        first = proc.stdout.readline()
        assert first.strip().isdigit(), proc.stderr.read()
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        edits_seen += 1 + len(out.split())
        assert_opens_clean(path)
    assert edits_seen > 8
    assert path.read_bytes() != DEMO.read_bytes()  # the edits really reached the file
