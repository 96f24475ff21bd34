#!/usr/bin/env bash
# Vendors HTMX from the npm registry into src/boundaries/web/static/vendor/, so that pages load it
# from Boundaries itself and never from a CDN. Re-runnable: it overwrites the vendored files.
#
#   scripts/vendor_htmx.sh            # the pinned version below
#   scripts/vendor_htmx.sh 2.0.12     # another version (stay on 2.x: 4.x changes the API)
set -euo pipefail

VERSION="${1:-2.0.11}"
PACKAGE="htmx.org"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/boundaries/web/static/vendor"

for tool in npm node tar sha256sum; do
    command -v "$tool" >/dev/null || { echo "vendor_htmx: needs $tool" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
# What the registry says the tarball should be, asked for separately from the download so that
# the two can be compared.
EXPECTED_INTEGRITY="$(npm view "$PACKAGE@$VERSION" dist.integrity)"
EXPECTED_SHASUM="$(npm view "$PACKAGE@$VERSION" dist.shasum)"
RESOLVED="$(npm view "$PACKAGE@$VERSION" version)"
if [[ -z "$RESOLVED" || "$RESOLVED" == *$'\n'* ]]; then
    echo "vendor_htmx: '$VERSION' does not name exactly one version of $PACKAGE" >&2
    exit 1
fi

npm pack --silent "$PACKAGE@$RESOLVED" >/dev/null
TARBALL="$WORK/$PACKAGE-$RESOLVED.tgz"
[[ -f "$TARBALL" ]] || { echo "vendor_htmx: npm pack made no $TARBALL" >&2; exit 1; }

# The integrity npm records is sha512 in base64 (Subresource Integrity form); the shasum is SHA-1.
ACTUAL_INTEGRITY="sha512-$(node -e '
const fs = require("fs"), crypto = require("crypto");
process.stdout.write(crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
' "$TARBALL")"
ACTUAL_SHASUM="$(sha1sum "$TARBALL" | cut -d' ' -f1)"
if [[ "$ACTUAL_INTEGRITY" != "$EXPECTED_INTEGRITY" || "$ACTUAL_SHASUM" != "$EXPECTED_SHASUM" ]]; then
    echo "vendor_htmx: the tarball does not match the registry's integrity; refusing it" >&2
    exit 1
fi

tar -xzf "$TARBALL"
for file in package/dist/htmx.min.js package/LICENSE; do
    [[ -f "$file" ]] || { echo "vendor_htmx: the package has no $file" >&2; exit 1; }
done

mkdir -p "$DEST"
cp package/dist/htmx.min.js "$DEST/htmx.min.js"
cp package/LICENSE "$DEST/htmx.LICENSE"
SHA256="$(sha256sum "$DEST/htmx.min.js" | cut -d' ' -f1)"
LICENCE="$(node -p 'require("./package/package.json").license' )"

cat >"$DEST/README.md" <<README
# Vendored front-end files

Boundaries serves these itself: pages never load scripts from a CDN.

## HTMX

| what | value |
| --- | --- |
| package | \`$PACKAGE\` from the npm registry |
| version | $RESOLVED |
| tarball integrity (npm) | \`$EXPECTED_INTEGRITY\` |
| tarball shasum (npm, SHA-1) | \`$EXPECTED_SHASUM\` |
| \`htmx.min.js\` SHA-256 | \`$SHA256\` |
| licence | $LICENCE (SPDX), in \`htmx.LICENSE\` |

\`htmx.min.js\` is \`dist/htmx.min.js\` from the package tarball and \`htmx.LICENSE\` its
\`LICENSE\`, both unchanged.

To refresh, or to move to another 2.x release, run from the repository root:

\`\`\`sh
scripts/vendor_htmx.sh            # the version pinned in the script
scripts/vendor_htmx.sh 2.0.12     # a named version
\`\`\`

It needs \`npm\` and \`node\`, downloads the package tarball with \`npm pack\`, refuses it unless its
SHA-512 and SHA-1 match what the registry publishes, and rewrites the two files and this README.
Stay on 2.x: HTMX 4 changes the API. Check the release notes before changing the pinned version.
README

echo "HTMX $RESOLVED vendored into ${DEST#"$ROOT"/}"
echo "  tarball integrity $EXPECTED_INTEGRITY"
echo "  htmx.min.js sha256 $SHA256"
