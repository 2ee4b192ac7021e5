"""normquiz explain: a text figure of what a normalization layer reduces over."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from normquiz.cli import summary
from normquiz.cli.options import StrParamType
from normquiz.explain import ALIASES, LAYERS, describe, figure_rows, layer_key

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import Console, RenderableType


class LayerName(StrParamType):
    """bn, ln, in, gn or rms, in any case, or the layer's name (LayerNorm, batch_norm)."""

    name = "layer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        key = layer_key(str(value))
        if key in LAYERS:
            return key
        import difflib

        close = difflib.get_close_matches(key, [*LAYERS, *ALIASES], n=1, cutoff=0.5)
        maybe = f"; did you mean {layer_key(close[0])}?" if close else ""
        names = ", ".join(f"{name} ({layer.title})" for name, layer in LAYERS.items())
        self.fail(f"unknown layer {value!r}{maybe} (layers: {names})", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        names = [*LAYERS, *ALIASES]
        return [CompletionItem(name) for name in names if name.startswith(incomplete.lower())]


@click.command(short_help=summary("explain"))
@click.argument("layer", type=LayerName())
def explain(layer: str) -> None:
    """Draw an (N, C, H*W) block with the elements normalized together marked: they share
    one mean and variance (RMSNorm: one mean square, no mean is subtracted).

    LAYER is bn, ln, in, gn or rms, in any case, or the layer's name: batchnorm, LayerNorm,
    InstanceNorm2d, groupnorm, RMSNorm.

    \b
    Examples:
      normquiz explain gn
      normquiz explain LayerNorm
      NO_COLOR=1 normquiz explain rms
    """
    from rich.table import Table
    from rich.text import Text

    from normquiz.cli.bars import unicode_ok
    from normquiz.cli.options import stdout_console
    from normquiz.explain import HW, C, N

    spec, unicode = LAYERS[layer], unicode_ok()
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
    print_trimmed(console, grid)


def print_trimmed(console: Console, renderable: RenderableType) -> None:
    """Print as rich lays it out, without the spaces that pad each line to the width."""
    from rich.segment import Segment, Segments

    for line in console.render_lines(renderable, pad=False):
        while line and not line[-1].text.strip() and not line[-1].control:
            line.pop()
        if line:
            last = line[-1]
            line[-1] = Segment(last.text.rstrip(), last.style, last.control)
        console.print(Segments([*line, Segment.line()]), end="")
