from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (FIXTURES / "depeche_otan.txt").read_text(encoding="utf-8")
