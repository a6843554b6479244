"""Where the maker's files live is provenance: never published, not even as a diagram's path."""

from __future__ import annotations

import yaml

from mdptm.model import Diagram, Model
from mdptm.redaction.redact import Policy, public_view, redact
from tests.redaction.test_redact import MODEL


def _model(path: str) -> Model:
    model = Model.model_validate(yaml.safe_load(MODEL))
    model.views[0].diagram = Diagram(path=path, caption="Global System View")
    return model


def test_a_diagram_keeps_only_its_own_file_name() -> None:
    model = _model("C:\\Users\\dwhitlock\\Drafts\\Pump TM v3 (internal).docx#word/media/image7.png")
    for public in (public_view(model), redact(model, Policy())[0]):
        diagram = public.views[0].diagram
        assert diagram is not None and diagram.path == "image7.png"
        assert diagram.caption == "Global System View"
    assert model.views[0].diagram is not None and "dwhitlock" in model.views[0].diagram.path  # the input is kept


def test_a_posix_path_loses_its_folders() -> None:
    public = public_view(_model("/home/dana/kestrel/diagrams/gsv.png"))
    assert public.views[0].diagram is not None and public.views[0].diagram.path == "gsv.png"
