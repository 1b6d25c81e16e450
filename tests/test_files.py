"""Text snippets: read only text files, and send our token only to Slack."""
from handlers.files import _is_text, _trusted


def test_the_bot_token_goes_only_to_slack_file_hosts():
    assert _trusted("https://files.slack.com/files-pri/T1-F1/depeche.txt", None)
    assert _trusted("http://127.0.0.1:8080/files-pri/T1-F1/x.txt", "http://127.0.0.1:8080/api/")
    assert not _trusted("https://evil.example/files-pri/T1-F1/x.txt", "http://127.0.0.1:8080/api/")
    assert not _trusted("https://files.slack.com.evil.example/x.txt", None)


def test_only_text_files_are_read():
    assert _is_text({"mimetype": "text/plain", "size": 5000})
    assert _is_text({"filetype": "post", "mimetype": "", "size": 100})
    assert not _is_text({"mimetype": "image/png", "filetype": "png", "size": 100})
    assert not _is_text({"mimetype": "text/plain", "size": 10_000_000})
