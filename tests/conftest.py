from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "reports").glob("seed-*.txt"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    assert len(SEEDS) == 5
    return SEEDS
