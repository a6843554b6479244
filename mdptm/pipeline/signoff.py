"""Recording sign-offs (paper §IX step 9) into a model file or the project file ``mdptm.yaml``.

A project file is written by people, with comments and a layout of their own, so the new entry is
inserted as text where the ``signoffs`` list ends and the result re-parsed to prove that nothing else
changed. A model file is written by mdptm and is rewritten in its canonical form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from mdptm.base.output import staged_file
from mdptm.base.safety import not_utf8, parse_yaml, read_input
from mdptm.errors import InputError
from mdptm.model import Signoff
from mdptm.model.io import dumps, fmt_for, load, read_structured
from mdptm.pipeline.project import PROJECT_FILE


def signoff_target(path: Path) -> tuple[Path, bool]:
    """(file to write, is it a project file): a folder means its ``mdptm.yaml``."""
    if path.is_dir():
        project = path / PROJECT_FILE
        if not project.exists():
            raise InputError(f"no {PROJECT_FILE} in the project folder", file=str(path))
        return project, True
    if not path.exists():
        raise InputError("no such file", file=str(path))
    return path, path.name == PROJECT_FILE


def record_signoff(path: Path, signoff: Signoff) -> Path:
    """Append *signoff* to the model or project file at *path*; returns the file written."""
    target, is_project = signoff_target(path)
    if is_project:
        text = _read_text(target)
        new_text = add_to_yaml_list(text, ["signoffs"], _entry(signoff), file=str(target))
    else:
        model = load(target)
        model.document.signoffs.append(signoff)
        if fmt_for(target) == "yaml":
            text = _read_text(target)
            try:
                new_text = add_to_yaml_list(text, ["document", "signoffs"], _entry(signoff), file=str(target))
            except InputError:
                new_text = dumps(model, "yaml")  # layout the editor cannot follow: canonical form
        else:
            new_text = _json_with_signoff(target, signoff)
    with staged_file(target) as tmp:
        tmp.write_text(new_text, encoding="utf-8", newline="\n")
    return target


def _read_text(path: Path) -> str:
    raw = read_input(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(not_utf8(raw, exc), file=str(path)) from None


def _entry(signoff: Signoff) -> dict[str, object]:
    return signoff.model_dump(mode="json", exclude_none=True)


def _json_with_signoff(target: Path, signoff: Signoff) -> str:
    data = read_structured(target)
    doc = data.setdefault("document", {})
    doc.setdefault("signoffs", []).append(_entry(signoff))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------ YAML text insertion


def _block(entry: dict[str, object], indent: int) -> list[str]:
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return [" " * indent + line for line in text.splitlines()]


def _find_key(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def add_to_yaml_list(text: str, path: list[str], entry: dict[str, object], *, file: str) -> str:
    """Append *entry* to the list at *path* (creating it), keeping every other byte of *text*.

    The result is re-parsed and compared with the original data plus the entry; anything else is
    refused rather than written.
    """
    before = parse_yaml(text, file=file) if text.strip() else {}  # aliases bounded, errors located
    try:
        root = yaml.compose(text) if text.strip() else None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML syntax error: {exc}", file=file) from None
    if before is None:
        before, root = {}, None
    if not isinstance(before, dict):
        raise InputError("the file must be a mapping", file=file)
    lines = text.splitlines()
    new_lines = _insert(lines, root, path, entry, file)
    new_text = "\n".join(new_lines) + "\n"
    expected = _expected(before, path, entry)
    try:
        after = parse_yaml(new_text, file=file)
    except InputError:
        after = None
    if after != expected:
        raise InputError("cannot add the entry without changing other content; add it by hand", file=file, locator="/" + "/".join(path))
    return new_text


def _expected(data: dict[str, object], path: list[str], entry: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = _copy(data)
    node: Any = out
    for key in path[:-1]:
        node = node.setdefault(key, {})
    lst = node.get(path[-1])
    node[path[-1]] = [*(lst or []), entry]
    return out


def _copy(value: object) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _insert(lines: list[str], root: yaml.Node | None, path: list[str], entry: dict[str, object], file: str) -> list[str]:
    if root is None:
        return [*lines, *_nested(path, entry, 0)]
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise InputError("the file is not a block mapping", file=file)
    node: yaml.MappingNode = root
    for depth, key in enumerate(path):
        found = _find_key(node, key)
        last = depth == len(path) - 1
        if found is None:
            indent = node.value[0][0].start_mark.column if node.value else 2 * depth
            end = _end_line(node, lines)
            return lines[:end] + _nested(path[depth:], entry, indent) + lines[end:]
        knode, vnode = found
        if not last:
            if not isinstance(vnode, yaml.MappingNode) or vnode.flow_style:
                raise InputError(f"{key!r} is not a block mapping", file=file)
            node = vnode
            continue
        if isinstance(vnode, yaml.SequenceNode) and not vnode.flow_style and vnode.value:
            indent = vnode.value[0].start_mark.column - 2
            end = _end_line(vnode, lines)
            return lines[:end] + _block(entry, indent) + lines[end:]
        empty_flow = isinstance(vnode, yaml.SequenceNode) and vnode.flow_style and not vnode.value
        empty_null = isinstance(vnode, yaml.ScalarNode) and vnode.tag.endswith(":null")
        if not (empty_flow or empty_null) or vnode.end_mark.line != knode.start_mark.line:
            raise InputError(f"{key!r} is not a block list", file=file)
        line = knode.start_mark.line
        head = lines[line][: knode.end_mark.column] + ":"
        rest = lines[line][vnode.end_mark.column :] if empty_flow else ""
        comment = rest[rest.index("#") :] if "#" in rest else ""
        keep = [head + (f"  {comment}" if comment else "")]
        return lines[:line] + keep + _block(entry, knode.start_mark.column + 2) + lines[line + 1 :]
    raise InputError("empty path", file=file)  # pragma: no cover - path is never empty


def _nested(path: list[str], entry: dict[str, object], indent: int) -> list[str]:
    out = []
    for i, key in enumerate(path):
        out.append(" " * (indent + 2 * i) + f"{key}:")
    return out + _block(entry, indent + 2 * len(path))


def _end_line(node: yaml.Node, lines: list[str]) -> int:
    """The line index after the last line that holds content of *node* (trailing comments stay after)."""
    end = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
    end = min(end, len(lines))
    while end > node.start_mark.line + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end
