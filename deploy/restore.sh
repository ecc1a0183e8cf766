#!/usr/bin/env bash
# Restore a backup made by backup.sh: the database (into an EMPTY database named by
# DATABASE_URL) and the media. Stop the web, worker and scheduler units first.
# Usage: deploy/restore.sh /backups/civic-20261203T170000Z
set -euo pipefail
set -a; . "${CIVIC_ENV:-/etc/civic/civic.env}"; set +a
source="${1:?the backup folder}"
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "$source/database.dump"
if [ -d "$source/media" ]; then
  "${PYTHON:-/srv/civic/.venv/bin/python}" "$(dirname "$0")/s3_sync.py" upload "$S3_BUCKET" "$source/media"
else
  mkdir -p "${MEDIA_ROOT:?}"
  tar -C "$MEDIA_ROOT" -xzf "$source/media.tar.gz"
fi
echo "Restored from $source; now run: manage.py migrate, then start the units."
