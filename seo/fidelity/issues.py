"""The one thing every fidelity check returns: an issue shown as « À vérifier »."""
from __future__ import annotations

from pydantic import BaseModel

# Kinds of issue, as they appear in the JSON report ("kind") and in Slack (French label).
ISSUE_KINDS = ("quote", "number", "name", "link")


class FidelityIssue(BaseModel):
    kind: str  # one of ISSUE_KINDS
    text: str  # the offending passage as written in the article
    detail: str  # French explanation for the journalist
