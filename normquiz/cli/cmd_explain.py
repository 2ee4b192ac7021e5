"""normquiz explain: a text figure of what a normalization layer reduces over."""

from __future__ import annotations

import click

from normquiz.cli import summary
from normquiz.explain import LAYERS, describe, figure_rows


@click.command(short_help=summary("explain"))
@click.argument("layer", type=click.Choice(sorted(LAYERS), case_sensitive=False))
def explain(layer: str) -> None:
    """Draw an (N, C, H*W) block with the elements that share one mean and variance marked.

    LAYER is one of bn, ln, in, gn, rms.

    \b
    Examples:
      normquiz explain gn
      NO_COLOR=1 normquiz explain bn
    """
    from rich.table import Table
    from rich.text import Text

    from normquiz.cli.bars import unicode_ok
    from normquiz.cli.options import stdout_console
    from normquiz.explain import HW, C, N

    spec, unicode = LAYERS[layer.lower()], unicode_ok()
    console = stdout_console()
    console.print(Text(f"{spec.title}: x of shape (N={N}, C={C}, H*W={HW})", style="bold"))
    for row in figure_rows(spec, unicode):
        line = Text(no_wrap=True)
        for marked, text in row:
            line.append(text, style="bold cyan" if marked else "")
        console.print(line)
    console.print()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in describe(spec, unicode):
        grid.add_row(label + ":", value)
    console.print(grid)
