#!/usr/bin/env bash
# refresh-krds.sh — (re)vendor the Korean government design system KRDS from the
# npm package `krds-uiux` into crates/maeul-web/assets/vendor/krds/.
#
# Usage:  scripts/refresh-krds.sh [VERSION]        (default: 1.1.0)
# Env:    KRDS_DEST=dir          write somewhere else (e.g. to diff against the tree)
#         KRDS_FONT_WEIGHTS="Regular Medium SemiBold Bold"   woff2 weights to copy
#         KRDS_FETCH_OFL=1       also refresh fonts/OFL.txt from the npm package
#                                pretendard-gov (a ~160 MB tarball, so opt-in)
#
# Needs: bash, npm/node, tar, sed, grep.  Touches nothing outside $DEST.
#
# What it produces (everything else in $DEST — LICENSE-NOTES.md, STRUCTURE.md,
# fonts/OFL.txt — is hand-maintained and left alone):
#   css/output.css       resources/css/component/output.css, with the edits below
#   css/krds_tokens.css  resources/css/token/krds_tokens.css (output.css @imports it)
#   js/ui-script.js      resources/js/component/ui-script.js
#   img/icon/*.svg       exactly the files output.css references via url(...)
#   fonts/*.woff2        Pretendard GOV woff2 files for KRDS_FONT_WEIGHTS
#   fonts.css            our own @font-face rules for "Pretendard GOV"
#   upstream/            the package's package.json and README.md (licence statements)
#
# Edits applied to the copied files (and nothing else):
#   * all text files: CRLF -> LF (upstream ships CRLF);
#   * output.css: url(../../img/component/…) -> url(../img/…) and
#     @import "../../css/token/krds_tokens.css" -> @import "krds_tokens.css",
#     so the flat layout above works; the trailing sourceMappingURL comment is
#     dropped (source maps are not vendored).
# Deliberately NOT used: component.css (its icon urls point at img/img/… and are
# broken) and anything under resources/cdn/ (bundles meant for remote loading).
#
# Safety checks (the script fails if any is violated): every url() and @import
# in the copied CSS resolves to a copied file; no copied CSS/JS mentions an
# http:// or https:// URL or a protocol-relative //host reference.
set -euo pipefail

VERSION="${1:-1.1.0}"
# Integrity of the default version, as published on the registry (npm view
# krds-uiux@1.1.0 dist.integrity).  Other versions are only checked by npm itself.
KNOWN_INTEGRITY_1_1_0='sha512-4cjL3cpnlTaDrkivVceDpWhHxUYgV2AhiRRbO74I8ZKlnM17BcutEjPOlMOz9RQGAmdEubTsSYoyKFhvD1/g+A=='
PRETENDARD_GOV_VERSION='1.3.9'   # matches the fonts' internal version 1.309

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${KRDS_DEST:-$ROOT/crates/maeul-web/assets/vendor/krds}"
read -r -a WEIGHTS <<<"${KRDS_FONT_WEIGHTS:-Regular Medium SemiBold Bold}"

die() { echo "refresh-krds: error: $*" >&2; exit 1; }
log() { echo "refresh-krds: $*" >&2; }

command -v npm >/dev/null || die "npm not found"
command -v node >/dev/null || die "node not found"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------- 1. fetch
log "fetching krds-uiux@$VERSION"
( cd "$TMP" && npm pack "krds-uiux@$VERSION" --json --silent >pack.json )
TARBALL="$(node -e 'const p=require(process.argv[1]);console.log(p[0].filename)' "$TMP/pack.json")"
INTEGRITY="$(node -e 'const p=require(process.argv[1]);console.log(p[0].integrity)' "$TMP/pack.json")"
if [[ "$VERSION" == "1.1.0" && "$INTEGRITY" != "$KNOWN_INTEGRITY_1_1_0" ]]; then
  die "integrity mismatch for krds-uiux@1.1.0: got $INTEGRITY"
fi
mkdir "$TMP/x"
tar -xzf "$TMP/$TARBALL" -C "$TMP/x"
PKG="$TMP/x/package"
RES="$PKG/resources"
GOT_VERSION="$(node -e 'console.log(require(process.argv[1]).version)' "$PKG/package.json")"
[[ "$GOT_VERSION" == "$VERSION" ]] || die "tarball says version $GOT_VERSION, wanted $VERSION"

SRC_CSS="$RES/css/component/output.css"
SRC_TOKENS="$RES/css/token/krds_tokens.css"
SRC_JS="$RES/js/component/ui-script.js"
for f in "$SRC_CSS" "$SRC_TOKENS" "$SRC_JS"; do
  [[ -f "$f" ]] || die "package layout changed: missing ${f#"$PKG"/}"
done

# ---------------------------------------------------------------- 2. stage
OUT="$TMP/out"
mkdir -p "$OUT/css" "$OUT/js" "$OUT/img" "$OUT/fonts" "$OUT/upstream"

crlf_to_lf() { sed -e 's/\r$//' "$1" >"$2"; }

# The only @import upstream has; refuse to continue if that changes.
imports="$(grep -o '@import[^;]*;' "$SRC_CSS" || true)"
[[ "$imports" == '@import "../../css/token/krds_tokens.css";' ]] \
  || die "unexpected @import(s) in output.css: $imports"

# Every url() target, as written in output.css (quotes, ?query and #fragment stripped).
list_urls() {
  grep -o 'url([^)]*)' "$1" \
    | sed -e 's/^url(//' -e 's/)$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
          -e "s/^[\"']//" -e "s/[\"']\$//" -e 's/[?#].*$//' \
    | sort -u
}

# Copy each referenced file.  They must all live under resources/img/component/.
n_img=0
while IFS= read -r u; do
  [[ -z "$u" || "$u" == data:* ]] && continue
  case "$u" in
    ../../img/component/*) rel="${u#../../img/component/}" ;;
    *) die "output.css references an unexpected path: $u" ;;
  esac
  src="$RES/img/component/$rel"
  [[ -f "$src" ]] || die "output.css references a file missing from the package: $u"
  mkdir -p "$(dirname "$OUT/img/$rel")"
  cp "$src" "$OUT/img/$rel"
  n_img=$((n_img + 1))
done < <(list_urls "$SRC_CSS")

sed -e 's/\r$//' \
    -e 's#url(\.\./\.\./img/component/#url(../img/#g' \
    -e 's#@import "\.\./\.\./css/token/krds_tokens\.css";#@import "krds_tokens.css";#' \
    -e '/^\/\*# sourceMappingURL=.*\*\/$/d' \
    "$SRC_CSS" >"$OUT/css/output.css"
crlf_to_lf "$SRC_TOKENS" "$OUT/css/krds_tokens.css"
crlf_to_lf "$SRC_JS" "$OUT/js/ui-script.js"
crlf_to_lf "$PKG/package.json" "$OUT/upstream/package.json"
if [[ -f "$PKG/README.md" ]]; then crlf_to_lf "$PKG/README.md" "$OUT/upstream/README.md"; fi
# Licence files, should a future version ship any.
for lic in "$PKG"/LICEN[CS]E* "$PKG"/COPYING*; do
  if [[ -f "$lic" ]]; then crlf_to_lf "$lic" "$OUT/upstream/$(basename "$lic")"; fi
done

# ---------------------------------------------------------------- 3. fonts
weight_of() {
  case "$1" in
    Thin) echo 100 ;; ExtraLight) echo 200 ;; Light) echo 300 ;; Regular) echo 400 ;;
    Medium) echo 500 ;; SemiBold) echo 600 ;; Bold) echo 700 ;; ExtraBold) echo 800 ;;
    Black) echo 900 ;; *) return 1 ;;
  esac
}
{
  echo '/* Pretendard GOV for KRDS. Generated by scripts/refresh-krds.sh from the npm'
  echo "   package krds-uiux@$VERSION (resources/fonts/); do not edit by hand."
  echo '   Font: Copyright (c) Kil Hyung-jin, SIL Open Font License 1.1, see fonts/OFL.txt.'
  echo '   KRDS uses the family name "Pretendard GOV" (--krds-typo-font-type) and the'
  echo '   weights 400 and 700. */'
} >"$OUT/fonts.css"
have_regular=0 have_bold=0
for w in "${WEIGHTS[@]}"; do
  num="$(weight_of "$w")" || die "unknown font weight name: $w"
  src="$(ls "$RES/fonts/PretendardGOV-$w".*woff2 2>/dev/null | head -n1 || true)"
  if [[ -z "$src" ]]; then
    log "note: krds-uiux@$VERSION ships no PretendardGOV-$w woff2; skipped"
    continue
  fi
  base="$(basename "$src")"
  cp "$src" "$OUT/fonts/$base"
  if [[ "$w" == Regular ]]; then have_regular=1; fi
  if [[ "$w" == Bold ]]; then have_bold=1; fi
  cat >>"$OUT/fonts.css" <<EOF

@font-face {
  font-family: "Pretendard GOV";
  font-style: normal;
  font-weight: $num;
  font-display: swap;
  src: url("fonts/$base") format("woff2");
}
EOF
done
(( have_regular && have_bold )) || die "Regular and Bold woff2 are required (output.css uses 400 and 700)"

# ---------------------------------------------------------------- 4. verify
# (a) every url() / @import in the copied CSS resolves to a staged file.
bad=0
for css in "$OUT"/css/*.css "$OUT/fonts.css"; do
  dir="$(dirname "$css")"
  while IFS= read -r u; do
    [[ -z "$u" || "$u" == data:* ]] && continue
    if [[ ! -f "$dir/$u" ]]; then
      echo "unresolved url() in ${css#"$OUT"/}: $u" >&2; bad=1
    fi
  done < <(list_urls "$css")
  while IFS= read -r u; do
    [[ -z "$u" ]] && continue
    [[ -f "$dir/$u" ]] || { echo "unresolved @import in ${css#"$OUT"/}: $u" >&2; bad=1; }
  done < <(grep -o '@import[^;]*;' "$css" | sed -e 's/^@import[[:space:]]*//' -e 's/^url(//' \
             -e 's/[[:space:]]*;$//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']\$//")
done
(( bad == 0 )) || die "broken references in the copied CSS (see above)"

# (b) nothing may load from a remote host.
if grep -nE 'https?://' "$OUT"/css/*.css "$OUT"/js/*.js "$OUT/fonts.css" >&2; then
  die "the copied CSS/JS mention a remote URL (listed above); review and neutralise it here"
fi
if grep -nE "url\([[:space:]]*[\"']?//|@import[[:space:]]+[\"']//|[\"'\`]//[A-Za-z0-9.-]+\.[A-Za-z]{2,}" \
     "$OUT"/css/*.css "$OUT"/js/*.js >&2; then
  die "the copied CSS/JS contain a protocol-relative URL (listed above)"
fi

# ---------------------------------------------------------------- 5. OFL (opt-in)
if [[ "${KRDS_FETCH_OFL:-0}" == 1 ]]; then
  log "fetching pretendard-gov@$PRETENDARD_GOV_VERSION for its LICENSE.txt (large download)"
  ( cd "$TMP" && npm pack "pretendard-gov@$PRETENDARD_GOV_VERSION" --silent >/dev/null )
  tar -xzf "$TMP/pretendard-gov-$PRETENDARD_GOV_VERSION.tgz" -C "$TMP" package/dist/LICENSE.txt
  crlf_to_lf "$TMP/package/dist/LICENSE.txt" "$OUT/fonts/OFL.txt"
fi

# ---------------------------------------------------------------- 6. install
mkdir -p "$DEST/fonts"
rm -rf "$DEST/css" "$DEST/js" "$DEST/img" "$DEST/upstream" "$DEST/fonts.css"
rm -f "$DEST"/fonts/*.woff2
cp -R "$OUT/css" "$OUT/js" "$OUT/img" "$OUT/upstream" "$OUT/fonts.css" "$DEST/"
cp "$OUT"/fonts/* "$DEST/fonts/"
[[ -f "$DEST/fonts/OFL.txt" ]] || log "warning: $DEST/fonts/OFL.txt is missing (run with KRDS_FETCH_OFL=1)"

size="$(du -sk "$DEST" | cut -f1)"
log "krds-uiux@$VERSION ($INTEGRITY)"
log "installed into $DEST: $n_img icon(s), $(ls "$OUT"/fonts/*.woff2 | wc -l) font file(s), ${size} KiB total"
