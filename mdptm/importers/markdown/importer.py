"""The Markdown importer's entry point: reads the file safely, walks it and builds the source."""

from __future__ import annotations

from pathlib import Path

from mdptm.base.safety import not_utf8
from mdptm.errors import InputError
from mdptm.importers.doors import MarkdownDoor
from mdptm.importers.markdown.document import (
    parse_markdown,
    unescape_export,
)
from mdptm.importers.markdown.reader import BlockReader
from mdptm.importers.tabular.records import SourceBuilder
from mdptm.importers.tabular.resolve import resolve_references
from mdptm.importers.tabular.tables import load_profile, profile_vocabulary
from mdptm.importers.tabular.vocab import (
    vocabulary,
)
from mdptm.model import Model
from mdptm.plugins import ImportContext

MAX_BYTES = 20_000_000


class MarkdownImporter(MarkdownDoor):
    """Markdown threat models: heading blocks, labelled bullets, pipe tables and mermaid flowcharts."""

    def load(self, path: Path, ctx: ImportContext) -> Model:
        file = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=file) from None
        if len(data) > MAX_BYTES:
            raise InputError(f"too large for a Markdown threat model ({len(data)} bytes)", file=file)
        if b"\x00" in data:
            raise InputError("not a text file (it holds NUL bytes)", file=file)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(not_utf8(data, exc), file=file) from None
        vocab = vocabulary()
        profile = load_profile(ctx.profile, vocab, file="profile")
        if profile is not None:
            vocab = profile_vocabulary(vocab, profile)
        builder = SourceBuilder(file, self.name, vocab, ctx.report, profile)
        text, escaped = unescape_export(text)
        if escaped:
            ctx.report.warn(
                file,
                None,
                f"{escaped} lines open with an escaped mark (\\#, \\|, \\*\\*): an editor's export of Markdown typed as text; "
                "read with the escapes undone",
            )
        root = parse_markdown(text)
        for line, what in root.hidden:  # a reader of the rendered page does not see it: not imported
            builder.warn(f"line {line}", f"{what} left out: a reader of the rendered document does not see it, so it is not imported")
        reader = BlockReader(builder, vocab)
        reader.run(root)
        looked = f"{reader.n_sections} sections and {reader.n_tables} tables"
        unread = [
            w
            for w in ctx.report.warnings
            if w.file == file and "not read as threats" in w.message or w.file == file and "not read as a threat" in w.message
        ]
        if unread:
            looked += f"; {len(unread)} block(s) that may be threats were not recognised, the first at {unread[0].locator}"
        ctx.looked_at = looked
        model = builder.build()
        reader.link_basis(model, builder.item_of)
        return model if ctx.resolved_after else resolve_references(model, ctx.report, final=False)
