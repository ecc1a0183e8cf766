#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the media (the S3 bucket, or MEDIA_ROOT)
# into one dated folder. Reads /etc/civic/civic.env. Usage: deploy/backup.sh /backups
set -euo pipefail
set -a; . "${CIVIC_ENV:-/etc/civic/civic.env}"; set +a
target="${1:?where to write the backup}/civic-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/database.dump" "$DATABASE_URL"
if [ -n "${S3_BUCKET:-}" ]; then
  # Any S3 client does; this one uses the project's boto3 (PYTHON: the virtualenv's python).
  "${PYTHON:-/srv/civic/.venv/bin/python}" "$(dirname "$0")/s3_sync.py" download "$S3_BUCKET" "$target/media"
else
  tar -C "${MEDIA_ROOT:?}" -czf "$target/media.tar.gz" .
fi
echo "Backed up to $target"
