"""deploy/backup.sh and deploy/restore.sh, run as an operator would: the database (pg_dump) and
the media (the S3 bucket, or a tarball of MEDIA_ROOT) backed up, then restored into a new, empty
database and a new bucket or folder, which hold the same reports and the same photos."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from reports.models import ReportPhoto
from tests.reports.conftest import world  # noqa: F401  (fixture)
from tests.reports.test_reports_api import Api, submit_with_photos
from tests.rq_worker import database_url
from tests.s3_server import CREDENTIALS

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
REPORTS = "SELECT id, description, state, is_public, created_at FROM reports_report ORDER BY id"
PHOTOS = "SELECT display, thumbnail, checksum FROM reports_reportphoto ORDER BY id"


@pytest.fixture
def empty_database():
    """A new, empty database on the test database's server, dropped after."""
    source = urlsplit(database_url())
    if source.scheme != "postgres":
        pytest.skip("backup.sh backs up PostgreSQL")
    name = f"civic_prod_restored_{secrets.token_hex(4)}"
    server = source._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield source._replace(path=f"/{name}").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run(script, env_file, *args):
    env = {
        "PATH": os.environ["PATH"],
        "CIVIC_ENV": str(env_file),
        "PYTHON": sys.executable,
    }
    done = subprocess.run(
        ["bash", str(DEPLOY / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def write_env(path, **variables):
    path.write_text("".join(f"{name}={value}\n" for name, value in variables.items()))
    return path


def rows(url, query):
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def submit_reports(world):  # noqa: F811
    for number, photo in enumerate(["iphone13_nogps.heic", "iphone6_gps_madrid.jpg"]):
        result = submit_with_photos(
            Api(world.resident),
            [photo],
            clientRequestId=f"backup-{number}",
            location={"lat": 40.45, "lon": -3.7},
        )["data"]["submitReport"]
        assert result["errors"] == []
    photos = list(ReportPhoto.objects.all())
    assert len(photos) == 2
    assert all(photo.is_processed for photo in photos)
    return photos


def test_backup_and_restore_with_the_media_in_a_bucket(world, s3_media, tmp_path, empty_database):  # noqa: F811
    photos = submit_reports(world)
    s3 = {
        "S3_ENDPOINT_URL": s3_media.endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }
    source = write_env(
        tmp_path / "source.env", DATABASE_URL=database_url(), S3_BUCKET="civic-media", **s3
    )
    run("backup.sh", source, tmp_path / "backups")
    (backup,) = (tmp_path / "backups").iterdir()
    assert (backup / "database.dump").stat().st_size > 0

    bucket = f"civic-restored-{secrets.token_hex(4)}"
    s3_media.client.create_bucket(Bucket=bucket)
    target = write_env(tmp_path / "target.env", DATABASE_URL=empty_database, S3_BUCKET=bucket, **s3)
    run("restore.sh", target, backup)

    assert rows(empty_database, REPORTS) == rows(database_url(), REPORTS)
    assert len(rows(empty_database, REPORTS)) == 2
    assert rows(empty_database, PHOTOS) == rows(database_url(), PHOTOS)
    for photo in photos:
        for file in (photo.display, photo.thumbnail):
            restored = s3_media.client.get_object(Bucket=bucket, Key=file.name)["Body"].read()
            with file.open("rb") as original:
                assert restored == original.read()


def test_backup_and_restore_with_the_media_on_disk(world, media_root, tmp_path, empty_database):  # noqa: F811
    photos = submit_reports(world)
    source = write_env(tmp_path / "source.env", DATABASE_URL=database_url(), MEDIA_ROOT=media_root)
    run("backup.sh", source, tmp_path / "backups")
    (backup,) = (tmp_path / "backups").iterdir()

    restored_media = tmp_path / "restored-media"
    target = write_env(
        tmp_path / "target.env", DATABASE_URL=empty_database, MEDIA_ROOT=restored_media
    )
    run("restore.sh", target, backup)

    assert rows(empty_database, REPORTS) == rows(database_url(), REPORTS)
    assert rows(empty_database, PHOTOS) == rows(database_url(), PHOTOS)
    for photo in photos:
        for file in (photo.display, photo.thumbnail):
            assert (restored_media / file.name).read_bytes() == (
                media_root / file.name
            ).read_bytes()
