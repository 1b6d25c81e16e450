"""Reading a dispatch from a file or stdin ("-"), shared by the command line and the evaluation:
raw bytes decoded as UTF-8 (with or without BOM) or cp1252; a binary file, a folder or a missing or
unreadable file is an InputError with a French message."""
from __future__ import annotations

import sys

from .errors import InputError


def read_input(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except FileNotFoundError:
        raise InputError(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} est un dossier, pas un fichier texte.") from None
    except PermissionError:
        raise InputError(f"Lecture impossible (droits insuffisants) : {path}") from None
    if b"\x00" in data[:8192]:
        raise InputError("Ce fichier n’est pas du texte : donnez une dépêche en texte brut, Markdown ou HTML.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("Encodage du fichier illisible : enregistrez la dépêche en UTF-8.")
