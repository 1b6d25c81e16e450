#!/usr/bin/env bash
# One entry point for a newcomer on a fresh machine:
#   bash run.sh sample   set up, then rewrite the sample dispatch (CLI)
#   bash run.sh eval [DIR] [--json]   set up, then evaluate the model on DIR (default: tests/fixtures/eval)
#   bash run.sh bot      set up, then run the Slack bot (reads .env)
#   bash run.sh test     set up with test tools, then run the whole test suite
#   bash run.sh bench    set up, then run the benchmarks
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv

setup() {  # $1: requirements file
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(cat requirements.txt "$1" | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$1"
        touch "$stamp"
    fi
}

audit() {  # known vulnerabilities in the pinned runtime deps: fails on a finding, warns if it cannot tell
    local out rc=0
    out=$(timeout 180 "$VENV/bin/pip-audit" -r requirements.txt --progress-spinner off 2>&1) || rc=$?
    if [ "$rc" -eq 0 ]; then
        local skipped
        skipped=$(grep -c "could not be audited" <<<"$out" || true)
        if [ "$skipped" -gt 0 ]; then
            echo "pip-audit : AVERTISSEMENT, $skipped paquets n’ont pas pu être vérifiés (base de vulnérabilités sans ces versions ou injoignable)." >&2
        else
            echo "pip-audit : aucune vulnérabilité connue." >&2
        fi
    elif grep -qiE "^Found [0-9]+ known vulnerabilit" <<<"$out"; then
        echo "$out" >&2
        echo "pip-audit : vulnérabilités connues dans requirements.txt, mettez les versions à jour." >&2
        exit 1
    else
        echo "pip-audit : AVERTISSEMENT, audit impossible (base de vulnérabilités injoignable ?) :" >&2
        tail -n 3 <<<"$out" >&2
    fi
}

fake_model_without_key() {  # no key configured: the tests' fake model answers (no real LLM called)
    if [ -z "${OPENAI_API_KEY:-}" ] && [ -z "${OPENAI_BASE_URL:-}" ] && ! grep -qs '^OPENAI_API_KEY=..' .env; then
        echo "Pas de OPENAI_API_KEY : démonstration avec le modèle factice des tests (aucun vrai LLM appelé)." >&2
        out=$(mktemp)
        "$VENV/bin/python" -m tests.fakes.openai_server --port 0 >"$out" 2>/dev/null &
        fake=$!
        trap 'kill $fake 2>/dev/null || true; rm -f "$out"' EXIT
        for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
        url=$(head -n1 "$out")
        export OPENAI_BASE_URL="$url" OPENAI_API_KEY=demo
    fi
}

case "${1:-sample}" in
    sample)
        setup requirements.txt
        shift || true
        fake_model_without_key
        "$VENV/bin/python" -m seo rewrite tests/fixtures/depeche_otan.txt "$@"
        ;;
    eval)
        setup requirements.txt
        shift || true
        dir=tests/fixtures/eval
        if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then dir=$1; shift; fi
        fake_model_without_key
        "$VENV/bin/python" -m seo eval "$dir" "$@"
        ;;
    bot)
        setup requirements.txt
        shift
        exec "$VENV/bin/python" bot.py "$@"
        ;;
    test)
        setup requirements-dev.txt
        shift
        audit
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    bench)
        setup requirements-dev.txt
        shift
        exec "$VENV/bin/python" -m benchmarks "$@"
        ;;
    *)
        echo "Usage : bash run.sh [sample|eval|bot|test|bench]" >&2
        exit 2
        ;;
esac
