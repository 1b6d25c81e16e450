from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (FIXTURES / "depeche_otan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def wordpress():
    """A real WordPress (Playground CLI + Debian's core), shared by the whole session; installed
    and started on first use (about 20 s the first time on a fresh machine, then about 10 s)."""
    from tests.wordpress_server import WordPressServer

    server = WordPressServer().start()
    print(f"\nWordPress Playground ready on {server.url} in {server.started_in:.1f} s")
    yield server
    server.stop()
