#!/usr/bin/env bash
# Installs, once, what the WordPress tests run, in a cache outside the repo
# (${SEO_FR_CACHE:-~/.cache/seo-fr}/wordpress):
#   - WordPress Playground's CLI from npm (pinned by package-lock.json beside this file): WordPress
#     in Node with PHP compiled to WebAssembly, on SQLite (its SQLite integration plugin ships
#     inside the CLI package, so nothing is downloaded at run time);
#   - WordPress core from Debian's `wordpress` package (apt-get download + dpkg -x; bookworm:
#     6.1.9, which has no SQLite plugin: Playground installs the one it ships, 3.0.1, whose readme
#     says "requires 6.4" yet runs everything the tests use on 6.1), made runnable by Playground: Debian's wp-config.php (which reads /etc/wordpress) and
#     the symlinks to other Debian packages (getID3, underscore, cropper, CA bundle: not used by
#     the REST API) are removed; Playground writes its own wp-config.php from wp-config-sample.php.
# Prints two lines: the CLI's path, then the WordPress core folder (never modified by the tests:
# they copy it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SEO_FR_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/seo-fr}/wordpress
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9  # two test runs installing at once take turns

fail() { echo "tools/wordpress/setup.sh : $*" >&2; exit 1; }

# --- Playground's CLI (Node >= 20.10) ---------------------------------------------------------
command -v node >/dev/null && command -v npm >/dev/null || fail "Node.js 20 et npm sont nécessaires."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=10)?0:1)' \
    || fail "Node.js $(node --version) trop ancien : il faut Node.js 20.10 ou plus."
stamp=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-12)
cli_dir="$cache/playground-$stamp"
cli="$cli_dir/node_modules/.bin/wp-playground-cli"
if [ ! -x "$cli" ]; then
    rm -rf "$cli_dir.tmp" && mkdir -p "$cli_dir.tmp"
    cp "$here/package.json" "$here/package-lock.json" "$cli_dir.tmp/"
    (cd "$cli_dir.tmp" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) \
        || fail "npm ci a échoué (registre npm injoignable ?)."
    rm -rf "$cli_dir" && mv "$cli_dir.tmp" "$cli_dir"
fi

# --- WordPress core from Debian ---------------------------------------------------------------
core="$cache/core"
if [ ! -f "$core/wp-includes/version.php" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && { apt-get download wordpress >&2 2>/dev/null || { apt-get update -q >&2 && apt-get download wordpress >&2; }; }) \
        || fail "apt-get download wordpress a échoué (dépôts Debian injoignables ?)."
    dpkg -x "$work"/wordpress_*.deb "$work/root"
    rm -rf "$core.tmp" && cp -a "$work/root/usr/share/wordpress" "$core.tmp"
    rm -f "$core.tmp/wp-config.php" "$core.tmp/.htaccess"
    find "$core.tmp" -xtype l -delete
    mkdir -p "$core.tmp/wp-content/mu-plugins" "$core.tmp/wp-content/themes" "$core.tmp/wp-content/uploads"
    basename "$work"/wordpress_*.deb > "$core.tmp/.debian-package"
    rm -rf "$core" && mv "$core.tmp" "$core"
fi
echo "$cli"
echo "$core"
