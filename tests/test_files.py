"""Text snippets: read only text files, and send our token only to Slack."""
import pytest

from handlers.files import _is_text, _trusted

API = "http://127.0.0.1:8080/api/"


@pytest.mark.parametrize("url", [
    "https://files.slack.com/files-pri/T1-F1/depeche.txt",
    "https://files.slack-gov.com/files-pri/T1-F1/depeche.txt",
    "http://127.0.0.1:8080/files-pri/T1-F1/x.txt",  # the configured API origin (tests)
])
def test_the_bot_token_goes_to_slack_file_hosts(url):
    assert _trusted(url, API)


@pytest.mark.parametrize("url", [
    "http://files.slack.com/files-pri/T1-F1/depeche.txt",  # not https
    "https://files.slack.com:8443/x.txt",  # another port
    "https://evil.slack.com/files-pri/T1-F1/x.txt",  # any *.slack.com is not a file host
    "https://slack.com/files-pri/T1-F1/x.txt",
    "https://files.slack.com.evil.example/x.txt",
    "https://evil.example/files-pri/T1-F1/x.txt",
    "http://127.0.0.1:9999/files-pri/T1-F1/x.txt",  # the API host, another port
    "https://127.0.0.1:8080/x.txt",  # the API host and port, another scheme
    "ftp://files.slack.com/x.txt",
    "https://files.slack.com:99999/x.txt",
    "",
])
def test_the_bot_token_goes_nowhere_else(url):
    assert not _trusted(url, API)
    assert not _trusted(url, None)


def test_only_text_files_are_read():
    assert _is_text({"mimetype": "text/plain", "size": 5000})
    assert _is_text({"filetype": "post", "mimetype": "", "size": 100})
    assert not _is_text({"mimetype": "image/png", "filetype": "png", "size": 100})
    assert not _is_text({"mimetype": "text/plain", "size": 10_000_000})
