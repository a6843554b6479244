#!/usr/bin/env python3
"""Move mdptm's flat modules into subpackages per concern, and rewrite every reference to them.

Why a script and not a commit: other branches change the same modules meanwhile. Running this on
the merged tree gives the same layout with their changes carried along, and it says which files it
does not know (a file added since) so that a row can be added to the tables below.

Usage (from the repository root, on a clean worktree)::

    python3 tools/relayout.py            # move, rewrite, sort imports, then ``ruff format mdptm tests``
    python3 tools/relayout.py --dry-run  # only report what it would do

It refuses to run twice (any destination already present) and on a worktree with uncommitted
changes (``--allow-dirty`` overrides). Standard library only; it calls ``git`` and ``ruff``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

# --------------------------------------------------------------------------------- the tables

# Old file -> new file, inside the package. One home per concern; dependencies point down the list
# of packages in PACKAGES (a module imports only from packages listed before its own, or its own).
MODULES: dict[str, str] = {
    # base: what every stage stands on
    "mdptm/safety.py": "mdptm/base/safety.py",
    "mdptm/output.py": "mdptm/base/output.py",
    "mdptm/copies.py": "mdptm/base/copies.py",
    "mdptm/parallel.py": "mdptm/base/parallel.py",
    # model: the canonical model and what reads, checks, describes and reports on it
    "mdptm/model.py": "mdptm/model/__init__.py",
    "mdptm/modelio.py": "mdptm/model/io.py",
    "mdptm/validate.py": "mdptm/model/validate.py",
    "mdptm/schema.py": "mdptm/model/schema.py",
    "mdptm/report.py": "mdptm/model/report.py",
    "mdptm/results.py": "mdptm/model/results.py",
    # formats: what importers and exporters of the interchange formats share
    "mdptm/importers/_interchange.py": "mdptm/formats/interchange.py",
    # importers: one module per format; the Word/Excel/CSV table machinery; merging sources
    "mdptm/tabular.py": "mdptm/importers/tabular/tables.py",
    "mdptm/records.py": "mdptm/importers/tabular/records.py",
    "mdptm/resolve.py": "mdptm/importers/tabular/resolve.py",
    "mdptm/vocab.py": "mdptm/importers/tabular/vocab.py",
    "mdptm/merge.py": "mdptm/importers/merge.py",
    # mapping: frameworks and the verdicts on their clauses
    "mdptm/framework.py": "mdptm/mapping/framework.py",
    "mdptm/mapping.py": "mdptm/mapping/engine.py",
    # redaction: the public model, and the scan that proves nothing withheld leaked
    "mdptm/leakscan.py": "mdptm/redaction/leakscan.py",
    "mdptm/redact.py": "mdptm/redaction/redact.py",
    # review: checks on the model before it is published
    "mdptm/review.py": "mdptm/review/engine.py",
    "mdptm/checks.py": "mdptm/review/checks.py",
    # render: the document IR and its renderings (Word, Markdown), diagrams and charts
    "mdptm/docir.py": "mdptm/render/docir.py",
    "mdptm/render_docx.py": "mdptm/render/docx.py",
    "mdptm/render_md.py": "mdptm/render/markdown.py",
    "mdptm/diagrams.py": "mdptm/render/diagrams.py",
    # documents: what each audience reads, built from the model
    "mdptm/ptmdoc.py": "mdptm/documents/ptm.py",
    "mdptm/guides.py": "mdptm/documents/guides.py",
    "mdptm/submission.py": "mdptm/documents/submission.py",
    "mdptm/labeling.py": "mdptm/documents/labeling.py",
    "mdptm/coverage_report.py": "mdptm/documents/coverage.py",
    "mdptm/diff.py": "mdptm/documents/changes.py",
    # pipeline: the stages in order, and the commands that drive them
    "mdptm/project.py": "mdptm/pipeline/project.py",
    "mdptm/importing.py": "mdptm/pipeline/importing.py",
    "mdptm/exporting.py": "mdptm/pipeline/exporting.py",
    "mdptm/build.py": "mdptm/pipeline/build.py",
    "mdptm/publish.py": "mdptm/pipeline/publish.py",
    "mdptm/portfolio.py": "mdptm/pipeline/portfolio.py",
    "mdptm/signoff.py": "mdptm/pipeline/signoff.py",
    # Rows for modules added on branches of the same round (skipped where the file is absent).
    "mdptm/evidence.py": "mdptm/model/evidence.py",
    "mdptm/topology.py": "mdptm/model/topology.py",
    "mdptm/cvss.py": "mdptm/model/cvss.py",
    "mdptm/premarket.py": "mdptm/model/premarket.py",
    "mdptm/listthreats.py": "mdptm/importers/tabular/lists.py",
    "mdptm/coherence.py": "mdptm/mapping/coherence.py",
    "mdptm/review_formats.py": "mdptm/review/formats.py",
    "mdptm/premarket_checks.py": "mdptm/review/premarket_checks.py",
    "mdptm/netplan.py": "mdptm/documents/netplan.py",
    "mdptm/premarket_docs.py": "mdptm/documents/premarket_docs.py",
    "mdptm/init.py": "mdptm/pipeline/init.py",
    "mdptm/textnorm.py": "mdptm/base/textnorm.py",
    "mdptm/inspection.py": "mdptm/pipeline/inspection.py",
    "mdptm/exporters/_layout.py": "mdptm/render/layout.py",  # diagrams draw with it too: below exporters
    "mdptm/compare.py": "mdptm/pipeline/compare.py",  # reads published packages through the importers
    "mdptm/compare_render.py": "mdptm/pipeline/compare_render.py",
    "mdptm/template_scrub.py": "mdptm/render/template_scrub.py",
    "mdptm/xmlchars.py": "mdptm/redaction/xmlchars.py",  # walks the model's text as redaction does
}

# Files that stay where they are (the doors and the per-format plug-ins).
KEEP: set[str] = {
    "mdptm/__init__.py",
    "mdptm/__main__.py",
    "mdptm/cli.py",
    "mdptm/errors.py",
    "mdptm/plugins.py",
    "mdptm/resources.py",
    "mdptm/importers/__init__.py",
    "mdptm/importers/docx.py",
    "mdptm/importers/native.py",
    "mdptm/importers/otm.py",
    "mdptm/importers/threatdragon.py",
    "mdptm/importers/tm7.py",
    "mdptm/importers/xlsx.py",
    "mdptm/exporters/__init__.py",
    "mdptm/exporters/docx.py",
    "mdptm/exporters/html.py",
    "mdptm/exporters/native.py",
    "mdptm/exporters/otm.py",
    "mdptm/exporters/xlsx.py",
    "mdptm/cli_doc.py",
    "mdptm/formats/__init__.py",
    "mdptm/formats/otm_extension.py",
}
# Folders whose modules stay wherever they are: one module per format.
KEEP_FOLDERS = ("mdptm/importers/", "mdptm/exporters/")

# New packages, bottom to top, with the docstring of their __init__.py (unless a module becomes it).
PACKAGES: dict[str, str] = {
    "mdptm/base": "Foundation every stage stands on: safe reading of untrusted files, deterministic writing, copies, two-process work.",
    "mdptm/model": "The canonical model (mdptm/1), and what reads, validates, describes and reports on it.",
    "mdptm/formats": "What the importers and exporters of an interchange format share (OTM, Threat Dragon, .tm7 vocabulary).",
    "mdptm/importers/tabular": "Reading threat models kept as tables (Word, Excel, CSV): find the tables, read the rows, resolve names.",
    "mdptm/mapping": "Regulatory frameworks (data in ``mappings/``) and the verdict on each clause, following the model's evidence.",
    "mdptm/redaction": "The public model: what is withheld or redacted, and the scan that proves none of it leaked into any output byte.",
    "mdptm/review": "Checks on a model before it is published; each check is a plug-in behind the ``mdptm.checks`` door.",
    "mdptm/render": "The document IR and its renderings (Word, Markdown), with the diagrams and charts they carry.",
    "mdptm/documents": "What each audience reads, built from the model: the PTM, the submission set, the hospital guides, change logs.",
    "mdptm/pipeline": "The stages in order: read the project, import, map, redact, review, publish, export; one project or many.",
}

# Tests mirror the package: old file -> new file. Helpers become modules of the ``tests`` package.
TESTS: dict[str, str] = {
    "tests/test_copies.py": "tests/base/test_copies.py",
    "tests/test_parallel.py": "tests/base/test_parallel.py",
    "tests/test_speed_helpers.py": "tests/base/test_speed_helpers.py",
    "tests/test_model.py": "tests/model/test_model.py",
    "tests/test_validate.py": "tests/model/test_validate.py",
    "tests/test_otm.py": "tests/formats/test_otm.py",
    "tests/import_helpers.py": "tests/importers/import_helpers.py",
    "tests/heldout_fixtures.py": "tests/importers/heldout_fixtures.py",
    "tests/test_import_csv.py": "tests/importers/test_import_csv.py",
    "tests/test_import_docx.py": "tests/importers/test_import_docx.py",
    "tests/test_import_fuzz.py": "tests/importers/test_import_fuzz.py",
    "tests/test_import_heldout.py": "tests/importers/test_import_heldout.py",
    "tests/test_import_sources.py": "tests/importers/test_import_sources.py",
    "tests/test_import_vocab.py": "tests/importers/test_import_vocab.py",
    "tests/test_import_xlsx.py": "tests/importers/test_import_xlsx.py",
    "tests/test_fuzz_importers.py": "tests/importers/test_fuzz_importers.py",
    "tests/test_merge.py": "tests/importers/test_merge.py",
    "tests/test_threatdragon.py": "tests/importers/test_threatdragon.py",
    "tests/test_tm7.py": "tests/importers/test_tm7.py",
    "tests/test_mapping.py": "tests/mapping/test_mapping.py",
    "tests/test_mapping_custom.py": "tests/mapping/test_mapping_custom.py",
    "tests/test_mapping_frameworks.py": "tests/mapping/test_mapping_frameworks.py",
    "tests/test_mapping_output.py": "tests/mapping/test_mapping_output.py",
    "tests/test_redact.py": "tests/redaction/test_redact.py",
    "tests/test_redaction_properties.py": "tests/redaction/test_redaction_properties.py",
    "tests/test_redaction_scenario.py": "tests/redaction/test_redaction_scenario.py",
    "tests/test_leakscan.py": "tests/redaction/test_leakscan.py",
    "tests/test_review.py": "tests/review/test_review.py",
    "tests/test_public_review.py": "tests/review/test_public_review.py",
    "tests/test_publish_docx.py": "tests/render/test_publish_docx.py",
    "tests/test_publish_diagrams.py": "tests/render/test_publish_diagrams.py",
    "tests/test_guides.py": "tests/documents/test_guides.py",
    "tests/test_submission.py": "tests/documents/test_submission.py",
    "tests/test_diff.py": "tests/documents/test_diff.py",
    "tests/test_publish.py": "tests/pipeline/test_publish.py",
    "tests/test_publish_cli.py": "tests/pipeline/test_publish_cli.py",
    "tests/test_publish_golden.py": "tests/pipeline/test_publish_golden.py",
    "tests/test_publish_render.py": "tests/pipeline/test_publish_render.py",
    "tests/test_portfolio.py": "tests/pipeline/test_portfolio.py",
    "tests/test_signoff.py": "tests/pipeline/test_signoff.py",
    # Rows for tests added on branches of the same round (skipped where the file is absent).
    "tests/test_output_safety.py": "tests/base/test_output_safety.py",
    "tests/test_export_threatdragon.py": "tests/formats/test_export_threatdragon.py",
    "tests/test_import_markdown.py": "tests/importers/test_import_markdown.py",
    "tests/test_import_office_real.py": "tests/importers/test_import_office_real.py",
    "tests/test_import_tables.py": "tests/importers/test_import_tables.py",
    "tests/test_import_word_lists.py": "tests/importers/test_import_word_lists.py",
    "tests/leak_helpers.py": "tests/redaction/leak_helpers.py",
    "tests/test_withheld.py": "tests/redaction/test_withheld.py",
    "tests/test_premarket.py": "tests/documents/test_premarket.py",
    "tests/test_init.py": "tests/pipeline/test_init.py",
    "tests/test_disguised_terms.py": "tests/redaction/test_disguised_terms.py",
    "tests/test_markdown_escape.py": "tests/render/test_markdown_escape.py",
    "tests/test_inspect.py": "tests/pipeline/test_inspect.py",
    "tests/test_coverage_evidence.py": "tests/mapping/test_coverage_evidence.py",
    "tests/test_guides_network.py": "tests/documents/test_guides_network.py",
    "tests/test_otm_round_trip.py": "tests/formats/test_otm_round_trip.py",
    "tests/test_compare.py": "tests/pipeline/test_compare.py",
    "tests/test_template_scrub.py": "tests/render/test_template_scrub.py",
    "tests/test_withheld_properties.py": "tests/redaction/test_withheld_properties.py",
    "tests/test_xml_chars_and_export.py": "tests/pipeline/test_xml_chars_and_export.py",
}

# Tests that stay at the top of tests/ (the CLI, plug-ins, packaging, the sample, hostile input).
TESTS_KEEP: set[str] = {
    "tests/conftest.py",
    "tests/ptm_fixture.py",
    "tests/test_cli_foundation.py",
    "tests/test_plugins.py",
    "tests/test_packaging.py",
    "tests/test_sample.py",
    "tests/test_hostile.py",
    "tests/test_cli_formats.py",
    "tests/test_layout.py",
}

# Entry-point group names that look like module names: never rewritten when they stand alone.
GROUPS = ("mdptm.importers", "mdptm.exporters", "mdptm.checks", "mdptm.frameworks")

# Tracked files whose references are rewritten: every Python file (the package, the tests, the
# samples' generators), every Markdown page, the project file, CI, and the comments of the shipped data.
TEXT_FILES = re.compile(r"(?:.*\.py|.*\.md|pyproject\.toml|\.ci/[^/]+|(?:mappings|templates)/.*\.ya?ml)")
SELF = "tools/relayout.py"


# ------------------------------------------------------------------------------------ helpers


def module_of(path: str) -> str:
    """``mdptm/model/__init__.py`` -> ``mdptm.model``; ``tests/x/y.py`` -> ``tests.x.y``."""
    stem = path[: -len(".py")]
    if stem.endswith("/__init__"):
        stem = stem[: -len("/__init__")]
    return stem.replace("/", ".")


def warn(msg: str) -> None:
    print(f"WARNING: {msg}", file=sys.stderr)


def run(cmd: list[str], root: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=root, text=True, capture_output=True, check=check)


class Relayout:
    def __init__(self, root: Path, dry_run: bool) -> None:
        self.root = root
        self.dry_run = dry_run
        self.modules = {module_of(o): module_of(n) for o, n in MODULES.items() if module_of(o) != module_of(n)}
        self.paths = {**MODULES, **TESTS}
        # Bare names the tests import each other by (conftest, helpers, test modules).
        self.test_names: dict[str, str] = {}
        self.moved: dict[str, str] = {}
        self.problems = 0

    # -------------------------------------------------------------------------- preconditions

    def check(self, allow_dirty: bool) -> None:
        # A package folder may exist already (another branch may have started one, e.g. mdptm/formats/);
        # a moved module or tests/__init__.py in place means the layout was applied.
        done = [n for n in [*MODULES.values(), *TESTS.values()] if (self.root / n).is_file() and n not in MODULES]
        done += ["tests/__init__.py"] if (self.root / "tests" / "__init__.py").is_file() else []
        if done:
            sys.exit(f"relayout: already applied (present: {', '.join(sorted(set(done))[:5])}); refusing to run twice")
        if not allow_dirty and run(["git", "status", "--porcelain"], self.root).stdout.strip():
            sys.exit("relayout: the worktree has uncommitted changes; commit them first (or --allow-dirty)")

    def survey(self) -> None:
        """Warn about every module or test the tables do not name: a file another branch added."""
        known = set(MODULES) | KEEP
        for path in sorted(self.root.glob("mdptm/**/*.py")):
            rel = path.relative_to(self.root).as_posix()
            if rel not in known and not (rel.startswith(KEEP_FOLDERS) and rel.count("/") == 2):
                warn(f"{rel} is not in tools/relayout.py's MODULES or KEEP: it stays where it is; add a row to move it")
                self.problems += 1
        tknown = set(TESTS) | TESTS_KEEP
        for path in sorted(self.root.glob("tests/*.py")):
            rel = path.relative_to(self.root).as_posix()
            if rel not in tknown:
                warn(f"{rel} is not in tools/relayout.py's TESTS or TESTS_KEEP: it stays at the top of tests/; add a row to move it")
                self.problems += 1
        for path in sorted(self.root.glob("tests/*.py")):
            rel = path.relative_to(self.root).as_posix()
            self.test_names[path.stem] = module_of(TESTS.get(rel, rel))

    # ---------------------------------------------------------------------------------- moves

    def move(self, old: str, new: str) -> None:
        src, dst = self.root / old, self.root / new
        if not src.exists():
            return
        print(f"git mv {old} {new}")
        self.moved[old] = new
        if self.dry_run:
            return
        dst.parent.mkdir(parents=True, exist_ok=True)
        run(["git", "mv", old, new], self.root)

    def write_new(self, rel: str, text: str) -> None:
        path = self.root / rel
        if path.exists():
            return
        print(f"create {rel}")
        if self.dry_run:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        run(["git", "add", rel], self.root)

    def moves(self) -> None:
        for old, new in MODULES.items():
            self.move(old, new)
        for pkg, doc in PACKAGES.items():
            self.write_new(f"{pkg}/__init__.py", f'"""{doc}"""\n')
        for old, new in TESTS.items():
            self.move(old, new)
        self.write_new("tests/__init__.py", '"""The test suite; its folders mirror the package."""\n')
        for new in sorted({str(Path(n).parent) for n in TESTS.values()}):
            if new != "tests":
                name = new.split("/", 1)[1]
                self.write_new(f"{new}/__init__.py", f'"""Tests of ``mdptm.{name.replace("/", ".")}``."""\n')

    # ------------------------------------------------------------------------------- rewrites

    def files(self) -> list[tuple[Path, str]]:
        """(file on disk, its path after the moves): in a dry run nothing has moved."""
        listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], self.root).stdout.splitlines()
        return sorted(
            (self.root / rel, self.moved.get(rel, rel) if self.dry_run else rel)
            for rel in set(listed)
            if rel != SELF and TEXT_FILES.fullmatch(rel) and (self.root / rel).is_file()
        )

    def rewrite_all(self) -> None:
        dotted = sorted(self.modules, key=len, reverse=True)
        self.dotted_re = re.compile(r"(?<![\w.])(" + "|".join(re.escape(m) for m in dotted) + r")(?![\w])")
        olds = sorted(self.paths, key=len, reverse=True)
        self.path_re = re.compile(r"(?<![\w/.])(" + "|".join(re.escape(p) for p in olds) + r")(?![\w])")
        for path, rel in self.files():
            text = path.read_text(encoding="utf-8")
            new = text
            if rel.endswith(".py"):
                new = self.absolute_imports(rel, new)
            new = self.path_re.sub(lambda m: self.paths[m.group(1)], new)
            new = self.dotted_re.sub(self.dotted, new)
            if rel.endswith(".py"):
                new = self.from_imports(new)
                if rel.startswith("tests/"):
                    new = self.test_imports(new)
                    new = self.file_depth(rel, new)
            if new != text:
                print(f"rewrite {rel}")
                if not self.dry_run:
                    path.write_text(new, encoding="utf-8")

    def dotted(self, m: re.Match[str]) -> str:
        name = m.group(1)
        s = m.string
        before = s[max(0, m.start() - 6) : m.start()]
        after = s[m.end() : m.end() + 1]
        # An entry-point group stands alone between quotes, backticks or brackets: not a module.
        if name in GROUPS and after in ('"', "'", "`", "]") and not before.endswith(":mod:`"):
            return name
        return self.modules[name]

    def absolute_imports(self, rel: str, text: str) -> str:
        """Relative imports would break when a module moves: write them absolute (old names, mapped next)."""
        if not rel.startswith("mdptm/"):
            return text
        old = next((o for o, n in self.moved.items() if n == rel), rel)
        package = module_of(old).split(".")
        if not old.endswith("__init__.py"):
            package = package[:-1]

        def absolute(m: re.Match[str]) -> str:
            dots, rest = m.group(2), m.group(3)
            base = package[: len(package) - (len(dots) - 1)]
            target = ".".join([*base, rest] if rest else base)
            return f"{m.group(1)}from {target} import"

        return re.sub(r"(?m)^(\s*)from (\.+)([\w.]*) import", absolute, text)

    def from_imports(self, text: str) -> str:
        """``from mdptm import diagrams`` -> ``from mdptm.render import diagrams`` (and ``as`` where renamed)."""
        pattern = re.compile(r"(?m)^(?P<indent>[ \t]*)from (?P<pkg>mdptm(?:\.\w+)*) import (?P<names>\([^)]*\)|[^\n#]+)(?P<tail>[^\n]*)")

        def fix(m: re.Match[str]) -> str:
            pkg, names = m.group("pkg"), m.group("names")
            parts = [p.strip() for p in names.strip("()").replace("\n", " ").split(",") if p.strip()]
            if not any(f"{pkg}.{p.split(' as ')[0].strip()}" in self.modules for p in parts):
                return m.group(0)
            ind = m.group("indent")
            stay: list[str] = []
            lines: list[str] = []
            for part in parts:
                name, _, alias = (x.strip() for x in part.partition(" as "))
                target = self.modules.get(f"{pkg}.{name}")
                if target is None:
                    stay.append(part)
                    continue
                parent, leaf = target.rsplit(".", 1)
                local = alias or name
                lines.append(f"{ind}from {parent} import {leaf}" + (f" as {local}" if local != leaf else ""))
            if stay:
                lines.insert(0, f"{ind}from {pkg} import {', '.join(stay)}")
            lines[-1] += m.group("tail")
            return "\n".join(lines)

        return pattern.sub(fix, text)

    def test_imports(self, text: str) -> str:
        """Tests imported helpers by bare name (``from import_helpers import ...``): import them from the package."""
        names = "|".join(re.escape(n) for n in sorted(self.test_names, key=len, reverse=True))
        text = re.sub(
            rf"(?m)^(\s*)from ({names}) import",
            lambda m: f"{m.group(1)}from {self.test_names[m.group(2)]} import",
            text,
        )
        return re.sub(
            rf"(?m)^(\s*)import ({names})\s*$",
            lambda m: f"{m.group(1)}import {self.test_names[m.group(2)]} as {m.group(2)}",
            text,
        )

    def file_depth(self, rel: str, text: str) -> str:
        """A test moved one folder down finds the repository and tests/data one ``.parent`` further up."""
        old = next((o for o, n in self.moved.items() if n == rel), None)
        if old is None:
            return text
        delta = rel.count("/") - old.count("/")
        if delta == 0:
            return text
        text = re.sub(r"Path\(__file__\)(\.resolve\(\))?((?:\.parent)+)", lambda m: m.group(0) + ".parent" * delta, text)
        text = re.sub(
            r"(Path\(__file__\)(?:\.resolve\(\))?\.parents\[)(\d+)\]",
            lambda m: f"{m.group(1)}{int(m.group(2)) + delta}]",
            text,
        )
        for line_no, line in enumerate(text.splitlines(), 1):
            if "__file__" in line and not re.search(r"Path\(__file__\)(\.resolve\(\))?\.(parent|parents\[)", line):
                warn(f"{rel}:{line_no}: uses __file__ in a way this script does not adjust for the move: {line.strip()}")
                self.problems += 1
        return text

    # -------------------------------------------------------------------------------- tidying

    def ruff(self, *args: str) -> None:
        exe = shutil.which("ruff", path=str(self.root / ".venv" / "bin")) or shutil.which("ruff")
        cmd = [exe, *args] if exe else [sys.executable, "-m", "ruff", *args]
        print("$ " + " ".join(["ruff", *args]))
        if self.dry_run:
            return
        proc = run(cmd, self.root, check=False)
        if proc.returncode not in (0, 1):
            warn(f"ruff {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
            self.problems += 1

    def leftovers(self) -> None:
        """Anything still naming an old module after the rewrite is a case this script missed."""
        if self.dry_run:
            return
        for path, rel in self.files():
            text = path.read_text(encoding="utf-8")
            for m in re.finditer(r"(?m)^\s*(?:from|import) ([\w.]+)", text):
                mod = m.group(1)
                if mod in self.modules and rel.endswith(".py") and not (self.root / mod.replace(".", "/")).is_dir():
                    warn(f"{rel}: still imports {mod}")
                    self.problems += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: the current folder)")
    parser.add_argument("--dry-run", action="store_true", help="report what would be done, change nothing")
    parser.add_argument("--allow-dirty", action="store_true", help="run on a worktree with uncommitted changes")
    args = parser.parse_args()
    root = args.root.resolve()
    if not (root / "mdptm").is_dir() or not (root / "pyproject.toml").is_file():
        sys.exit(f"relayout: {root} is not the mdptm repository root")
    job = Relayout(root, args.dry_run)
    job.check(args.allow_dirty)
    job.survey()
    job.moves()
    job.rewrite_all()
    job.ruff("check", "--select", "I", "--fix", "--quiet", "mdptm", "tests")
    # Last: the whole code in ruff's format, so that CI's ``ruff format --check`` holds for every branch's code.
    job.ruff("format", "--quiet", "mdptm", "tests")
    job.leftovers()
    print(f"relayout: done; {job.problems} warning(s) to look at" if job.problems else "relayout: done")


if __name__ == "__main__":
    main()
