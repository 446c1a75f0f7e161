import shutil

import pytest

from policytag.corpus import Corpus

from doccano_helpers import FIXTURES


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    """A copy of the fixture corpus (tests/data/doccano/corpus): seed-000 #0-#8 and seed-003."""
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", root)
    return Corpus(root)


@pytest.fixture(scope="session")
def nlp():
    from policytag.pipeline import build_rules_pipeline

    return build_rules_pipeline()
