"""``needsmap generate``: a synthetic workshop, for demos and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from needsmap.cli.common import SCALES, fail


@click.command()
@click.option(
    "--scale",
    type=SCALES,
    default="small",
    show_default=True,
    help="small: a real workshop's size; enterprise: 400 use cases, 2,500 attributes, 120 systems.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same workshop.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The workshop file to write (must not exist yet).",
)
def generate(scale: str, seed: int, output: Path) -> None:
    """Write a synthetic, realistic-shaped workshop with gaps of every kind (for demos and benchmarks)."""
    from needsmap.format.saver import SaveError, save
    from needsmap.synthetic.builder import generate as make

    ws = make(scale, seed)
    try:
        save(ws, output)
    except SaveError as exc:
        fail(str(exc))
    click.echo(
        f"Wrote {output}: {len(ws.use_cases)} use cases, {len(ws.attributes)} attributes, {len(ws.systems)} systems",
        err=True,
    )
